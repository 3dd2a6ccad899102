# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests import tagged

from ..hooks import post_init_hook
from .common import CrmCase


@tagged("post_install", "-at_install")
class TestProspects(CrmCase):
    def test_with_crm_the_first_rung_requires_interest(self):
        company = self.env["res.company"].create({"name": "Second Shop"})
        ladder = self.Stage.search([("company_id", "=", company.id)])
        self.assertEqual(ladder.filtered("require_interest"), ladder[:1], "new ladders too")
        linus = self.Partner.create({"name": "Linus", "company_id": company.id})
        linus._relationship_advance_stages()
        self.assertFalse(linus.relationship_stage_id, "a contact is no prospect by itself")
        self.Lead.create({"name": "Tents", "partner_id": linus.id, "company_id": company.id})
        self.assertEqual(linus.relationship_stage_id, ladder[:1])

    def test_install_puts_the_criterion_on_existing_ladders(self):
        self.stage_prospect.require_interest = False
        post_init_hook(self.env)
        self.assertTrue(self.stage_prospect.require_interest)
        self.assertFalse((self.stages - self.stage_prospect).filtered("require_interest"))

    def test_without_the_criterion_a_lead_still_makes_a_prospect(self):
        self.stage_prospect.require_interest = False
        grace = self.contact("Grace Hopper")
        grace._relationship_advance_stages()
        self.assertEqual(grace.relationship_stage_id, self.stage_prospect, "the core's ladder")
        linus = self.contact("Linus")
        self.lead(linus)
        self.assertEqual(linus.relationship_stage_id, self.stage_prospect)

    def test_a_contact_put_on_the_ladder_has_shown_interest(self):
        ada = self.contact("Ada Lovelace")
        ada.with_user(self.manager).write({"relationship_stage_id": self.stage_prospect.id})
        self.assertEqual(ada.relationship_stage_id, self.stage_prospect)
        asked = []
        Partner = type(self.Partner)
        original = Partner._relationship_with_open_leads

        def spy(partners, company):
            asked.append(partners)
            return original(partners, company)

        self.stage_first_time.min_order_count = 0  # a rung she qualifies for without buying
        with patch.object(Partner, "_relationship_with_open_leads", spy):
            ada._relationship_advance_stages()
        self.assertFalse(any(asked), "no look at CRM for a contact on the ladder")
        self.assertEqual(ada.relationship_stage_id, self.stage_first_time, "and she climbs")

    def test_an_open_lead_makes_its_contact_a_prospect(self):
        ada = self.contact("Ada Lovelace")
        ada._relationship_advance_stages()
        self.assertFalse(ada.relationship_stage_id, "no interest shown, no rung")
        self.lead(ada)
        self.assertEqual(ada.relationship_stage_id, self.stage_prospect)
        move = self.env["relationship.stage.history"].search([("partner_id", "=", ada.id)])
        self.assertEqual(len(move), 1)
        self.assertEqual(move.move_type, "automatic")
        self.assertEqual(move.reason, "Interest shown: open lead or opportunity")

    def test_a_lead_of_a_contact_person_makes_the_company_a_prospect(self):
        firm = self.contact("Analytical Engines Ltd", is_company=True)
        charles = self.contact("Charles Babbage", parent_id=firm.id)
        lead = self.lead(self.Partner)
        lead.partner_id = charles
        self.assertEqual(firm.relationship_stage_id, self.stage_prospect)

    def test_a_lost_or_won_lead_moves_nobody_down(self):
        ada = self.contact("Ada Lovelace")
        lead = self.lead(ada)
        lead.action_set_lost()
        self.assertFalse(lead.active)
        ada._relationship_advance_stages()
        self.assertEqual(ada.relationship_stage_id, self.stage_prospect)
        # A lost lead is no interest: someone else with only a lost lead stays off.
        grace = self.contact("Grace Hopper")
        self.lead(grace, active=False, probability=0)
        grace._relationship_advance_stages()
        self.assertFalse(grace.relationship_stage_id)

    def test_buyers_need_no_lead_and_won_opportunities_are_no_sales(self):
        ada = self.contact("Ada Lovelace")
        self.buy(ada)
        self.assertEqual(ada.relationship_stage_id, self.stage_first_time)
        opportunity = self.lead(ada, type="opportunity", expected_revenue=5000.0)
        opportunity.action_set_won()
        self.assertTrue(opportunity.stage_id.is_won)
        # Sales are counted from their documents (the sale bridge, the connector),
        # never from the opportunity that led to them.
        self.assertEqual(ada.relationship_order_count, 1)
        self.assertEqual(
            self.env["relationship.purchase"].search_count([("partner_id", "=", ada.id)]), 1
        )
        self.assertEqual(ada.relationship_stage_id, self.stage_first_time)

    def test_a_buyer_batch_asks_nothing_of_crm(self):
        buyers = self.contact("Ada Lovelace") | self.contact("Grace Hopper")
        newcomer = self.contact("Linus")
        for buyer in buyers:
            self.buy(buyer)
        asked = []
        Partner = type(self.Partner)
        original = Partner._relationship_with_open_leads

        def spy(partners, company):
            asked.append(partners)
            return original(partners, company)

        with patch.object(Partner, "_relationship_with_open_leads", spy):
            (buyers | newcomer)._relationship_advance_stages()
        self.assertEqual(asked, [newcomer], "only the partner who never bought is looked up")
        self.assertEqual(buyers.relationship_stage_id, self.stage_first_time)
        self.assertFalse(newcomer.relationship_stage_id)
