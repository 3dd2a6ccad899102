/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { openRelationshipMenu, screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";
import { clickGraphBar } from "./relationship_graph_utils";

const FUNNEL = ".o-dashboard-action:contains('Funnel: Customers Who Reached Each Rung')";
const CONVERSION = ".o-dashboard-action:contains('Conversion and Days Between Rungs')";
// the list a drill-down opens full screen (not a list of the dashboard)
const DRILLED = ".o_action_manager > .o_list_view";

registry.category("web_tour.tours").add("relationship_dashboard_tour", {
    url: "/odoo",
    steps: () => [
        ...openRelationshipMenu("relationship_marketing.menu_relationship_reporting", "relationship_marketing_dashboard.menu_relationship_dashboard"),
        {
            content: "The funnel is drawn",
            trigger: `.o_relationship_dashboard ${FUNNEL} .o_graph_renderer canvas`,
        },
        {
            content: "The conversion table lists the rungs",
            trigger: `${CONVERSION} .o_pivot th:contains('Client')`,
        },
        {
            content: "The time in stage table is there",
            trigger: ".o-dashboard-action:contains('Days in Each Stage') .o_pivot th:contains('Prospect')",
        },
        {
            content: "The key indicators are there",
            trigger: ".o-dashboard-action:contains('Key Indicators per Month') .o_pivot",
        },
        {
            content: "The sales are drawn",
            trigger: ".o-dashboard-action:contains('Sales per Month') .o_graph_renderer canvas",
        },
        {
            content: "The stuck customers are listed",
            trigger: ".o-dashboard-action:contains('Stuck Customers') .o_data_row:contains('Carol Example')",
        },
        {
            content: "The customers at risk are listed",
            trigger: ".o-dashboard-action:contains('Customers at Risk') .o_data_row:contains('Gina Example')",
        },
        {
            content: "The follow-ups due are listed: Gina's low score is escalated",
            trigger: ".o-dashboard-action:contains('Follow-ups Due') .o_data_row:contains('Gina Example')",
        },
        {
            content: "The figures say as of when",
            trigger: ".o_relationship_dashboard_as_of:contains('Figures as of')",
        },
        screenshotStep("dashboard"),
        {
            content: "Only my customers",
            trigger: ".o_relationship_dashboard_mine:not(.active)",
            run: "click",
        },
        {
            content: "Mia has no customers of her own: none of hers is stuck",
            trigger:
                ".o-dashboard-action[data-box='stuck'] .o_list_renderer:not(:has(.o_data_row))",
        },
        {
            content: "Everyone's customers again",
            trigger: ".o_relationship_dashboard_mine.active",
            run: "click",
        },
        {
            content: "Carol is stuck again",
            trigger: ".o-dashboard-action[data-box='stuck'] .o_data_row:contains('Carol Example')",
        },
        {
            content: "Refresh the figures",
            trigger: ".o_relationship_dashboard_refresh",
            run: "click",
        },
        {
            content: "The dashboard says the figures are those of now",
            trigger: ".o_notification:contains('figures of now')",
        },
        {
            content: "The funnel is drawn again",
            trigger: `.o_relationship_dashboard ${FUNNEL} .o_graph_renderer canvas`,
        },
        // Drill from the funnel into the customers of a rung
        clickGraphBar(FUNNEL, "Client"),
        {
            content: "Alice reached the Client rung",
            trigger: `${DRILLED} .o_data_row:contains('Alice Example'):contains('Client')`,
        },
        {
            content: "Dave reached it too, by jumping over the rungs below",
            trigger: `${DRILLED} .o_data_row:contains('Dave Example'):contains('Client')`,
        },
        {
            content: "Nobody else did",
            trigger: `${DRILLED}:not(:has(.o_data_row:nth-child(3)))`,
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Relationship Dashboard')",
            run: "click",
        },
        // ... or from a cell of the conversion table
        {
            content: "Drill into the customers who reached the Prospect rung",
            trigger: `${CONVERSION} .o_pivot tr:has(th:contains('Prospect')) td.o_pivot_cell_value:first`,
            run: "click",
        },
        {
            content: "Carol is one of them, and still a prospect",
            trigger: `${DRILLED} .o_data_row:contains('Carol Example'):has(td[name='current_stage_id']:contains('Prospect'))`,
        },
        {
            content: "Open Alice",
            trigger: `${DRILLED} .o_data_row:contains('Alice Example') td[name='partner_id']`,
            run: "click",
        },
        {
            content: "Alice's form opens",
            trigger: ".o_form_view .o_breadcrumb:contains('Alice Example')",
        },
        {
            content: "Open the relationship tab",
            trigger: ".o_form_view .o_notebook a[name='relationship']",
            run: "click",
        },
        {
            content: "Open its History page",
            trigger: ".o_form_view .o_notebook a[name='relationship_history']",
            run: "click",
        },
        {
            content: "Her history shows how she became a client",
            trigger:
                ".o_field_widget[name='relationship_stage_history_ids'] .o_data_row:contains('Client'):contains('Repeat customer')",
        },
        // what a laptop screen shows of the relationship tab, then the whole form
        screenshotStep("partner_form", { scrollTo: ".o_form_view .o_notebook", fullPage: false }),
        screenshotStep("partner_form_full"),
    ],
});
