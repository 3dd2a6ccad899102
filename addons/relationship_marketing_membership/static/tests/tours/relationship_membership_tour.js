/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

registry.category("web_tour.tours").add("relationship_membership_fee_tour", {
    steps: () => [
        {
            content: "Ada's membership of the paid club waits for her fee",
            trigger:
                ".o_form_view .o_field_widget[name='partner_stage_id']:contains('Client')",
        },
        screenshotStep("membership_fee_to_invoice", { fullPage: false }),
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
        screenshotStep("membership_fee_paid", { fullPage: false }),
    ],
});
