/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

registry.category("web_tour.tours").add("relationship_sale_reward_tour", {
    steps: () => [
        {
            content: "Bob's quotation for a tent",
            trigger: ".o_form_view .o_field_widget[name='order_line'] .o_data_row:contains('Trail Tent')",
        },
        {
            content: "Claim a reward with the points of Bob's loyalty card",
            trigger: ".o_form_view button[name='action_open_reward_wizard']",
            run: "click",
        },
        {
            content: "The reward is a line of the order",
            trigger: ".o_form_view .o_field_widget[name='order_line'] .o_data_row:contains('Trail reward: 20 off')",
        },
        screenshotStep("sale_reward_applied", { fullPage: false }),
        {
            content: "Confirm the order",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
    ],
});

registry.category("web_tour.tours").add("relationship_sale_reward_balance_tour", {
    steps: () => [
        {
            content: "Open Bob's relationship",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Relationship')",
            run: "click",
        },
        {
            content: "Open its Loyalty page",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Loyalty')",
            run: "click",
        },
        {
            content: "One balance: the card's 300 points, less the reward's 100, plus the order's 10",
            trigger: ".o_form_view .o_field_widget[name='relationship_loyalty_points']:contains('210')",
        },
        {
            content: "His membership of the frequency programme reads the same balance, still Gold",
            trigger:
                ".o_form_view .o_field_widget[name='relationship_membership_ids'] .o_data_row:contains('Trail Points'):contains('Gold'):contains('210')",
        },
        screenshotStep("sale_reward_one_balance", { fullPage: false }),
    ],
});
