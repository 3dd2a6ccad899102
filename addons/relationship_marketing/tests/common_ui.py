# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The browser tours' screenshots, for the tours of every relationship addon.

A tour step made by ``screenshotStep`` (static/tests/tours/relationship_tour_utils.js)
logs ``rm_screenshot:<name>`` (the whole page) or ``rm_screenshot:<name>:viewport``
(what the window shows) and waits. With ``RM_SCREENSHOTS_DIR`` set (e.g. to
docs/screenshots of the repository) the page is captured into
``<RM_SCREENSHOTS_DIR>/<name>.png``; unset, none is taken, so that a test run
leaves the tree clean. Either way the step is then released.
"""

import base64
import logging
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser, run

_logger = logging.getLogger(__name__)

SCREENSHOT_PREFIX = "rm_screenshot:"
SCREENSHOTS_DIR_VARIABLE = "RM_SCREENSHOTS_DIR"

# The height the page needs to show its main scrolling area in full.
PAGE_HEIGHT_JS = """
(() => {
    const scrollers = [...document.querySelectorAll(".o_action_manager *")].filter((el) => {
        const overflow = getComputedStyle(el).overflowY;
        return ["auto", "scroll"].includes(overflow) && el.clientHeight > 200;
    });
    const hidden = Math.max(0, ...scrollers.map((el) => el.scrollHeight - el.clientHeight));
    return Math.min(window.innerHeight + hidden, 6000);
})()
"""


def console_with_screenshots(handle_console):
    """Wrap ``ChromeBrowser._handle_console`` to answer the tours' screenshot steps.

    For a whole page the window grows to the height of the page's content
    (same width) and gets its size back after the capture.
    """

    def _handle_console(browser, **event):  # the arguments of Runtime.consoleAPICalled
        handle_console(browser, **event)
        args = event.get("args")
        message = str(browser._from_remoteobject(args[0])) if args else ""
        if event.get("type") != "log" or not message.startswith(SCREENSHOT_PREFIX):
            return
        name, _sep, mode = message[len(SCREENSHOT_PREFIX) :].partition(":")
        folder = os.environ.get(SCREENSHOTS_DIR_VARIABLE)

        # Runs on the browser's event thread: send and chain, never wait here.
        def send(method, **params):
            return browser._websocket_send(method, params=params or None, with_future=True)

        @run
        def _shoot():
            try:
                if folder:
                    full_page = mode != "viewport"
                    if full_page:
                        width = yield send(
                            "Runtime.evaluate", expression="window.innerWidth", returnByValue=True
                        )
                        height = yield send(
                            "Runtime.evaluate", expression=PAGE_HEIGHT_JS, returnByValue=True
                        )
                        yield send(
                            "Emulation.setDeviceMetricsOverride",
                            width=width["result"]["value"],
                            height=height["result"]["value"],
                            deviceScaleFactor=1,
                            mobile=False,
                        )
                    shot = yield send("Page.captureScreenshot", format="png")
                    if full_page:
                        yield send("Emulation.clearDeviceMetricsOverride")
                    path = Path(folder) / f"{name}.png"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(base64.b64decode(shot["data"]))
                    _logger.info("Screenshot %s saved in %s", name, path)
            except Exception:
                _logger.exception("Screenshot %s failed", name)
            finally:
                yield send(
                    "Runtime.evaluate",
                    expression="window.rmScreenshotTaken && window.rmScreenshotTaken()",
                )

    return _handle_console


class ScreenshotTourMixin:
    """For an ``HttpCase``: its tours' screenshot steps are answered.

    Put it before ``HttpCase`` among the bases, so that its ``start_tour`` wraps
    Odoo's.
    """

    def start_tour(self, url_path, tour_name, **kwargs):
        handle_console = console_with_screenshots(ChromeBrowser._handle_console)
        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            return super().start_tour(url_path, tour_name, **kwargs)
