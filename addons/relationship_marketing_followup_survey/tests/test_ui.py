# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
import os
from pathlib import Path
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.relationship_marketing_followup.tests.common import INGEST_CRON

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
class TestSatisfactionSurveyTour(HttpCase):
    def test_customer_answers_and_salesperson_sees_the_escalation(self):
        company = self.env.company
        groups = "base.group_user,relationship_marketing.group_relationship_user"
        salesperson = new_test_user(
            self.env,
            login="rm_tour_seller",
            name="Sam Seller",
            email="sam@example.com",
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        leader = new_test_user(self.env, login="rm_tour_leader", name="Lena Leader", groups=groups)
        rules = self.env["relationship.followup.rule"].search([("company_id", "=", company.id)])
        kept = rules.filtered(
            lambda rule: rule.code in ("satisfaction_check", "escalation_satisfaction")
        )
        (rules - kept).active = False
        kept.fallback_user_id = leader
        ada = self.env["res.partner"].create(
            {
                "name": "Ada Lovelace",
                "email": "ada@example.com",
                "company_id": company.id,
                "user_id": salesperson.id,
                # The level whose salesperson checks satisfaction after a sale.
                "relationship_level": "accountable",
                "relationship_level_set_by_hand": True,
            }
        )
        self.env["relationship.purchase"].create(
            {
                "source": "pos",
                "external_id": "TOUR-1",
                "partner_id": ada.id,
                "date_order": fields.Datetime.now(),
                "amount": 250.0,
                "company_id": company.id,
            }
        )
        self.env.ref(INGEST_CRON).method_direct_trigger()
        invitation = self.env["survey.user_input"].search([("partner_id", "=", ada.id)])
        self.assertEqual(len(invitation), 1, "the satisfaction check emailed the survey")

        handle_console = _console_with_screenshots(ChromeBrowser._handle_console)
        screenshots = patch.object(ChromeBrowser, "_handle_console", handle_console)
        with screenshots:
            self.start_tour(invitation.get_start_url(), "relationship_satisfaction_survey_answer")
        score = self.env["relationship.satisfaction"].search([("partner_id", "=", ada.id)])
        self.assertEqual((score.score, score.survey_user_input_id), (2.0, invitation))

        with screenshots:
            self.start_tour(
                f"/odoo/contacts/{ada.id}",
                "relationship_satisfaction_survey_seen",
                login=salesperson.login,
            )
