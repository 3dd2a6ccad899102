# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import tagged

from odoo.addons.relationship_marketing_loyalty.tests.common import CardCase
from odoo.addons.relationship_marketing_sale.tests.common import SaleCase

FROM_OTHER_SYSTEMS = "Purchases from other systems"


@tagged("post_install", "-at_install")
class TestSalePoints(CardCase, SaleCase):
    """Odoo's loyalty rules reward a sale order; its purchase earns nothing more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.programme.action_switch_points_to_odoo()
        cls.programme.card_earns_purchases = True
        cls.bob = cls.client("Bob Builder")

    def test_a_sale_order_earns_once_a_webshop_order_on_the_card(self):
        card = self.card(self.bob, points=30)
        self.end_transaction()
        membership = self.membership_of(self.bob)
        earned = membership.card_points_from_purchases
        lines_before = card.history_ids
        order = self.quotation(self.bob, qty=2)
        order.action_confirm()
        self.end_transaction()
        purchase = self.purchase_of(order)
        self.assertEqual((purchase.state, purchase.amount), ("done", 400.0))
        self.assertEqual(self.bob.relationship_order_count, 4, "the sale counts in the figures")
        new_lines = card.history_ids - lines_before
        self.assertFalse(new_lines.filtered(lambda h: h.description == FROM_OTHER_SYSTEMS))
        self.assertEqual(membership.card_points_from_purchases, earned)
        # an order from another system still earns at the programme's rate
        self.env["relationship.purchase"].create(
            {
                "partner_id": self.bob.id,
                "source": "webshop",
                "external_id": "B-web",
                "date_order": fields.Datetime.now(),
                "amount": 100.0,
            }
        )
        self.end_transaction()
        self.assertEqual(membership.card_points_from_purchases, earned + 100)
        new_lines = card.history_ids - lines_before
        lines = new_lines.filtered(lambda h: h.description == FROM_OTHER_SYSTEMS)
        self.assertEqual(lines.mapped("issued"), [100])
