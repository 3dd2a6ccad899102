# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
import re
from collections import Counter
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..tools.purchase_rows import MAX_BATCH_ROWS
from .common import RelationshipCase

# Queries of one batch of 50 rows: pinned so that a change that adds
# per-batch work is noticed, and one that adds per-row work fails. Pinned
# with every addon of addons/ installed, as tests/run installs them: the
# bridges' apps (Accounting, Loyalty, ...) add a few per-batch queries to the
# creation of customers; with fewer apps the batch sends fewer (which Odoo
# only notes).
# True dates (issue 16): a batch whose customers climb reads their order
# dates and their moves so far (2 queries), a batch whose customers change
# phase their order dates (1), and the updated buyers' accounts (1): per
# batch, not per row. The batch's sync run costs 2 more (its INSERT and the
# UPDATE of its counts), and the note "created by a sync" on the new customers
# 3 more (one INSERT of all the notes, and the run's count of new customers).
# The buyers who stay on their rung or phase have the moves they made so far
# dated again, in case an old order arrived late: 2 more, per batch.
# Point of Sale (relationship_marketing_pos) brings Inventory, whose partner
# fields (company-dependent stock locations, ...) cost the creation of the
# batch's new customers 2 more, per batch (the known customers' batch is
# unchanged).
QUERIES_NEW = 45
QUERIES_KNOWN = 35
# The ORM writes at most 100 rows per INSERT and per UPDATE
# (odoo.models.INSERT_BATCH_SIZE, UPDATE_BATCH_SIZE).
ORM_CHUNK = 100
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE")


