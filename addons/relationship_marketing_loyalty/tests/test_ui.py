# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import CardCase

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
class TestLoyaltyTour(CardCase, HttpCase):
    """Points of the loyalty card are spent on a reward, clicked through."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.programme.action_switch_points_to_odoo()
        # Bob joins with his first purchase; his purchases, recorded after the
        # switch, earn 300 points on the card he gets
        cls.bob = cls.client("Bob Builder")
        cls.env.flush_all()
        cls.env.cr.flush()
        cls.membership = cls.env["relationship.membership"].search(
            [("partner_id", "=", cls.bob.id), ("programme_id", "=", cls.programme.id)]
        )

    def test_a_reward_spends_the_card_points(self):
        self.assertEqual((self.membership.points, self.membership.tier_id), (300, self.gold))
        self.assertEqual(self.membership.loyalty_card_id.points, 300)
        handle_console = _console_with_screenshots(ChromeBrowser._handle_console)
        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_tour(
                f"/odoo/action-relationship_marketing.relationship_membership_action/{self.membership.id}",
                "relationship_loyalty_reward_tour",
                login=self.manager.login,
            )
        self.assertEqual(
            (self.membership.points, self.membership.qualifying_points, self.membership.tier_id),
            (50, 300, self.gold),
        )
        self.assertEqual(self.bob.relationship_loyalty_points, 50)
