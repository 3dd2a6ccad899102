# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.relationship_marketing.models.res_partner import ResPartner
from odoo.addons.relationship_marketing.wizards import relationship_backfill

from ..models.pos_order import PosOrder
from .common import PosCase


@tagged("post_install", "-at_install")
class TestBackfill(PosCase):
    """POS orders paid before the bridge was installed are back-filled."""

    def setUp(self):
        super().setUp()
        self.dates = [datetime(2024, 3, 1, 10), datetime(2024, 9, 1, 10), datetime(2025, 2, 1, 10)]
        # as before the bridge: the orders are paid, nothing follows them
        with patch.object(PosOrder, "_relationship_follow_pos_orders", lambda orders: None):
            self.old_orders = self.env["pos.order"]
            for partner in (self.ada, self.ada, self.buyer):
                self.old_orders |= self.sell(qty=2, customer=partner)
            self.refund = self.sell(qty=1, customer=self.ada, refund_of=self.old_orders[0])
            for order, date in zip(self.old_orders, self.dates, strict=True):
                order.date_order = date
            self.refund.date_order = datetime(2025, 3, 1, 10)

    def run_backfill(self):
        backfill = self.env["relationship.backfill"].with_user(self.manager).create({})
        backfill.action_run()
        with patch.object(relationship_backfill, "BATCH_SIZE", 2):
            while backfill.state == "running":
                self.env["relationship.backfill"]._cron_run_backfills()
        return backfill

    def test_orders_before_the_bridge_are_back_filled_at_their_dates(self):
        self.assertFalse(self.purchases())
        backfill = self.run_backfill()
        self.assertEqual(backfill.state, "done")
        purchases = self.old_orders.relationship_purchase_ids
        self.assertEqual(self.purchases(), purchases)
        self.assertEqual(sorted(purchases.mapped("date_order")), self.dates)
        self.assertEqual(self.old_orders[0].relationship_purchase_ids.amount_refunded, 200.0)
        self.assertEqual(self.ada.relationship_order_count, 2)
        self.assertEqual(self.ada.relationship_revenue, 600.0)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)
        self.assertEqual(self.acme.relationship_stage_id, self.stage_first_time)
        # the moves are dated at the orders that made them
        moves = self.ada.relationship_stage_history_ids.sorted("date")
        self.assertEqual(moves.stage_to_id, self.stage_first_time | self.stage_repeat)
        self.assertEqual(moves.mapped("date"), self.dates[:2])

    def test_a_second_back_fill_changes_nothing(self):
        self.run_backfill()
        purchases = self.purchases()
        fields = ["amount", "amount_refunded", "date_order", "state", "partner_id"]
        before = purchases.read(fields)
        refreshed = []
        refresh = ResPartner._relationship_refresh_depth

        def counted(partners, *args, **kwargs):
            refreshed.append(partners)
            return refresh(partners, *args, **kwargs)

        with patch.object(ResPartner, "_relationship_refresh_depth", counted):
            self.run_backfill()
        self.assertFalse(refreshed, "nothing to recompute")
        self.assertEqual(self.purchases(), purchases)
        self.assertEqual(purchases.read(fields), before)