@tagged("post_install", "-at_install")
class TestIngest(RelationshipCase):
    def test_new_customer_and_purchases(self):
        answer = self.ingest(
            [
                self.row("1001", amount="120.50", channel="web", phone="+32 2 555 01 01"),
                self.row("1002", order_date="2026-03-20", amount=80, customer_id="C-1", email=None),
            ]
        )
        self.assertEqual(
            answer["counts"],
            {"created": 2, "updated": 0, "unchanged": 0, "superseded": 0, "rejected": 0},
        )
        self.assertEqual(self.statuses(answer), ["created", "created"])
        partner = self.Partner.browse(answer["results"][0]["partner_id"])
        self.assertEqual(
            answer["results"][1]["partner_id"], partner.id, "both rows are one customer"
        )
        self.assertEqual(partner.name, "Ada Lovelace")
        self.assertEqual(partner.email, "ada@example.com")
        self.assertEqual(partner.phone, "+32 2 555 01 01")
        self.assertEqual(partner.company_id, self.company)
        self.assertEqual(partner.relationship_order_count, 2)
        self.assertAlmostEqual(partner.relationship_revenue, 200.5)
        self.assertAlmostEqual(partner.relationship_average_order, 100.25)
        self.assertEqual(str(partner.relationship_first_purchase), "2026-03-01")
        self.assertEqual(str(partner.relationship_last_purchase), "2026-03-20")
        self.assertEqual(partner.relationship_stage_id, self.stage_repeat)
        self.assertEqual(partner.relationship_customer_ref_ids.mapped("external_id"), ["C-1"])
        purchase = self.Purchase.browse(answer["results"][0]["purchase_id"])
        self.assertEqual(
            (purchase.source, purchase.external_id, purchase.channel, purchase.customer_ref),
            ("webshop", "1001", "web", "C-1"),
        )
        self.assertEqual(purchase.company_id, self.company)

    def test_same_batch_twice_changes_nothing(self):
        rows = [
            self.row(str(n), amount=10 * n, order_date=f"2026-03-0{n} 09:00:00")
            for n in range(1, 6)
        ]
        self.ingest(rows)
        before = self.Purchase.search_read([("source", "=", "webshop")], order="id")
        history = self.env["relationship.stage.history"].search_count([])
        partners = self.Partner.search_count([])
        answer = self.ingest(rows)
        self.assertEqual(answer["counts"]["unchanged"], 5)
        self.assertEqual(
            self.Purchase.search_read([("source", "=", "webshop")], order="id"), before
        )
        self.assertEqual(self.env["relationship.stage.history"].search_count([]), history)
        self.assertEqual(self.Partner.search_count([]), partners)

    def test_changed_order_is_updated(self):
        first = self.ingest([self.row("1001", amount=10)])
        answer = self.ingest([self.row("1001", amount=25, channel="store")])
        self.assertEqual(self.statuses(answer), ["updated"])
        self.assertEqual(answer["results"][0]["purchase_id"], first["results"][0]["purchase_id"])
        purchase = self.Purchase.browse(answer["results"][0]["purchase_id"])
        self.assertEqual((purchase.amount, purchase.channel), (25.0, "store"))
        self.assertEqual(purchase.partner_id.relationship_revenue, 25.0)

    def test_order_moved_to_another_customer(self):
        """The figures of both customers follow: the one who lost the order has none."""
        first = self.ingest([self.row("1001", amount=10)])
        ada = self.Partner.browse(first["results"][0]["partner_id"])
        self.assertEqual(ada.relationship_order_count, 1)
        answer = self.ingest(
            [
                self.row("1001", amount=10, customer_id="C-2", email="bob@example.com"),
                self.row("1002", amount="0.02", customer_id="C-2", email="bob@example.com"),
                self.row("1003", amount="0.01", customer_id="C-2", email="bob@example.com"),
            ]
        )
        self.assertEqual(self.statuses(answer), ["updated", "created", "created"])
        bob = self.Partner.browse(answer["results"][0]["partner_id"])
        self.assertNotEqual(bob, ada)
        self.assertEqual(
            (
                ada.relationship_order_count,
                ada.relationship_revenue,
                ada.relationship_last_purchase,
            ),
            (0, 0.0, False),
        )
        self.assertEqual((bob.relationship_order_count, bob.relationship_revenue), (3, 10.03))
        # 3.343333... rounded to the currency, as the ORM computes it
        self.assertEqual(bob.relationship_average_order, 3.34)
        self.assertEqual(bob.relationship_stage_id, self.stage_client, "three orders")
        self.assertFalse(bob._relationship_refresh_figures(self.company), "nothing left stale")

    def test_same_row_sent_again_is_recognised(self):
        self.ingest([self.row("1001", amount="12.50")])
        purchase = self.Purchase.search([("external_id", "=", "1001")])
        fingerprint = purchase.ingest_fingerprint
        self.assertTrue(fingerprint)
        # The same purchase written differently is unchanged, and remembered.
        answer = self.ingest([self.row("1001", amount=12.5)])
        self.assertEqual(self.statuses(answer), ["unchanged"])
        self.assertNotEqual(purchase.ingest_fingerprint, fingerprint)
        self.assertEqual(self.statuses(self.ingest([self.row("1001", amount=12.5)])), ["unchanged"])
        # A change made in Odoo is undone by the source's next push.
        purchase.with_user(self.user).amount = 99
        self.assertFalse(purchase.ingest_fingerprint)
        answer = self.ingest([self.row("1001", amount=12.5)])
        self.assertEqual(self.statuses(answer), ["updated"])
        self.assertEqual(purchase.amount, 12.5)
        # A recognised row followed by the same order again in the batch:
        # the later row wins.
        answer = self.ingest([self.row("1001", amount=12.5), self.row("1001", amount=13)])
        self.assertEqual(self.statuses(answer), ["superseded", "updated"])
        self.assertIn("a later row of order 1001", answer["results"][0]["reason"])
        self.assertEqual(purchase.amount, 13)

    def test_bad_rows_are_rejected_and_good_rows_land(self):
        answer = self.ingest(
            [
                self.row("1", amount="abc"),
                self.row("2"),
                self.row("3", email="not-an-email", customer_id=None),
                self.row("4", currency="XXX"),
                self.row("2", amount=5),
                "not a row",
                self.row("5", order_date="31/12/2025"),
            ]
        )
        self.assertEqual(
            self.statuses(answer),
            ["rejected", "superseded", "rejected", "rejected", "created", "rejected", "rejected"],
        )
        fields = [(r["field"], r["reason"]) for r in answer["results"] if r["status"] == "rejected"]
        self.assertEqual(
            [field for field, _reason in fields],
            ["amount", "email", "currency", "row", "order_date"],
        )
        self.assertIn("'abc' is not a number", fields[0][1])
        self.assertIn("XXX is not a known currency", fields[2][1])
        self.assertEqual(answer["results"][5]["order_id"], False)
        self.assertEqual(self.Purchase.search([]).mapped("external_id"), ["2"])
        self.assertEqual(self.Purchase.search([]).amount, 5, "the later row of order 2 wins")

    def test_matching_order(self):
        known = self.Partner.create(
            {"name": "Known by email", "email": "ADA@example.com", "company_id": self.company.id}
        )
        by_vat = self.Partner.create({"name": "Known by VAT", "vat": "BE 0477.472.701"})
        answer = self.ingest(
            [
                self.row("1", customer_id="C-1", email="ada@example.com"),
                self.row("2", customer_id="C-1", email="someone-else@example.com"),
                self.row("3", customer_id=None, email=None, vat="be0477472701"),
            ]
        )
        partners = [r["partner_id"] for r in answer["results"]]
        self.assertEqual(partners, [known.id, known.id, by_vat.id])
        # The source's customer id now points to the partner found by email.
        answer = self.ingest([self.row("4", customer_id="C-1", email="new@example.com")])
        self.assertEqual(answer["results"][0]["partner_id"], known.id)

    def test_other_company_customers_are_not_matched(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        stranger = self.Partner.create(
            {"name": "Stranger", "email": "ada@example.com", "company_id": other.id}
        )
        answer = self.ingest([self.row("1")])
        self.assertNotEqual(answer["results"][0]["partner_id"], stranger.id)

    def test_birthday_and_referral(self):
        self.ingest([self.row("1", customer_id="REF", email="grace@example.com", name="Grace")])
        answer = self.ingest([self.row("2", birthday="1990-12-10", referred_by="REF")])
        partner = self.Partner.browse(answer["results"][0]["partner_id"])
        self.assertEqual(str(partner.relationship_birthday), "1990-12-10")
        self.assertEqual(partner.relationship_referred_by_id.name, "Grace")
        self.assertEqual(partner.relationship_referred_by_id.relationship_referral_count, 1)

    def test_dry_run_writes_nothing(self):
        self.ingest([self.row("1", amount=10)])
        purchases, partners = self.Purchase.search_count([]), self.Partner.search_count([])
        answer = self.ingest(
            [self.row("1", amount=11), self.row("2", email="new@example.com", customer_id="C-2")],
            dry_run=True,
        )
        self.assertTrue(answer["dry_run"])
        self.assertEqual(self.statuses(answer), ["updated", "created"])
        self.assertEqual(self.Purchase.search_count([]), purchases)
        self.assertEqual(self.Partner.search_count([]), partners)
        self.assertEqual(self.Purchase.search([("external_id", "=", "1")]).amount, 10.0)

    def test_batch_limit(self):
        with self.assertRaisesRegex(UserError, "at most 1000 rows; this one has 1001"):
            self.ingest([{}] * (MAX_BATCH_ROWS + 1))

    def test_bad_arguments(self):
        with self.assertRaisesRegex(UserError, "source"):
            self.ingest([], source="")
        with self.assertRaisesRegex(UserError, "source"):
            self.ingest([], source=["webshop"])
        with self.assertRaisesRegex(UserError, "list"):
            self.ingest({"order_id": "1"})

    def test_user_without_group_is_refused(self):
        clerk = new_test_user(
            self.env,
            login="rm_clerk",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaisesRegex(AccessError, "Relationship: User"):
            self.env["relationship.purchase"].with_user(clerk).ingest_batch(
                [self.row("1")], "webshop"
            )
        info = self.env["relationship.purchase"].with_user(clerk).ingest_info()
        self.assertFalse(info["can_ingest"])
        self.assertIn("rm_clerk", info["reason"])
        self.assertTrue(self.Purchase.ingest_info()["can_ingest"])

    def _rows(self, count, start=0, **values):
        return [
            self.row(
                f"Q{n}", customer_id=f"QC{n}", email=f"q{n}@example.com", name=f"Q {n}", **values
            )
            for n in range(start, start + count)
        ]

    def _statements(self, rows):
        """The statements one batch sends, counted by kind: ``(verb, table,
        columns set)`` for writes, ``("SELECT",)`` for reads; and its answer."""
        self.env.invalidate_all()
        counts = Counter()
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            code = " ".join(str(getattr(query, "code", query)).split())
            write = re.match(r'(INSERT INTO|UPDATE|DELETE FROM) "?(\w+)"?', code)
            if write:
                columns = re.search(r" SET (.*?) (FROM|WHERE) ", code)
                counts[write[1].split()[0], write[2], columns and columns[1]] += 1
            else:
                counts[code.split(" ", 1)[0],] += 1
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", spy):
            answer = self.ingest(rows)
        return counts, answer

    def _queries(self, rows):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.ingest(rows)
        return self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_per_row(self):
        scenarios = {
            "new customers": lambda n, start: self._rows(n, start),
            "known customers": lambda n, start: [
                dict(row, order_id=row["order_id"] + "-b") for row in self._rows(n, start)
            ],
            "updated purchases": lambda n, start: self._rows(n, start, amount=1),
            "unchanged purchases": lambda n, start: self._rows(n, start, amount=1),
        }
        for name, rows in scenarios.items():
            with self.subTest(scenario=name):
                # A first batch warms the caches (rule domains, stages), as a
                # connector's earlier batches do.
                self.ingest(rows(3, 500))
                small = self._queries(rows(5, 0))
                large = self._queries(rows(60, 100))
                self.assertEqual(small, large, f"{name}: queries grow with the batch")

    def _mixed_rows(self, count, start):
        """Rows of every kind a connector sends, in turn, and the history
        (sent before) of their customers.

        New customers; known customers buying again (up a rung); late orders,
        older than the customer's last; changed orders; orders sent again.
        Amounts differ from row to row, so customers' figures change
        differently and the purchases get different values.
        """
        history, rows = [], []
        for n in range(start, start + count):
            customer = {"customer_id": f"MC{n}", "email": f"m{n}@example.com", "name": f"M {n}"}
            kind = n % 5
            if kind == 0:
                rows.append(self.row(f"M{n}", amount=10 + n % 7, **customer))
            elif kind == 1:
                history.append(self.row(f"M{n}-a", order_date="2026-01-10 10:00:00", **customer))
                rows.append(self.row(f"M{n}", amount=20 + n % 11, **customer))
            elif kind == 2:
                history.append(self.row(f"M{n}-a", order_date="2026-03-05 10:00:00", **customer))
                rows.append(
                    self.row(
                        f"M{n}", order_date="2025-12-01 10:00:00", amount=5 + n % 3, **customer
                    )
                )
            elif kind == 3:
                history.append(self.row(f"M{n}", amount=50, **customer))
                rows.append(self.row(f"M{n}", amount=51 + n % 13, **customer))
            else:
                history.append(self.row(f"M{n}", amount=50, **customer))
                rows.append(self.row(f"M{n}", amount=50, **customer))
        return history, rows

    def _mixed_batches(self, start):
        """A batch of 5 and a batch of the largest size, with their history sent."""
        warm_history, warm = self._mixed_rows(5, start)
        small_history, small = self._mixed_rows(5, start + 1000)
        large_history, large = self._mixed_rows(MAX_BATCH_ROWS, start + 2000)
        self.ingest(warm_history + small_history + large_history[:400])
        self.ingest(large_history[400:])
        # A first batch warms the caches (access rules), as a connector's
        # earlier batches do.
        self.ingest(warm)
        return small, large

    def _excess_statements(self, small, large):
        """What the large batch sends beyond the small one's statements and
        the ORM's chunks: ``{statement kind: (small, large)}``.

        Reads do not grow with the batch; writes grow by the ORM's chunks
        only: per table and set of columns written, at most one statement per
        hundred rows more than the small batch sends.
        """
        chunks = math.ceil(MAX_BATCH_ROWS / ORM_CHUNK)
        excess = {}
        for key in small.keys() | large.keys():
            allowed = small[key]
            if key[0] in WRITE_VERBS:
                allowed = max(small[key], 1) + chunks - 1
            if large[key] > allowed:
                excess[key] = (small[key], large[key])
        written = {key for key in large if key[0] in WRITE_VERBS}
        if large.total() > small.total() + (chunks - 1) * len(written):
            excess["total"] = (small.total(), large.total())
        return excess

    def test_a_full_batch_costs_the_queries_of_a_small_one(self):
        """A batch of the largest size the server takes sends the statements
        of a batch of five, but for the ORM's chunks of a hundred rows."""
        small, large = self._mixed_batches(2000)
        small_statements, small_answer = self._statements(small)
        large_statements, large_answer = self._statements(large)
        self.assertFalse(
            self._excess_statements(small_statements, large_statements),
            f"small: {dict(small_statements)}, large: {dict(large_statements)}",
        )
        self.assertEqual(
            small_answer["counts"],
            {"created": 3, "updated": 1, "unchanged": 1, "superseded": 0, "rejected": 0},
        )
        self.assertEqual(
            large_answer["counts"],
            {"created": 600, "updated": 200, "unchanged": 200, "superseded": 0, "rejected": 0},
        )
        # What the batch did, customer by customer.
        partners = self.Partner.search([("email", "=like", "m4%@example.com")])
        self.assertEqual(len(partners), MAX_BATCH_ROWS)
        by_kind = partners.grouped(lambda p: int(p.email[1:5]) % 5)
        self.assertEqual(set(by_kind[0].mapped("relationship_stage_id")), {self.stage_first_time})
        for kind in (1, 2):
            self.assertEqual(
                set(by_kind[kind].mapped("relationship_stage_id")), {self.stage_repeat}
            )
            self.assertEqual(set(by_kind[kind].mapped("relationship_order_count")), {2})
        self.assertEqual(
            [str(day) for day in set(by_kind[2].mapped("relationship_last_purchase"))],
            ["2026-03-05"],
            "a late order leaves the last purchase as it was",
        )
        self.assertEqual(
            by_kind[3].mapped("relationship_revenue"),
            [51.0 + int(p.email[1:5]) % 13 for p in by_kind[3]],
        )
        self.assertEqual(set(by_kind[4].mapped("relationship_revenue")), {50.0})
        moves = self.env["relationship.stage.history"].search(
            [
                ("partner_id", "in", (by_kind[1] | by_kind[2]).ids),
                ("stage_to_id", "=", self.stage_repeat.id),
            ]
        )
        self.assertEqual(len(moves), 400, "each customer up a rung has its move logged")
        self.assertEqual(set(moves.mapped("move_type")), {"automatic"})

    def test_a_query_per_row_breaks_the_bound(self):
        small, large = self._mixed_batches(6000)
        Purchase = type(self.env["relationship.purchase"])
        parse = Purchase._ingest_parse

        def parse_and_query(purchases, rows, results):
            for _row in rows:
                purchases.env.cr.execute("SELECT 1")
            return parse(purchases, rows, results)

        with patch.object(Purchase, "_ingest_parse", parse_and_query):
            small_statements, _answer = self._statements(small)
            large_statements, _answer = self._statements(large)
        self.assertEqual(
            self._excess_statements(small_statements, large_statements).get(("SELECT",)),
            (small_statements["SELECT",], small_statements["SELECT",] + MAX_BATCH_ROWS - 5),
        )

    def test_query_count_is_pinned(self):
        self.ingest(self._rows(2, start=1000))
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES_NEW):
            self.ingest(self._rows(50))
        self.env.invalidate_all()
        with self.assertQueryCount(QUERIES_KNOWN):
            self.ingest([dict(row, order_id=row["order_id"] + "-b") for row in self._rows(50)])
