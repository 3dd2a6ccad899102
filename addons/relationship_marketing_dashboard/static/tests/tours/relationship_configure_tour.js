/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { openRelationshipMenu, screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

const CONFIG = "relationship_marketing.menu_relationship_config";

// A consultant configures the company: a rung of the ladder, then the level matrix.
registry.category("web_tour.tours").add("relationship_configure_tour", {
    url: "/odoo",
    steps: () => [
        ...openRelationshipMenu(CONFIG, "relationship_marketing.menu_relationship_stage"),
        {
            content: "Open the Client rung",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Client')",
            run: "click",
        },
        {
            content: "A client has made 4 orders",
            trigger: ".o_form_view .o_field_widget[name='min_order_count'] input",
            run: "edit 4",
        },
        ...stepUtils.saveForm(),
        {
            content: "Back to the ladder",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Development Ladder')",
            run: "click",
        },
        {
            content: "The ladder shows the new criterion",
            trigger: ".o_list_view .o_data_row:contains('Client') td[name='min_order_count']:contains('4')",
        },
        ...openRelationshipMenu(CONFIG, "relationship_marketing.menu_relationship_level_matrix"),
        {
            content: "The matrix is a 3 x 3 grid, without a New button",
            trigger:
                ".o_form_view:not(:has(.o_form_button_create)) .o_relationship_level_matrix tbody tr[name='few'] .o_field_widget[name='level_few_high']",
        },
        {
            content: "No 'New' in the breadcrumb",
            trigger: ".o_breadcrumb:contains('Level Matrix'):not(:contains('New'))",
        },
        screenshotStep("level_matrix", { fullPage: false }),
        {
            content: "Few customers with a medium margin deserve a partnership",
            trigger: ".o_field_widget[name='level_few_medium'] select",
            run: "selectByLabel Partnership",
        },
        {
            content: "Save",
            trigger: ".o_form_view button[name='action_save']",
            run: "click",
        },
        {
            content: "The matrix is saved",
            trigger: ".o_notification:contains('are saved')",
        },
        ...openRelationshipMenu(CONFIG, "relationship_marketing.menu_relationship_settings"),
        {
            content: "The settings of the company open, ready to edit, with no New button",
            trigger:
                ".o_form_view:not(:has(.o_form_button_create)) .o_field_widget[name='relationship_customers_few'] input",
        },
        screenshotStep("settings", { fullPage: false }),
    ],
});
