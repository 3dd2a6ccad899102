# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo.tests import BaseCase, tagged

from ..tools.purchase_rows import RowError, parse_row, vat_key

NOW = datetime(2026, 6, 1, 12, 0, 0)


@tagged("post_install", "-at_install")
class TestPurchaseRows(BaseCase):
    """Validation of incoming rows, field by field, with no database."""

    def parse(self, **values):
        row = {
            "order_id": "1001",
            "order_date": "2026-05-01",
            "email": "ada@example.com",
            "amount": "10.5",
        }
        row.update(values)
        return parse_row({k: v for k, v in row.items() if v is not None}, NOW)

    def assertRejected(self, field, fragment, **values):
        with self.assertRaises(RowError) as caught:
            self.parse(**values)
        self.assertEqual(caught.exception.field, field)
        self.assertIn(fragment, caught.exception.reason)
        self.assertTrue(caught.exception.reason.startswith(f"{field}: "))

    def test_valid_row_is_normalised(self):
        row = self.parse(
            email=" Ada@Example.COM ",
            currency="eur",
            order_date="2026-05-01T10:30:00+02:00",
            vat="be 0477.472.701",
            birthday="1990-12-10",
            margin=3,
        )
        self.assertEqual(row.email, "ada@example.com")
        self.assertEqual(row.currency, "EUR")
        self.assertEqual(row.order_date, datetime(2026, 5, 1, 8, 30))
        self.assertEqual(row.amount, 10.5)
        self.assertEqual(row.margin, 3.0)
        self.assertEqual(row.vat_key, "BE0477472701")
        self.assertEqual(row.birthday, date(1990, 12, 10))

    def test_required_fields(self):
        self.assertRejected("order_id", "is required", order_id=None)
        self.assertRejected("order_id", "is required", order_id="   ")
        self.assertRejected("order_date", "is required", order_date="")
        self.assertRejected("amount", "is required", amount=None)
        self.assertRejected("customer_id", "neither email nor vat", email=None)

    def test_customer_identified_by_any_key(self):
        self.assertEqual(self.parse(email=None, customer_id=42).customer_id, "42")
        self.assertEqual(self.parse(email=None, vat="FR123").vat, "FR123")

    def test_bad_amounts(self):
        self.assertRejected("amount", "is not a number", amount="12,5x")
        self.assertRejected("amount", "finite", amount="nan")
        self.assertRejected("amount", "finite", amount=float("inf"))
        self.assertRejected("amount", "must not be below 0", amount=-1)
        self.assertRejected("amount", "out of range", amount=1e13)
        self.assertRejected("amount", "boolean", amount=True)
        self.assertRejected("amount", "must be a number", amount=[1])
        self.assertRejected("margin", "finite", margin="-inf")

    def test_bad_dates(self):
        self.assertRejected("order_date", "is not a date", order_date="2026-13-01")
        self.assertRejected("order_date", "is not a date", order_date="yesterday")
        self.assertRejected("order_date", "in the future", order_date="2026-06-05")
        self.assertRejected("order_date", "before 1900", order_date="1899-12-31")
        self.assertRejected("order_date", "as text", order_date=20260501)
        self.assertRejected("birthday", "plausible", birthday="2030-01-01")

    def test_bad_text(self):
        self.assertRejected("email", "not a valid email", email="ada-at-example")
        self.assertRejected("name", "longer than 256", name="x" * 10_000_000)
        self.assertRejected("order_id", "must be text", order_id=["1", "2"])
        self.assertRejected("name", "NUL", name="Ada\x00")
        self.assertRejected("currency", "ISO 4217", currency="E1R")
        self.assertRejected("currency", "longer than 3", currency="EURO")
        with self.assertRaises(RowError) as caught:
            parse_row(["not", "a", "dict"], NOW)
        self.assertEqual(caught.exception.field, "row")

    def test_hostile_text_is_kept_verbatim(self):
        name = "Robert'); DROP TABLE res_partner;-- <b>&amp;</b>"
        self.assertEqual(self.parse(name=name).name, name)

    def test_email_case(self):
        # ASCII local parts are case-insensitive in practice; a non-ASCII one
        # is kept as sent (SMTPUTF8), only its domain is lowered.
        self.assertEqual(self.parse(email="ADA@Example.com").email, "ada@example.com")
        self.assertEqual(self.parse(email="Jürgen@Bücher.example").email, "Jürgen@bücher.example")

    def test_vat_key(self):
        self.assertEqual(vat_key("fr 12-345"), "FR12345")
        self.assertFalse(vat_key(" - "))
