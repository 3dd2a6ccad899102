# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .sale_order import FOLLOWED_LATER

# The line values that make the order's untaxed amount (or its margin).
LINE_FIELDS = {
    "product_id",
    "product_uom_qty",
    "product_uom",
    "price_unit",
    "discount",
    "tax_id",
    "display_type",
    "purchase_price",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._relationship_follow_confirmed_orders()
        return lines

    def write(self, values):
        result = super().write(values)
        if values.keys() & LINE_FIELDS:
            self._relationship_follow_confirmed_orders()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        if not self.env.context.get(FOLLOWED_LATER):
            orders.exists().filtered(lambda o: o.state == "sale")._relationship_follow_orders()
        return result

    def _relationship_follow_confirmed_orders(self):
        """A line changed outside its order's form: the order's purchase follows
        (the order's own write follows its lines once, after them)."""
        if self.env.context.get(FOLLOWED_LATER):
            return
        self.order_id.filtered(lambda o: o.state == "sale")._relationship_follow_orders()
