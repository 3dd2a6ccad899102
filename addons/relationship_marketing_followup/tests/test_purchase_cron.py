# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..models.relationship_followup_rule_event import INGEST_CRON, PENDING, RelationshipFollowupRule
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
        cls.cron = cls.env.ref(INGEST_CRON)
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

    def test_a_dry_run_does_not_wake_the_cron(self):
        Cron = type(self.env["ir.cron"])
        with patch.object(Cron, "_trigger", autospec=True) as trigger:
            answer = self.ingest([self.row("W-1", order_date="2026-03-10 08:00:00")], dry_run=True)
            self.assertEqual(self.statuses(answer), ["created"])
            trigger.assert_not_called()
            self.ingest([self.row("W-1", order_date="2026-03-10 08:00:00")])
            trigger.assert_called_once()
        self.assertEqual(len(self.pending()), 1)

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

    def test_with_the_job_switched_off_the_batch_makes_its_calls(self):
        self.cron.active = False
        answer = self.ingest_week()
        self.assertEqual(self.statuses(answer), ["created"] * 4)
        self.assertFalse(self.pending(), "nothing waits for a job that will not run")
        self.assertEqual(len(self.activities(self.ada) | self.activities(self.bob)), 3)

    def test_nothing_pending_without_a_purchase_rule(self):
        self.rule["thank_you_call"].active = False
        triggers = self.triggers()
        self.ingest_week()
        self.assertFalse(self.pending())
        self.assertEqual(self.triggers(), triggers)

    def test_history_is_not_pending(self):
        triggers = self.triggers()
        self.ingest([self.row("OLD-1", order_date="2025-06-01 10:00:00")])
        self.Purchase.ingest_history([self.row("W-1", order_date="2026-03-10 08:00:00")], "webshop")
        self.assertFalse(self.pending(), "too late for any rule, or loaded without follow-ups")
        self.assertEqual(self.triggers(), triggers)
        self.drain()
        self.assertFalse(self.followups())


@tagged("post_install", "-at_install")
class TestMoveCron(FollowupCase):
    """The stage and phase moves an ingestion batch causes leave their follow-ups
    to the same cron; moves made in Odoo fire at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref(INGEST_CRON)
        cls.StageMove = cls.env["relationship.stage.history"]
        cls.PhaseMove = cls.env["relationship.phase.history"]
        cls.ada = cls.customer("Ada Lovelace", email="ada@example.com")
        # Ada bought once (no follow-up wanted here): a first-time customer.
        cls.Rule._followup_with_events_off(cls.env["relationship.purchase"]).create(
            {
                "source": "pos",
                "external_id": "ada-1",
                "partner_id": cls.ada.id,
                "date_order": "2026-03-01 08:00:00",
                "amount": 50.0,
                "company_id": cls.company.id,
            }
        )
        # The shipped welcome, for a rung a batch reaches: Repeat customer.
        cls.rule["welcome_member"].stage_ids = cls.stage_repeat
        # The moves' cron is what is tested here: the welcome as an activity.
        cls.rule["welcome_member"].action = "activity"

    def setUp(self):
        super().setUp()
        self.only("welcome_member")

    def triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])

    def pending(self, Model):
        return Model.search([("partner_id", "=", self.ada.id), *PENDING])

    def ingest_second_order(self):
        answer = self.ingest([self.row("W-2", order_date="2026-03-10 08:00:00")])
        self.assertEqual(self.statuses(answer), ["created"])
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)

    def test_ingested_stage_move_waits_for_the_cron(self):
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        triggers = self.triggers()
        self.ingest_second_order()
        move = self.StageMove.search([("partner_id", "=", self.ada.id)], limit=1)
        self.assertEqual(move.stage_to_id, self.stage_repeat)
        self.assertEqual(self.pending(self.StageMove), move)
        self.assertFalse(self.activities(self.ada), "no welcome before the cron")
        self.assertEqual(len(self.triggers() - triggers), 1, "the cron is woken up")
        self.drain()
        self.assertFalse(self.pending(self.StageMove))
        activity = self.activities(self.ada)
        self.assertEqual(activity.summary, "Welcome Ada Lovelace as a member")
        self.assertEqual(activity.date_deadline, date(2026, 3, 11))
        self.assertEqual(self.followups(self.ada).origin, "Reached Repeat customer")
        # Drained again, or flagged again (a second worker): the log holds.
        self.drain()
        move.sudo().write({"relationship_followup_pending": True})
        self.drain()
        self.assertFalse(self.pending(self.StageMove))
        self.assertEqual(self.activities(self.ada), activity)

    def test_a_batch_wakes_the_cron_once(self):
        """Purchases and the moves they cause, all pending: one wake-up."""
        self.only("welcome_member", "thank_you_call")
        triggers = self.triggers()
        self.ingest_second_order()
        self.assertTrue(self.pending(self.Purchase))
        self.assertTrue(self.pending(self.StageMove))
        self.assertEqual(len(self.triggers() - triggers), 1, "one wake-up for the batch")
        self.drain()
        self.assertEqual(
            sorted(self.activities(self.ada).mapped("summary")),
            ["Thank Ada Lovelace for the purchase", "Welcome Ada Lovelace as a member"],
        )

    def test_stage_move_by_hand_fires_at_once(self):
        triggers = self.triggers()
        self.ada.with_user(self.user).relationship_stage_id = self.stage_repeat
        self.assertFalse(self.pending(self.StageMove))
        self.assertEqual(self.triggers(), triggers, "no cron needed")
        self.assertEqual(self.activities(self.ada).summary, "Welcome Ada Lovelace as a member")

    def test_nothing_pending_for_a_rung_no_rule_looks_at(self):
        self.rule["welcome_member"].stage_ids = self.stage_client
        triggers = self.triggers()
        self.ingest_second_order()
        self.assertFalse(self.pending(self.StageMove))
        self.assertEqual(self.triggers(), triggers)
        self.drain()
        self.assertFalse(self.activities(self.ada))

    def test_ingested_phase_move_waits_for_the_cron(self):
        self.only("win_back")
        # The shipped win-back, for a phase a batch reaches: Awareness.
        self.rule["win_back"].phase_ids = self.env["relationship.followup.option"].search(
            [("kind", "=", "phase"), ("code", "=", "awareness")]
        )
        bob = self.customer("Bob Builder", email="bob@example.com")
        self.ingest(
            [
                self.row(
                    "W-3",
                    customer_id="C-2",
                    email="bob@example.com",
                    name="Bob Builder",
                    order_date="2026-03-10 09:00:00",
                )
            ]
        )
        self.assertEqual(bob.relationship_phase, "awareness")
        move = self.PhaseMove.search([("partner_id", "=", bob.id), *PENDING])
        self.assertEqual(move.phase_to, "awareness")
        self.assertFalse(self.activities(bob))
        self.drain()
        self.assertFalse(move.relationship_followup_pending)
        self.assertEqual(self.activities(bob).summary, "Try to win Bob Builder back")
        self.drain()
        self.assertEqual(len(self.activities(bob)), 1)
