# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin

from .common import PosCase


@tagged("post_install", "-at_install")
class TestPosTour(ScreenshotTourMixin, PosCase, HttpCase):
    """A POS user opens, in the backend, the purchase a paid POS order made."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the cashier follows the relationship of the customers too
        cls.cashier.groups_id += cls.env.ref("relationship_marketing.group_relationship_user")
        cls.cashier.tz = "UTC"
        # a ticket of Ada paid at the till, as the POS app sends it (Odoo's
        # helpers are the test's methods: they only read what the class holds)
        PosCase.open_new_session(cls)
        data = PosCase.create_ui_order_data(
            cls, [(cls.tent, 1)], customer=cls.ada, uuid="00001-001-0001"
        )
        data["user_id"] = cls.cashier.id
        result = cls.env["pos.order"].with_user(cls.cashier).sync_from_ui([data])
        cls.order = cls.env["pos.order"].browse(result["pos.order"][0]["id"])

    def test_a_pos_user_opens_the_purchase_of_a_paid_order(self):
        self.assertEqual(self.order.state, "paid")
        purchase = self.purchase_of(self.order)
        self.assertRecordValues(
            purchase, [{"amount": 200.0, "partner_id": self.ada.id, "user_id": self.cashier.id}]
        )
        self.start_tour("/odoo", "relationship_pos_order_tour", login=self.cashier.login)
        # what the user saw: the order's one purchase, Ada's, of the untaxed amount
        self.assertEqual(self.order.relationship_purchase_ids, purchase)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
