# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import xmlrpc.client
from datetime import date, datetime, timedelta

from odoo import fields
from odoo.tests import BaseCase, tagged

from ..tools.purchase_rows import (
    COLUMNS,
    MAX_BATCH_ROWS,
    RowError,
    parse_row,
    parse_source,
    row_contract,
    vat_key,
)
from .common import RelationshipCase

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
        self.assertRejected("customer_id", "neither email, vat nor partner_ref", email=None)

    def test_customer_identified_by_any_key(self):
        self.assertEqual(self.parse(email=None, customer_id=42).customer_id, "42")
        self.assertEqual(self.parse(email=None, vat="FR123").vat, "FR123")
        self.assertEqual(self.parse(email=None, partner_ref="P-7").partner_ref, "P-7")

    def test_bad_amounts(self):
        self.assertRejected("amount", "is not a number", amount="12,5x")
        self.assertRejected("amount", "finite", amount="nan")
        self.assertRejected("amount", "finite", amount=float("inf"))
        self.assertRejected("amount", "must not be below 0", amount=-1)
        self.assertRejected("amount", "out of range", amount=1e13)
        self.assertRejected("amount", "out of range", amount=10**400)
        self.assertRejected("amount", "finite", amount="1e400")
        self.assertRejected("amount", "boolean", amount=True)
        self.assertRejected("amount", "must be a number", amount=[1])
        self.assertRejected("margin", "finite", margin="-inf")

    def test_bad_dates(self):
        self.assertRejected("order_date", "is not a date", order_date="2026-13-01")
        self.assertRejected("order_date", "is not a date", order_date="yesterday")
        self.assertRejected("order_date", "in the future", order_date="2026-06-05")
        self.assertRejected("order_date", "before 1900", order_date="1899-12-31")
        self.assertRejected("order_date", "as text", order_date=20260501)
        # An offset that moves the date out of the calendar.
        self.assertRejected("order_date", "out of range", order_date="0001-01-01T00:00:00+14:00")
        self.assertRejected("order_date", "out of range", order_date="9999-12-31T23:00:00-14:00")
        self.assertRejected("birthday", "plausible", birthday="2030-01-01")

    def test_bad_text(self):
        self.assertRejected("email", "not a valid email", email="ada-at-example")
        self.assertRejected("name", "longer than 256", name="x" * 10_000_000)
        self.assertRejected("order_id", "must be text", order_id=["1", "2"])
        self.assertRejected("name", "NUL", name="Ada\x00")
        self.assertRejected("name", "lone surrogate", name="Ada \ud800")
        self.assertRejected("order_id", "longer than 128", order_id=10**5000)
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


