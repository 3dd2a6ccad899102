# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _relationship_from_other_document(self):
        # an invoice of a sale order is the order's purchase, counted once
        # (its credit notes give back part of the order's purchase, below);
        # a credit note of a down payment gives back no sale, only an advance
        return super()._relationship_from_other_document() | self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.line_ids.sale_line_ids
                or move.move_type == "out_refund"
                and (move | move.reversed_entry_id)._relationship_is_down_payment()
            )
        )

    def _relationship_is_down_payment(self):
        """Whether these moves' order lines are all down payments."""
        sale_lines = self.line_ids.sale_line_ids
        return bool(sale_lines) and all(sale_lines.mapped("is_downpayment"))

    def _relationship_refund_targets(self):
        """A credit note of an order (made from the order, or reversing one of
        its invoices) gives back part of the order's purchase."""
        targets = super()._relationship_refund_targets()
        rest = self.filtered(lambda move: move.id not in targets)
        orders_of = {
            move.id: (
                move.line_ids.sale_line_ids | move.reversed_entry_id.line_ids.sale_line_ids
            ).order_id.sorted("id")[:1]
            for move in rest
        }
        orders = self.env["sale.order"].browse(order.id for order in orders_of.values())
        if not orders:
            return targets
        by_order = {
            purchase.sale_order_id.id: purchase
            for purchase in self.env["relationship.purchase"]
            .sudo()
            .search([("sale_order_id", "in", orders.ids)])
        }
        for move_id, order in orders_of.items():
            if order.id in by_order:
                targets[move_id] = by_order[order.id]
        return targets
