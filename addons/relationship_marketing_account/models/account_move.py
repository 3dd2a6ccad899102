# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

from odoo import _, api, fields, models

from odoo.addons.relationship_marketing.tools.actions import form_action

# The source of the purchases that are invoices (their external id is the
# invoice's id: a number is given at posting and may be reset).
SOURCE = "odoo.account"
# The moves this bridge follows: customer invoices and their credit notes.
MOVE_TYPES = ("out_invoice", "out_refund")
# What a purchase (or a refund) copies from its move; a write of any of them
# follows. The lines of a posted move cannot change: it is reset to draft
# first, which writes its state.
MOVE_FIELDS = {
    "state",
    "move_type",
    "invoice_date",
    "date",
    "partner_id",
    "currency_id",
    "invoice_user_id",
    "reversed_entry_id",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    relationship_purchase_ids = fields.One2many(
        "relationship.purchase",
        "invoice_id",
        string="Relationship Purchases",
        readonly=True,
        copy=False,
        # a read of every field by an invoicing user must not reach purchases
        groups="relationship_marketing.group_relationship_user",
    )
    relationship_refunded_purchase_id = fields.Many2one(
        "relationship.purchase",
        string="Refunded Purchase",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        groups="relationship_marketing.group_relationship_user",
        help="The purchase this posted credit note gives back part of: the purchase "
        "of the invoice it reverses (or of that invoice's order), else the "
        "customer's latest purchase from an Odoo document at its date.",
    )
    relationship_purchase_count = fields.Integer(
        compute="_compute_relationship_purchase_count",
        compute_sudo=True,  # a count, shown to who may open the purchase
    )

    @api.depends("relationship_purchase_ids", "relationship_refunded_purchase_id")
    def _compute_relationship_purchase_count(self):
        for move in self:
            move.relationship_purchase_count = len(
                move.relationship_purchase_ids | move.relationship_refunded_purchase_id
            )

    def action_open_relationship_purchase(self):
        self.ensure_one()
        return form_action(
            self.relationship_purchase_ids[:1] or self.relationship_refunded_purchase_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        # a move may be created posted (imports, other apps)
        moves.filtered(lambda move: move.state == "posted")._relationship_follow_moves()
        return moves

    def write(self, vals):
        if not vals.keys() & MOVE_FIELDS:
            return super().write(vals)
        result = super().write(vals)
        self._relationship_follow_moves()
        return result

    def _relationship_from_other_document(self):
        """The moves of ``self`` that another bridge's document counts (the
        invoice of a sale order, of a POS order...): this bridge counts them
        neither as purchases nor as refunds. Bridges extend it."""
        return self.browse()

    def _relationship_refund_targets(self):
        """``{credit note id: purchase}``: the purchase each credit note of
        ``self`` gives back part of, where its document is known (here the
        purchase of the invoice it reverses). Bridges extend it with their
        documents (the sale order of the reversed invoice...)."""
        reversed_invoices = self.reversed_entry_id
        if not reversed_invoices:
            return {}
        by_invoice = {
            purchase.invoice_id.id: purchase
            for purchase in self.env["relationship.purchase"]
            .sudo()
            .search([("invoice_id", "in", reversed_invoices.ids)])
        }
        return {
            move.id: by_invoice[move.reversed_entry_id.id]
            for move in self
            if move.reversed_entry_id.id in by_invoice
        }

    def _relationship_latest_purchases(self):
        """``{credit note id: purchase}`` for credit notes that reverse no known
        document: the customer's latest purchase from an Odoo document in the
        credit note's company, dated on or before the credit note (else the
        latest one). One search for the whole set."""
        if not self:
            return {}
        candidates = (
            self.env["relationship.purchase"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", self.partner_id.commercial_partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                    ("state", "=", "done"),
                    # an rm-sync purchase's refunds are its source's to say
                    ("source", "=like", "odoo.%"),
                ],
                order="date_order desc, id desc",
            )
        )
        by_account = {}
        for purchase in candidates:
            by_account.setdefault(
                (purchase.commercial_partner_id.id, purchase.company_id.id), []
            ).append(purchase)
        targets = {}
        for move in self:
            purchases = by_account.get(
                (move.partner_id.commercial_partner_id.id, move.company_id.id)
            )
            if not purchases:
                continue
            moment = datetime.combine(move.invoice_date or move.date, time.max)
            targets[move.id] = next(
                (purchase for purchase in purchases if purchase.date_order <= moment),
                purchases[0],
            )
        return targets

    def _relationship_purchase_values(self):
        """What the purchase of this posted invoice holds."""
        self.ensure_one()
        return {
            # a company's contacts buy for the company
            "partner_id": self.partner_id.commercial_partner_id.id,
            "date_order": datetime.combine(self.invoice_date or self.date, time.min),
            "amount": max(self.amount_untaxed, 0.0),
            "currency_id": self.currency_id.id,
            "user_id": self.invoice_user_id.id,
            "state": "done",
        }

    def _relationship_follow_moves(self):
        """The purchases of these customer invoices, and the refunds of these
        credit notes, follow them, set-based (see
        ``relationship.purchase._relationship_follow_documents``), with one
        recomputation of all the customers touched.

        A posted invoice from no other bridge's document is a purchase of its
        commercial customer; reset to draft or cancelled, its purchase is
        cancelled; posted again, revived. A posted credit note raises the
        refunded amount of the purchase it gives back part of; reset to draft
        or cancelled, it gives nothing back any more.
        """
        # The relationship follows the invoice whoever posts it: an invoicing
        # user needs no relationship rights.
        moves = self.sudo().filtered(lambda move: move.move_type in MOVE_TYPES)
        if not moves:
            return
        moves -= moves._relationship_from_other_document()
        invoices = moves.filtered(lambda move: move.move_type == "out_invoice")
        self.env["relationship.purchase"].sudo()._relationship_follow_documents(
            invoices,
            "invoice_id",
            SOURCE,
            lambda invoice, _purchase: (
                invoice._relationship_purchase_values() if invoice.state == "posted" else None
            ),
            _("Invoices"),
            # the invoices' purchases first: a credit note may give back part of one
            refunds=(moves - invoices)._relationship_follow_credit_notes,
        )

    def _relationship_follow_credit_notes(self, Purchase):
        """Point these credit notes at the purchases they give back part of;
        return those purchases, and those they gave back part of before."""
        before = self.relationship_refunded_purchase_id
        posted = self.filtered(lambda move: move.state == "posted")
        # a credit note keeps its purchase while posted; reset to draft or
        # cancelled, it refunds nothing, and chooses again when posted again
        (self - posted).filtered("relationship_refunded_purchase_id").write(
            {"relationship_refunded_purchase_id": False}
        )
        unknown = posted.filtered(lambda move: not move.relationship_refunded_purchase_id)
        targets = unknown._relationship_refund_targets()
        targets.update(
            unknown.filtered(lambda m: m.id not in targets)._relationship_latest_purchases()
        )
        by_purchase = {}
        for move_id, purchase in targets.items():
            by_purchase.setdefault(purchase, []).append(move_id)
        for purchase, move_ids in by_purchase.items():
            self.browse(move_ids).write({"relationship_refunded_purchase_id": purchase.id})
        return Purchase.browse((before | self.relationship_refunded_purchase_id).ids)
