/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

registry.category("web_tour.tours").add("relationship_loyalty_reward_tour", {
    steps: () => [
        {
            content: "Bob is a Gold member with the 300 points of his card",
            trigger:
                ".o_form_view:has(.o_field_widget[name='tier_id']:contains('Gold')) .o_field_widget[name='points']:contains('300')",
        },
        screenshotStep("loyalty_card_points", { fullPage: false }),
        {
            content: "Open his loyalty card",
            trigger: ".o_form_view .o_field_widget[name='loyalty_card_id'] a",
            run: "click",
        },
        {
            content: "Spend points on a reward: change the card's balance",
            trigger: ".o_form_view button[name='action_loyalty_update_balance']",
            run: "click",
        },
        {
            content: "250 points for the trail lamp: 50 left",
            trigger: ".modal .o_field_widget[name='new_balance'] input",
            run: "edit 50",
        },
        {
            content: "Say what they were spent on",
            trigger: ".modal .o_field_widget[name='description'] input",
            run: "edit Reward: a trail lamp",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button[name='action_update_card_point']",
            run: "click",
        },
        {
            content: "The card's history shows the reward",
            trigger: ".o_form_view .o_field_widget[name='history_ids'] .o_data_row:contains('Reward: a trail lamp')",
        },
        {
            content: "Back to the membership",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Trail Points')",
            run: "click",
        },
        {
            content: "One balance: the membership shows the card's 50 points, still Gold",
            trigger:
                ".o_form_view:has(.o_field_widget[name='tier_id']:contains('Gold')) .o_field_widget[name='points']:contains('50')",
        },
        screenshotStep("loyalty_points_after_reward", { fullPage: false }),
    ],
});
