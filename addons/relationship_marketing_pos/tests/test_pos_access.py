# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PosCase


@tagged("post_install", "-at_install")
class TestPosAccess(PosCase):
    """Selling at the till needs no relationship rights; reading purchases still does."""

    def test_a_cashier_without_relationship_rights_sells_and_refunds(self):
        self.assertFalse(self.cashier.has_group("relationship_marketing.group_relationship_user"))
        order = self.sell(qty=2, customer=self.ada)
        self.sell(qty=1, customer=self.ada, refund_of=order)
        self.assertRecordValues(
            self.purchase_of(order), [{"state": "done", "amount": 400.0, "amount_refunded": 200.0}]
        )
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        with self.assertRaises(AccessError):
            self.env["relationship.purchase"].with_user(self.cashier).search([]).read(["amount"])

    def test_a_relationship_user_reads_the_purchase_of_an_order(self):
        order = self.sell(customer=self.ada)
        purchase = self.purchase_of(order).with_user(self.user)
        self.assertEqual(purchase.name, order.name)
        self.assertEqual(purchase.user_id, self.cashier)
