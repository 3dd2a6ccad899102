# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from odoo.addons.relationship_marketing.tools.actions import form_action

# The source of the purchases that are POS orders (their external id is the
# order's id).
SOURCE = "odoo.pos"
# A POS order counts once it is paid: paid, posted with its session, or
# invoiced.
PAID_STATES = ("paid", "done", "invoiced")
# What a purchase copies from its order; a write of any of them follows.
ORDER_FIELDS = {
    "state",
    "date_order",
    "partner_id",
    "user_id",
    "session_id",
    "lines",
    "amount_total",
    "amount_tax",
}


class PosOrder(models.Model):
    _inherit = "pos.order"

    relationship_purchase_ids = fields.One2many(
        "relationship.purchase",
        "pos_order_id",
        string="Relationship Purchases",
        readonly=True,
        copy=False,
        # a read of every field by a cashier (the POS app) must not reach purchases
        groups="relationship_marketing.group_relationship_user",
    )
    relationship_purchase_count = fields.Integer(
        compute="_compute_relationship_purchase_count",
        compute_sudo=True,  # a count, shown to who may open the purchase
    )

    @api.depends("relationship_purchase_ids")
    def _compute_relationship_purchase_count(self):
        for order in self:
            order.relationship_purchase_count = len(order.relationship_purchase_ids)

    def action_open_relationship_purchase(self):
        self.ensure_one()
        return form_action(self.relationship_purchase_ids[:1])

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # an order may be created paid (imports, other apps)
        orders.filtered(lambda order: order.state in PAID_STATES)._relationship_follow_pos_orders()
        return orders

    def write(self, vals):
        if not vals.keys() & ORDER_FIELDS:
            return super().write(vals)
        result = super().write(vals)
        self._relationship_follow_pos_orders()
        return result

    def _relationship_untaxed(self):
        """The untaxed amount this order sold: the whole order, or for a refund
        order the lines that refund nothing (an exchange)."""
        self.ensure_one()
        refunds = self.lines.filtered("refunded_orderline_id")
        if not refunds:
            return self.amount_total - self.amount_tax
        return sum((self.lines - refunds).mapped("price_subtotal"))

    def _relationship_purchase_values(self):
        """What the purchase of this paid order holds."""
        self.ensure_one()
        return {
            # a company's contacts buy for the company; a ticket without a
            # customer is a sale on no customer
            "partner_id": self.partner_id.commercial_partner_id.id,
            "date_order": self.date_order,
            "amount": max(self.currency_id.round(self._relationship_untaxed()), 0.0),
            "currency_id": self.currency_id.id,
            "user_id": self.user_id.id,
            "state": "done",
        }

    def _relationship_follow_pos_orders(self):
        """The purchases of these POS orders follow them, set-based (see
        ``relationship.purchase._relationship_follow_documents``), with the
        refunds of the orders they give back.

        A paid order is a purchase of its commercial customer (of none for
        an anonymous ticket); a refund order is no purchase (but for the
        lines it sells besides) and raises the refunded amount of the
        purchases of the orders it refunds.
        """
        if not self:
            return
        # The purchase follows the order whoever pays it: a cashier needs no
        # relationship rights.
        orders = self.sudo()

        def values_of(order, purchase):
            if order.state not in PAID_STATES:
                return None
            vals = order._relationship_purchase_values()
            if not purchase and not vals["amount"] and order.lines.refunded_orderline_id:
                # a pure refund: no purchase, a refund of its orders
                return None
            return vals

        self.env["relationship.purchase"].sudo()._relationship_follow_documents(
            orders,
            "pos_order_id",
            SOURCE,
            values_of,
            _("POS orders"),
            # the purchases of the orders these refund orders give back
            refunds=lambda Purchase: Purchase.search(
                [("pos_order_id", "in", orders.lines.refunded_orderline_id.order_id.ids)]
            ),
        )
