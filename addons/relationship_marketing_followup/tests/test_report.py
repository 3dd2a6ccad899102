# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestReport(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rules.filtered(
            lambda rule: rule.code not in ("thank_you_call", "satisfaction_check")
        ).active = False
        cls.customers = cls.env["res.partner"]
        for n in range(4):
            cls.customers |= cls.customer(f"Buyer {n}", email=f"buyer{n}@example.com")
        cls.customers[3].user_id = cls.leader
        cls.Purchase.ingest_batch(
            [
                cls.row(
                    f"R-{n}",
                    customer_id=f"B{n}",
                    email=f"buyer{n}@example.com",
                    order_date="2026-03-10 08:00:00",
                )
                for n in range(4)
            ],
            "webshop",
        )
        cls.drain()

    def calls(self):
        return self.followups(rule=self.rule["thank_you_call"])

    def test_activities_link_back_to_their_rule(self):
        self.assertEqual(len(self.calls()), 4)
        activities = self.calls().activity_ids
        self.assertEqual(activities.relationship_followup_rule_id, self.rule["thank_you_call"])
        found = self.Activity.search(
            [("relationship_followup_rule_id", "=", self.rule["thank_you_call"].id)]
        )
        self.assertEqual(found, activities)

    def test_outcomes_per_rule_and_user(self):
        calls = self.calls()
        calls[0].activity_id.with_user(self.salesperson).action_feedback(
            "Thanked"
        )  # due 03-11: on time
        calls[1].activity_id.unlink()  # cancelled
        with self.freeze("2026-03-13"):
            calls[2].activity_id.with_user(self.salesperson).action_done()  # late
        self.assertEqual(calls.mapped("outcome"), ["on_time", "cancelled", "late", "open"])
        self.assertEqual(calls[0].closed_by_id, self.salesperson)
        self.assertEqual(calls[2].date_closed, date(2026, 3, 13))
        groups = self.Occurrence.with_user(self.manager)._read_group(
            [("company_id", "=", self.company.id)], ["rule_id", "user_id", "outcome"], ["__count"]
        )
        counts = {(rule.code, user, outcome): count for rule, user, outcome, count in groups}
        self.assertEqual(
            counts,
            {
                ("thank_you_call", self.salesperson, "on_time"): 1,
                ("thank_you_call", self.salesperson, "cancelled"): 1,
                ("thank_you_call", self.salesperson, "late"): 1,
                ("thank_you_call", self.leader, "open"): 1,
                ("satisfaction_check", self.salesperson, "open"): 3,
                ("satisfaction_check", self.leader, "open"): 1,
            },
        )
        # The report's pivot reads the same grouping.
        pivot = self.Occurrence.with_user(self.manager).read_group(
            [
                ("company_id", "=", self.company.id),
                ("rule_id", "=", self.rule["thank_you_call"].id),
            ],
            ["outcome"],
            ["outcome"],
        )
        self.assertEqual(
            {group["outcome"]: group["outcome_count"] for group in pivot},
            {"on_time": 1, "cancelled": 1, "late": 1, "open": 1},
        )

    def test_reassigned_activity_counts_for_its_new_user(self):
        call = self.calls()[0]
        call.activity_id.user_id = self.leader
        self.assertEqual(call.user_id, self.leader)

    def test_assignee_without_relationship_rights_closes_the_follow_up(self):
        # The salesperson is a plain internal user: no access to the follow-up log.
        self.assertFalse(
            self.salesperson.has_group("relationship_marketing.group_relationship_user")
        )
        call = self.calls()[0]
        call.activity_id.with_user(self.salesperson).action_done()
        self.assertEqual(call.state, "done")

    def test_kept_done_activities(self):
        self.rule["thank_you_call"].activity_type_id.keep_done = True
        call = self.calls()[0]
        activity = call.activity_id
        activity.action_done()
        self.assertEqual(call.outcome, "on_time")
        self.assertFalse(activity.active)
        activity.unlink()
        self.assertEqual(call.outcome, "on_time", "deleting a done activity changes nothing")
