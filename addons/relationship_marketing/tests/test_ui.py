# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import RelationshipCase
from .common_ui import ScreenshotTourMixin


@tagged("post_install", "-at_install")
class TestPartnerTour(ScreenshotTourMixin, RelationshipCase, HttpCase):
    """A salesperson works a customer in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user.tz = "UTC"
        other = cls.env["res.users"].create(
            {
                "name": "Other Salesperson",
                "login": "rm_other_seller",
                "company_id": cls.company.id,
                "company_ids": [(6, 0, cls.company.ids)],
            }
        )
        cls.ada, cls.bob = cls.Partner.create(
            [
                {"name": "Ada Lovelace", "company_id": cls.company.id, "user_id": cls.user.id},
                {"name": "Bob Brown", "company_id": cls.company.id, "user_id": other.id},
            ]
        )
        now = cls.env.cr.now()
        cls.Purchase.create(
            [
                {
                    "source": "pos",
                    "external_id": f"{partner.id}-{days}",
                    "partner_id": partner.id,
                    "date_order": now - timedelta(days=days),
                    "amount": 80.0,
                }
                for partner in (cls.ada, cls.bob)
                for days in (5, 40)
            ]
        )
        cls.ada.activity_schedule(
            "mail.mail_activity_data_todo", summary="Thank-you call", user_id=cls.user.id
        )

    def test_salesperson_moves_a_customer_back_with_a_reason(self):
        self.assertEqual(self.ada.relationship_stage_id, self.stage_repeat)
        self.start_tour(
            "/odoo/action-relationship_marketing.relationship_partner_action",
            "relationship_partner_tour",
            login=self.user.login,
        )
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        self.assertTrue(self.ada.relationship_stage_locked)
        self.assertEqual(
            self.ada.relationship_stage_history_ids.sorted("id")[-1].reason,
            "The second order was a duplicate",
        )

    def test_a_backward_drag_asks_a_reason_and_a_forward_drag_does_not(self):
        self.start_tour(
            "/odoo/action-relationship_marketing.relationship_partner_action",
            "relationship_kanban_backward_tour",
            login=self.user.login,
        )
        back, up = self.ada.relationship_stage_history_ids.sorted("id")[-2:]
        self.assertEqual(
            (back.stage_from_id, back.stage_to_id, back.move_type, back.user_id, back.reason),
            (
                self.stage_repeat,
                self.stage_first_time,
                "manual",
                self.user,
                "She returned the second order",
            ),
        )
        self.assertEqual(
            (up.stage_from_id, up.stage_to_id, up.move_type, up.user_id),
            (self.stage_first_time, self.stage_client, "manual", self.user),
        )
        self.assertEqual(self.ada.relationship_stage_id, self.stage_client)
        self.assertTrue(self.ada.relationship_stage_locked, "locked by the backward move")


@tagged("post_install", "-at_install")
class TestPurchaseDatesTour(ScreenshotTourMixin, RelationshipCase, HttpCase):
    """An order of a day shows that day; an order with a time shows it."""

    def test_an_order_of_a_day_shows_a_date(self):
        self.user.tz = "America/New_York"
        customer = self.Partner.create({"name": "Ada Lovelace", "company_id": self.company.id})
        day, timed = self.Purchase.create(
            [
                {
                    "source": "shop",
                    "external_id": external_id,
                    "partner_id": customer.id,
                    "date_order": date_order,
                    "amount": 10.0,
                }
                for external_id, date_order in (
                    ("DAY-1", "2026-03-01 00:00:00"),
                    ("TIME-1", "2026-03-01 15:30:00"),
                )
            ]
        )
        self.start_tour(
            "/odoo/action-relationship_marketing.relationship_purchase_action",
            "relationship_purchase_dates_tour",
            login=self.user.login,
        )
        self.assertEqual(str(day.date_order), "2026-03-02 00:00:00", "the day, still at midnight")
        self.assertEqual(str(timed.date_order), "2026-03-01 15:30:00")


@tagged("post_install", "-at_install")
class TestSyncRunTour(ScreenshotTourMixin, RelationshipCase, HttpCase):
    """A manager reads a sync run and its rejected row, clicked through."""

    def test_a_manager_reads_a_sync_run(self):
        self.user.name = "Webshop integration"
        self.ingest(
            [
                self.row("W-1"),
                self.row("W-2", amount=50),
                self.row("W-3", amount="twelve"),
            ],
            run_key="tour-run",
        )
        self.start_tour(
            "/odoo/action-relationship_marketing.relationship_sync_run_action",
            "relationship_sync_run_tour",
            login=self.manager.login,
        )
