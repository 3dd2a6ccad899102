# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form, new_test_user

from odoo.addons.relationship_marketing.tests.common import RelationshipCase


class SaleCase(RelationshipCase):
    """The company sells a tent (10% tax on top) through a salesperson who
    has no relationship rights; a company customer buys through its buyer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls.new_salesperson("rm_salesperson", cls.company)
        cls.company.country_id = cls.env.ref("base.us")
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "VAT 10%",
                "amount": 10.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
                "country_id": cls.company.country_id.id,
                "tax_group_id": cls.env["account.tax.group"]
                .create({"name": "VAT", "company_id": cls.company.id})
                .id,
            }
        )
        cls.tent = cls.env["product.product"].create(
            {
                "name": "Trail Tent",
                "list_price": 200.0,
                "taxes_id": [Command.set(cls.tax.ids)],
                "company_id": False,
            }
        )
        cls.acme = cls.Partner.create({"name": "Acme Hiking Club", "is_company": True})
        cls.buyer = cls.Partner.create({"name": "Grace Hopper", "parent_id": cls.acme.id})
        cls.ada = cls.Partner.create({"name": "Ada Lovelace"})

    @classmethod
    def new_salesperson(cls, login, company):
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    def quotation(self, partner, qty=1, user=None, company=None, pricelist=None, price=None):
        """A quotation made in the form, as a salesperson makes it."""
        user = user or self.salesperson
        company = company or self.company
        env = self.env(user=user, context=dict(self.env.context, allowed_company_ids=company.ids))
        with Form(env["sale.order"]) as form:
            form.partner_id = partner
            if pricelist:
                form.pricelist_id = pricelist
            with form.order_line.new() as line:
                line.product_id = self.tent
                line.product_uom_qty = qty
                if price is not None:
                    line.price_unit = price
        # the test reads the order as the administrator; each test says who acts
        return form.record.with_env(self.env)

    def purchase_of(self, order):
        return self.env["relationship.purchase"].search([("sale_order_id", "=", order.id)])
