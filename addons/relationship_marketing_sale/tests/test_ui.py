# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin

from .common import SaleCase


@tagged("post_install", "-at_install")
class TestSaleTour(ScreenshotTourMixin, SaleCase, HttpCase):
    """A salesperson confirms a quotation and sees the customer's rung change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the salesperson follows the relationship of the customers too
        cls.salesperson.groups_id += cls.env.ref("relationship_marketing.group_relationship_user")
        cls.salesperson.tz = "UTC"
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.ada.id,
                "company_id": cls.company.id,
                "user_id": cls.salesperson.id,
                "order_line": [Command.create({"product_id": cls.tent.id})],
            }
        )

    def test_confirming_a_quotation_moves_the_customer(self):
        self.assertFalse(self.ada.relationship_stage_id)
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{self.order.id}",
            "relationship_sale_confirm_tour",
            login=self.salesperson.login,
        )
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        self.assertEqual(self.purchase_of(self.order).user_id, self.salesperson)
