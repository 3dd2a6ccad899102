# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common_depth import DepthCase


@tagged("post_install", "-at_install")
class TestRefunds(DepthCase):
    """Refunds and cancellations count wherever a user reads a figure.

    The rule: a cancelled order and an order refunded in full are no orders;
    revenue is net of refunds, and the margin drops by the refunded share.
    The ladder stays where it is (forward only) while the figures drop.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ada = cls.new_customer()

    def test_partial_refund_lowers_revenue_and_margin_not_the_orders(self):
        first, second = self.buy(self.ada, 20, 10, amount=200.0, margin=80.0)
        self.assertEqual(self.ada.relationship_revenue, 400.0)
        first.amount_refunded = 50.0
        self.assertEqual(first.amount_net_company, 150.0)
        # A quarter of the order came back: a quarter of its margin too.
        self.assertEqual(first.margin_net_company, 60.0)
        self.assertTrue(first.counts_as_order)
        self.assertEqual(self.ada.relationship_order_count, 2)
        self.assertEqual(self.ada.relationship_revenue, 350.0)
        self.assertEqual(self.ada.relationship_average_order, 175.0)
        self.assertEqual(self.ada.relationship_margin, 140.0)
        self.assertEqual(self.ada.relationship_margin_rate, 40.0)
        self.assertEqual(second.amount_net_company, 200.0)

    def test_full_refund_and_cancellation_are_no_orders(self):
        oldest, middle, newest = self.buy(self.ada, 30, 20, 10, amount=100.0, margin=30.0)
        oldest.amount_refunded = 100.0
        self.assertFalse(oldest.counts_as_order)
        self.assertEqual(self.ada.relationship_order_count, 2)
        self.assertEqual(self.ada.relationship_first_purchase, middle.date_order.date())
        newest.with_user(self.manager).action_cancel()
        self.assertEqual(newest.state, "cancel")
        self.assertEqual(
            (
                self.ada.relationship_order_count,
                self.ada.relationship_revenue,
                self.ada.relationship_margin,
                self.ada.relationship_last_purchase,
            ),
            (1, 100.0, 30.0, middle.date_order.date()),
        )
        # The nightly statement over every customer agrees with the ORM.
        self.assertFalse(self.env["res.partner"]._relationship_refresh_figures(self.company))

    def test_only_a_manager_cancels(self):
        purchase = self.buy(self.ada, 5)
        with self.assertRaises(AccessError):
            purchase.with_user(self.user).action_cancel()
        self.assertEqual(purchase.state, "done")
        self.assertEqual(self.ada.relationship_order_count, 1)

    def test_ladder_stays_forward_while_the_rungs_count_net(self):
        purchases = self.buy(self.ada, 30, 20)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)
        purchases[0].with_user(self.manager).action_cancel()
        self.assertEqual(self.ada.relationship_order_count, 1)
        self.assertEqual(
            self.ada.relationship_stage_id, self.stage_repeat, "a refund never moves down"
        )
        # A third order makes two that count: still no client (three a year).
        self.buy(self.ada, 10)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)
        refunded = self.buy(self.ada, 5)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_client)
        refunded.amount_refunded = refunded.amount
        self.assertEqual(self.ada.relationship_stage_id, self.stage_client)
        self.assertEqual(self.ada.relationship_order_count, 2)

    def test_revenue_criterion_counts_the_net_amount(self):
        self.stage_client.write({"min_order_count": 1, "min_revenue": 500.0})
        big = self.buy(self.ada, 10, amount=600.0)
        big.amount_refunded = 200.0
        self.buy(self.ada, 9, amount=50.0)
        # 450 net of the 650 bought: no client.
        self.assertEqual(self.ada.relationship_revenue, 450.0)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)
        self.buy(self.ada, 8, amount=50.0)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_client)

    def test_rfm_scores_and_top_customers_count_net(self):
        grace = self.new_customer("Grace Hopper")
        big = self.buy(self.ada, 30, 20, 10, amount=1000.0)
        self.buy(grace, 15, 5, amount=100.0)
        big[:2].with_user(self.manager).action_cancel()
        big[2].amount_refunded = 950.0
        Partner = self.env["res.partner"]
        Partner._relationship_refresh_scores(self.company)
        # One order and 50 left for Ada, two orders and 200 for Grace.
        self.assertEqual(self.ada.relationship_order_count, 1)
        self.assertLess(self.ada.relationship_frequency_score, grace.relationship_frequency_score)
        self.assertLess(self.ada.relationship_monetary_score, grace.relationship_monetary_score)
        self.company.relationship_pareto_share = 50
        Partner._relationship_refresh_pareto(self.company)
        self.assertFalse(self.ada.relationship_pareto)
        self.assertTrue(grace.relationship_pareto)

    def test_points_count_net(self):
        programme = self.Programme.create(
            {
                "name": "Trail Points",
                "kind": "frequency",
                "auto_enrol": True,
                "counts_for_ladder": False,
                "points_per_unit": 1.0,
                "qualifying_days": 365,
                "company_id": self.company.id,
                "tier_ids": [
                    (0, 0, {"name": "Bronze", "threshold": 0}),
                    (0, 0, {"name": "Silver", "threshold": 300}),
                ],
            }
        )
        first, second = self.buy(self.ada, 20, 10, amount=200.0)
        card = self.Membership.search([("programme_id", "=", programme.id)])
        self.assertEqual((card.points, card.tier_id.name), (400, "Silver"))
        first.amount_refunded = 150.0
        second.with_user(self.manager).action_cancel()
        self.assertEqual((card.points, card.tier_id.name), (50, "Bronze"))
        self.assertEqual(self.ada.relationship_loyalty_points, 50)

    def test_purchase_screens_show_state_and_refund(self):
        purchase = self.buy(self.ada, 3, amount=80.0)
        with Form(purchase.with_user(self.user)) as form:
            form.amount_refunded = 20.0
        self.assertEqual(purchase.amount_net_company, 60.0)
        self.assertEqual(self.ada.relationship_revenue, 60.0)
        search = self.env["relationship.purchase"].get_views([(False, "search")])
        arch = search["views"]["search"]["arch"]
        self.assertIn('name="filter_cancelled"', arch)
        purchase.with_user(self.manager).action_cancel()
        cancelled = self.env["relationship.purchase"].search(
            [("state", "=", "cancel"), ("partner_id", "=", self.ada.id)]
        )
        self.assertEqual(cancelled, purchase)
