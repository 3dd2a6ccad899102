# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from odoo import Command
from odoo.tests import Form, tagged

from odoo.addons.relationship_marketing.models.res_partner import ResPartner

from .common import SaleCase


@tagged("post_install", "-at_install")
class TestSalePurchases(SaleCase):
    """A confirmed sale order is a purchase of its commercial customer."""

    def test_a_quotation_is_nothing(self):
        order = self.quotation(self.ada)
        order.action_quotation_sent()
        self.assertEqual(order.state, "sent")
        self.assertFalse(self.purchase_of(order))
        self.assertFalse(self.ada.relationship_stage_id)
        order.action_cancel()
        self.assertFalse(self.purchase_of(order))

    def test_a_confirmed_order_is_a_purchase_of_the_company_that_buys(self):
        order = self.quotation(self.buyer, qty=2)
        order.with_user(self.salesperson).action_confirm()
        purchase = self.purchase_of(order)
        self.assertRecordValues(
            purchase,
            [
                {
                    "name": order.name,
                    "source": "odoo.sale",
                    "external_id": str(order.id),
                    "partner_id": self.acme.id,
                    "date_order": order.date_order,
                    # untaxed: the 10% tax is not the customer's spending
                    "amount": 400.0,
                    "amount_company": 400.0,
                    "currency_id": self.company.currency_id.id,
                    "company_id": self.company.id,
                    "user_id": self.salesperson.id,
                    "state": "done",
                }
            ],
        )
        self.assertEqual(order.amount_total, 440.0)
        # linked both ways, the customer moved in the same transaction
        self.assertEqual(order.relationship_purchase_ids, purchase)
        self.assertEqual(order.relationship_purchase_count, 1)
        self.assertEqual(order.action_open_relationship_purchase()["res_id"], purchase.id)
        self.assertEqual(purchase.action_open_sale_order()["res_id"], order.id)
        self.assertEqual(self.acme.relationship_stage_id, self.stage_first_time)
        self.assertEqual(self.acme.relationship_order_count, 1)
        self.assertEqual(self.acme.relationship_revenue, 400.0)

    def test_a_second_order_moves_the_customer_up(self):
        self.quotation(self.ada).action_confirm()
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        self.quotation(self.ada).action_confirm()
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)
        self.assertEqual(self.ada.relationship_order_count, 2)

    def test_changing_a_confirmed_order_changes_its_purchase(self):
        order = self.quotation(self.ada)
        order.action_confirm()
        purchase = self.purchase_of(order)
        with Form(order.with_user(self.salesperson)) as form:
            with form.order_line.edit(0) as line:
                line.product_uom_qty = 3
        self.assertEqual(purchase.amount, 600.0)
        # a line written by itself (another app, an import) counts as well
        order.order_line.write({"price_unit": 150.0})
        self.assertEqual(purchase.amount, 450.0)
        order.write({"order_line": [Command.create({"product_id": self.tent.id})]})
        self.assertEqual(purchase.amount, 650.0)
        self.assertEqual(self.ada.relationship_revenue, 650.0)
        order.date_order = datetime(2026, 1, 15, 9, 0)
        self.assertEqual(purchase.date_order, datetime(2026, 1, 15, 9, 0))
        self.assertEqual(self.ada.relationship_first_purchase, datetime(2026, 1, 15, 9, 0).date())

    def test_the_purchase_follows_a_new_customer(self):
        order = self.quotation(self.ada)
        order.action_confirm()
        purchase = self.purchase_of(order)
        order.partner_id = self.buyer
        self.assertEqual(purchase.partner_id, self.acme)
        self.assertEqual(self.acme.relationship_order_count, 1)
        # Ada lost the order: her figures drop, her rung stays (forward only)
        self.assertEqual(self.ada.relationship_order_count, 0)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)

    def test_cancelling_takes_the_order_out_and_confirming_again_revives_it(self):
        order = self.quotation(self.ada)
        order.action_confirm()
        purchase = self.purchase_of(order)
        order.with_user(self.salesperson)._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(purchase.state, "cancel")
        order.action_draft()
        self.assertEqual(purchase.state, "cancel")
        order.action_confirm()
        self.assertEqual(self.purchase_of(order), purchase, "the same purchase, revived")
        self.assertEqual(purchase.state, "done")
        self.assertEqual(purchase.amount, 200.0)

    def test_an_order_in_another_currency(self):
        home = self.company.currency_id
        foreign = self.env.ref("base.EUR" if home.name != "EUR" else "base.USD")
        foreign.active = True
        # 1 unit of the home currency is worth 0.5 of the foreign one, for
        # this company (its own rates come first)
        self.env["res.currency.rate"].create(
            [
                {"currency_id": foreign.id, "rate": 0.5, "company_id": self.company.id},
                {"currency_id": home.id, "rate": 1.0, "company_id": self.company.id},
            ]
        )
        self.salesperson.groups_id += self.env.ref("product.group_product_pricelist")
        pricelist = self.env["product.pricelist"].create(
            {"name": "Foreign prices", "currency_id": foreign.id, "company_id": self.company.id}
        )
        order = self.quotation(self.ada, pricelist=pricelist, price=100.0)
        order.action_confirm()
        self.assertRecordValues(
            self.purchase_of(order),
            [{"currency_id": foreign.id, "amount": 100.0, "amount_company": 200.0}],
        )
        self.assertEqual(self.ada.relationship_revenue, 200.0)

    def test_each_company_has_its_own_purchases(self):
        other = self.env["res.company"].create({"name": "Outdoor Goods GmbH"})
        other_salesperson = self.new_salesperson("rm_salesperson_2", other)
        here = self.quotation(self.ada)
        there = self.quotation(self.ada, user=other_salesperson, company=other)
        (here | there).action_confirm()
        self.assertEqual(self.purchase_of(here).company_id, self.company)
        self.assertEqual(self.purchase_of(there).company_id, other)
        # each company's ladder sees its own sale
        purchases = (
            self.env["relationship.purchase"]
            .with_user(self.user)
            .search([("partner_id", "=", self.ada.id)])
        )
        self.assertEqual(purchases.sale_order_id, here)

    def test_confirming_many_orders_at_once_refreshes_their_customers_once(self):
        customers = self.Partner.create([{"name": f"Hiker {n}"} for n in range(100)])
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "order_line": [Command.create({"product_id": self.tent.id})],
                }
                for customer in customers
            ]
        )
        refreshed = []
        refresh = ResPartner._relationship_refresh_depth

        def counted(partners, *args, **kwargs):
            refreshed.append(partners)
            return refresh(partners, *args, **kwargs)

        with patch.object(ResPartner, "_relationship_refresh_depth", counted):
            orders.action_confirm()
        self.assertEqual(len(refreshed), 1)
        self.assertEqual(refreshed[0], customers)
        self.assertEqual(len(orders.relationship_purchase_ids), 100)
        self.assertEqual(set(customers.mapped("relationship_stage_id")), {self.stage_first_time})
