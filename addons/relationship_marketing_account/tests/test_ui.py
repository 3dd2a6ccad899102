# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin

from .common import InvoiceCase


@tagged("post_install", "-at_install")
class TestInvoiceTour(ScreenshotTourMixin, InvoiceCase, HttpCase):
    """An invoicing user posts an invoice and opens the purchase it made."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the clerk follows the relationship of the customers too
        cls.clerk.groups_id += cls.env.ref("relationship_marketing.group_relationship_user")
        cls.clerk.tz = "UTC"
        cls.draft = (
            cls.env_of(cls.clerk)["account.move"]
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.ada.id,
                    "invoice_date": "2026-03-02",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": cls.tent.id,
                                "quantity": 1,
                                "price_unit": 200.0,
                                "tax_ids": [Command.set(cls.tax.ids)],
                            }
                        )
                    ],
                }
            )
            .with_env(cls.env)
        )

    def test_posting_an_invoice_makes_a_purchase(self):
        self.assertFalse(self.draft.relationship_purchase_ids)
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{self.draft.id}",
            "relationship_invoice_post_tour",
            login=self.clerk.login,
        )
        self.assertEqual(self.draft.state, "posted")
        purchase = self.purchase_of(self.draft)
        self.assertEqual((purchase.amount, purchase.user_id), (200.0, self.clerk))
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
