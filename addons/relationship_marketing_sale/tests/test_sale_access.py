# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SaleCase


@tagged("post_install", "-at_install")
class TestSaleAccess(SaleCase):
    """Selling needs no relationship rights; reading purchases still does."""

    def test_a_salesperson_without_relationship_rights_sells(self):
        self.assertFalse(
            self.salesperson.has_group("relationship_marketing.group_relationship_user")
        )
        order = self.quotation(self.ada).with_user(self.salesperson)
        order.action_confirm()
        order._action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(self.purchase_of(order).state, "done")
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        with self.assertRaises(AccessError):
            self.env["relationship.purchase"].with_user(self.salesperson).search([]).read(
                ["amount"]
            )

    def test_a_relationship_user_reads_the_purchase_of_an_order(self):
        order = self.quotation(self.ada)
        order.action_confirm()
        purchase = self.purchase_of(order).with_user(self.user)
        self.assertEqual(purchase.name, order.name)
        self.assertEqual(purchase.user_id, self.salesperson)
