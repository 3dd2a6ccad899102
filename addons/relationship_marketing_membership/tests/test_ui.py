# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import ClubCase

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
class TestMembershipTour(ClubCase, HttpCase):
    """A customer pays a club fee and becomes a Member, clicked through."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.club.action_switch_to_odoo_memberships()
        cls.env.user.tz = "UTC"
        cls.membership = cls.env["relationship.membership"].create(
            {"partner_id": cls.ada.id, "programme_id": cls.club.id}
        )

    def test_a_paid_fee_makes_a_member(self):
        handle_console = _console_with_screenshots(ChromeBrowser._handle_console)
        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_tour(
                f"/odoo/action-relationship_marketing.relationship_membership_action/{self.membership.id}",
                "relationship_membership_fee_tour",
                login=self.env.user.login,
            )
        self.assertEqual(
            (self.membership.state, self.membership.odoo_membership_state), ("active", "paid")
        )
        self.assertEqual(self.ada.relationship_stage_id, self.stage_of["member"])
        self.assertIn(self.membership.invoice_id.payment_state, ("paid", "in_payment"))
