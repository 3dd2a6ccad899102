/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

registry.category("web_tour.tours").add("relationship_sync_run_tour", {
    steps: () => [
        {
            content: "The run of the webshop is listed, with its rejected row",
            trigger:
                ".o_list_view .o_data_row:has(td[name='source']:contains('webshop')) td[name='rejected_count']:contains('1')",
        },
        screenshotStep("sync_run_list", { fullPage: false }),
        {
            content: "Open the run",
            trigger: ".o_list_view .o_data_row td[name='source']:contains('webshop')",
            run: "click",
        },
        {
            content: "The form counts the run's rows",
            trigger: ".o_form_view .o_field_widget[name='created_count']:contains('2')",
        },
        {
            content: "The rejected row says which order and why",
            trigger:
                ".o_form_view .o_field_widget[name='reject_ids'] .o_data_row:has(td:contains('W-3')):has(td:contains('amount'))",
        },
        screenshotStep("sync_run_form", { fullPage: false }),
    ],
});
