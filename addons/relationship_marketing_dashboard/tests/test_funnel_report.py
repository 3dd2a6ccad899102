# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo.tests import tagged

from .common import DashboardCase

MODEL = "relationship.funnel.report"


@tagged("post_install", "-at_install")
class TestFunnelReport(DashboardCase):
    def by_rung(self, aggregates, domain=()):
        return {
            stage: values
            for stage, *values in self.read_group(MODEL, list(domain), ["stage_id"], aggregates)
        }

    def rung(self, name):
        return self.rungs[name]

    def test_customers_who_reached_each_rung(self):
        counts = self.by_rung(["customer_count:sum"])
        self.assertEqual(
            [(stage.name, values[0]) for stage, values in counts.items()],
            [
                ("Prospect", 7),
                ("First-time customer", 6),
                ("Repeat customer", 2),
                ("Client", 2),
                ("Member", 1),
                ("Advocate", 1),
                ("Partner", 1),
            ],
        )

    def test_jumping_over_a_rung_still_reaches_it(self):
        dave = self.customers["dave"]
        rows = self.env[MODEL].search([("partner_id", "=", dave.id)])
        self.assertEqual(rows.stage_id, self.Stage.browse([r.id for r in self.rungs.values()]))
        self.assertEqual(
            rows.filtered("skipped").stage_id,
            self.rung("prospect") | self.rung("first_time") | self.rung("repeat"),
        )
        self.assertEqual(rows.filtered("is_current").stage_id, self.rung("partner"))

    def test_conversion_from_each_rung_to_the_next(self):
        rates = self.by_rung(["conversion_rate:avg", "converted_count:sum"])
        expected = {
            "prospect": (6 / 7 * 100, 6),
            "first_time": (2 / 6 * 100, 2),
            "repeat": (100.0, 2),
            "client": (50.0, 1),
            "member": (100.0, 1),
            "advocate": (100.0, 1),
        }
        for name, (rate, converted) in expected.items():
            with self.subTest(rung=name):
                self.assertAlmostEqual(rates[self.rung(name)][0], rate, places=6)
                self.assertEqual(rates[self.rung(name)][1], converted)
        self.assertFalse(rates[self.rung("partner")][0], "nothing above the top rung")

    def test_conversion_from_prospect_to_partner(self):
        rates = self.by_rung(["top_rate:avg"])
        self.assertAlmostEqual(rates[self.rung("prospect")][0], 100 / 7, places=6)
        self.assertAlmostEqual(rates[self.rung("first_time")][0], 100 / 6, places=6)
        self.assertAlmostEqual(rates[self.rung("partner")][0], 100.0)

    def test_days_between_rungs_average_and_median(self):
        days = self.by_rung(["days_to_next:avg", "days_to_next_median:median"])
        # prospect -> first-time: alice 10 days, gina 30, hank 2; the others
        # jumped over the prospect rung or never bought
        self.assertAlmostEqual(days[self.rung("prospect")][0], 14.0, places=4)
        self.assertAlmostEqual(days[self.rung("prospect")][1], 10.0, places=4)
        # first-time -> repeat: alice only (dave jumped over first-time)
        self.assertAlmostEqual(days[self.rung("first_time")][0], 30.0, places=4)
        self.assertAlmostEqual(days[self.rung("client")][1], 10.0, places=4)
        self.assertAlmostEqual(days[self.rung("member")][1], 20.0, places=4)
        self.assertFalse(days[self.rung("partner")][0])

    def test_days_to_reach_a_rung_from_entering_the_ladder(self):
        days = self.by_rung(["days_to_reach:avg"])
        # alice 10, bob 0, dave 0, frank 0, gina 30, hank 2
        self.assertAlmostEqual(days[self.rung("first_time")][0], 7.0, places=4)

    def test_conversion_per_salesperson(self):
        rows = self.read_group(
            MODEL,
            [("stage_id", "=", self.rung("prospect").id)],
            ["user_id"],
            ["conversion_rate:avg", "customer_count:sum"],
        )
        self.assertEqual(
            {user: (round(rate, 2), count) for user, rate, count in rows},
            {
                self.sales_1: (100.0, 3),  # alice, bob, hank
                self.sales_2: (66.67, 3),  # carol stays a prospect
                self.env["res.users"]: (100.0, 1),  # frank
            },
        )

    def test_conversion_per_segment(self):
        rows = self.read_group(
            MODEL,
            [("stage_id", "=", self.rung("prospect").id)],
            ["segment_id"],
            ["conversion_rate:avg", "top_rate:avg"],
        )
        self.assertEqual(
            {segment.name: (round(rate, 2), round(top, 2)) for segment, rate, top in rows},
            # retail: alice, bob, frank bought, carol did not; trade: all three
            # bought and dave went to the top
            {"Retail": (75.0, 0.0), "Trade": (100.0, 33.33)},
        )

    def test_conversion_per_cohort_and_per_period(self):
        converted_to_repeat = {
            "alice": True,
            "bob": False,
            "dave": True,
            "frank": False,
            "gina": False,
            "hank": False,
        }
        first_purchase = {"alice": 90, "bob": 80, "dave": 50, "frank": 20, "gina": 15, "hank": 10}
        expected = defaultdict(list)
        for name, converted in converted_to_repeat.items():
            month = self.days_ago(first_purchase[name]).date().replace(day=1)
            expected[month].append(100.0 if converted else 0.0)
        for groupby in ("cohort_date:month", "reached_date:month"):
            with self.subTest(groupby=groupby):
                rows = self.read_group(
                    MODEL,
                    [("stage_id", "=", self.rung("first_time").id)],
                    [groupby],
                    ["conversion_rate:avg"],
                )
                # first purchases are when they reached first-time customer
                self.assertEqual(
                    {
                        (month.date() if hasattr(month, "date") else month): rate
                        for month, rate in rows
                    },
                    {month: sum(rates) / len(rates) for month, rates in expected.items()},
                )

    def test_history_not_todays_stage(self):
        """A customer set back by hand keeps the rungs it reached."""
        alice = self.customers["alice"]
        self.env["relationship.stage.backward"].with_user(self.user).create(
            {"partner_ids": alice.ids, "stage_id": self.rung("prospect").id, "reason": "Test"}
        ).action_confirm()
        self.refresh_reports()
        counts = self.by_rung(["customer_count:sum", "conversion_rate:avg"])
        self.assertEqual(counts[self.rung("client")][0], 2)
        self.assertAlmostEqual(counts[self.rung("prospect")][1], 6 / 7 * 100, places=6)
        current = self.env[MODEL].search([("partner_id", "=", alice.id), ("is_current", "=", True)])
        self.assertEqual(current.stage_id, self.rung("prospect"))
        self.assertEqual(
            self.env[MODEL].search([("partner_id", "=", alice.id)]).current_stage_id,
            self.rung("prospect"),
        )

    def test_a_rung_added_mid_ladder_is_not_reached_from_above(self):
        """A rung added between two rungs later: the customers who stood above
        it before it existed never met its criteria and did not reach it; a
        move recorded after it exists reaches it like any rung below."""
        loyal = self.Stage.create(
            {
                "name": "Loyal customer",
                "sequence": 35,  # between repeat customer (30) and client (40)
                "company_id": self.company.id,
                "min_order_count": 10,
            }
        )
        # the scenario's moves were recorded before the rung was added
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE relationship_stage_history SET create_date = %s WHERE company_id = %s",
            [loyal.create_date - timedelta(hours=1), self.company.id],
        )
        self.refresh_reports()
        counts = self.by_rung(["customer_count:sum"])
        self.assertNotIn(loyal, counts, "alice and dave are clients, but never met it")
        self.assertEqual(counts[self.rung("client")][0], 2)
        self.assertEqual(
            self.by_rung(["conversion_rate:avg"])[self.rung("repeat")][0],
            0.0,
            "the rung above the repeat customers is now the new one, which nobody reached",
        )
        # bob is set to client by hand now: he jumped over the new rung
        bob = self.customers["bob"]
        bob.with_user(self.user).write({"relationship_stage_id": self.rung("client").id})
        self.refresh_reports()
        rows = self.env[MODEL].search([("partner_id", "=", bob.id), ("stage_id", "=", loyal.id)])
        self.assertEqual((len(rows), rows.skipped), (1, True))
        self.assertEqual(self.by_rung(["customer_count:sum"])[loyal][0], 1)

    def test_web_client_reads_the_median(self):
        """The pivot asks for ``field:aggregator``; the median is one of them."""
        Report = self.env[MODEL].with_user(self.user)
        self.assertEqual(
            Report.fields_get(["days_to_next_median"])["days_to_next_median"]["aggregator"],
            "median",
        )
        groups = Report.read_group(
            [("company_id", "=", self.company.id), ("stage_id", "=", self.rung("prospect").id)],
            ["days_to_next_median:median", "days_to_next:avg"],
            ["stage_id"],
        )
        self.assertAlmostEqual(groups[0]["days_to_next_median"], 10.0, places=4)
        self.assertAlmostEqual(groups[0]["days_to_next"], 14.0, places=4)

    def test_drill_into_a_customer(self):
        row = (
            self.env[MODEL]
            .with_user(self.user)
            .search(
                [
                    ("partner_id", "=", self.customers["gina"].id),
                    ("stage_id", "=", self.rung("prospect").id),
                ]
            )
        )
        action = row.action_open_partner()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", self.customers["gina"].id)
        )

    def test_median_of_numbers_only(self):
        with self.assertRaises(ValueError):
            self.env[MODEL]._read_group([], ["stage_id"], ["partner_id:median"])
