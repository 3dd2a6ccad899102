# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestPurchase(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.Partner.create({"name": "Ada", "company_id": cls.company.id})
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.company.currency_id = cls.env.ref("base.USD")
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": cls.eur.id,
                    "name": "2026-01-01",
                    "rate": 0.5,
                    "company_id": cls.company.id,
                },
                {
                    "currency_id": cls.eur.id,
                    "name": "2026-02-01",
                    "rate": 0.25,
                    "company_id": cls.company.id,
                },
            ]
        )

    def test_unique_per_source_order_and_company(self):
        vals = {
            "source": "pos",
            "external_id": "1",
            "partner_id": self.customer.id,
            "date_order": "2026-01-02",
            "amount": 1,
        }
        self.Purchase.create(vals)
        self.Purchase.create(dict(vals, source="web"))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.Purchase.create(vals)

    def test_amount_in_company_currency_at_order_date(self):
        jan, feb = self.Purchase.create(
            [
                {
                    "source": "pos",
                    "external_id": "jan",
                    "partner_id": self.customer.id,
                    "date_order": "2026-01-15",
                    "amount": 10,
                    "currency_id": self.eur.id,
                },
                {
                    "source": "pos",
                    "external_id": "feb",
                    "partner_id": self.customer.id,
                    "date_order": "2026-02-15",
                    "amount": 10,
                    "currency_id": self.eur.id,
                },
            ]
        )
        self.assertAlmostEqual(jan.amount_company, 20.0)
        self.assertAlmostEqual(feb.amount_company, 40.0)
        self.assertAlmostEqual(self.customer.relationship_revenue, 60.0)

    def test_form_entry_and_partner_button(self):
        with Form(self.env["relationship.purchase"].with_user(self.user)) as form:
            form.partner_id = self.customer
            form.source = "phone"
            form.external_id = "T-1"
            form.date_order = "2026-03-01 09:00:00"
            form.amount = 42
        purchase = form.record
        self.assertEqual(purchase.name, "phone/T-1")
        self.assertEqual(self.customer.relationship_order_count, 1)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_first_time)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "relationship_marketing.relationship_purchase_action_partner"
        )
        self.assertEqual(action["res_model"], "relationship.purchase")
        self.assertIn("active_id", action["domain"])

    def test_an_order_of_a_day_shows_its_day(self):
        """Sources that give the day only store midnight UTC: the form shows
        that day as a date, and a day entered there stays midnight UTC."""
        day, timed = self.Purchase.create(
            [
                {
                    "source": "pos",
                    "external_id": external_id,
                    "partner_id": self.customer.id,
                    "date_order": date_order,
                    "amount": 1,
                }
                for external_id, date_order in (
                    ("day", "2026-03-01"),
                    ("timed", "2026-03-01 09:30:00"),
                )
            ]
        )
        self.assertEqual((day.date_order_has_time, str(day.date_order_day)), (False, "2026-03-01"))
        self.assertEqual(
            (timed.date_order_has_time, str(timed.date_order_day)), (True, "2026-03-01")
        )
        with Form(day.with_user(self.user)) as form:
            form.date_order_day = "2026-03-02"
        self.assertEqual(str(day.date_order), "2026-03-02 00:00:00")
        # the form shows one of the two, by whether the order has a time
        arch = self.env["relationship.purchase"].get_view(view_type="form")["arch"]
        self.assertIn('name="date_order_day" string="Order Date"', arch)
        self.assertRegex(arch, r'name="date_order"[^>]*invisible="not date_order_has_time"')
        self.assertRegex(arch, r'name="date_order_day"[^>]*invisible="date_order_has_time"')
        list_arch = self.env["relationship.purchase"].get_view(view_type="list")["arch"]
        self.assertIn('name="date_order" widget="relationship_order_date"', list_arch)
