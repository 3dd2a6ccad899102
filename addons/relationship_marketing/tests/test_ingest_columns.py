# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestIngestSalesperson(RelationshipCase):
    """The ``salesperson`` column: who sold the order, and who looks after its customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env,
            login="Sam.Seller",
            email="sam@outdoor.example",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.other_company = cls.env["res.company"].create({"name": "Elsewhere Inc"})
        cls.outsider = new_test_user(
            cls.env,
            login="olga",
            email="olga@elsewhere.example",
            groups="base.group_user",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.portal = new_test_user(
            cls.env,
            login="pat.portal",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.retired = new_test_user(
            cls.env,
            login="rita",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.retired.active = False

    def test_login_or_email_names_the_salesperson(self):
        answer = self.ingest(
            [
                self.row("1", salesperson="sam.seller"),
                self.row("2", salesperson="SAM@outdoor.example", customer_id="C-2", email=None),
            ]
        )
        self.assertEqual(self.statuses(answer), ["created", "created"])
        purchases = self.Purchase.browse([r["purchase_id"] for r in answer["results"]])
        self.assertEqual(purchases.mapped("user_id"), self.seller)
        customers = purchases.partner_id
        self.assertEqual(len(customers), 2)
        self.assertEqual(customers.mapped("user_id"), self.seller)

    def test_known_customer_keeps_its_salesperson(self):
        first = self.ingest([self.row("1", salesperson=self.manager.login)])
        self.assertEqual(self.statuses(first), ["created"], first["results"])
        answer = self.ingest([self.row("2", salesperson="sam.seller")])
        customer = self.Partner.browse(answer["results"][0]["partner_id"])
        self.assertEqual(customer.user_id, self.manager, "a customer's salesperson is kept")
        purchase = self.Purchase.browse(answer["results"][0]["purchase_id"])
        self.assertEqual(purchase.user_id, self.seller, "the order remembers who sold it")

    def test_known_customer_without_salesperson_takes_one(self):
        self.ingest([self.row("1")])
        answer = self.ingest([self.row("2", salesperson="sam@outdoor.example")])
        customer = self.Partner.browse(answer["results"][0]["partner_id"])
        self.assertEqual(customer.user_id, self.seller)

    def test_unknown_salespeople_are_rejected_by_the_field(self):
        rows = [
            self.row("1", salesperson="nobody"),
            self.row("2", salesperson="olga"),  # another company's user
            self.row("3", salesperson="pat.portal"),  # not an internal user
            self.row("4", salesperson="rita"),  # archived
            self.row("5", salesperson="sam.seller"),
        ]
        answer = self.ingest(rows)
        self.assertEqual(self.statuses(answer), ["rejected"] * 4 + ["created"], answer["results"])
        for result, name in zip(
            answer["results"], ["nobody", "olga", "pat.portal", "rita"], strict=False
        ):
            self.assertEqual(result["field"], "salesperson")
            self.assertIn(name, result["reason"])
            self.assertIn("Outdoor Goods Ltd", result["reason"])
        self.assertFalse(self.Purchase.search([("external_id", "in", ["1", "2", "3", "4"])]))

    def test_changed_salesperson_updates_and_same_is_unchanged(self):
        self.ingest([self.row("1", salesperson="sam.seller")])
        answer = self.ingest([self.row("1", salesperson="sam.seller", channel="web")])
        self.assertEqual(self.statuses(answer), ["updated"], answer["results"])
        answer = self.ingest([self.row("1", salesperson=self.manager.login, channel="web")])
        self.assertEqual(self.statuses(answer), ["updated"], answer["results"])
        purchase = self.Purchase.browse(answer["results"][0]["purchase_id"])
        self.assertEqual(purchase.user_id, self.manager)
        answer = self.ingest([self.row("1", salesperson=self.manager.login, channel="web")])
        self.assertEqual(self.statuses(answer), ["unchanged"])

    def test_salespeople_cost_one_query_per_batch(self):
        def rows(count, start):
            return [
                self.row(
                    f"S{n}",
                    customer_id=f"SC{n}",
                    email=f"s{n}@example.com",
                    salesperson="sam.seller" if n % 2 else self.manager.login,
                )
                for n in range(start, start + count)
            ]

        self.ingest(rows(3, 500))

        def queries(batch):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.ingest(batch)
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(rows(5, 0)), queries(rows(60, 100)))


@tagged("post_install", "-at_install")
class TestIngestPartnerRef(RelationshipCase):
    """The ``partner_ref`` column: a contact's Internal Reference, before email and VAT."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.Partner.create(
            {"name": "Grace Hopper", "ref": "CUST-7", "company_id": cls.company.id}
        )
        cls.namesake = cls.Partner.create(
            {"name": "Ada by email", "email": "ada@example.com", "company_id": cls.company.id}
        )
        other_company = cls.env["res.company"].create({"name": "Elsewhere Inc"})
        cls.foreign = cls.Partner.create(
            {"name": "Foreign", "ref": "CUST-9", "company_id": other_company.id}
        )

    def test_reference_wins_over_email_and_vat(self):
        answer = self.ingest([self.row("1", partner_ref="CUST-7", vat="BE0477472701")])
        self.assertEqual(self.statuses(answer), ["created"])
        self.assertEqual(answer["results"][0]["partner_id"], self.contact.id)
        self.assertFalse(self.contact.email, "the contact is matched, not rewritten")
        self.assertEqual(self.contact.relationship_order_count, 1)
        self.assertEqual(self.namesake.relationship_order_count, 0)
        # The source's customer id now names the contact too.
        answer = self.ingest([self.row("2", customer_id="C-1", email=None)])
        self.assertEqual(answer["results"][0]["partner_id"], self.contact.id)

    def test_unknown_reference_creates_one_contact_that_keeps_it(self):
        partners = self.Partner.search_count([])
        answer = self.ingest(
            [
                self.row("1", partner_ref="NEW-1", email=None, customer_id=None, name="Newbie"),
                self.row("2", partner_ref="NEW-1", email=None, customer_id=None),
            ]
        )
        self.assertEqual(self.statuses(answer), ["created", "created"])
        self.assertEqual(self.Partner.search_count([]), partners + 1)
        customer = self.Partner.browse(answer["results"][0]["partner_id"])
        self.assertEqual((customer.name, customer.ref), ("Newbie", "NEW-1"))
        answer = self.ingest([self.row("3", partner_ref="NEW-1", customer_id=None, email=None)])
        self.assertEqual(answer["results"][0]["partner_id"], customer.id)
        self.assertEqual(self.Partner.search_count([]), partners + 1, "never a duplicate")

    def test_another_companys_reference_is_not_matched(self):
        answer = self.ingest([self.row("1", partner_ref="CUST-9", email=None, customer_id=None)])
        self.assertNotEqual(answer["results"][0]["partner_id"], self.foreign.id)
        self.assertEqual(self.foreign.relationship_order_count, 0)


