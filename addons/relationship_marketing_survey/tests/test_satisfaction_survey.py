# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SurveyCase


@tagged("post_install", "-at_install")
class TestSatisfactionSurvey(SurveyCase):
    def scores(self, partner=None):
        return self.env["relationship.satisfaction"].search(
            [("partner_id", "=", (partner or self.customer).id)]
        )

    def test_shipped_survey_is_an_nps_satisfaction_survey(self):
        self.assertTrue(self.shipped.relationship_satisfaction)
        self.assertEqual(self.shipped.relationship_scale, "nps")
        question = self.shipped.relationship_question_id
        self.assertEqual(
            (question.question_type, question.scale_min, question.scale_max), ("scale", 0, 10)
        )
        self.assertEqual(self.shipped.relationship_comment_question_id.question_type, "text_box")

    def test_completed_nps_answer_becomes_the_customers_score(self):
        answer = self.answer(self.shipped, "8", comment="Quick delivery, friendly staff")
        score = self.scores()
        self.assertEqual(len(score), 1)
        self.assertEqual(score.score, 8.0)
        self.assertEqual(score.comment, "Quick delivery, friendly staff")
        self.assertEqual(score.source, "Survey: How satisfied are you with us?")
        self.assertEqual(score.company_id, self.company)
        self.assertEqual(score.date, answer.end_datetime)
        self.assertEqual(score.survey_user_input_id, answer)
        self.assertEqual(answer.relationship_satisfaction_ids, score)
        # What the salesperson reads on the customer.
        self.assertEqual(self.customer.with_user(self.user).relationship_satisfaction_score, 8.0)

    def test_csat_answers_are_stretched_onto_zero_to_ten(self):
        survey = self.survey("csat", 1, 5)
        customers = self.Partner.create(
            [{"name": f"Customer {value}", "company_id": self.company.id} for value in range(1, 6)]
        )
        for value, customer in enumerate(customers, start=1):
            self.answer(survey, str(value), partner=customer)
        self.assertEqual(
            [self.scores(customer).score for customer in customers], [0.0, 2.5, 5.0, 7.5, 10.0]
        )
        self.assertEqual(self.scores(customers[0]).category, "detractor")
        self.assertEqual(self.scores(customers[4]).category, "promoter")

    def test_number_question_out_of_the_scale_gives_no_score(self):
        survey = self.survey("csat", question_type="numerical_box")
        self.answer(survey, "7")
        self.assertFalse(self.scores())
        self.answer(survey, "4")
        self.assertEqual(self.scores().score, 7.5)

    def test_answers_that_give_no_score(self):
        # An unfinished answer, a test entry, an anonymous answer, another survey.
        self.answer(self.shipped, "9", done=False)
        self.answer(self.shipped, "9", test_entry=True)
        self.answer(self.shipped, "9", partner=self.Partner, email="someone@example.com")
        feedback = self.survey()
        feedback.relationship_satisfaction = False
        self.answer(feedback, "9")
        self.assertFalse(
            self.env["relationship.satisfaction"].search([("survey_user_input_id", "!=", False)])
        )

    def test_a_completed_answer_gives_its_score_once(self):
        answer = self.answer(self.shipped, "6")
        answer._mark_done()
        answer._relationship_record_satisfaction()
        self.assertEqual(len(self.scores()), 1)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.scores().copy({"survey_user_input_id": answer.id})

    def test_low_score_puts_the_relationship_at_risk_as_a_hand_entered_one(self):
        by_hand = self.Partner.create({"name": "Grace Hopper", "company_id": self.company.id})
        for partner in by_hand | self.customer:
            self.env["relationship.purchase"].create(
                {
                    "source": "pos",
                    "external_id": f"order-{partner.id}",
                    "partner_id": partner.id,
                    "date_order": fields.Datetime.now() - timedelta(days=1),
                    "amount": 80.0,
                    "company_id": self.company.id,
                }
            )
        self.env["relationship.satisfaction"].with_user(self.user).create(
            {"partner_id": by_hand.id, "score": 2.0, "company_id": self.company.id}
        )
        self.answer(self.shipped, "2")
        for partner in by_hand | self.customer:
            self.assertTrue(partner.relationship_at_risk, partner.name)
            self.assertEqual(partner.relationship_risk_reason, "low_score", partner.name)

    def test_a_customer_of_another_company_scores_for_its_company(self):
        other = self.env["res.company"].create({"name": "Other Goods Ltd"})
        customer = self.Partner.create({"name": "Linus", "company_id": other.id})
        self.answer(self.shipped, "10", partner=customer)
        self.assertEqual(self.scores(customer).company_id, other)
        shared = self.Partner.create({"name": "Shared", "company_id": False})
        survey = self.survey(relationship_company_id=other.id)
        self.answer(survey, "10", partner=shared)
        self.assertEqual(self.scores(shared).company_id, other)

    def test_the_score_question_must_fit_the_scale(self):
        with self.assertRaisesRegex(ValidationError, "must go from 1 to 5"):
            self.survey("csat", 0, 10)
        with self.assertRaisesRegex(ValidationError, "whose answer is the score"):
            self.Survey.create({"title": "No question", "relationship_satisfaction": True})
        survey = self.survey()
        with self.assertRaisesRegex(ValidationError, "must be a scale or a number"):
            survey.relationship_question_id = survey.relationship_comment_question_id
        with self.assertRaisesRegex(ValidationError, "must be questions of"):
            survey.relationship_question_id = self.shipped.relationship_question_id
