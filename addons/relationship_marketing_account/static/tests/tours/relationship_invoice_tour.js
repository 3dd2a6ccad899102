/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

registry.category("web_tour.tours").add("relationship_invoice_post_tour", {
    steps: () => [
        {
            content: "Ada's draft invoice is open",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Ada Lovelace')",
        },
        {
            content: "No purchase yet: the invoice is a draft",
            trigger: ".o_form_view:not(:has(button[name='action_open_relationship_purchase']))",
        },
        {
            content: "Confirm the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']",
            run: "click",
        },
        {
            content: "The invoice is posted",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Posted')",
        },
        {
            content: "The invoice is a purchase of Ada's relationship",
            trigger: ".o_form_view button[name='action_open_relationship_purchase']",
        },
        screenshotStep("invoice_relationship_purchase", { fullPage: false }),
        {
            content: "Open the purchase",
            trigger: ".o_form_view button[name='action_open_relationship_purchase']",
            run: "click",
        },
        {
            content: "The purchase form is open: the invoice's untaxed amount, net",
            trigger: ".o_field_widget[name='amount_net_company'] span:contains('200.00')",
        },
        screenshotStep("invoice_purchase_form", { fullPage: false }),
    ],
});