@tagged("post_install", "-at_install")
class TestRowContract(BaseCase):
    """The contract the server publishes is the one ``parse_row`` enforces."""

    def setUp(self):
        super().setUp()
        self.contract = row_contract(NOW)
        self.base = {
            "order_id": "1001",
            "order_date": "2026-05-01",
            "email": "ada@example.com",
            "amount": "10.5",
        }

    def parse(self, **values):
        row = dict(self.base, **values)
        return parse_row({k: v for k, v in row.items() if v is not None}, NOW)

    def assertRejected(self, field, **values):
        with self.assertRaises(RowError, msg=f"{values} should be rejected") as caught:
            self.parse(**values)
        self.assertEqual(caught.exception.field, field)

    def test_shape(self):
        self.assertEqual(
            set(self.contract),
            {
                "version",
                "columns",
                "customer_keys",
                "oldest_date",
                "newest_date",
                "max_batch_size",
                "max_source_length",
            },
        )
        self.assertEqual(self.contract["version"], 1)
        self.assertEqual(list(self.contract["columns"]), list(COLUMNS))
        self.assertEqual(self.contract["max_batch_size"], MAX_BATCH_ROWS)
        self.assertEqual(
            self.contract["customer_keys"], ["customer_id", "email", "vat", "partner_ref"]
        )
        types = {"text", "number", "date", "datetime", "email", "currency"}
        for column, spec in self.contract["columns"].items():
            self.assertIn(spec["type"], types, column)
            self.assertIsInstance(spec["required"], bool, column)
        self.assertEqual(
            self.contract["columns"]["order_id"],
            {"type": "text", "required": True, "max_length": 128},
        )
        self.assertEqual(
            self.contract["columns"]["amount"],
            {"type": "number", "required": True, "minimum": 0, "maximum": 1e12},
        )

    def test_required_columns(self):
        for column, spec in self.contract["columns"].items():
            if spec["required"]:
                self.assertRejected(column, **{column: None, "customer_id": "C1"})
            elif column not in self.contract["customer_keys"]:
                self.parse(**{column: None})

    def test_text_lengths(self):
        samples = {"text": "x", "currency": "E"}
        for column, spec in self.contract["columns"].items():
            limit = spec.get("max_length")
            if spec["type"] == "email":
                self.assertEqual(limit, 254)
                # Local part of 64, and labels of at most 63 up to 254 in all.
                domain = ".".join(["d" * 63, "e" * 63, "f" * 57]) + ".com"
                longest = "a" * 64 + "@" + domain
                self.assertEqual(len(longest), limit)
                self.assertEqual(self.parse(**{column: longest}).email, longest)
                self.assertRejected(column, **{column: "a" + longest})
                continue
            if spec["type"] not in samples:
                self.assertIsNone(limit, column)
                continue
            if column == "currency":
                self.assertEqual(self.parse(currency="EUR").currency, "EUR")
                self.assertRejected(column, currency="EURO")
                self.assertEqual(limit, 3)
                continue
            if column == "status":  # a word of a closed list, shorter than its limit
                self.assertEqual(self.parse(status="cancelled").state, "cancel")
                self.assertRejected(column, status="c" * (limit + 1))
                continue
            at_limit = samples[spec["type"]] * limit
            self.assertEqual(getattr(self.parse(**{column: at_limit}), column), at_limit, column)
            self.assertRejected(column, **{column: at_limit + "x"})

    def test_number_limits(self):
        for column, spec in self.contract["columns"].items():
            if spec["type"] != "number":
                continue
            # A refund is at most the amount: the largest one, of the largest order.
            amount = {"amount": spec["maximum"]} if column == "refunded" else {}
            self.assertEqual(
                getattr(self.parse(**amount, **{column: spec["maximum"]}), column), 1e12
            )
            self.assertRejected(column, **{column: spec["maximum"] * 1.000001})
            self.assertEqual(
                getattr(self.parse(**{column: spec["minimum"]}), column), spec["minimum"]
            )
            self.assertRejected(column, **{column: spec["minimum"] - 0.01})

    def test_date_range(self):
        oldest = date.fromisoformat(self.contract["oldest_date"])
        newest = date.fromisoformat(self.contract["newest_date"])
        self.assertEqual(newest, NOW.date() + timedelta(days=1))
        for column, spec in self.contract["columns"].items():
            if spec["type"] not in ("date", "datetime"):
                continue
            for accepted in (oldest, newest):
                self.parse(**{column: accepted.isoformat()})
            for rejected in (oldest - timedelta(days=1), newest + timedelta(days=1)):
                self.assertRejected(column, **{column: rejected.isoformat()})

    def test_customer_keys(self):
        nothing = dict.fromkeys(self.contract["customer_keys"])
        self.assertRejected("customer_id", **nothing)
        samples = {
            "customer_id": "C-1",
            "email": "ada@example.com",
            "vat": "BE0477472701",
            "partner_ref": "P-7",
        }
        for key in self.contract["customer_keys"]:
            self.parse(**dict(nothing, **{key: samples[key]}))

    def test_source(self):
        limit = self.contract["max_source_length"]
        self.assertEqual(parse_source(" " + "s" * limit + " "), "s" * limit)
        for bad in ("s" * (limit + 1), "", "  ", None, "web\x00shop", "web\ud800"):
            with self.assertRaises(RowError) as caught:
                parse_source(bad)
            self.assertEqual(caught.exception.field, "source")


@tagged("post_install", "-at_install")
class TestPublishedContract(RelationshipCase):
    def test_ingest_info_publishes_the_row_contract(self):
        info = self.Purchase.ingest_info()
        self.assertEqual(info["row_contract"], row_contract(fields.Datetime.now()))
        self.assertEqual(info["max_batch_size"], info["row_contract"]["max_batch_size"])
        # It travels over XML-RPC as Odoo sends it (no None).
        self.assertTrue(xmlrpc.client.dumps((info,), methodresponse=True, allow_none=False))
