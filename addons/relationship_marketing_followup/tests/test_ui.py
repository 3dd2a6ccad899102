# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestSatisfactionScoreTour(ScreenshotTourMixin, FollowupCase, HttpCase):
    """A satisfaction check marked done in the chatter asks for the score."""

    # The browser and the server share the clock: not frozen here.
    freeze_time = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson.tz = "UTC"
        cls.rules.filtered(lambda rule: rule.code != "satisfaction_check").active = False
        cls.ada = cls.customer("Ada Lovelace")
        cls.env["relationship.purchase"].create(
            {
                "source": "pos",
                "external_id": "score-tour-1",
                "partner_id": cls.ada.id,
                "date_order": fields.Datetime.now(),
                "amount": 50.0,
            }
        )

    def test_done_asks_for_the_score(self):
        [check] = self.activities(self.ada)
        self.assertEqual(check.relationship_followup_rule_id, self.rule["satisfaction_check"])
        self.start_tour(
            f"/odoo/res.partner/{self.ada.id}",
            "relationship_satisfaction_score_tour",
            login=self.salesperson.login,
        )
        score = self.env["relationship.satisfaction"].search([("partner_id", "=", self.ada.id)])
        self.assertEqual(
            (score.score, score.comment, score.user_id),
            (3.0, "The delivery was late", self.salesperson),
        )
        self.assertFalse(check.exists(), "the check is done")
        self.assertEqual(self.followups(self.ada, self.rule["satisfaction_check"]).state, "done")
