# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common_depth import DepthCase


@tagged("post_install", "-at_install")
class TestTrueDates(DepthCase):
    """Every move a purchase causes is dated at that purchase, whatever the
    order the purchases arrive in; moves by hand keep their moment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.points = cls.Programme.create(
            {
                "name": "Trail Points",
                "kind": "frequency",
                "auto_enrol": True,
                "counts_for_ladder": False,
                "points_per_unit": 1.0,
                "qualifying_days": 365,
                "company_id": cls.company.id,
                "tier_ids": [(0, 0, {"name": "Silver", "threshold": 200})],
            }
        )

    def setUp(self):
        super().setUp()
        # Whole seconds, as the rows carry them.
        self.now = fields.Datetime.now().replace(microsecond=0)

    def ago(self, days):
        return self.now - timedelta(days=days)

    def rows(self, *days_ago, customer="C-1"):
        return [
            self.row(
                f"{customer}-{days}",
                customer_id=customer,
                email=f"{customer.lower()}@example.com",
                name=f"Customer {customer}",
                order_date=fields.Datetime.to_string(self.ago(days)),
            )
            for days in days_ago
        ]

    def customer(self, customer="C-1"):
        return self.env["res.partner"].search([("email", "=", f"{customer.lower()}@example.com")])

    def stage_moves(self, partner):
        return [
            (move.stage_to_id, move.date, move.move_type)
            for move in partner.relationship_stage_history_ids.sorted(lambda m: (m.date, m.id))
        ]

    def phase_moves(self, partner):
        return [
            (move.phase_to, move.date)
            for move in partner.relationship_phase_history_ids.sorted(lambda m: (m.date, m.id))
        ]

    def assertNear(self, actual, expected):
        self.assertLess(abs(actual - expected), timedelta(minutes=5), f"{actual} != {expected}")

    def assertThreeYearHistory(self, ada):
        """The moves of the orders 1000, 800, 300, 200 and 100 days ago."""
        # Client is three orders within a year: true at the 5th order only.
        # (Prospect and First-time at the same moment are one move.)
        self.assertEqual(
            self.stage_moves(ada),
            [
                (self.stage_first_time, self.ago(1000), "automatic"),
                (self.stage_repeat, self.ago(800), "automatic"),
                (self.stage_client, self.ago(100), "automatic"),
            ],
        )
        self.assertEqual(ada.relationship_stage_date, self.ago(100))
        phases = self.phase_moves(ada)
        self.assertEqual(
            [phase for phase, _date in phases], ["awareness", "expansion", "commitment"]
        )
        self.assertEqual(phases[0][1], self.ago(1000))
        self.assertEqual(phases[1][1], self.ago(800))
        # Committed: four orders, a year of buying, in both steady windows.
        self.assertNear(phases[2][1], self.ago(180))
        self.assertNear(ada.relationship_phase_date, self.ago(180))

    def test_a_three_year_export_in_one_batch(self):
        self.ingest(self.rows(1000, 800, 300, 200, 100))
        ada = self.customer()
        self.assertThreeYearHistory(ada)
        card = self.Membership.search([("partner_id", "=", ada.id)])
        self.assertEqual(card.date_start, self.ago(1000).date(), "enrolled at the first order")
        # Silver is 200 points within the year: the 2nd order of the year.
        self.assertEqual(
            [(c.tier_to_id.name, c.date) for c in card.tier_change_ids],
            [("Silver", self.ago(200))],
        )

    def test_an_old_order_pushed_after_a_newer_one(self):
        self.ingest(self.rows(10))
        ada = self.customer()
        self.assertEqual(ada.relationship_stage_id, self.stage_first_time)
        self.assertEqual(ada.relationship_stage_date, self.ago(10))
        self.ingest(self.rows(400))
        # Repeat with the 2nd order by date; the first order is older than
        # the First-time move logged: its line moves back to it.
        self.assertEqual(
            self.stage_moves(ada),
            [
                (self.stage_first_time, self.ago(400), "automatic"),
                (self.stage_repeat, self.ago(10), "automatic"),
            ],
        )
        self.assertEqual(ada.relationship_first_purchase, self.ago(400).date())

    def test_newest_orders_first_in_separate_batches_give_the_same_history(self):
        """The export of test_a_three_year_export_in_one_batch, newest first,
        two orders per batch: the moves already logged are dated again as the
        older orders arrive, also when they move the customer no further."""
        for pair in ((200, 100), (800, 300), (1000,)):
            self.ingest(self.rows(*pair))
        self.assertThreeYearHistory(self.customer())

    def test_purchases_entered_one_by_one_date_each_move(self):
        ada = self.new_customer()
        self.buy(ada, 90)
        self.buy(ada, 60)
        self.buy(ada, 30)
        self.assertEqual(
            [(stage, date.date()) for stage, date, _type in self.stage_moves(ada)],
            [
                (self.stage_first_time, self.ago(90).date()),
                (self.stage_repeat, self.ago(60).date()),
                (self.stage_client, self.ago(30).date()),
            ],
        )
        self.assertEqual(
            [(phase, date.date()) for phase, date in self.phase_moves(ada)],
            [("awareness", self.ago(90).date()), ("expansion", self.ago(60).date())],
        )

    def test_moves_by_hand_keep_now_and_bound_the_automatic_ones(self):
        ada = self.new_customer(email="c-1@example.com")
        ada.with_user(self.user).relationship_stage_id = self.stage_first_time
        manual = ada.relationship_stage_history_ids
        self.assertNear(manual.date, self.now)
        self.assertEqual(manual.move_type, "manual")
        self.ingest(self.rows(50, 40))
        repeat = ada.relationship_stage_history_ids - manual
        self.assertEqual(repeat.stage_to_id, self.stage_repeat)
        self.assertGreaterEqual(repeat.date, manual.date, "not before the move by hand")
        self.assertEqual(ada.relationship_phase, "expansion")

    def test_a_back_fill_after_an_exploration_dates_the_purchases(self):
        ada = self.new_customer(email="c-1@example.com")
        ada._relationship_refresh_phases()
        self.assertEqual(ada.relationship_phase, "exploration")
        self.ingest(self.rows(70, 60))
        phases = self.phase_moves(ada)
        self.assertEqual(
            [phase for phase, _date in phases], ["exploration", "awareness", "expansion"]
        )
        self.assertEqual([date for _phase, date in phases[1:]], [self.ago(70), self.ago(60)])
        self.assertLessEqual(phases[0][1], self.ago(70), "exploration ends at the first order")
