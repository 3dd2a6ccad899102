# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DashboardCase

MODEL = "relationship.stage.duration.report"


@tagged("post_install", "-at_install")
class TestStageDurationReport(DashboardCase):
    def days_by_stage(self, domain=()):
        return {
            stage: (count, average, median)
            for stage, count, average, median in self.read_group(
                MODEL,
                list(domain),
                ["stage_id"],
                ["stay_count:sum", "days:avg", "days_median:median"],
            )
        }

    def assertDays(self, values, expected):
        count, average, median = values
        self.assertEqual(count, expected[0])
        self.assertAlmostEqual(average, expected[1], places=4)
        self.assertAlmostEqual(median, expected[2], places=4)

    def test_stays_of_a_customer(self):
        stays = self.env[MODEL].search(
            [("partner_id", "=", self.customers["alice"].id)], order="date_start"
        )
        self.assertEqual(
            [(stay.stage_id, round(stay.days, 4), stay.outcome, stay.is_current) for stay in stays],
            [
                (self.rungs["prospect"], 10.0, "up", False),
                (self.rungs["first_time"], 30.0, "up", False),
                (self.rungs["repeat"], 30.0, "up", False),
                (self.rungs["client"], 30.0, "ongoing", True),
            ],
        )
        self.assertEqual(stays[1].previous_stage_id, self.rungs["prospect"])
        self.assertEqual(stays[1].next_stage_id, self.rungs["repeat"])
        self.assertEqual(stays[0].entry_move_type, "manual")
        self.assertEqual(stays[1].entry_move_type, "automatic")

    def test_days_in_each_stage_finished_stays(self):
        days = self.days_by_stage([("date_end", "!=", False)])
        # prospects: alice 10, gina 30, hank 2
        self.assertDays(days[self.rungs["prospect"]], (3, 14.0, 10.0))
        self.assertDays(days[self.rungs["first_time"]], (1, 30.0, 30.0))
        self.assertDays(days[self.rungs["client"]], (1, 10.0, 10.0))
        self.assertDays(days[self.rungs["member"]], (1, 20.0, 20.0))
        self.assertNotIn(self.rungs["partner"], days)

    def test_days_in_each_stage_with_current_stays(self):
        days = self.days_by_stage()
        # prospects: alice 10, gina 30, hank 2 and carol still there after 70
        self.assertDays(days[self.rungs["prospect"]], (4, 28.0, 20.0))
        # first-time: alice 30; bob 80, frank 20, gina 15, hank 10 still there
        self.assertDays(days[self.rungs["first_time"]], (5, 31.0, 20.0))
        self.assertDays(days[self.rungs["partner"]], (1, 10.0, 10.0))

    def test_days_per_salesperson(self):
        rows = self.read_group(
            MODEL,
            [("stage_id", "=", self.rungs["prospect"].id)],
            ["user_id"],
            ["days:avg", "days_median:median"],
        )
        got = {user: (round(avg, 4), round(median, 4)) for user, avg, median in rows}
        # sales_1: alice 10, hank 2; sales_2: gina 30, carol 70 (ongoing)
        self.assertEqual(got, {self.sales_1: (6.0, 6.0), self.sales_2: (50.0, 50.0)})

    def test_stuck_customers(self):
        stuck = self.env[MODEL].search(
            [("company_id", "=", self.company.id), ("is_stuck", "=", True)]
        )
        # carol: prospect for 70 days (limit 60); bob: first-time for 80 (limit 25).
        # alice's 30 days as first-time customer are over: not stuck.
        self.assertEqual(stuck.partner_id, self.customers["carol"] | self.customers["bob"])
        Partner = self.env["res.partner"].with_user(self.user)
        in_company = [("company_id", "=", self.company.id)]
        self.assertEqual(
            Partner.search([("relationship_stuck", "=", True), *in_company]),
            self.customers["carol"] | self.customers["bob"],
        )
        self.assertEqual(
            Partner.search(
                [
                    ("relationship_stuck", "!=", True),
                    ("relationship_stage_id", "!=", False),
                    *in_company,
                ]
            ),
            Partner.browse(
                [c.id for name, c in self.customers.items() if name not in ("carol", "bob")]
            ),
        )
        carol = Partner.browse(self.customers["carol"].id)
        self.assertEqual((carol.relationship_stage_days, carol.relationship_stuck), (70, True))
        self.assertEqual(self.rungs["prospect"].stuck_count, 1)
        with self.assertRaises(UserError):
            Partner.search([("relationship_stuck", "in", [True])])

    def test_consultant_sets_the_stuck_limit(self):
        with Form(self.rungs["client"].with_user(self.manager)) as form:
            form.stuck_after_days = 20
        # alice has been a client for 30 days; dave's 10 days as a client are over
        self.assertEqual(
            self.env["res.partner"].search(
                [("relationship_stuck", "=", True), ("company_id", "=", self.company.id)]
            ),
            self.customers["carol"] | self.customers["bob"] | self.customers["alice"],
        )
        self.rungs["prospect"].stuck_after_days = 0
        self.assertNotIn(
            self.customers["carol"],
            self.env["res.partner"].search([("relationship_stuck", "=", True)]),
        )

    def test_top_rung_is_never_stuck_by_default(self):
        # the ladders that existed when the addon was installed
        ladder = self.Stage.search([("company_id", "=", self.env.ref("base.main_company").id)])
        self.assertEqual(ladder[-1].stuck_after_days, 0)
        self.assertEqual(set(ladder[:-1].mapped("stuck_after_days")), {180})
        # the ladders of new companies
        company = self.env["res.company"].create({"name": "Third Shop"})
        ladder = self.Stage.search([("company_id", "=", company.id)])
        self.assertEqual(ladder[-1].stuck_after_days, 0)
        self.assertEqual(set(ladder[:-1].mapped("stuck_after_days")), {180})

    def test_drill_into_a_customer(self):
        stay = (
            self.env[MODEL]
            .with_user(self.user)
            .search([("partner_id", "=", self.customers["carol"].id)])
        )
        action = stay.action_open_partner()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", self.customers["carol"].id)
        )
