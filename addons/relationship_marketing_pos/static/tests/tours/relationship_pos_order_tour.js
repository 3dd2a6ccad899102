/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

registry.category("web_tour.tours").add("relationship_pos_order_tour", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Point of Sale app",
            trigger: ".o_app[data-menu-xmlid='point_of_sale.menu_point_root']",
            run: "click",
        },
        {
            content: "Open the Orders section",
            trigger: ".o_menu_sections [data-menu-xmlid='point_of_sale.menu_point_of_sale']",
            run: "click",
        },
        {
            content: "Choose Orders",
            trigger: ".dropdown-item[data-menu-xmlid='point_of_sale.menu_point_ofsale']",
            run: "click",
        },
        {
            content: "Open Ada's paid ticket",
            trigger:
                ".o_list_view .o_data_row:has(td[name='partner_id']:contains('Ada Lovelace')) td[name='name']",
            run: "click",
        },
        {
            content: "The order is Ada's",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Ada Lovelace')",
        },
        {
            content: "The paid order is a purchase of Ada's relationship",
            trigger: ".o_form_view button[name='action_open_relationship_purchase']",
        },
        screenshotStep("pos_order_relationship_purchase", { fullPage: false }),
        {
            content: "Open the purchase",
            trigger: ".o_form_view button[name='action_open_relationship_purchase']",
            run: "click",
        },
        {
            content: "The purchase is Ada's",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Ada Lovelace')",
        },
        {
            content: "The purchase is the ticket's untaxed amount",
            trigger: ".o_form_view .o_field_widget[name='amount'] span:contains('200.00')",
        },
        screenshotStep("pos_order_purchase_form", { fullPage: false }),
    ],
});
