/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";
import { screenshotStep } from "@relationship_marketing/../tests/tours/relationship_tour_utils";

const CHECK = ".o-mail-Activity:contains('Check that Ada Lovelace is satisfied')";

// A salesperson marks a satisfaction check done from the chatter: the score is
// asked for, and recorded with what the customer said.
registry.category("web_tour.tours").add("relationship_satisfaction_score_tour", {
    steps: () => [
        {
            content: "Ada's satisfaction check is planned",
            trigger: `${CHECK} .o-mail-Activity-markDone`,
            run: "click",
        },
        {
            content: "Mark it done",
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label='Done']",
            run: "click",
        },
        {
            content: "The check asks for the customer's score",
            trigger: ".modal:contains('Satisfaction Check Done') .o_field_widget[name='partner_id']:contains('Ada Lovelace')",
        },
        {
            content: "Ada gives 3 out of 10",
            trigger: ".modal .o_field_widget[name='score'] input",
            run: "edit 3",
        },
        {
            content: "Say what she said",
            trigger: ".modal .o_field_widget[name='comment'] textarea",
            run: "edit The delivery was late",
        },
        screenshotStep("relationship_satisfaction_score", { fullPage: false }),
        {
            content: "Record the score and mark the check done",
            trigger: ".modal button[name='action_record']",
            run: "click",
        },
        {
            content: "The check is done, with what Ada said",
            trigger:
                "body:not(:has(.modal)) .o-mail-Chatter:not(:has(" +
                CHECK +
                ")) .o-mail-Message:contains('The delivery was late')",
        },
    ],
});