@tagged("post_install", "-at_install")
class TestIngestDuplicates(RelationshipCase):
    """The last row of an order in a batch wins; the same file, however cut, lands the same."""

    def rows(self):
        return [
            self.row("1", amount=10),
            self.row("2", amount=20),
            self.row("1", amount=10),  # an exact repeat, then a change
            self.row("1", amount=11),
            self.row("2", amount=20),  # an exact repeat of the last row of 2
            self.row("3", amount=30),
            self.row("3", amount=31, salesperson="nobody"),  # the last row, rejected
            self.row("4", amount=40),
        ]

    def test_later_row_wins_and_repeats_are_unchanged(self):
        answer = self.ingest(self.rows())
        self.assertEqual(
            self.statuses(answer),
            [
                "superseded",
                "unchanged",
                "superseded",
                "created",
                "created",
                "superseded",
                "rejected",
                "created",
            ],
        )
        repeat, winner = answer["results"][1], answer["results"][4]
        self.assertEqual(repeat["purchase_id"], winner["purchase_id"])
        self.assertEqual(answer["counts"]["superseded"], 3)
        amounts = dict(self.Purchase.search([]).mapped(lambda p: (p.external_id, p.amount)))
        self.assertEqual(amounts, {"1": 11, "2": 20, "4": 40})
        # Pushed again: nothing flips back.
        again = self.ingest(self.rows())
        self.assertEqual(
            self.statuses(again),
            [
                "superseded",
                "unchanged",
                "superseded",
                "unchanged",
                "unchanged",
                "superseded",
                "rejected",
                "unchanged",
            ],
        )
        self.assertEqual(
            dict(self.Purchase.search([]).mapped(lambda p: (p.external_id, p.amount))), amounts
        )

    def test_repeat_of_a_rejected_last_row_is_rejected(self):
        bad = self.row("9", salesperson="nobody")
        answer = self.ingest([bad, dict(bad)])
        self.assertEqual(self.statuses(answer), ["rejected", "rejected"])
        self.assertEqual(answer["results"][0]["field"], "salesperson")
        self.assertEqual(answer["results"][0]["index"], 0)


