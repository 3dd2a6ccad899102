# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import SaleCase


@tagged("post_install", "-at_install")
class TestSaleInvoices(SaleCase):
    """With the invoicing bridge, an order's invoice is the order, counted once;
    its credit notes give back part of the order's purchase."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", cls.company, install_demo=False
        )
        cls.tent.invoice_policy = "order"

    def invoiced(self, partner, qty=1):
        order = self.quotation(partner, qty=qty)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        return order, invoice

    def test_the_invoice_of_an_order_counts_once(self):
        order, invoice = self.invoiced(self.ada)
        purchases = self.env["relationship.purchase"].search([("partner_id", "=", self.ada.id)])
        self.assertEqual(purchases, self.purchase_of(order))
        self.assertFalse(invoice.relationship_purchase_ids)
        self.assertEqual(self.ada.relationship_order_count, 1)
        self.assertEqual(self.ada.relationship_revenue, 200.0)

    def test_a_credit_note_of_an_order_gives_back_part_of_its_purchase(self):
        order, invoice = self.invoiced(self.buyer, qty=2)
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Returned", "journal_id": invoice.journal_id.id})
        )
        note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        note.invoice_line_ids.quantity = 1
        note.action_post()
        purchase = self.purchase_of(order)
        self.assertEqual(note.relationship_refunded_purchase_id, purchase)
        self.assertFalse(note.relationship_purchase_ids)
        self.assertEqual(purchase.amount_refunded, 200.0)
        self.assertEqual(self.acme.relationship_revenue, 200.0)
        self.assertEqual(self.acme.relationship_order_count, 1)
        self.assertEqual(
            self.env["relationship.purchase"].search_count([("partner_id", "=", self.acme.id)]), 1
        )

    def test_a_down_payment_and_its_credit_note_change_nothing(self):
        order = self.quotation(self.ada)
        order.action_confirm()
        self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": "percentage", "amount": 50}).create_invoices()
        advance = order.invoice_ids
        advance.action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=advance.ids)
            .create({"reason": "Cancelled", "journal_id": advance.journal_id.id})
        )
        self.env["account.move"].browse(wizard.refund_moves()["res_id"]).action_post()
        # the order is the sale: an advance and its return are no purchase, no refund
        self.assertEqual(
            self.env["relationship.purchase"].search([("partner_id", "=", self.ada.id)]),
            self.purchase_of(order),
        )
        self.assertEqual(self.purchase_of(order).amount_refunded, 0.0)
        self.assertEqual(self.ada.relationship_revenue, 200.0)
