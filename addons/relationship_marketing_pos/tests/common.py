# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.point_of_sale.tests.common import TestPoSCommon


class PosCase(TestPoSCommon):
    """Odoo's point of sale test shop sells a tent (7% tax on top) through a
    cashier who has no relationship rights; a company customer buys through
    its buyer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.basic_config
        # the tests' administrator (Odoo's accounting test user) reads the relationship
        cls.env.user.groups_id += cls.env.ref("relationship_marketing.group_relationship_manager")
        Stage = cls.env["relationship.stage"]
        stages = Stage.search([("company_id", "=", cls.company.id)])
        cls.stage_first_time, cls.stage_repeat = stages[1], stages[2]
        if "require_interest" in Stage._fields:
            # with CRM the first rung asks for interest shown: not here
            stages.require_interest = False
        cls.cashier = cls.new_user("rm_cashier", "point_of_sale.group_pos_user")
        cls.user = cls.new_user("rm_user", "relationship_marketing.group_relationship_user")
        cls.manager = cls.new_user(
            "rm_manager", "relationship_marketing.group_relationship_manager"
        )
        cls.tent = cls.create_product(
            "Trail Tent", cls.categ_basic, 200.0, tax_ids=cls.taxes["tax7"].ids
        )
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Hiking Club", "is_company": True})
        cls.buyer = Partner.create({"name": "Grace Hopper", "parent_id": cls.acme.id})
        cls.ada = Partner.create({"name": "Ada Lovelace"})

    @classmethod
    def new_user(cls, login, group):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,{group}",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def setUp(self):
        super().setUp()
        self.open_new_session()

    def sell(self, qty=1, customer=False, invoiced=False, user=None, refund_of=None):
        """A ticket paid at the till, as the POS app sends it; ``refund_of``
        returns ``qty`` of that order's first line."""
        if refund_of:
            line = refund_of.lines[0]
            lines = [
                {"product": line.product_id, "quantity": -qty, "refunded_orderline_id": line.id}
            ]
        else:
            lines = [(self.tent, qty)]
        data = self.create_ui_order_data(lines, customer=customer, is_invoiced=invoiced)
        user = user or self.cashier
        data["user_id"] = user.id
        result = self.env["pos.order"].with_user(user).sync_from_ui([data])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def purchase_of(self, order):
        return self.env["relationship.purchase"].search([("pos_order_id", "=", order.id)])

    def purchases(self):
        return self.env["relationship.purchase"].search([("company_id", "=", self.company.id)])
