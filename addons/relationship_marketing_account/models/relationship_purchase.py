# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare

from odoo.addons.relationship_marketing.tools.actions import form_action
from odoo.addons.relationship_marketing.tools.batch import write_each


class RelationshipPurchase(models.Model):
    """A purchase may be a posted customer invoice of Odoo's Invoicing app;
    any purchase of an Odoo document may be lowered by credit notes."""

    _inherit = "relationship.purchase"

    invoice_id = fields.Many2one(
        "account.move",
        index="btree_not_null",
        # a posted invoice cannot be deleted: only a draft or cancelled one,
        # whose purchase counts nothing and stays as history
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The posted customer invoice this purchase is; it follows the invoice.",
    )
    refund_move_ids = fields.One2many(
        "account.move",
        "relationship_refunded_purchase_id",
        string="Credit Notes",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice",
        help="The credit notes that give back part of this purchase.",
    )
    refund_move_count = fields.Integer(
        string="Credit Note Count",
        compute="_compute_refund_move_count",
        compute_sudo=True,  # a count, shown to who may open the credit notes
        groups="account.group_account_invoice",
    )

    @api.depends("refund_move_ids")
    def _compute_refund_move_count(self):
        for purchase in self:
            purchase.refund_move_count = len(purchase.refund_move_ids)

    @api.depends("invoice_id.name")
    def _compute_name(self):
        # "INV/2026/00042" reads better than "odoo.account/42"
        from_invoices = self.filtered("invoice_id")
        for purchase in from_invoices:
            purchase.name = purchase.invoice_id.name
        return super(RelationshipPurchase, self - from_invoices)._compute_name()

    def action_open_invoice(self):
        self.ensure_one()
        return form_action(self.invoice_id)

    def action_open_refund_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Notes"),
            "res_model": "account.move",
            "domain": [("id", "in", self.refund_move_ids.ids)],
            "view_mode": "list,form",
        }

    def _relationship_document_refunds(self):
        """``{purchase id: amount}``: what the Odoo documents give back of
        these purchases, in each purchase's currency; here their posted credit
        notes (bridges add their own returns, e.g. POS refund orders)."""
        totals = defaultdict(float)
        notes = (
            self.env["account.move"]
            .sudo()
            .search(
                [("relationship_refunded_purchase_id", "in", self.ids), ("state", "=", "posted")]
            )
        )
        for note in notes:
            purchase = note.relationship_refunded_purchase_id
            if note.currency_id == purchase.currency_id:
                amount = note.amount_untaxed
            else:
                # a credit note in another currency than its purchase: its
                # company amount at its date (rare: one rate read per note)
                amount = note.company_currency_id._convert(
                    abs(note.amount_untaxed_signed),
                    purchase.currency_id,
                    note.company_id,
                    note.invoice_date or note.date,
                )
            totals[purchase.id] += amount
        return totals

    def _relationship_update_refunds(self):
        """Set the refunded amount of these purchases of Odoo documents to what
        their documents give back, at most their amount; return the purchases
        whose refunded amount changed (written with one write per value)."""
        if not self:
            return self
        totals = self._relationship_document_refunds()
        to_write = {}
        for purchase in self:
            refunded = purchase.currency_id.round(
                min(totals.get(purchase.id, 0.0), purchase.amount)
            )
            if float_compare(
                refunded, purchase.amount_refunded, precision_rounding=purchase.currency_id.rounding
            ):
                to_write[purchase.id] = {"amount_refunded": refunded}
        return write_each(self, to_write)
