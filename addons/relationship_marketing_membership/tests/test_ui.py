# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin

from .common import ClubCase


@tagged("post_install", "-at_install")
class TestMembershipTour(ScreenshotTourMixin, ClubCase, HttpCase):
    """A customer pays a club fee and becomes a Member, clicked through."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.club.action_switch_to_odoo_memberships()
        cls.env.user.tz = "UTC"
        cls.membership = cls.env["relationship.membership"].create(
            {"partner_id": cls.ada.id, "programme_id": cls.club.id}
        )

    def test_a_paid_fee_makes_a_member(self):
        self.start_tour(
            f"/odoo/action-relationship_marketing.relationship_membership_action/{self.membership.id}",
            "relationship_membership_fee_tour",
            login=self.env.user.login,
        )
        self.assertEqual(
            (self.membership.state, self.membership.odoo_membership_state), ("active", "paid")
        )
        self.assertEqual(self.ada.relationship_stage_id, self.stage_of["member"])
        self.assertIn(self.membership.invoice_id.payment_state, ("paid", "in_payment"))
