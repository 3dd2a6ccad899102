# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.relationship_marketing.models.res_partner import ResPartner
from odoo.addons.relationship_marketing.wizards import relationship_backfill

from ..models.account_move import AccountMove
from .common import InvoiceCase


@tagged("post_install", "-at_install")
class TestBackfill(InvoiceCase):
    """Invoices posted before the bridge was installed are back-filled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dates = ["2024-03-01", "2024-09-01", "2025-02-01"]
        # as before the bridge: the invoices are posted, nothing follows them
        with patch.object(AccountMove, "_relationship_follow_moves", lambda moves: None):
            cls.old_invoices = cls.env["account.move"]
            for partner, day in zip((cls.ada, cls.ada, cls.buyer), cls.dates, strict=True):
                cls.old_invoices |= cls.invoice(partner, qty=2, date=day)
            cls.note = cls.credit_note(cls.old_invoices[0], qty=1)
            cls.draft = cls.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.ada.id,
                    "company_id": cls.company.id,
                    "invoice_line_ids": [(0, 0, {"product_id": cls.tent.id})],
                }
            )

    def run_backfill(self):
        backfill = self.env["relationship.backfill"].with_user(self.manager).create({})
        backfill.action_run()
        with patch.object(relationship_backfill, "BATCH_SIZE", 2):
            while backfill.state == "running":
                self.env["relationship.backfill"]._cron_run_backfills()
        return backfill

    def account_purchases(self):
        return self.env["relationship.purchase"].search([("source", "=", "odoo.account")])

    def test_invoices_before_the_bridge_are_back_filled_at_their_dates(self):
        self.assertFalse(self.account_purchases())
        backfill = self.run_backfill()
        # three invoices and a credit note
        self.assertRecordValues(backfill, [{"state": "done", "total_count": 4, "done_count": 4}])
        purchases = self.old_invoices.relationship_purchase_ids
        self.assertEqual(len(purchases), 3)
        self.assertEqual(self.account_purchases(), purchases)
        self.assertEqual(
            sorted(purchases.mapped("date_order")),
            [datetime.fromisoformat(day) for day in self.dates],
        )
        self.assertEqual(self.old_invoices[0].relationship_purchase_ids.amount_refunded, 200.0)
        self.assertEqual(self.ada.relationship_order_count, 2)
        self.assertEqual(self.ada.relationship_revenue, 600.0)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)
        self.assertEqual(self.acme.relationship_stage_id, self.stage_first_time)
        # the moves are dated at the invoices that made them
        moves = self.ada.relationship_stage_history_ids.sorted("date")
        self.assertEqual(moves.stage_to_id, self.stage_first_time | self.stage_repeat)
        self.assertEqual(moves.mapped("date"), [datetime(2024, 3, 1), datetime(2024, 9, 1)])
        self.assertFalse(self.draft.relationship_purchase_ids)

    def test_a_second_back_fill_changes_nothing(self):
        self.run_backfill()
        purchases = self.account_purchases()
        fields = ["amount", "amount_refunded", "date_order", "state", "partner_id"]
        before = purchases.read(fields)
        refreshed = []
        refresh = ResPartner._relationship_refresh_depth

        def counted(partners, *args, **kwargs):
            refreshed.append(partners)
            return refresh(partners, *args, **kwargs)

        with patch.object(ResPartner, "_relationship_refresh_depth", counted):
            backfill = self.run_backfill()
        self.assertEqual(backfill.done_count, 4)
        self.assertFalse(refreshed, "nothing to recompute")
        self.assertEqual(self.account_purchases(), purchases)
        self.assertEqual(purchases.read(fields), before)
