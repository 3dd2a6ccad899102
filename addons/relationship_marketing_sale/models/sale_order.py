# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from odoo.addons.relationship_marketing.tools.batch import write_each

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
        return {
            "type": "ir.actions.act_window",
            "res_model": "relationship.purchase",
            "res_id": self.relationship_purchase_ids[:1].id,
            "view_mode": "form",
        }

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
        """The purchases of these orders follow them, set-based: one search,
        one ``create`` of the new purchases, one write per set of values, and
        one recomputation of all the customers touched, on the path that
        ingestion uses.

        A confirmed order is a purchase of its commercial customer; a
        cancelled order, or one set back to quotation, cancels its purchase;
        confirming it again revives it. A quotation never confirmed is
        nothing.
        """
        if not self:
            return
        # The purchase follows the order whoever changes the order: a
        # salesperson needs no relationship rights to confirm a sale.
        orders = self.sudo()
        Purchase = (
            self.env["relationship.purchase"]
            .sudo()
            .with_context(relationship_ingest=True, tracking_disable=True)
        )
        existing = {
            purchase.sale_order_id.id: purchase
            for purchase in Purchase.search([("sale_order_id", "in", orders.ids)])
        }
        to_create, to_write = [], {}
        for order in orders:
            purchase = existing.get(order.id)
            if order.state == "sale":
                vals = order._relationship_purchase_values()
            elif purchase:
                vals = {"state": "cancel"}
            else:
                continue
            if purchase is None:
                to_create.append(
                    dict(
                        vals,
                        source=SOURCE,
                        external_id=str(order.id),
                        company_id=order.company_id.id,
                        sale_order_id=order.id,
                    )
                )
            elif Purchase._purchase_differs(purchase, vals):
                to_write[purchase.id] = vals
        if not (to_create or to_write):
            return
        before = Purchase.browse(list(to_write)).partner_id
        created = Purchase.create(to_create)
        updated = write_each(Purchase, to_write)
        # an order written down below what its credit notes gave back
        updated._relationship_update_refunds()
        # customers who lost a purchase get their figures again; the stages
        # only move forward, so only the buyers advance
        buyers = created.partner_id | updated.partner_id
        reason = _("Sale orders")
        (before | buyers)._relationship_refresh_depth(reason=reason, purchased=True)
        buyers._relationship_advance_stages(reason=reason, purchased=True)
