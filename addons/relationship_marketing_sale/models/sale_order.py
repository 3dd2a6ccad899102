# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from odoo.addons.relationship_marketing.tools.actions import form_action

# The source of the purchases that are sale orders (their external id is the
# order's id: a name can be edited or repeated, an id cannot).
SOURCE = "odoo.sale"
# What a purchase copies from its order; a write of any of them follows.
ORDER_FIELDS = {
    "state",
    "date_order",
    "partner_id",
    "currency_id",
    "pricelist_id",
    "user_id",
    "order_line",
    "amount_untaxed",
}
# The context key under which the order's own write follows its lines once.
FOLLOWED_LATER = "relationship_sale_follow_later"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    relationship_purchase_ids = fields.One2many(
        "relationship.purchase",
        "sale_order_id",
        string="Relationship Purchases",
        readonly=True,
        copy=False,
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
        # an order may be made confirmed (imports, other apps)
        orders.filtered(lambda order: order.state == "sale")._relationship_follow_orders()
        return orders

    def write(self, vals):
        if not vals.keys() & ORDER_FIELDS or self.env.context.get(FOLLOWED_LATER):
            return super().write(vals)
        # the lines written with the order are followed once, here
        result = super(SaleOrder, self.with_context(**{FOLLOWED_LATER: True})).write(vals)
        self._relationship_follow_orders()
        return result

    def _relationship_purchase_values(self):
        """What the purchase of this confirmed order holds (the sale margin
        bridge adds the margin)."""
        self.ensure_one()
        return {
            # a company's contacts buy for the company
            "partner_id": self.partner_id.commercial_partner_id.id,
            "date_order": self.date_order,
            # a down payment deducted in full can bring an order below zero
            "amount": max(self.amount_untaxed, 0.0),
            "currency_id": self.currency_id.id,
            "user_id": self.user_id.id,
            "state": "done",
        }

    def _relationship_follow_orders(self):
        """The purchases of these orders follow them, set-based (see
        ``relationship.purchase._relationship_follow_documents``).

        A confirmed order is a purchase of its commercial customer; a
        cancelled order, or one set back to quotation, cancels its purchase;
        confirming it again revives it. A quotation never confirmed is
        nothing.
        """
        if not self:
            return
        # The purchase follows the order whoever changes the order: a
        # salesperson needs no relationship rights to confirm a sale.
        self.env["relationship.purchase"].sudo()._relationship_follow_documents(
            self.sudo(),
            "sale_order_id",
            SOURCE,
            lambda order, _purchase: (
                order._relationship_purchase_values() if order.state == "sale" else None
            ),
            _("Sale orders"),
        )
