/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

// The salesperson opens the purchase of an order made from an opportunity.
registry.category("web_tour.tours").add("relationship_sale_crm_purchase_tour", {
    steps: () => [
        {
            content: "The purchase names the opportunity its order came from",
            trigger:
                ".o_form_view .o_field_widget[name='opportunity_id']:contains('Tents for the club trip')",
        },
        {
            content: "Its amount is the order's, not the opportunity's expected revenue",
            trigger: ".o_form_view .o_field_widget[name='amount']:contains('400.00')",
        },
        {
            content: "Screenshot: sale_crm_purchase",
            trigger: "body",
            run() {
                console.log("rm_screenshot:sale_crm_purchase");
                return new Promise((resolve) => setTimeout(resolve, 1500));
            },
        },
    ],
});
