# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestSatisfactionDone(FollowupCase):
    def setUp(self):
        super().setUp()
        self.only("satisfaction_check", "thank_you_call", "escalation_satisfaction")
        self.rule["escalation_satisfaction"].fallback_user_id = self.leader
        self.ada = self.customer("Ada Lovelace")
        self.buy(self.ada, 0)
        activities = self.activities(self.ada)
        self.check = activities.filtered(
            lambda a: a.relationship_followup_rule_id == self.rule["satisfaction_check"]
        )
        self.call = activities - self.check

    def done(self, activity):
        return activity.with_user(self.salesperson).action_done()

    def test_done_asks_for_the_score_and_escalates_when_low(self):
        action = self.done(self.check)
        self.assertEqual(action["res_model"], "relationship.followup.score")
        with Form(
            self.env[action["res_model"]]
            .with_user(self.salesperson)
            .with_context(**action["context"])
        ) as wizard:
            self.assertEqual(wizard.partner_id, self.ada)
            wizard.score = 3
            wizard.comment = "The delivery was late"
        wizard.record.action_record()
        score = self.env["relationship.satisfaction"].search([("partner_id", "=", self.ada.id)])
        self.assertEqual(
            (score.score, score.comment, score.user_id),
            (3.0, "The delivery was late", self.salesperson),
        )
        self.assertFalse(self.check.exists(), "the check is done")
        self.assertEqual(self.followups(self.ada, self.rule["satisfaction_check"]).state, "done")
        escalation = self.followups(self.ada, self.rule["escalation_satisfaction"])
        self.assertEqual(escalation.user_id, self.leader, "a low score escalates")

    def test_done_and_schedule_next_asks_for_the_score_first(self):
        action = self.check.with_user(self.salesperson).action_feedback_schedule_next(
            feedback="Called her"
        )
        self.assertEqual(action["res_model"], "relationship.followup.score")
        self.assertTrue(self.check.exists(), "not done before the score is given")
        with Form(
            self.env[action["res_model"]]
            .with_user(self.salesperson)
            .with_context(**action["context"])
        ) as wizard:
            self.assertEqual(wizard.comment, "Called her", "the feedback typed is kept")
            wizard.score = 9
        next_action = wizard.record.action_record()
        self.assertEqual(
            (
                next_action["res_model"],
                next_action["target"],
                next_action["context"]["default_res_id"],
            ),
            ("mail.activity", "new", self.ada.id),
            "then the next activity is scheduled",
        )
        self.assertNotIn("relationship_followup_score_given", next_action["context"])
        self.assertFalse(self.check.exists(), "the check is done")
        score = self.env["relationship.satisfaction"].search([("partner_id", "=", self.ada.id)])
        self.assertEqual((score.score, score.comment), (9.0, "Called her"))

    def test_other_activities_are_done_at_once(self):
        self.done(self.call)
        self.assertFalse(self.call.exists())
