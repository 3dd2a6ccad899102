# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter, defaultdict
from unittest.mock import patch

from odoo.tests import tagged

from .common import EVENTS, SCORES, DashboardCase

MODEL = "relationship.kpi.report"


@tagged("post_install", "-at_install")
class TestKpiReport(DashboardCase):
    def month(self, days_ago):
        return self.days_ago(days_ago).replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    def test_totals(self):
        [totals] = self.read_group(
            MODEL,
            [],
            [],
            [
                "sale_count:sum",
                "sales_amount:sum",
                "new_customer_count:sum",
                "entry_count:sum",
                "promotion_count:sum",
                "demotion_count:sum",
                "referral_count:sum",
                "score_count:sum",
                "satisfaction_score:avg",
                "promoter_count:sum",
                "detractor_count:sum",
                "inquiry_count:sum",
                "complaint_count:sum",
                "dissolution_count:sum",
                "won_back_count:sum",
                "at_risk_count:sum",
            ],
        )
        # 7 single orders of 100 and dave's 3 orders of 200; 6 buyers (carol never
        # bought); 7 customers entered the ladder; 8 moves up after entering
        # (alice 3, dave 3, gina 1, hank 1); frank was referred by dave;
        # scores 9, 10 and 2: two promoters, a detractor; two inquiries and a
        # complaint; frank's relationship ended and was won back; gina's low
        # score puts her at risk
        self.assertEqual(totals[:7], (10, 1300.0, 6, 7, 8, 0, 1))
        self.assertEqual(totals[7], 3)
        self.assertAlmostEqual(totals[8], 7.0)
        self.assertEqual(totals[9:], (2, 1, 2, 1, 1, 1, 1))

    def test_an_anonymous_sale_counts_in_the_sales_only(self):
        # a ticket of a point of sale without a customer
        self.env["relationship.purchase"].create(
            {
                "source": "odoo.pos",
                "external_id": "ticket-1",
                "company_id": self.company.id,
                "date_order": self.days_ago(1),
                "amount": 50.0,
            }
        )
        self.refresh_reports()
        [totals] = self.read_group(
            MODEL,
            [("kind", "=", "sale")],
            [],
            ["sale_count:sum", "sales_amount:sum", "new_customer_count:sum"],
        )
        # one sale more, no new customer (test_totals: 10, 1300.0, 6)
        self.assertEqual(totals, (11, 1350.0, 6))

    def test_sales_and_new_customers_per_month(self):
        expected = defaultdict(Counter)
        buyers = set()
        for days_ago, name, event, value in EVENTS:
            if event in ("buy", "buy3"):
                orders = 3 if event == "buy3" else 1
                expected[self.month(days_ago)]["orders"] += orders
                expected[self.month(days_ago)]["sales"] += orders * value
                if name not in buyers:
                    buyers.add(name)
                    expected[self.month(days_ago)]["new"] += 1
        rows = self.read_group(
            MODEL,
            [("kind", "=", "sale")],
            ["date:month"],
            ["sale_count:sum", "sales_amount:sum", "new_customer_count:sum"],
        )
        self.assertEqual(
            {month: (orders, sales, new) for month, orders, sales, new in rows},
            {
                month: (values["orders"], values["sales"], values["new"])
                for month, values in expected.items()
            },
        )

    def test_word_of_mouth_is_dated_by_the_referred_customers_first_purchase(self):
        rows = self.read_group(
            MODEL, [("referral_count", ">", 0)], ["partner_id", "date:day"], ["referral_count:sum"]
        )
        self.assertEqual(
            rows,
            [
                (
                    self.customers["dave"],
                    self.days_ago(20).replace(hour=0, minute=0, second=0, microsecond=0),
                    1,
                )
            ],
        )

    def test_a_move_down_is_counted(self):
        self.env["relationship.stage.backward"].with_user(self.user).create(
            {
                "partner_ids": self.customers["alice"].ids,
                "stage_id": self.rungs["repeat"].id,
                "reason": "Returned her order",
            }
        ).action_confirm()
        self.refresh_reports()
        [(moves_down,)] = self.read_group(MODEL, [], [], ["demotion_count:sum"])
        self.assertEqual(moves_down, 1)

    def test_indicators_per_salesperson(self):
        rows = self.read_group(
            MODEL, [], ["user_id"], ["sales_amount:sum", "new_customer_count:sum"]
        )
        self.assertEqual(
            {user: (sales, new) for user, sales, new in rows},
            {
                self.sales_1: (500.0, 3),  # alice 3 x 100, bob 100, hank 100
                self.sales_2: (700.0, 2),  # dave 3 x 200, gina 100
                self.env["res.users"]: (100.0, 1),  # frank
            },
        )

    def test_satisfaction_per_month(self):
        scores = defaultdict(list)
        for days_ago, _name, score in SCORES:
            scores[self.month(days_ago)].append(score)
        rows = self.read_group(
            MODEL, [("kind", "=", "satisfaction")], ["date:month"], ["satisfaction_score:avg"]
        )
        self.assertEqual(
            dict(rows), {month: sum(values) / len(values) for month, values in scores.items()}
        )
        # the other events do not drag the average down
        [(average,)] = self.read_group(MODEL, [], [], ["satisfaction_score:avg"])
        self.assertAlmostEqual(average, 7.0)

    def test_at_risk_dated_when_the_customer_went_at_risk(self):
        gina = self.customers["gina"]
        self.assertTrue(gina.relationship_at_risk)
        rows = self.env[MODEL].search(
            [("company_id", "=", self.company.id), ("kind", "=", "at_risk")]
        )
        self.assertEqual(rows.partner_id, gina)
        self.assertEqual(rows.date, self.days_ago(5))

    def test_complaints_and_won_back_per_customer(self):
        rows = self.read_group(
            MODEL,
            ["|", ("complaint_count", ">", 0), ("won_back_count", ">", 0)],
            ["partner_id"],
            ["complaint_count:sum", "won_back_count:sum", "dissolution_count:sum"],
        )
        self.assertEqual(
            {partner: values for partner, *values in rows},
            {self.customers["bob"]: [1, 0, 0], self.customers["frank"]: [0, 1, 0]},
        )

    def test_indicators_per_segment(self):
        rows = self.read_group(
            MODEL, [], ["segment_id"], ["sales_amount:sum", "referral_count:sum"]
        )
        self.assertEqual(
            {segment.name: (sales, referrals) for segment, sales, referrals in rows},
            # retail: alice 300, bob 100, frank 100; trade: dave 600, gina 100,
            # hank 100, and dave referred frank
            {"Retail": (500.0, 0), "Trade": (800.0, 1)},
        )

    def test_months_of_users_in_any_timezone(self):
        """The summaries per day and per hour give the months the events give."""
        Report = self.registry[MODEL]
        aggregates = ["sales_amount:sum", "new_customer_count:sum", "satisfaction_score:avg"]
        since = self.days_ago(60).strftime("%Y-%m-%d")
        for tz in ("UTC", "Europe/Brussels", "America/New_York", "Asia/Kolkata"):
            with self.subTest(tz=tz):
                Model = self.env[MODEL].with_user(self.user).with_context(tz=tz)
                args = ([("date", ">=", since)], ["date:month", "kind"], aggregates)
                with patch.object(Report, "_summary_models", ()):
                    from_rows = Model._read_group(*args)
                self.assertTrue(from_rows)
                self.assertEqual(Model._read_group(*args), from_rows)
