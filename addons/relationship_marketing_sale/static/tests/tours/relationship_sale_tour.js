/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

registry.category("web_tour.tours").add("relationship_sale_confirm_tour", {
    steps: () => [
        {
            content: "Ada's quotation is open",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Ada Lovelace')",
        },
        {
            content: "No purchase yet: the order is a quotation",
            trigger: ".o_form_view:not(:has(button[name='action_open_relationship_purchase']))",
        },
        {
            content: "Confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "The order is a purchase of Ada's relationship",
            trigger: ".o_form_view button[name='action_open_relationship_purchase']",
        },
        screenshotStep("sale_order_relationship_purchase", { fullPage: false }),
        {
            content: "Open the customer (a link once the order is confirmed)",
            trigger:
                ".o_form_view .o_field_widget[name='partner_id'] a.o_form_uri, .o_form_view .o_field_widget[name='partner_id'] .o_external_button",
            run: "click",
        },
        {
            content: "Ada is on the First-time customer rung",
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('First-time customer')",
        },
        {
            // with many apps installed (Point of Sale, ...) the partner's
            // buttons do not all fit: the others are under "More"
            content: "Show every button of the customer",
            trigger: ".o_form_view .o-form-buttonbox",
            run() {
                document.querySelector(".o_form_view .o-form-buttonbox .o_button_more")?.click();
            },
        },
        {
            content: "Her purchases count the order",
            trigger:
                ".oe_stat_button:has(.o_stat_text:contains('Purchases')) .o_stat_value:contains('1')",
        },
        screenshotStep("sale_partner_first_time_customer", { fullPage: false }),
    ],
});
