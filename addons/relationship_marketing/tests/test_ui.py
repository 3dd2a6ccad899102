# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
import os
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import RelationshipCase

_logger = logging.getLogger(__name__)

# A tour step logs "rm_screenshot:<name>"; with RM_SCREENSHOTS_DIR set, the
# window is captured into <RM_SCREENSHOTS_DIR>/<name>.png; unset, nothing is
# taken and the tree stays clean.
SCREENSHOT_PREFIX = "rm_screenshot:"


def console_with_screenshots(handle_console):
    def _handle_console(browser, **event):
        handle_console(browser, **event)
        args = event.get("args")
        message = str(browser._from_remoteobject(args[0])) if args else ""
        folder = os.environ.get("RM_SCREENSHOTS_DIR")
        if not folder or event.get("type") != "log" or not message.startswith(SCREENSHOT_PREFIX):
            return
        path = Path(folder) / f"{message[len(SCREENSHOT_PREFIX) :]}.png"

        def save(future):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(future.result()["data"]))
            _logger.info("Screenshot saved in %s", path)

        # on the browser's event thread: ask, never wait
        browser._websocket_send("Page.captureScreenshot", with_future=True).add_done_callback(save)

    return _handle_console


@tagged("post_install", "-at_install")
class TestPartnerTour(RelationshipCase, HttpCase):
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
        handle_console = console_with_screenshots(ChromeBrowser._handle_console)
        with patch.object(ChromeBrowser, "_handle_console", handle_console):
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


@tagged("post_install", "-at_install")
class TestSyncRunTour(RelationshipCase, HttpCase):
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
        handle_console = console_with_screenshots(ChromeBrowser._handle_console)
        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_tour(
                "/odoo/action-relationship_marketing.relationship_sync_run_action",
                "relationship_sync_run_tour",
                login=self.manager.login,
            )
