/** @odoo-module **/
// Copyright 2026 Relationship Marketing contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { registry } from "@web/core/registry";

/**
 * A step that asks the test for a screenshot of the window (taken when
 * RM_SCREENSHOTS_DIR is set) and gives it a moment.
 */
function screenshotStep(name) {
    return {
        content: `Screenshot: ${name}`,
        trigger: "body",
        run() {
            console.log(`rm_screenshot:${name}`);
            return new Promise((resolve) => setTimeout(resolve, 1500));
        },
    };
}

const SCORE_QUESTION = "div.js_question-wrapper:contains('How likely are you to recommend us')";
const COMMENT_QUESTION = "div.js_question-wrapper:contains('What is the main reason for your score')";

// The customer opens the link of the email and answers (the url is the answer's own).
registry.category("web_tour.tours").add("relationship_satisfaction_survey_answer", {
    steps: () => [
        {
            content: "Start the survey",
            trigger: "button.btn:contains('Start')",
            run: "click",
        },
        {
            content: "Give a 2 out of 10",
            trigger: `${SCORE_QUESTION} label:has(input[value='2'])`,
            run: "click",
        },
        {
            content: "Say why",
            trigger: `${COMMENT_QUESTION} textarea`,
            run: "edit The tent leaked on the first night",
        },
        screenshotStep("survey_low_score_answer"),
        {
            content: "Submit",
            trigger: "button[value='finish']",
            run: "click",
        },
        {
            content: "The survey thanks the customer",
            trigger: ".o_survey_finished:contains('Thank you for your answer')",
        },
    ],
});

// The salesperson opens the customer: the score, the risk and the escalation.
registry.category("web_tour.tours").add("relationship_satisfaction_survey_seen", {
    steps: () => [
        {
            content: "The escalation is among the customer's activities",
            trigger: ".o-mail-Activity:contains('Satisfaction of Ada Lovelace dropped to 2')",
            run() {
                this.anchor.scrollIntoView({ block: "center" });
            },
        },
        screenshotStep("survey_escalation_activity"),
        {
            content: "Open the relationship tab",
            trigger: ".o_form_view .o_notebook a[name='relationship']",
            run: "click",
        },
        {
            content: "Open its Satisfaction page",
            trigger: ".o_form_view .o_notebook a[name='relationship_satisfaction']",
            run: "click",
        },
        {
            content: "The customer's satisfaction is the survey's score",
            trigger: ".o_field_widget[name='relationship_satisfaction_score']:contains('2.0')",
        },
        {
            content: "The score is listed with the survey as its source and the comment",
            trigger:
                ".o_field_widget[name='relationship_satisfaction_ids'] .o_data_row:contains('Survey: How satisfied are you with us?'):contains('The tent leaked')",
        },
        screenshotStep("survey_score_on_customer"),
    ],
});
