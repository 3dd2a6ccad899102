# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin

from .common import CardCase


@tagged("post_install", "-at_install")
class TestLoyaltyTour(ScreenshotTourMixin, CardCase, HttpCase):
    """Points of the loyalty card are spent on a reward, clicked through."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.programme.action_switch_points_to_odoo()
        # Bob joins with his first purchase; his purchases, recorded after the
        # switch, earn 300 points on the card he gets
        cls.bob = cls.client("Bob Builder")
        cls.env.flush_all()
        cls.env.cr.flush()
        cls.membership = cls.env["relationship.membership"].search(
            [("partner_id", "=", cls.bob.id), ("programme_id", "=", cls.programme.id)]
        )

    def test_a_reward_spends_the_card_points(self):
        self.assertEqual((self.membership.points, self.membership.tier_id), (300, self.gold))
        self.assertEqual(self.membership.loyalty_card_id.points, 300)
        self.start_tour(
            f"/odoo/action-relationship_marketing.relationship_membership_action/{self.membership.id}",
            "relationship_loyalty_reward_tour",
            login=self.manager.login,
        )
        self.assertEqual(
            (self.membership.points, self.membership.qualifying_points, self.membership.tier_id),
            (50, 300, self.gold),
        )
        self.assertEqual(self.bob.relationship_loyalty_points, 50)
