# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin
from odoo.addons.relationship_marketing_loyalty.tests.common import CardCase
from odoo.addons.relationship_marketing_sale.tests.common import SaleCase


@tagged("post_install", "-at_install")
class TestSaleRewardTour(ScreenshotTourMixin, CardCase, SaleCase, HttpCase):
    """A reward is redeemed on a sale order, clicked through: one balance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's programme, as its form makes it: 10 points an order, on this
        # order and the next, and 20 off for 100 points.
        cls.program.write(
            {
                "trigger": "auto",
                "applies_on": "both",
                "rule_ids": [
                    Command.clear(),
                    Command.create({"reward_point_mode": "order", "reward_point_amount": 10}),
                ],
            }
        )
        cls.program.reward_ids = [
            Command.clear(),
            Command.create(
                {
                    "reward_type": "discount",
                    "discount": 20,
                    "discount_mode": "per_order",
                    "required_points": 100,
                    "description": "Trail reward: 20 off",
                }
            ),
        ]
        cls.programme.action_switch_points_to_odoo()
        # Bob's purchases, recorded after the switch, earn 300 points on his card.
        cls.bob = cls.client("Bob Builder")
        cls.seller = new_test_user(
            cls.env,
            login="rm_reward_seller",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "relationship_marketing.group_relationship_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.env.flush_all()
        cls.env.cr.flush()
        cls.membership = cls.env["relationship.membership"].search(
            [("partner_id", "=", cls.bob.id), ("programme_id", "=", cls.programme.id)]
        )
        cls.card = cls.membership.loyalty_card_id

    def tour(self, url, name):
        self.start_tour(url, name, login=self.seller.login)

    def test_a_reward_redeemed_on_a_sale_order(self):
        self.assertEqual((self.card.points, self.membership.points), (300, 300))
        order = self.quotation(self.bob, user=self.seller)
        self.tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "relationship_sale_reward_tour",
        )
        self.assertEqual(order.state, "sale")
        self.assertAlmostEqual(
            sum(order.order_line.filtered("is_reward_line").mapped("price_total")), -20.0
        )
        history = self.card.history_ids.filtered(
            lambda line: line.order_model == "sale.order" and line.order_id == order.id
        )
        self.assertEqual((history.used, history.issued), (100, 10))
        self.assertEqual(self.card.points, 210, "100 spent, 10 earned by the order")
        # The order's purchase counts in the figures, and earns nothing more on the card.
        self.assertEqual(self.purchase_of(order).state, "done")
        self.assertEqual(self.bob.relationship_order_count, 4)
        self.assertEqual(
            (self.membership.points, self.membership.tier_id, self.bob.relationship_loyalty_points),
            (210, self.gold, 210),
        )
        self.tour(
            f"/odoo/action-base.action_partner_form/{self.bob.id}",
            "relationship_sale_reward_balance_tour",
        )
