# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin
from odoo.addons.relationship_marketing_sale.tests.common import SaleCase


@tagged("post_install", "-at_install")
class TestWonOpportunities(ScreenshotTourMixin, SaleCase, HttpCase):
    """An opportunity won with its sale order confirmed is one sale."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson.name = "Sam Seller"
        # As shipped with CRM: interest shown makes a prospect.
        cls.stage_prospect.require_interest = True
        cls.nora = cls.Partner.create({"name": "Nora Lindqvist", "company_id": cls.company.id})
        cls.opportunity = cls.env["crm.lead"].create(
            {
                "name": "Tents for the club trip",
                "type": "opportunity",
                "partner_id": cls.nora.id,
                "user_id": cls.salesperson.id,
                "expected_revenue": 5000.0,
                "company_id": cls.company.id,
            }
        )

    def quotation_from_opportunity(self, qty=1):
        """A quotation made from the opportunity ('New Quotation'), by its salesperson."""
        action = self.opportunity.with_user(self.salesperson).action_sale_quotations_new()
        env = self.env(
            user=self.salesperson,
            context=dict(action["context"], allowed_company_ids=self.company.ids),
        )
        with Form(env["sale.order"]) as form:
            with form.order_line.new() as line:
                line.product_id = self.tent
                line.product_uom_qty = qty
        return form.record.with_env(self.env)

    def assertCountedOnce(self, order):
        purchases = self.env["relationship.purchase"].search([("partner_id", "=", self.nora.id)])
        self.assertEqual(len(purchases), 1, "one purchase: the order's")
        self.assertEqual(
            (purchases.sale_order_id, purchases.opportunity_id, purchases.amount),
            (order, self.opportunity, 400.0),
        )
        self.assertEqual(
            (self.nora.relationship_order_count, self.nora.relationship_revenue),
            (1, 400.0),
            "the opportunity's expected revenue is no sale",
        )
        self.assertEqual(self.nora.relationship_stage_id, self.stage_first_time)

    def test_the_order_confirmed_then_the_opportunity_won(self):
        self.assertEqual(self.nora.relationship_stage_id, self.stage_prospect, "interest shown")
        order = self.quotation_from_opportunity(qty=2)
        self.assertEqual(order.opportunity_id, self.opportunity)
        order.with_user(self.salesperson).action_confirm()
        self.opportunity.with_user(self.salesperson).action_set_won_rainbowman()
        self.assertTrue(self.opportunity.stage_id.is_won)
        self.assertCountedOnce(order)

    def test_the_opportunity_won_then_the_order_confirmed(self):
        order = self.quotation_from_opportunity(qty=2)
        self.opportunity.with_user(self.salesperson).action_set_won_rainbowman()
        self.assertEqual(
            (self.nora.relationship_order_count, self.nora.relationship_stage_id),
            (0, self.stage_prospect),
            "winning the opportunity sells nothing yet",
        )
        order.with_user(self.salesperson).action_confirm()
        self.assertCountedOnce(order)

    def test_the_purchase_names_its_opportunity(self):
        order = self.quotation_from_opportunity(qty=2)
        order.with_user(self.salesperson).action_confirm()
        self.opportunity.with_user(self.salesperson).action_set_won_rainbowman()
        seller = new_test_user(
            self.env,
            login="rm_sale_crm_seller",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "relationship_marketing.group_relationship_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.start_tour(
            "/odoo/action-relationship_marketing.relationship_purchase_action"
            f"/{self.purchase_of(order).id}",
            "relationship_sale_crm_purchase_tour",
            login=seller.login,
        )
