/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

// The consultant's rule: its action opens opportunities.
registry.category("web_tour.tours").add("relationship_followup_opportunity_rule", {
    steps: () => [
        {
            content: "The shipped rule creates an opportunity: its sales team is to choose",
            trigger: ".o_form_view .o_field_widget[name='opportunity_team_id']",
        },
        {
            content: "For key customers only",
            trigger: ".o_form_view .o_field_widget[name='opportunity_key_customers_only'] input:checked",
        },
        screenshotStep("followup_rule_opportunity", { fullPage: false }),
    ],
});

// The salesperson finds the opportunity the follow-up opened.
registry.category("web_tour.tours").add("relationship_followup_opportunity_seen", {
    steps: () => [
        {
            content: "It names the follow-up that opened it",
            trigger: ".o_form_view .o_field_widget[name='relationship_followup_occurrence_id']:contains('Next sale with Top Tina')",
        },
        {
            content: "Its notes say why Tina is a key customer",
            trigger: ".o_form_view .o_field_widget[name='description']:contains('Key customer: a top customer')",
        },
        screenshotStep("followup_opportunity", { fullPage: false }),
    ],
});
