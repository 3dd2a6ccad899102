# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged

from .common import PosCase


@tagged("post_install", "-at_install")
class TestPosPurchases(PosCase):
    """A paid POS order is a purchase of its commercial customer."""

    def test_a_paid_order_is_a_purchase_of_the_company_that_buys(self):
        order = self.sell(qty=2, customer=self.buyer)
        self.assertEqual(order.state, "paid")
        purchase = self.purchase_of(order)
        self.assertRecordValues(
            purchase,
            [
                {
                    "name": order.name,
                    "source": "odoo.pos",
                    "external_id": str(order.id),
                    "partner_id": self.acme.id,
                    "date_order": order.date_order,
                    # untaxed: the 7% tax is not the customer's spending
                    "amount": 400.0,
                    "amount_refunded": 0.0,
                    "currency_id": self.company.currency_id.id,
                    "company_id": self.company.id,
                    "user_id": self.cashier.id,
                    "state": "done",
                }
            ],
        )
        self.assertEqual(order.amount_total, 428.0)
        # linked both ways, the customer moved in the same transaction
        self.assertEqual(order.relationship_purchase_ids, purchase)
        self.assertEqual(order.relationship_purchase_count, 1)
        self.assertEqual(order.action_open_relationship_purchase()["res_id"], purchase.id)
        self.assertEqual(purchase.action_open_pos_order()["res_id"], order.id)
        self.assertEqual(self.acme.relationship_stage_id, self.stage_first_time)
        self.assertEqual(self.acme.relationship_order_count, 1)
        self.assertEqual(self.acme.relationship_revenue, 400.0)
        self.sell(customer=self.ada)
        self.sell(customer=self.buyer)
        self.assertEqual(self.acme.relationship_stage_id, self.stage_repeat)

    def test_an_anonymous_ticket_is_a_sale_on_no_customer(self):
        order = self.sell()
        self.assertFalse(order.partner_id)
        self.assertRecordValues(
            self.purchase_of(order),
            [{"partner_id": False, "commercial_partner_id": False, "amount": 200.0}],
        )
        self.assertEqual(self.purchases().mapped("amount_net_company"), [200.0])

    def test_a_refund_gives_back_part_of_the_order(self):
        order = self.sell(qty=2, customer=self.ada)
        refund = self.sell(qty=1, customer=self.ada, refund_of=order)
        self.assertEqual(refund.refunded_order_id, order)
        self.assertEqual(refund.amount_total, -214.0)
        # not a purchase: a refund of the order's purchase
        self.assertFalse(self.purchase_of(refund))
        purchase = self.purchase_of(order)
        self.assertRecordValues(purchase, [{"amount": 400.0, "amount_refunded": 200.0}])
        self.assertEqual(self.ada.relationship_revenue, 200.0)
        self.assertEqual(self.ada.relationship_order_count, 1)
        self.sell(qty=1, customer=self.ada, refund_of=order)
        self.assertEqual(purchase.amount_refunded, 400.0)
        self.assertEqual(self.ada.relationship_order_count, 0)
        # the rung stays: a refund lowers the figures, never the stage
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)

    def test_the_invoice_of_an_order_is_not_counted_again(self):
        order = self.sell(customer=self.ada, invoiced=True, user=self.env.user)
        self.assertEqual(order.state, "invoiced")
        invoice = order.account_move
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.relationship_purchase_ids)
        self.assertEqual(self.purchases(), self.purchase_of(order))
        self.assertEqual(self.ada.relationship_order_count, 1)
        self.assertEqual(self.ada.relationship_revenue, 200.0)
        # its refund, invoiced too, gives back part of the order, once
        refund = self.env["pos.order"].browse(order.refund()["res_id"])
        self.make_payment(refund, self.cash_pm1, refund.amount_total)
        self.assertEqual(self.purchase_of(order).amount_refunded, 200.0)
        self.assertEqual(self.purchases(), self.purchase_of(order))

    def test_a_credit_note_of_an_orders_invoice_gives_back_part_of_the_order(self):
        order = self.sell(qty=2, customer=self.ada, invoiced=True, user=self.env.user)
        invoice = order.account_move
        # made in Invoicing, not at the till
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
        self.assertEqual(purchase.amount_refunded, 200.0)
        self.assertEqual(self.purchases(), purchase)
        self.assertEqual(self.ada.relationship_revenue, 200.0)

    def test_an_order_in_another_currency(self):
        self.pos_session.post_closing_cash_details(0)
        self.pos_session.close_session_from_ui()
        self.config = self.other_currency_config
        self.open_new_session()
        order = self.sell(customer=self.ada)
        purchase = self.purchase_of(order)
        self.assertEqual(purchase.currency_id, self.other_currency)
        self.assertEqual(purchase.amount, order.amount_total - order.amount_tax)
        # 1 unit of the company's currency is worth 0.5 of the other one
        self.assertAlmostEqual(purchase.amount_company, purchase.amount * 2, places=2)
        self.assertAlmostEqual(self.ada.relationship_revenue, purchase.amount * 2, places=2)

    def test_each_company_has_its_own_purchases(self):
        here = self.sell(customer=self.ada)
        self.assertEqual(self.purchase_of(here).company_id, self.company)
        # a second company with its own accounting and point of sale
        other = self.setup_other_company()["company"]
        self.env.user.company_ids += other
        self.env = self.env(context=dict(self.env.context, allowed_company_ids=other.ids))
        cash = self.env["pos.payment.method"].create(
            {
                "name": "Cash",
                "journal_id": self.env["account.journal"]
                .search([("company_id", "=", other.id), ("type", "=", "cash")], limit=1)
                .id,
                "company_id": other.id,
            }
        )
        self.config = self.env["pos.config"].create(
            {"name": "Outdoor Goods GmbH", "payment_method_ids": [Command.set(cash.ids)]}
        )
        self.open_new_session()
        self.tent = self.env["product.product"].create(
            {
                "name": "Trail Tent",
                "available_in_pos": True,
                "list_price": 200.0,
                "taxes_id": False,
                "company_id": other.id,
            }
        )
        there = self.sell(customer=self.ada, user=self.env.user)
        self.assertEqual(there.amount_total, 200.0)
        self.assertEqual(self.purchase_of(there).company_id, other)
        # each company's ladder sees its own sale
        purchases = (
            self.env["relationship.purchase"]
            .with_user(self.user)
            .with_context(allowed_company_ids=self.company.ids)
            .search([("partner_id", "=", self.ada.id)])
        )
        self.assertEqual(purchases.pos_order_id, here)
