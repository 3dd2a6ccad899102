/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { openRelationshipMenu } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

const REPEAT_COLUMN = ".o_kanban_group:has(.o_column_title:contains('Repeat customer'))";

registry.category("web_tour.tours").add("relationship_kanban_tour", {
    url: "/odoo",
    steps: () => [
        ...openRelationshipMenu("relationship_marketing.menu_relationship_customers", "relationship_marketing.menu_relationship_partner"),
        {
            content: "Show every customer, not only the tour user's own",
            trigger: ".o_searchview_facet:contains('My Customers') .o_facet_remove",
            run: "click",
        },
        {
            content: "Bob is a first-time customer",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('First-time customer')) .o_kanban_record:contains('Bob Example')",
        },
        {
            content: "Drag Bob to the repeat customers",
            trigger: ".o_kanban_record:contains('Bob Example')",
            run: `drag_and_drop(${REPEAT_COLUMN})`,
        },
        {
            content: "Bob is now a repeat customer",
            trigger: `${REPEAT_COLUMN} .o_kanban_record:contains('Bob Example')`,
            run: "click",
        },
        {
            content: "Open the relationship tab",
            trigger: ".o_form_view .o_notebook a[name='relationship']",
            run: "click",
        },
        {
            content: "Open its History page",
            trigger: ".o_form_view .o_notebook a[name='relationship_history']",
            run: "click",
        },
        {
            content: "The move is in the history, set by hand",
            trigger:
                ".o_field_widget[name='relationship_stage_history_ids'] .o_data_row:first:contains('Repeat customer'):contains('First-time customer'):contains('Set by hand')",
        },
    ],
});