@tagged("post_install", "-at_install")
class TestIngestRefunds(RelationshipCase):
    """``refunded`` (amount refunded so far) and ``status`` (done or cancelled)."""

    def test_refund_then_cancel_then_same_again(self):
        self.ingest([self.row("1", amount=100)])
        purchase = self.Purchase.search([("external_id", "=", "1")])
        answer = self.ingest([self.row("1", amount=100, refunded="30")])
        self.assertEqual(self.statuses(answer), ["updated"])
        self.assertEqual((purchase.amount_refunded, purchase.state), (30, "done"))
        answer = self.ingest([self.row("1", amount=100, refunded=30, status="Cancelled")])
        self.assertEqual(self.statuses(answer), ["updated"])
        self.assertEqual(purchase.state, "cancel")
        answer = self.ingest([self.row("1", amount=100, refunded=30, status="cancelled")])
        self.assertEqual(self.statuses(answer), ["unchanged"])
        # The source un-cancels and takes the refund back: the row says so.
        answer = self.ingest([self.row("1", amount=100)])
        self.assertEqual(self.statuses(answer), ["updated"])
        self.assertEqual((purchase.amount_refunded, purchase.state), (0, "done"))

    def test_new_order_can_arrive_cancelled(self):
        answer = self.ingest([self.row("1", status="canceled")])
        self.assertEqual(self.statuses(answer), ["created"])
        purchase = self.Purchase.browse(answer["results"][0]["purchase_id"])
        self.assertEqual(purchase.state, "cancel")

    def test_bad_refunds_are_rejected_by_field(self):
        answer = self.ingest(
            [
                self.row("1", amount=100, refunded=100.01),
                self.row("2", refunded=-1),
                self.row("3", status="returned"),
                self.row("4", amount=50, refunded=50),
            ]
        )
        self.assertEqual(self.statuses(answer), ["rejected"] * 3 + ["created"])
        self.assertEqual(
            [r["field"] for r in answer["results"][:3]], ["refunded", "refunded", "status"]
        )
        self.assertIn("more than the amount", answer["results"][0]["reason"])
        self.assertIn("'returned' is not 'done' or 'cancelled'", answer["results"][2]["reason"])


@tagged("post_install", "-at_install")
class TestIngestCurrencies(RelationshipCase):
    """Amounts at Odoo's rate of the order date; no silent 1:1; clear reasons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.currency_id = cls.env.ref("base.USD")
        Rate = cls.env["res.currency.rate"]
        cls.eur, cls.chf, cls.gbp = (cls.env.ref(f"base.{code}") for code in ("EUR", "CHF", "GBP"))
        Rate.search([("currency_id", "in", (cls.eur | cls.chf).ids)]).unlink()
        (cls.eur | cls.chf).active = True
        cls.gbp.active = False
        Rate.create(
            [
                {"currency_id": cls.eur.id, "name": d, "rate": r, "company_id": cls.company.id}
                for d, r in (("2026-01-01", 0.5), ("2026-02-01", 0.25))
            ]
        )

    def test_amount_in_company_currency_at_the_rate_of_the_order_date(self):
        answer = self.ingest(
            [
                self.row("1", currency="EUR", amount=10, order_date="2026-01-15"),
                self.row("2", currency="eur", amount=10, order_date="2026-03-01"),
                self.row("3", amount=10),
            ]
        )
        self.assertEqual(self.statuses(answer), ["created"] * 3)
        purchases = self.Purchase.browse([r["purchase_id"] for r in answer["results"]])
        self.assertEqual(purchases.mapped("amount_company"), [20.0, 40.0, 10.0])

    def test_inactive_currency_says_how_to_activate_it(self):
        answer = self.ingest([self.row("1", currency="GBP")])
        result = answer["results"][0]
        self.assertEqual((result["status"], result["field"]), ("rejected", "currency"))
        self.assertIn("GBP exists but is not active", result["reason"])
        self.assertIn("Configuration > Currencies", result["reason"])

    def test_no_rate_is_a_reject_not_one_to_one(self):
        answer = self.ingest(
            [
                self.row("1", currency="CHF", order_date="2026-03-01"),
                self.row("2", currency="EUR", order_date="2025-12-31"),
                self.row("3", currency="EUR", order_date="2026-01-01"),
            ]
        )
        self.assertEqual(self.statuses(answer), ["rejected", "rejected", "created"])
        self.assertIn(
            "CHF has no exchange rate on or before 2026-03-01", answer["results"][0]["reason"]
        )
        self.assertIn(
            "EUR has no exchange rate on or before 2025-12-31", answer["results"][1]["reason"]
        )
        self.assertEqual(answer["results"][1]["field"], "currency")
        self.assertFalse(self.Purchase.search([("external_id", "in", ["1", "2"])]))
