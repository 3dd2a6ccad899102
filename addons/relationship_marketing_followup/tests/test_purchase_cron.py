# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..models.relationship_followup_rule import RelationshipFollowupRule
from ..models.relationship_purchase import PURCHASE_CRON
from .common import FollowupCase


class Crash(Exception):
    pass


@tagged("post_install", "-at_install")
class TestPurchaseCron(FollowupCase):
    """A connector's batch leaves its thank-you calls to a cron woken up at its
    commit; purchases entered in Odoo get theirs at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref(PURCHASE_CRON)
        cls.ada = cls.customer("Ada Lovelace", email="ada@example.com")
        cls.bob = cls.customer("Bob Builder", email="bob@example.com")

    def setUp(self):
        super().setUp()
        self.only("thank_you_call")

    def triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])

    def pending(self):
        return self.Purchase.search([("relationship_followup_pending", "=", True)])

    def ingest_week(self):
        """Ada buys twice on the 10th and once on the 9th, Bob once on the 10th."""
        return self.ingest(
            [
                self.row("W-1", order_date="2026-03-10 08:00:00"),
                self.row("W-2", order_date="2026-03-10 16:00:00"),
                self.row("W-3", order_date="2026-03-09 12:00:00"),
                self.row(
                    "W-4",
                    customer_id="C-2",
                    email="bob@example.com",
                    name="Bob Builder",
                    order_date="2026-03-10 09:00:00",
                ),
            ]
        )

    def test_ingestion_leaves_the_follow_ups_to_the_cron(self):
        triggers = self.triggers()
        answer = self.ingest_week()
        self.assertEqual(self.statuses(answer), ["created"] * 4)
        purchases = self.Purchase.browse([result["purchase_id"] for result in answer["results"]])
        self.assertEqual(self.pending(), purchases)
        self.assertFalse(self.followups())
        self.assertFalse(self.activities(self.ada) | self.activities(self.bob))
        new = self.triggers() - triggers
        self.assertEqual(len(new), 1, "the cron is woken up once per batch")
        self.assertLessEqual(new.call_at, fields.Datetime.now(), "as soon as possible")

    def test_drain_creates_one_call_per_customer_and_day(self):
        answer = self.ingest_week()
        purchases = self.Purchase.browse([result["purchase_id"] for result in answer["results"]])
        fingerprints = purchases.mapped("ingest_fingerprint")
        self.drain()
        self.assertFalse(self.pending())
        self.assertEqual(
            sorted(self.activities(self.ada).mapped("date_deadline")),
            [date(2026, 3, 10), date(2026, 3, 11)],
            "two days of purchases: two calls",
        )
        self.assertEqual(len(self.activities(self.bob)), 1)
        self.assertEqual(self.activities(self.bob).user_id, self.salesperson)
        self.assertEqual(self.followups(self.bob).origin, "Purchase webshop/W-4")
        self.assertEqual(
            purchases.mapped("ingest_fingerprint"), fingerprints, "the flag is not a change"
        )
        # Drained again: nothing more.
        self.drain()
        self.assertEqual(len(self.followups()), 3)
        self.assertEqual(len(self.activities(self.ada) | self.activities(self.bob)), 3)

    def test_drain_never_doubles_a_call(self):
        purchases = self.Purchase.browse(
            [result["purchase_id"] for result in self.ingest_week()["results"]]
        )
        # A crash after the activities are made: the flags stay with them.
        original = RelationshipFollowupRule._followup_on_events

        def crash_after(rule, *args):
            original(rule, *args)
            raise Crash

        with (
            patch.object(RelationshipFollowupRule, "_followup_on_events", crash_after),
            self.assertRaises(Crash),
            self.env.cr.savepoint(),
        ):
            self.env["relationship.purchase"]._cron_relationship_followup_purchases()
        self.env.invalidate_all()
        self.assertEqual(self.pending(), purchases)
        self.assertFalse(self.followups())
        self.drain()
        self.assertEqual(len(self.followups()), 3)
        # Pending again (a second worker, a restored backup): the log holds.
        purchases.sudo().write({"relationship_followup_pending": True})
        self.drain()
        self.assertFalse(self.pending())
        self.assertEqual(len(self.followups()), 3)
        self.assertEqual(len(self.activities(self.ada) | self.activities(self.bob)), 3)

    def test_purchase_entered_in_odoo_gets_its_call_at_once(self):
        triggers = self.triggers()
        purchase = self.buy(self.ada, 0)
        self.assertFalse(purchase.relationship_followup_pending)
        self.assertEqual(self.triggers(), triggers, "no cron needed")
        self.assertEqual(self.activities(self.ada).summary, "Thank Ada Lovelace for the purchase")

    def test_nothing_pending_without_a_purchase_rule(self):
        self.rule["thank_you_call"].active = False
        triggers = self.triggers()
        self.ingest_week()
        self.assertFalse(self.pending())
        self.assertEqual(self.triggers(), triggers)

    def test_history_is_not_pending(self):
        triggers = self.triggers()
        self.ingest([self.row("OLD-1", order_date="2025-06-01 10:00:00")])
        self.Purchase.with_context(relationship_followup_skip=True).ingest_batch(
            [self.row("W-1", order_date="2026-03-10 08:00:00")], "webshop"
        )
        self.assertFalse(self.pending(), "too late for any rule, or loaded without follow-ups")
        self.assertEqual(self.triggers(), triggers)
        self.drain()
        self.assertFalse(self.followups())
