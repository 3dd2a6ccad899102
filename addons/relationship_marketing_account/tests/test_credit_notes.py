# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import Form, tagged

from .common import InvoiceCase


@tagged("post_install", "-at_install")
class TestCreditNotes(InvoiceCase):
    """A credit note gives back part of the purchase of what it reverses."""

    def test_a_partial_credit_note_lowers_the_figures(self):
        invoice = self.invoice(self.buyer, qty=2)
        purchase = self.purchase_of(invoice)
        note = self.credit_note(invoice, qty=1)
        self.assertEqual(note.move_type, "out_refund")
        self.assertEqual(note.amount_untaxed, 200.0)
        # not a purchase of its own: a refund of the invoice's purchase
        self.assertEqual(len(self.purchases()), 1)
        self.assertEqual(note.relationship_refunded_purchase_id, purchase)
        self.assertEqual(note.action_open_relationship_purchase()["res_id"], purchase.id)
        self.assertEqual(purchase.refund_move_ids, note)
        self.assertEqual(purchase.action_open_refund_moves()["domain"], [("id", "in", note.ids)])
        self.assertRecordValues(
            purchase, [{"amount": 400.0, "amount_refunded": 200.0, "amount_net_company": 200.0}]
        )
        self.assertEqual(self.acme.relationship_revenue, 200.0)
        self.assertEqual(self.acme.relationship_order_count, 1)
        # reset to draft, the credit note gives nothing back any more
        note.with_user(self.clerk).button_draft()
        self.assertEqual(purchase.amount_refunded, 0.0)
        self.assertEqual(self.acme.relationship_revenue, 400.0)
        note.with_user(self.clerk).action_post()
        self.assertEqual(purchase.amount_refunded, 200.0)

    def test_credit_notes_in_full_take_the_order_out(self):
        invoice = self.invoice(self.ada, qty=2)
        self.credit_note(invoice, qty=1)
        self.credit_note(invoice, qty=1)
        purchase = self.purchase_of(invoice)
        self.assertEqual(purchase.amount_refunded, 400.0)
        self.assertFalse(purchase.counts_as_order)
        self.assertEqual(self.ada.relationship_order_count, 0)
        self.assertEqual(self.ada.relationship_revenue, 0.0)
        # the rung stays: a refund lowers the figures, never the stage
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)

    def test_a_credit_note_of_nothing_known_lowers_the_latest_purchase(self):
        march = self.invoice(self.ada, date="2026-03-02")
        may = self.invoice(self.ada, date="2026-05-02")
        self.invoice(self.ada, date="2026-07-02")
        # a credit note made by hand, in June, reversing no invoice
        env = self.env_of(self.clerk)
        with Form(env["account.move"].with_context(default_move_type="out_refund")) as form:
            form.partner_id = self.ada
            form.invoice_date = date(2026, 6, 1)
            with form.invoice_line_ids.new() as line:
                line.product_id = self.tent
                line.price_unit = 50.0
                line.tax_ids.clear()
        note = form.record
        note.action_post()
        # the latest purchase of Ada at the credit note's date gives it back
        self.assertEqual(note.sudo().relationship_refunded_purchase_id, self.purchase_of(may))
        self.assertEqual(self.purchase_of(may).amount_refunded, 50.0)
        self.assertEqual(self.purchase_of(march).amount_refunded, 0.0)
        self.assertEqual(self.ada.relationship_revenue, 550.0)

    def test_a_credit_note_of_a_customer_without_purchases_lowers_nothing(self):
        env = self.env_of(self.clerk)
        with Form(env["account.move"].with_context(default_move_type="out_refund")) as form:
            form.partner_id = self.ada
            form.invoice_date = date(2026, 6, 1)
            with form.invoice_line_ids.new() as line:
                line.product_id = self.tent
        note = form.record
        note.action_post()
        self.assertFalse(note.sudo().relationship_refunded_purchase_id)
        self.assertFalse(self.purchases())
        self.assertFalse(self.ada.relationship_stage_id)

    def test_an_invoice_posted_again_for_less_than_its_credit_notes(self):
        invoice = self.invoice(self.ada, qty=3)
        self.credit_note(invoice, qty=2)
        purchase = self.purchase_of(invoice)
        self.assertEqual(purchase.amount_refunded, 400.0)
        invoice.with_user(self.clerk).button_draft()
        with Form(invoice.with_user(self.clerk)) as form:
            with form.invoice_line_ids.edit(0) as line:
                line.quantity = 1
        invoice.with_user(self.clerk).action_post()
        # given back in full at most: what the invoice still says
        self.assertRecordValues(purchase, [{"amount": 200.0, "amount_refunded": 200.0}])
        self.assertEqual(self.ada.relationship_order_count, 0)
