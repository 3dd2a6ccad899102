# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.tests import Form, tagged

from odoo.addons.relationship_marketing_followup.tests.common import FollowupCase


@tagged("post_install", "-at_install")
class TestOpportunityFollowups(FollowupCase):
    """A follow-up rule that opens opportunities for key customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"]
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Outdoor sales",
                "company_id": cls.company.id,
                "member_ids": [Command.set(cls.salesperson.ids)],
            }
        )
        cls.call = cls.rule["thank_you_call"]

    def setUp(self):
        super().setUp()
        self.only("thank_you_call")
        with Form(self.call.with_user(self.manager)) as form:
            form.create_opportunity = True

    def sell(self, *partners):
        """One purchase each today, ingested as from the webshop."""
        self.ingest(
            [
                self.row(
                    f"W-{partner.id}",
                    order_date="2026-03-10 08:00:00",
                    customer_id=f"C-{partner.id}",
                    email=partner.email,
                    name=partner.name,
                )
                for partner in partners
            ]
        )
        self.drain()

    def opportunities(self, partners):
        return self.Lead.search([("partner_id", "in", partners.ids)], order="id")

    def test_a_key_customer_gets_an_opportunity_for_the_sales_team(self):
        tina = self.customer("Top Tina", email="tina@example.com")
        tina.relationship_pareto = True
        self.sell(tina)
        occurrence = self.followups(tina, self.call)
        self.assertEqual(len(occurrence), 1)
        self.assertEqual(len(self.activities(tina)), 1, "the call is made as ever")
        opportunity = self.opportunities(tina)
        self.assertEqual(len(opportunity), 1)
        self.assertEqual(
            (
                opportunity.type,
                opportunity.user_id,
                opportunity.team_id,
                opportunity.company_id,
                opportunity.date_deadline,
                opportunity.relationship_followup_occurrence_id,
            ),
            (
                "opportunity",
                self.salesperson,
                self.team,
                self.company,
                date(2026, 3, 11),
                occurrence,
            ),
        )
        self.assertEqual(opportunity.name, f"{self.call.name}: Top Tina")
        self.assertIn("a top customer", opportunity.description)

    def test_only_key_customers_without_an_open_opportunity(self):
        tina = self.customer("Top Tina", email="tina@example.com")
        tina.relationship_pareto = True
        busy = self.customer("Busy Bea", email="bea@example.com")
        busy.relationship_pareto = True
        open_one = self.Lead.create(
            {"name": "Tents for Bea", "type": "opportunity", "partner_id": busy.id}
        )
        # At the level recommended for her, with no purchase and no score: no key
        # customer. Her follow-up is scheduled by hand, the same way in.
        plain = self.customer("Plain Pat", relationship_level="partnership")
        self.sell(tina, busy)
        self.assertFalse(plain._relationship_opportunity_reasons()[plain.id])
        self.assertTrue(self.call._followup_schedule_by_hand(plain))
        self.assertEqual(len(self.followups(rule=self.call)), 3, "all three get their call")
        self.assertEqual(self.opportunities(tina | busy | plain).partner_id, tina | busy)
        self.assertEqual(self.opportunities(busy), open_one, "no second opportunity")
        # The next purchase makes a new call, but Tina has her open opportunity now.
        self.ingest(
            [
                self.row(
                    "W-again",
                    order_date="2026-03-10 09:00:00",
                    customer_id=f"C-{tina.id}",
                    email=tina.email,
                )
            ]
        )
        self.drain()
        self.assertEqual(len(self.opportunities(tina)), 1)

    def test_a_rule_without_the_action_opens_none(self):
        self.call.create_opportunity = False
        tina = self.customer("Top Tina", email="tina@example.com")
        tina.relationship_pareto = True
        self.sell(tina)
        self.assertTrue(self.followups(tina, self.call))
        self.assertFalse(self.opportunities(tina))
