/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

const row = (order) => `.o_list_view .o_data_row:has(td[name='external_id']:contains('${order}'))`;

// The purchases seen from New York: an order of a day shows that day, with no
// time and no shift to the day before; an order with a time shows it there.
registry.category("web_tour.tours").add("relationship_purchase_dates_tour", {
    steps: () => [
        {
            content: "The orders are listed",
            trigger: `${row("DAY-1")} td[name='date_order']`,
            run() {
                // the web client shows times in the browser's time zone
                luxon.Settings.defaultZone = "America/New_York";
            },
        },
        {
            content: "Sort by date: the orders are read again, in New York",
            trigger: ".o_list_view th[data-name='date_order']",
            run: "click",
        },
        {
            content: "The order with a time shows it, in New York's time (read again)",
            trigger: `${row("TIME-1")} td[name='date_order']:contains('03/01/2026 10:30')`,
        },
        {
            content: "The order of a day shows its day alone, not the evening before",
            trigger: `${row("DAY-1")} td[name='date_order']:contains('03/01/2026'):not(:contains(':'))`,
        },
        screenshotStep("relationship_purchase_list", { fullPage: false }),
        {
            content: "Open the order of a day",
            trigger: `${row("DAY-1")} td[name='external_id']`,
            run: "click",
        },
        {
            content: "Its form shows the day as a date",
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name='date_order'])) .o_field_widget[name='date_order_day'] input:value('03/01/2026')",
        },
        {
            content: "The day is corrected",
            trigger: ".o_field_widget[name='date_order_day'] input",
            run: "edit 03/02/2026",
        },
        ...stepUtils.saveForm(),
        {
            content: "Saved, still a day without a time",
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name='date_order'])) .o_field_widget[name='date_order_day'] input:value('03/02/2026')",
        },
    ],
});
