# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _relationship_from_other_document(self):
        # the invoice of a POS order is the order's purchase, and the credit
        # note of a POS refund order is that order's refund: counted once, as
        # the orders (the cashier reads no invoice of the session: sudo)
        return super()._relationship_from_other_document() | self.filtered(
            lambda move: move.sudo().pos_order_ids
        )

    def _relationship_refund_targets(self):
        """A credit note made in Invoicing for the invoice of a POS order
        gives back part of the order's purchase."""
        targets = super()._relationship_refund_targets()
        order_of = {
            move.id: move.sudo().reversed_entry_id.pos_order_ids[:1]
            for move in self
            if move.id not in targets
        }
        orders = self.env["pos.order"].browse(order.id for order in order_of.values() if order)
        if not orders:
            return targets
        by_order = {
            purchase.pos_order_id.id: purchase
            for purchase in self.env["relationship.purchase"]
            .sudo()
            .search([("pos_order_id", "in", orders.ids)])
        }
        for move_id, order in order_of.items():
            if order.id in by_order:
                targets[move_id] = by_order[order.id]
        return targets
