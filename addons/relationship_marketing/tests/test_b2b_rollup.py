# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged

from .common_depth import DepthCase


@tagged("post_install", "-at_install")
class TestB2bRollup(DepthCase):
    """The purchases of a company's contacts count on the company.

    The contact who bought stays on the purchase; figures, stage, phase and
    level are the company's (its commercial partner), and its contacts show
    them.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme = cls.new_customer("Acme Climbing", is_company=True)
        cls.anna = cls.new_customer("Anna Acme", parent_id=cls.acme.id, email="anna@acme.test")
        cls.ben = cls.new_customer("Ben Acme", parent_id=cls.acme.id)

    def test_two_contacts_buying_once_make_a_repeat_customer(self):
        bought_anna = self.buy(self.anna, 20, amount=300.0, margin=90.0)
        bought_ben = self.buy(self.ben, 10, amount=200.0, margin=10.0)
        self.assertEqual(bought_anna.partner_id, self.anna, "the buyer stays on the purchase")
        self.assertEqual(bought_ben.commercial_partner_id, self.acme)
        self.assertEqual(
            (
                self.acme.relationship_order_count,
                self.acme.relationship_revenue,
                self.acme.relationship_margin,
                self.acme.relationship_stage_id,
                self.acme.relationship_phase,
            ),
            (2, 500.0, 100.0, self.stage_repeat, "expansion"),
        )
        self.assertEqual(self.acme.relationship_first_purchase, bought_anna.date_order.date())
        # The contacts have no relationship of their own: they show the account's.
        for contact in self.anna | self.ben:
            self.assertFalse(contact.relationship_stage_id)
            self.assertEqual(contact.relationship_order_count, 0)
            self.assertTrue(contact.relationship_is_account_contact)
            self.assertEqual(contact.relationship_account_stage_id, self.stage_repeat)
            self.assertEqual(contact.relationship_account_phase, "expansion")
            self.assertEqual(contact.relationship_account_order_count, 2)
            self.assertEqual(contact.relationship_account_revenue, 500.0)
        self.assertFalse(self.acme.relationship_is_account_contact)
        # The stage history and the phase history are the company's.
        self.assertEqual(
            self.acme.relationship_stage_history_ids.stage_to_id,
            self.stage_first_time | self.stage_repeat,
        )
        self.assertFalse(self.anna.relationship_stage_history_ids)
        self.assertFalse(self.anna.relationship_phase_history_ids)

    def test_ingested_rows_of_a_contact_count_on_the_company(self):
        answer = self.ingest(
            [
                self.row("B-1", email="anna@acme.test", name="Anna Acme", customer_id="A-1"),
                self.row(
                    "B-2",
                    email="anna@acme.test",
                    name="Anna Acme",
                    customer_id="A-1",
                    order_date="2026-04-01 10:00:00",
                ),
            ]
        )
        self.assertEqual(self.statuses(answer), ["created", "created"])
        purchases = self.env["relationship.purchase"].search(
            [("commercial_partner_id", "=", self.acme.id)]
        )
        self.assertEqual(purchases.partner_id, self.anna)
        self.assertEqual(self.acme.relationship_order_count, 2)
        self.assertEqual(self.acme.relationship_stage_id, self.stage_repeat)
        self.assertFalse(self.anna.relationship_stage_id)

    def test_a_contact_moving_to_another_company_takes_its_purchases(self):
        self.buy(self.anna, 20, 10)
        self.buy(self.ben, 5)
        self.assertEqual(self.acme.relationship_order_count, 3)
        other = self.new_customer("Boulder Works", is_company=True)
        self.anna.parent_id = other
        self.assertEqual(self.acme.relationship_order_count, 1)
        self.assertEqual(other.relationship_order_count, 2)
        self.assertEqual(self.acme.relationship_revenue, 100.0)
        # The nightly statement agrees with the ORM.
        self.assertFalse(self.env["res.partner"]._relationship_refresh_figures(self.company))

    def test_contact_form_shows_the_company_relationship(self):
        self.buy(self.anna, 20)
        form = Form(self.anna.with_user(self.user))
        self.assertEqual(form.relationship_account_stage_id, self.stage_first_time)
        self.assertTrue(form.relationship_is_account_contact)
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="relationship_account"', arch)
