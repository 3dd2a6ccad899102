# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.relationship_marketing.tools.actions import form_action

from .pos_order import PAID_STATES


class RelationshipPurchase(models.Model):
    """A purchase may be a paid order of Odoo's Point of Sale."""

    _inherit = "relationship.purchase"

    pos_order_id = fields.Many2one(
        "pos.order",
        string="POS Order",
        index="btree_not_null",
        # a paid POS order cannot be deleted: only a draft or cancelled one
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The paid POS order this purchase is; it follows the order.",
    )

    @api.depends("pos_order_id.name")
    def _compute_name(self):
        # "Shop/0042" reads better than "odoo.pos/42" (the id keeps it unique)
        from_orders = self.filtered("pos_order_id")
        for purchase in from_orders:
            purchase.name = purchase.pos_order_id.name
        return super(RelationshipPurchase, self - from_orders)._compute_name()

    def action_open_pos_order(self):
        self.ensure_one()
        return form_action(self.pos_order_id)

    def _relationship_document_refunds(self):
        """Besides credit notes, the paid POS refund orders give back their
        refunded lines (untaxed) of the orders these purchases are."""
        totals = super()._relationship_document_refunds()
        from_orders = self.filtered("pos_order_id")
        if not from_orders:
            return totals
        by_order = {purchase.pos_order_id.id: purchase for purchase in from_orders}
        lines = (
            self.env["pos.order.line"]
            .sudo()
            .search(
                [
                    ("refunded_orderline_id.order_id", "in", list(by_order)),
                    ("order_id.state", "in", PAID_STATES),
                ]
            )
        )
        for line in lines:
            purchase = by_order[line.refunded_orderline_id.order_id.id]
            # a POS refund is in the currency of its point of sale, as its order
            totals[purchase.id] += -line.price_subtotal
        return totals
