# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """On a database with demo data, at today's date (the demo's dates are
    relative to the day it was installed)."""

    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "relationship_marketing_followup.demo_purchase_tomas_first", raise_if_not_found=False
        ):
            self.skipTest("demo data not installed")
        self.demo = {
            name: self.env.ref(f"relationship_marketing.demo_partner_{name}")
            for name in ("nora", "tomas", "aiko", "brightwater", "jonas", "priya", "oakridge")
        }
        self.Occurrence = self.env["relationship.followup.occurrence"]
        self.Rule = self.env["relationship.followup.rule"]

    def run_cron(self):
        while self.Rule._cron_relationship_followup():
            pass

    def followups(self):
        occurrences = self.Occurrence.search(
            [("partner_id", "in", [p.id for p in self.demo.values()])]
        )
        return {(occurrence.partner_id, occurrence.rule_id.code) for occurrence in occurrences}

    def test_cron_on_demo_customers(self):
        before = self.followups()
        self.run_cron()
        created = self.followups() - before
        self.assertEqual(
            created,
            {
                (self.demo["jonas"], "checkin_proactive"),
                (self.demo["oakridge"], "checkin_partnership"),
            },
        )
        meeting = self.Occurrence.search(
            [
                ("partner_id", "=", self.demo["oakridge"].id),
                ("rule_id.code", "=", "checkin_partnership"),
            ]
        )
        self.assertEqual(meeting.user_id, self.env.ref("base.user_demo"), "the key account manager")
        self.assertEqual(meeting.activity_id.date_deadline, fields.Date.context_today(meeting))
        count = self.Occurrence.search_count([])
        self.run_cron()
        self.assertEqual(self.Occurrence.search_count([]), count, "a second run creates none")

    def test_new_demo_sale_creates_the_thank_you_call(self):
        answer = self.env["relationship.purchase"].ingest_batch(
            [
                {
                    "order_id": "DEMO-NEW-1",
                    "order_date": fields.Datetime.to_string(fields.Datetime.now()),
                    "email": "nora.lindqvist@example.com",
                    "amount": 89.0,
                }
            ],
            "webshop",
        )
        self.assertEqual(answer["results"][0]["partner_id"], self.demo["nora"].id)
        # Left to the cron, which a running Odoo wakes up at the batch's commit.
        self.env.ref(
            "relationship_marketing_followup.ir_cron_relationship_followup_purchases"
        ).method_direct_trigger()
        # Nora is not Accountable: nobody calls her after a sale.
        self.assertNotIn(self.demo["nora"].relationship_level, ("accountable", "proactive"))
        self.assertFalse(
            self.Occurrence.search(
                [("partner_id", "=", self.demo["nora"].id), ("rule_id.code", "=", "thank_you_call")]
            )
        )
        self.demo["nora"].write(
            {"relationship_level": "accountable", "relationship_level_set_by_hand": True}
        )
        self.env["relationship.purchase"].ingest_batch(
            [
                {
                    "order_id": "DEMO-NEW-2",
                    "order_date": fields.Datetime.to_string(fields.Datetime.now()),
                    "email": "nora.lindqvist@example.com",
                    "amount": 89.0,
                }
            ],
            "webshop",
        )
        self.env.ref(
            "relationship_marketing_followup.ir_cron_relationship_followup_purchases"
        ).method_direct_trigger()
        call = self.Occurrence.search(
            [("partner_id", "=", self.demo["nora"].id), ("rule_id.code", "=", "thank_you_call")]
        )
        self.assertEqual(len(call), 1)
        self.assertEqual(call.activity_id.user_id, self.env.ref("base.user_demo"))
        self.assertEqual(call.activity_id.summary, "Thank Nora Lindqvist for the purchase")
