# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.relationship_marketing_sale.tests.common import SaleCase


@tagged("post_install", "-at_install")
class TestSaleMargin(SaleCase):
    def test_the_purchase_carries_the_margin_of_the_order(self):
        self.tent.standard_price = 120.0
        order = self.quotation(self.ada, qty=2)
        order.action_confirm()
        purchase = self.purchase_of(order)
        self.assertEqual(order.margin, 160.0)
        self.assertRecordValues(purchase, [{"amount": 400.0, "margin": 160.0}])
        order.order_line.purchase_price = 150.0
        self.assertEqual(purchase.margin, 100.0)
        self.assertEqual(purchase.margin_company, 100.0)
        # sold at a loss: no margin, never a negative one
        order.order_line.purchase_price = 250.0
        self.assertEqual(purchase.margin, 0.0)
