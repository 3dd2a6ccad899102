# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import InvoiceCase


@tagged("post_install", "-at_install")
class TestInvoiceAccess(InvoiceCase):
    """Invoicing needs no relationship rights; reading purchases still does."""

    def test_an_invoicing_user_without_relationship_rights_invoices(self):
        self.assertFalse(self.clerk.has_group("relationship_marketing.group_relationship_user"))
        invoice = self.invoice(self.ada, qty=2)
        self.credit_note(invoice, qty=1)
        invoice.with_user(self.clerk).button_draft()
        invoice.with_user(self.clerk).action_post()
        purchase = self.purchase_of(invoice)
        self.assertRecordValues(purchase, [{"state": "done", "amount_refunded": 200.0}])
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        # the clerk sees the invoice, with no relationship button to follow
        self.assertEqual(invoice.with_user(self.clerk).relationship_purchase_count, 1)
        with self.assertRaises(AccessError):
            self.env["relationship.purchase"].with_user(self.clerk).search([]).read(["amount"])

    def test_a_relationship_user_reads_the_purchase_of_an_invoice(self):
        invoice = self.invoice(self.ada)
        purchase = self.purchase_of(invoice).with_user(self.user)
        self.assertEqual(purchase.name, invoice.name)
        self.assertEqual(purchase.user_id, self.clerk)
