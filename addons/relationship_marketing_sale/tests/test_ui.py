# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
import os
from pathlib import Path
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import SaleCase

_logger = logging.getLogger(__name__)

# A tour step logs "rm_screenshot:<name>"; with RM_SCREENSHOTS_DIR set, the
# window is captured into <RM_SCREENSHOTS_DIR>/<name>.png (the README's
# pictures); unset, nothing is taken and the tree stays clean.
SCREENSHOT_PREFIX = "rm_screenshot:"


def _console_with_screenshots(handle_console):
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
class TestSaleTour(SaleCase, HttpCase):
    """A salesperson confirms a quotation and sees the customer's rung change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the salesperson follows the relationship of the customers too
        cls.salesperson.groups_id += cls.env.ref("relationship_marketing.group_relationship_user")
        cls.salesperson.tz = "UTC"
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.ada.id,
                "company_id": cls.company.id,
                "user_id": cls.salesperson.id,
                "order_line": [Command.create({"product_id": cls.tent.id})],
            }
        )

    def test_confirming_a_quotation_moves_the_customer(self):
        self.assertFalse(self.ada.relationship_stage_id)
        handle_console = _console_with_screenshots(ChromeBrowser._handle_console)
        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_tour(
                f"/odoo/action-sale.action_quotations_with_onboarding/{self.order.id}",
                "relationship_sale_confirm_tour",
                login=self.salesperson.login,
            )
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        self.assertEqual(self.purchase_of(self.order).user_id, self.salesperson)
