# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.relationship_marketing.tools.actions import form_action


class RelationshipPurchase(models.Model):
    """A purchase may be a confirmed sale order of Odoo's Sales app."""

    _inherit = "relationship.purchase"

    sale_order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        # only quotations and cancelled orders can be deleted: the purchase of
        # a cancelled order counts nothing and stays as history
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The confirmed sale order this purchase is; it follows the order.",
    )

    @api.depends("sale_order_id.name")
    def _compute_name(self):
        # "S00042" reads better than "odoo.sale/42" (the id keeps it unique)
        from_orders = self.filtered("sale_order_id")
        for purchase in from_orders:
            purchase.name = purchase.sale_order_id.name
        return super(RelationshipPurchase, self - from_orders)._compute_name()

    def action_open_sale_order(self):
        self.ensure_one()
        return form_action(self.sale_order_id)
