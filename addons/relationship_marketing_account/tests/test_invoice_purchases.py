# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo.tests import Form, tagged

from .common import InvoiceCase


@tagged("post_install", "-at_install")
class TestInvoicePurchases(InvoiceCase):
    """A posted customer invoice is a purchase of its commercial customer."""

    def test_a_posted_invoice_is_a_purchase_of_the_company_that_buys(self):
        invoice = self.invoice(self.buyer, qty=2)
        purchase = self.purchase_of(invoice)
        self.assertRecordValues(
            purchase,
            [
                {
                    "name": invoice.name,
                    "source": "odoo.account",
                    "external_id": str(invoice.id),
                    "partner_id": self.acme.id,
                    "date_order": datetime(2026, 3, 2),
                    # untaxed: the 10% tax is not the customer's spending
                    "amount": 400.0,
                    "amount_company": 400.0,
                    "amount_refunded": 0.0,
                    "currency_id": self.company.currency_id.id,
                    "company_id": self.company.id,
                    "user_id": self.clerk.id,
                    "state": "done",
                }
            ],
        )
        self.assertEqual(invoice.amount_total, 440.0)
        # linked both ways, the customer moved in the same transaction
        self.assertEqual(invoice.relationship_purchase_ids, purchase)
        self.assertEqual(invoice.relationship_purchase_count, 1)
        self.assertEqual(invoice.action_open_relationship_purchase()["res_id"], purchase.id)
        self.assertEqual(purchase.action_open_invoice()["res_id"], invoice.id)
        self.assertEqual(self.acme.relationship_stage_id, self.stage_first_time)
        self.assertEqual(self.acme.relationship_order_count, 1)
        self.assertEqual(self.acme.relationship_revenue, 400.0)
        self.assertEqual(self.acme.relationship_first_purchase, date(2026, 3, 2))

    def test_a_draft_invoice_is_nothing(self):
        env = self.env_of(self.clerk)
        with Form(env["account.move"].with_context(default_move_type="out_invoice")) as form:
            form.partner_id = self.ada
            with form.invoice_line_ids.new() as line:
                line.product_id = self.tent
        self.assertFalse(self.purchase_of(form.record))
        self.assertFalse(self.ada.relationship_stage_id)

    def test_a_second_invoice_moves_the_customer_up(self):
        self.invoice(self.ada)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        self.invoice(self.ada, date="2026-04-01")
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)
        self.assertEqual(self.ada.relationship_order_count, 2)

    def test_reset_to_draft_takes_the_invoice_out_and_posting_again_revives_it(self):
        invoice = self.invoice(self.ada)
        purchase = self.purchase_of(invoice)
        invoice.with_user(self.clerk).button_draft()
        self.assertEqual(purchase.state, "cancel")
        self.assertEqual(self.ada.relationship_order_count, 0)
        self.assertEqual(self.ada.relationship_revenue, 0.0)
        # the rung stays: the ladder only moves forward
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        # changed while in draft, posted again: the same purchase, changed
        with Form(invoice.with_user(self.clerk)) as form:
            form.invoice_date = date(2026, 5, 1)
            with form.invoice_line_ids.edit(0) as line:
                line.quantity = 3
        invoice.with_user(self.clerk).action_post()
        self.assertEqual(self.purchase_of(invoice), purchase, "the same purchase, revived")
        self.assertRecordValues(
            purchase, [{"state": "done", "amount": 600.0, "date_order": datetime(2026, 5, 1)}]
        )
        self.assertEqual(self.ada.relationship_revenue, 600.0)
        invoice.with_user(self.clerk).button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(purchase.state, "cancel")
        self.assertEqual(self.ada.relationship_order_count, 0)

    def test_a_new_salesperson_on_a_posted_invoice(self):
        invoice = self.invoice(self.ada)
        other = self.new_clerk("rm_clerk_2", self.company)
        invoice.with_user(self.clerk).invoice_user_id = other
        self.assertEqual(self.purchase_of(invoice).user_id, other)

    def test_an_invoice_in_another_currency(self):
        home = self.company.currency_id
        foreign = self.env.ref("base.EUR" if home.name != "EUR" else "base.USD")
        foreign.active = True
        # 1 unit of the home currency is worth 0.5 of the foreign one, for
        # this company (its own rates come first)
        self.env["res.currency.rate"].create(
            [
                {
                    "currency_id": foreign.id,
                    "rate": 0.5,
                    "company_id": self.company.id,
                    "name": "2026-01-01",
                },
                {
                    "currency_id": home.id,
                    "rate": 1.0,
                    "company_id": self.company.id,
                    "name": "2026-01-01",
                },
            ]
        )
        invoice = self.invoice(self.ada, price=100.0, currency=foreign)
        self.assertRecordValues(
            self.purchase_of(invoice),
            [{"currency_id": foreign.id, "amount": 100.0, "amount_company": 200.0}],
        )
        self.assertEqual(self.ada.relationship_revenue, 200.0)

    def test_each_company_has_its_own_purchases(self):
        other = self.env["res.company"].create(
            {"name": "Outdoor Goods GmbH", "country_id": self.env.ref("base.us").id}
        )
        self.load_accounting(other)
        other_clerk = self.new_clerk("rm_clerk_other", other)
        here = self.invoice(self.ada)
        there = self.invoice(self.ada, user=other_clerk, company=other)
        self.assertEqual(self.purchase_of(here).company_id, self.company)
        self.assertEqual(self.purchase_of(there).company_id, other)
        # each company's ladder sees its own sale
        purchases = (
            self.env["relationship.purchase"]
            .with_user(self.user)
            .search([("partner_id", "=", self.ada.id)])
        )
        self.assertEqual(purchases.invoice_id, here)

    def test_a_vendor_bill_is_nothing(self):
        env = self.env_of(self.clerk)
        with Form(env["account.move"].with_context(default_move_type="in_invoice")) as form:
            form.partner_id = self.ada
            form.invoice_date = date(2026, 3, 2)
            with form.invoice_line_ids.new() as line:
                line.product_id = self.tent
                line.price_unit = 50.0
        form.record.action_post()
        self.assertFalse(self.purchases())
