# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.relationship_marketing.models.res_partner import ResPartner
from odoo.addons.relationship_marketing.wizards import relationship_backfill

from ..models.sale_order import SaleOrder
from .common import SaleCase


@tagged("post_install", "-at_install")
class TestBackfill(SaleCase):
    """Orders confirmed before the bridge was installed are back-filled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dates = [datetime(2024, 3, 1, 10), datetime(2024, 9, 1, 10), datetime(2025, 2, 1, 10)]
        # as before the bridge: the orders are confirmed, nothing follows them
        with patch.object(SaleOrder, "_relationship_follow_orders", lambda orders: None):
            cls.old_orders = cls.env["sale.order"]
            for partner, date in zip((cls.ada, cls.ada, cls.buyer), cls.dates, strict=True):
                order = cls.env["sale.order"].create(
                    {
                        "partner_id": partner.id,
                        "company_id": cls.company.id,
                        "order_line": [(0, 0, {"product_id": cls.tent.id})],
                    }
                )
                order.action_confirm()
                order.date_order = date
                cls.old_orders |= order
            cls.quote = cls.env["sale.order"].create(
                {"partner_id": cls.ada.id, "company_id": cls.company.id}
            )
            other = cls.env["res.company"].create({"name": "Elsewhere Ltd"})
            cls.elsewhere = cls.env["sale.order"].create(
                {
                    "partner_id": cls.ada.id,
                    "company_id": other.id,
                    "order_line": [(0, 0, {"product_id": cls.tent.id})],
                }
            )
            cls.elsewhere.action_confirm()

    def run_backfill(self):
        backfill = self.env["relationship.backfill"].with_user(self.manager).create({})
        backfill.action_run()
        batches = 0
        with patch.object(relationship_backfill, "BATCH_SIZE", 2):
            while backfill.state == "running":
                self.env["relationship.backfill"]._cron_run_backfills()
                batches += 1
        return backfill, batches

    def test_orders_before_the_bridge_are_back_filled_at_their_dates(self):
        self.assertFalse(self.env["relationship.purchase"].search([("source", "=", "odoo.sale")]))
        backfill, batches = self.run_backfill()
        # two batches of orders, then the run finds none left
        self.assertEqual(batches, 3)
        self.assertRecordValues(
            backfill, [{"state": "done", "total_count": 3, "done_count": 3, "progress": 100.0}]
        )
        purchases = self.old_orders.relationship_purchase_ids
        self.assertEqual(len(purchases), 3)
        for order in self.old_orders:
            self.assertEqual(order.relationship_purchase_ids.date_order, order.date_order)
        self.assertEqual(sorted(purchases.mapped("date_order")), self.dates)
        self.assertEqual(self.ada.relationship_order_count, 2)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)
        self.assertEqual(self.acme.relationship_stage_id, self.stage_first_time)
        # a quotation and the other company's order are not this back-fill's
        self.assertFalse(
            self.quote.relationship_purchase_ids | self.elsewhere.relationship_purchase_ids
        )

    def test_a_second_back_fill_changes_nothing(self):
        self.run_backfill()
        purchases = self.env["relationship.purchase"].search([("source", "=", "odoo.sale")])
        before = purchases.read(["amount", "date_order", "state", "partner_id"])
        refreshed = []
        refresh = ResPartner._relationship_refresh_depth

        def counted(partners, *args, **kwargs):
            refreshed.append(partners)
            return refresh(partners, *args, **kwargs)

        with patch.object(ResPartner, "_relationship_refresh_depth", counted):
            backfill, _batches = self.run_backfill()
        self.assertEqual(backfill.done_count, 3)
        self.assertFalse(refreshed, "nothing to recompute")
        after = self.env["relationship.purchase"].search([("source", "=", "odoo.sale")])
        self.assertEqual(after, purchases)
        self.assertEqual(after.read(["amount", "date_order", "state", "partner_id"]), before)

    def test_only_a_manager_back_fills(self):
        backfill = self.env["relationship.backfill"].with_user(self.manager).create({})
        with self.assertRaises(AccessError):
            backfill.with_user(self.user).action_run()
