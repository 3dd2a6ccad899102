# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import RelationshipCase

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
        handle_console = _console_with_screenshots(ChromeBrowser._handle_console)
        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_tour(
                "/odoo/action-relationship_marketing.relationship_sync_run_action",
                "relationship_sync_run_tour",
                login=self.manager.login,
            )
