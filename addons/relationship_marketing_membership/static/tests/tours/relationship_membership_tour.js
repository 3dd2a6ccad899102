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

registry.category("web_tour.tours").add("relationship_membership_fee_tour", {
    steps: () => [
        {
            content: "Ada's membership of the paid club waits for her fee",
            trigger:
                ".o_form_view .o_field_widget[name='partner_stage_id']:contains('Client')",
        },
        screenshotStep("membership_fee_to_invoice"),
        {
            content: "Invoice the fee",
            trigger: ".o_form_view button[name='action_invoice_fee']",
            run: "click",
        },
        {
            content: "The invoice of the club's membership product opens",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Ada Lovelace')",
        },
        {
            content: "Confirm the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']",
            run: "click",
        },
        {
            content: "Ada pays: register the payment",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_register_payment']",
            run: "click",
        },
        {
            content: "Create the payment",
            trigger: ".modal-footer button[name='action_create_payments']:visible",
            run: "click",
        },
        {
            content: "The invoice is paid",
            trigger: ".o_form_view .ribbon:contains('Paid'), .o_form_view .ribbon:contains('In Payment')",
        },
        {
            content: "Back to the membership",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Trail Club')",
            run: "click",
        },
        {
            content: "The membership is active",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Active')",
        },
        {
            content: "Ada is a Member",
            trigger: ".o_form_view .o_field_widget[name='partner_stage_id']:contains('Member')",
        },
        screenshotStep("membership_fee_paid"),
    ],
});
