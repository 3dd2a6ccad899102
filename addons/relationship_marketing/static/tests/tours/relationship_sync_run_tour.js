/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

/**
 * A step that asks the test for a screenshot of the window (taken when
 * RM_SCREENSHOTS_DIR is set) and gives it a moment.
 */
function screenshotStep(name) {
    return {
        content: `Screenshot: ${name}`,
        trigger: "body",
        run() {
            console.log(`rm_screenshot:${name}`);
            return new Promise((resolve) => setTimeout(resolve, 1500));
        },
    };
}

registry.category("web_tour.tours").add("relationship_sync_run_tour", {
    steps: () => [
        {
            content: "The run of the webshop is listed, with its rejected row",
            trigger:
                ".o_list_view .o_data_row:has(td[name='source']:contains('webshop')) td[name='rejected_count']:contains('1')",
        },
        screenshotStep("sync_run_list"),
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
        screenshotStep("sync_run_form"),
    ],
});
