# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmCase


@tagged("post_install", "-at_install")
class TestInquiriesAndOpportunities(CrmCase):
    def test_a_lead_becomes_an_inquiry_or_a_complaint_of_its_customer(self):
        firm = self.contact("Analytical Engines Ltd", is_company=True)
        charles = self.contact("Charles Babbage", parent_id=firm.id)
        lead = self.lead(charles, description="<p>The gears jam after a week.</p>")
        lead = lead.with_user(self.salesperson)
        action = lead.action_relationship_log_complaint()
        complaint = self.env["relationship.inquiry"].search([("lead_id", "=", lead.id)])
        self.assertEqual(action["domain"], [("lead_id", "in", lead.ids)])
        self.assertEqual(
            (complaint.partner_id, complaint.kind, complaint.name, complaint.channel),
            (firm, "complaint", "Interest of Charles Babbage", "CRM"),
        )
        self.assertEqual(complaint.description, "The gears jam after a week.")
        self.assertEqual(complaint.user_id, self.salesperson)
        self.assertEqual(complaint.company_id, self.company)
        lead.action_relationship_log_inquiry()
        self.assertEqual(lead.relationship_inquiry_count, 2)
        self.assertEqual(firm.relationship_complaint_count, 1)
        self.assertEqual(firm.relationship_inquiry_count, 1)

    def test_a_lead_without_customer_is_no_inquiry(self):
        lead = self.Lead.create({"name": "Someone called"})
        with self.assertRaisesRegex(UserError, "Set the customer of Someone called first"):
            lead.action_relationship_log_inquiry()

    def test_key_customers_get_an_opportunity_for_their_salesperson(self):
        top = self.contact("Top Tina")
        top.relationship_pareto = True
        promoter = self.contact("Pro Paul")
        self.env["relationship.satisfaction"].create(
            {"partner_id": promoter.id, "score": 10.0, "company_id": self.company.id}
        )
        self.assertTrue(promoter.relationship_advocate_suggested)
        busy = self.contact("Busy Bea")
        self.lead(busy, type="opportunity")
        key = self.Partner.search(
            [
                ("id", "in", (top | promoter | busy).ids),
                "|",
                "|",
                ("relationship_pareto", "=", True),
                ("relationship_level_gap", "=", True),
                ("relationship_advocate_suggested", "=", True),
            ]
        )
        self.assertEqual(key, top | promoter)
        action = (key | busy).with_user(self.salesperson).action_relationship_create_opportunity()
        created = self.Lead.search(action["domain"])
        self.assertEqual(created.partner_id, top | promoter)
        self.assertEqual(set(created.mapped("type")), {"opportunity"})
        self.assertEqual(created.user_id, self.salesperson)
        self.assertEqual(created.team_id, self.team)
        by_partner = {lead.partner_id: lead for lead in created}
        self.assertIn("a top customer", by_partner[top].description)
        self.assertIn("a promoter who could recommend us", by_partner[promoter].description)
        self.assertIn("Busy Bea", action["help"])
        # Asking again creates nothing more: they have their opportunity now.
        again = (top | promoter).action_relationship_create_opportunity()
        self.assertFalse(self.Lead.search(again["domain"]))
