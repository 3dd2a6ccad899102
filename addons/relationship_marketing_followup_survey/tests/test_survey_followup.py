# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo.tests import tagged

from odoo.addons.relationship_marketing_followup.tests.common import FollowupCase


@tagged("post_install", "-at_install")
class TestSurveyFollowup(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("relationship_marketing_survey.survey_satisfaction")
        cls.check = cls.rule["satisfaction_check"]
        cls.escalation = cls.rule["escalation_satisfaction"]
        cls.escalation.fallback_user_id = cls.leader

    def assertFollowup(self, partner, rule, due, user=None, summary=None):
        """The one follow-up of ``rule`` for ``partner``, with its activity."""
        occurrence = self.followups(partner, rule)
        self.assertEqual(len(occurrence), 1, f"one follow-up of {rule.code}")
        activity = occurrence.activity_id
        self.assertEqual(activity.res_id, partner.id)
        self.assertEqual(activity.date_deadline, due)
        self.assertEqual(activity.user_id, user or self.salesperson)
        if summary:
            self.assertEqual(activity.summary, summary)
        return activity

    def invitations(self, partner):
        return self.env["survey.user_input"].search(
            [("partner_id", "=", partner.id), ("survey_id", "=", self.survey.id)]
        )

    def mails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    def sell(self, order_id="W-1", **values):
        answer = self.ingest([self.row(order_id, order_date="2026-03-10 08:00:00", **values)])
        self.assertEqual(self.statuses(answer), ["created"])
        self.drain()

    def test_the_shipped_check_sends_the_shipped_survey(self):
        self.assertEqual(self.check.survey_id, self.survey)
        self.assertEqual(
            self.check.survey_template_id,
            self.env.ref(
                "relationship_marketing_followup_survey.mail_template_satisfaction_survey"
            ),
        )
        self.assertFalse(self.rule["thank_you_call"].survey_id)
        other = self.env["res.company"].create({"name": "Other Goods Ltd"})
        rules = self.Rule.search(
            [("company_id", "=", other.id), ("code", "=", "satisfaction_check")]
        )
        self.assertEqual(rules.survey_id, self.survey)

    def test_satisfaction_check_emails_the_survey_on_its_due_date(self):
        self.only("satisfaction_check")
        ada = self.customer("Ada Lovelace", email="ada@example.com")
        self.sell()
        self.assertFollowup(
            ada, self.check, date(2026, 3, 24), summary="Check that Ada Lovelace is satisfied"
        )
        invitation = self.invitations(ada)
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.state, "new")
        self.assertEqual(invitation.relationship_followup_occurrence_id, self.followups(ada))
        mail = self.mails_to(ada)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.scheduled_date, datetime(2026, 3, 24, 8, 0))
        self.assertEqual(mail.subject, "How satisfied are you with us?")
        self.assertIn(invitation.access_token, mail.body_html)
        self.assertIn("Thank you for your recent purchase", mail.body_html)
        self.assertEqual(mail.email_from, self.salesperson.email_formatted)

    def test_the_same_sale_twice_sends_one_survey(self):
        self.only("satisfaction_check")
        ada = self.customer("Ada Lovelace", email="ada@example.com")
        self.sell()
        self.sell("W-2")
        self.run_cron()
        self.assertEqual(len(self.followups(ada)), 1)
        self.assertEqual(len(self.invitations(ada)), 1)
        self.assertEqual(len(self.mails_to(ada)), 1)

    def test_no_email_or_no_survey_sends_nothing(self):
        self.only("thank_you_call", "satisfaction_check")
        ada = self.customer("Ada Lovelace", email="ada@example.com")
        self.check.survey_id = False
        self.sell()
        self.assertEqual(len(self.followups(ada)), 2)
        self.assertFalse(self.invitations(ada))
        self.check.survey_id = self.survey
        grace = self.customer("Grace Hopper", email=False)
        self.buy(grace, 0)
        self.drain()
        self.assertEqual(len(self.followups(grace)), 2)
        self.assertFalse(self.invitations(grace))

    def test_a_low_answer_escalates_as_a_hand_entered_score(self):
        self.only("satisfaction_check", "escalation_satisfaction")
        ada = self.customer("Ada Lovelace", email="ada@example.com")
        self.sell()
        invitation = self.invitations(ada)
        question = self.survey.relationship_question_id
        invitation._save_lines(question, "3")
        invitation._mark_done()
        self.assertEqual(ada.relationship_satisfaction_score, 3.0)
        self.assertFollowup(
            ada,
            self.escalation,
            date(2026, 3, 10),
            user=self.leader,
            summary="Satisfaction of Ada Lovelace dropped to 3",
        )
        happy = self.customer("Happy Harry", email="harry@example.com")
        self.buy(happy, 0)
        self.drain()
        invitation = self.invitations(happy)
        invitation._save_lines(question, "9")
        invitation._mark_done()
        self.assertEqual(happy.relationship_satisfaction_score, 9.0)
        self.assertFalse(self.followups(happy, self.escalation))
