/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

// A salesperson works a customer: My customers, the next step, a rung back with a reason.
registry.category("web_tour.tours").add("relationship_partner_tour", {
    steps: () => [
        {
            content: "The customers open on the salesperson's own",
            trigger: ".o_searchview_facet:contains('My Customers')",
        },
        {
            content: "Someone else's customer is not in the list",
            trigger: ".o_kanban_renderer:not(:has(.o_kanban_record:contains('Bob Brown')))",
        },
        {
            content: "Ada's card says what the next rung needs",
            trigger:
                ".o_kanban_record:contains('Ada Lovelace'):contains('1 more order within 365 days → Client')",
        },
        {
            content: "Ada's card shows her follow-ups",
            trigger: ".o_kanban_record:contains('Ada Lovelace') .o-mail-ActivityButton i:not(.text-muted)",
        },
        screenshotStep("relationship_customers_kanban", { fullPage: false }),
        {
            content: "Open Ada",
            trigger: ".o_kanban_record:contains('Ada Lovelace')",
            run: "click",
        },
        {
            content: "Open the Relationship tab",
            trigger: ".o_notebook .nav-link:contains('Relationship')",
            run: "click",
        },
        {
            content: "The summary says the next step",
            trigger:
                ".o_field_widget[name='relationship_next_step']:contains('1 more order within 365 days → Client')",
        },
        screenshotStep("relationship_partner_tab", { fullPage: false }),
        {
            content: "Move Ada back to First-time customer",
            trigger: ".o_statusbar_status button:contains('First-time customer')",
            run: "click",
        },
        {
            content: "A backward move asks for a reason",
            trigger: ".modal .o_error_dialog:contains('takes a reason')",
        },
        {
            content: "Give the reason",
            trigger: ".modal button.btn-primary:contains('Move Back with a Reason')",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit The second order was a duplicate",
        },
        {
            content: "The stage is locked by default",
            trigger: ".modal .o_field_widget[name='lock'] input:checked",
        },
        {
            content: "Confirm the move",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Ada is a first-time customer again",
            trigger:
                "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current:contains('First-time customer')",
        },
        {
            content: "Open the Relationship tab again",
            trigger: ".o_notebook .nav-link:contains('Relationship')",
            run: "click",
        },
        {
            content: "Her stage is locked",
            trigger: ".o_field_widget[name='relationship_stage_locked'] input:checked",
        },
        screenshotStep("relationship_partner_moved_back", { fullPage: false }),
    ],
});
