# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin
from odoo.addons.relationship_marketing_followup.tests.common import INGEST_CRON


@tagged("post_install", "-at_install")
class TestSatisfactionSurveyTour(ScreenshotTourMixin, HttpCase):
    def test_customer_answers_and_salesperson_sees_the_escalation(self):
        company = self.env.company
        groups = "base.group_user,relationship_marketing.group_relationship_user"
        salesperson = new_test_user(
            self.env,
            login="rm_tour_seller",
            name="Sam Seller",
            email="sam@example.com",
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        leader = new_test_user(self.env, login="rm_tour_leader", name="Lena Leader", groups=groups)
        rules = self.env["relationship.followup.rule"].search([("company_id", "=", company.id)])
        kept = rules.filtered(
            lambda rule: rule.code in ("satisfaction_check", "escalation_satisfaction")
        )
        (rules - kept).active = False
        kept.fallback_user_id = leader
        ada = self.env["res.partner"].create(
            {
                "name": "Ada Lovelace",
                "email": "ada@example.com",
                "company_id": company.id,
                "user_id": salesperson.id,
                # The level whose salesperson checks satisfaction after a sale.
                "relationship_level": "accountable",
                "relationship_level_set_by_hand": True,
            }
        )
        self.env["relationship.purchase"].create(
            {
                "source": "pos",
                "external_id": "TOUR-1",
                "partner_id": ada.id,
                "date_order": fields.Datetime.now(),
                "amount": 250.0,
                "company_id": company.id,
            }
        )
        self.env.ref(INGEST_CRON).method_direct_trigger()
        invitation = self.env["survey.user_input"].search([("partner_id", "=", ada.id)])
        self.assertEqual(len(invitation), 1, "the satisfaction check emailed the survey")

        self.start_tour(invitation.get_start_url(), "relationship_satisfaction_survey_answer")
        score = self.env["relationship.satisfaction"].search([("partner_id", "=", ada.id)])
        self.assertEqual((score.score, score.survey_user_input_id), (2.0, invitation))

        self.start_tour(
            f"/odoo/contacts/{ada.id}",
            "relationship_satisfaction_survey_seen",
            login=salesperson.login,
        )
