# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.purchase_rows import COLUMNS
from .common import RelationshipCase

# What XML-RPC can carry, from sensible to hostile.
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**31), max_value=2**31 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "2026-01-15",
            "2026-01-15 10:00:00",
            "9999-12-31",
            "0001-01-01",
            "ada@example.com",
            "ADA@EXAMPLE.COM",
            "Jürgen@bücher.example",
            "EUR",
            "USD",
            "ZZZ",
            "12.50",
            "1e400",
            "'; DROP TABLE res_partner; --",
            "<![CDATA[x]]>&amp;<b>",
            "%s %(x)s {x}",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-14:00",
            "lone \ud800 surrogate",
            "nul \x00 inside",
            10**400,
        ]
    ),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
ROWS = st.lists(
    st.dictionaries(st.sampled_from(COLUMNS), VALUES, max_size=len(COLUMNS)),
    max_size=6,
)


def sendable(answer):
    """The answer as Odoo's JSON-RPC sends it (UTF-8, non-ASCII kept)."""
    return json.dumps(answer, ensure_ascii=False).encode("utf-8")


@tagged("post_install", "-at_install")
class TestHostileInput(RelationshipCase):
    def test_metacharacters_land_verbatim(self):
        name = "Robert'); DROP TABLE relationship_purchase;-- <x>&amp;]]> %s {0}"
        answer = self.ingest(
            [self.row("'; SELECT 1; --", name=name, channel="<script>", customer_id="%(id)s")]
        )
        self.assertEqual(self.statuses(answer), ["created"])
        purchase = self.env["relationship.purchase"].browse(answer["results"][0]["purchase_id"])
        self.assertEqual(purchase.external_id, "'; SELECT 1; --")
        self.assertEqual(purchase.channel, "<script>")
        self.assertEqual(purchase.partner_id.name, name)
        self.assertEqual(purchase.customer_ref, "%(id)s")

    def test_huge_values_and_wrong_types_are_rejected_by_field(self):
        answer = self.ingest(
            [
                self.row("1", name="x" * 10_000_000),
                self.row("2", email=["a@example.com"]),
                self.row("3", amount={"value": 1}),
                self.row("4", order_date="9999-12-31"),
                self.row("5", order_date="0001-01-01"),
                self.row("6", amount=float("nan")),
                self.row("7", margin=float("-inf")),
                self.row("8", currency="QQQ"),
                self.row(["9"]),
                self.row("10", birthday="1850-01-01"),
            ]
        )
        self.assertEqual(set(self.statuses(answer)), {"rejected"})
        self.assertEqual(
            [r["field"] for r in answer["results"]],
            [
                "name",
                "email",
                "amount",
                "order_date",
                "order_date",
                "amount",
                "margin",
                "currency",
                "order_id",
                "birthday",
            ],
        )
        self.assertFalse(
            self.env["relationship.purchase"].search([("company_id", "=", self.company.id)])
        )

    def test_values_beyond_the_calendar_or_any_float_are_rejected_by_field(self):
        rows = [
            self.row("1", order_date="0001-01-01T00:00:00+14:00"),
            self.row("2", order_date="9999-12-31T23:00:00-14:00"),
            self.row("3", amount=10**400),
            self.row("4", margin=-(10**400)),
            self.row("5", name="Ada \ud800"),
            self.row("6", email="ada\ud800@example.com"),
            self.row("7\ud800"),
            self.row("8", channel="web\x00"),
            self.row(10**5000),
        ]
        answer = self.ingest(rows)
        self.assertEqual(
            [(r["status"], r["field"]) for r in answer["results"]],
            [
                ("rejected", "order_date"),
                ("rejected", "order_date"),
                ("rejected", "amount"),
                ("rejected", "margin"),
                ("rejected", "name"),
                ("rejected", "email"),
                ("rejected", "order_id"),
                ("rejected", "channel"),
                ("rejected", "order_id"),
            ],
        )
        # Each reason names its field, and the answer can be sent back.
        for result in answer["results"]:
            self.assertTrue(result["reason"].startswith(result["field"] + ": "))
        self.assertIn(b'"order_id": "7?"', sendable(answer))
        self.assertFalse(
            self.env["relationship.purchase"].search([("company_id", "=", self.company.id)])
        )

    def test_a_source_that_cannot_be_stored_is_refused_naming_it(self):
        for source in ("web\x00shop", "web\ud800shop", "s" * 65, "  ", 42):
            with self.assertRaises(UserError) as caught:
                self.ingest([self.row("1")], source=source)
            self.assertIn("source", str(caught.exception))
        self.assertFalse(
            self.env["relationship.purchase"].search([("company_id", "=", self.company.id)])
        )

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(rows=ROWS)
    def test_any_batch_lands_or_is_rejected_row_by_row(self, rows):
        with self.env.cr.savepoint() as savepoint:
            before = self.env["relationship.purchase"].search_count([])
            answer = self.ingest(rows)
            results = answer["results"]
            self.assertEqual(len(results), len(rows))
            sendable(answer)
            for row, result in zip(rows, results, strict=True):
                if result["status"] == "rejected":
                    self.assertTrue(result["field"])
                    self.assertTrue(result["reason"].startswith(result["field"] + ": "))
                    self.assertFalse(result["purchase_id"])
                elif result["status"] == "superseded":
                    # A later row of the same order (as Odoo reads it) is the one that counts.
                    later = [
                        str(r.get("order_id")).strip()
                        for r in rows[result["index"] + 1 :]
                        if isinstance(r, dict)
                    ]
                    self.assertIn(result["order_id"], later)
                    self.assertFalse(result["purchase_id"])
                else:
                    self.assertEqual(result["status"], "created")
                    purchase = self.env["relationship.purchase"].browse(result["purchase_id"])
                    self.assertEqual(purchase.external_id, str(row["order_id"]).strip())
            created = sum(r["status"] == "created" for r in results)
            # Nothing partial: exactly the accepted rows landed.
            self.assertEqual(self.env["relationship.purchase"].search_count([]), before + created)
            savepoint.rollback()
