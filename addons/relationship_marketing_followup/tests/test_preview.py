# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestPreview(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ada = cls.customer(
            "Ada Lovelace",
            relationship_level="proactive",
            relationship_birthday=date(1990, 4, 2),
        )

    def preview(self, partner=None, user=None):
        partner = (partner or self.ada).with_user(user or self.user)
        action = partner.action_relationship_followup_preview()
        self.assertEqual(
            (action["res_model"], action["target"]), ("relationship.followup.preview", "new")
        )
        return (
            self.env["relationship.followup.preview"]
            .with_user(user or self.user)
            .browse(action["res_id"])
        )

    def lines(self, preview):
        return [
            (line.rule_id.code, line.date_due, line.date_create, line.state, line.user_id)
            for line in preview.line_ids
        ]

    def test_preview_shows_what_the_rules_will_create(self):
        self.buy(self.ada, 30)
        preview = self.preview()
        risk_date = self.ada.relationship_risk_date
        self.assertEqual(
            [line for line in self.lines(preview) if line[3] == "planned"],
            sorted(
                [
                    ("birthday", date(2026, 4, 2), date(2026, 3, 26), "planned", self.salesperson),
                    (
                        "checkin_proactive",
                        date(2026, 4, 9),
                        date(2026, 4, 9),
                        "planned",
                        self.salesperson,
                    ),
                    ("gone_quiet", risk_date, risk_date, "planned", self.salesperson),
                    (
                        "anniversary",
                        date(2027, 2, 8),
                        date(2027, 2, 1),
                        "planned",
                        self.salesperson,
                    ),
                ],
                key=lambda line: line[1],
            ),
        )
        by_rule = {line.rule_id.code: line for line in preview.line_ids}
        self.assertEqual(
            by_rule["birthday"].summary, "Birthday of Ada Lovelace on 04/02/2026: send a card"
        )
        self.assertEqual(by_rule["birthday"].when, "Birthday on 2026-04-02")
        # Events come after the dates, with what sets them off.
        events = {line.rule_id.code for line in preview.line_ids if line.state == "on_event"}
        self.assertEqual(
            events,
            {
                "thank_you_call",
                "satisfaction_check",
                "win_back",
                "escalation_satisfaction",
                "escalation_complaint",
                "welcome_member",
                "thank_advocate",
            },
        )
        self.assertEqual(by_rule["thank_you_call"].when, "After a purchase, due 1 day(s) later")
        self.assertFalse(by_rule["thank_you_call"].date_due)
        self.assertEqual(preview.line_ids[-1].state, "on_event")
        # Not for this customer (Accountable): not reactive, no partnership, not proactive.
        self.assertFalse(
            {"checkin_reactive", "checkin_partnership", "interest_news"} & set(by_rule)
        )
        self.assertFalse(self.followups(self.ada), "looking creates nothing")

    def test_preview_matches_what_the_cron_creates(self):
        self.buy(self.ada, 30)
        planned = {
            (line.rule_id.code, line.date_due)
            for line in self.preview().line_ids
            if line.state == "planned" and line.date_create <= date(2026, 4, 19)
        }
        for day in range(41):
            with self.freeze(date.fromordinal(date(2026, 3, 10).toordinal() + day)):
                self.run_cron()
        created = {
            (occurrence.rule_id.code, occurrence.date_due)
            for occurrence in self.followups(self.ada)
        }
        self.assertEqual(
            {code for code, _due in planned}, {"birthday", "checkin_proactive", "gone_quiet"}
        )
        self.assertLessEqual(planned, created)

    def test_schedule_now_is_not_recreated_by_the_cron(self):
        preview = self.preview()
        line = preview.line_ids.filtered(lambda line: line.rule_id.code == "birthday")
        action = line.action_schedule()
        self.assertEqual(action["res_id"], preview.id)
        occurrence = self.followups(self.ada)
        self.assertEqual(occurrence.activity_id.date_deadline, date(2026, 4, 2))
        self.assertTrue(occurrence.manual)
        self.assertEqual(occurrence.occurrence_key, "birthday:2026-04-02")
        self.assertIn("Scheduled by hand by", occurrence.origin)
        self.assertEqual(
            preview.line_ids.filtered(lambda line: line.rule_id.code == "birthday").state, "open"
        )
        with self.freeze("2026-03-30"):
            self.run_cron()
        self.assertEqual(len(self.followups(self.ada, self.rule["birthday"])), 1)

    def test_schedule_a_rule_by_hand(self):
        preview = self.preview()
        with Form(preview) as form:
            form.rule_id = self.rule["escalation_complaint"]
        preview.action_schedule()
        occurrence = self.followups(self.ada)
        self.assertEqual(occurrence.rule_id, self.rule["escalation_complaint"])
        self.assertEqual(occurrence.activity_id.date_deadline, date(2026, 3, 10))
        self.assertEqual(occurrence.activity_id.user_id, self.salesperson)
        self.assertFalse(preview.rule_id)
        self.assertIn("open", preview.line_ids.mapped("state"))
        preview.rule_id = self.rule["escalation_complaint"]
        with self.assertRaisesRegex(UserError, "already scheduled"):
            preview.action_schedule()

    def test_schedule_without_anyone_to_assign(self):
        nobody = self.customer("Nobody's Customer", user_id=False)
        preview = self.preview(nobody)
        self.assertFalse(preview.line_ids.user_id)
        preview.rule_id = self.rule["thank_you_call"]
        with self.assertRaisesRegex(UserError, "Nobody can get this follow-up"):
            preview.action_schedule()

    def test_partner_form_button(self):
        self.buy(self.ada, 0)
        self.assertEqual(self.ada.with_user(self.user).relationship_followup_open_count, 2)
        self.followups(self.ada)[0].activity_id.action_done()
        self.ada.invalidate_recordset()
        self.assertEqual(self.ada.with_user(self.user).relationship_followup_open_count, 1)

    def test_views_show_the_button_and_the_dates(self):
        arch = (
            self.env["res.partner"]
            .with_user(self.user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="action_relationship_followup_preview"', arch)
        self.assertIn('name="relationship_next_birthday"', arch)
        clerk = self._user("rm_clerk", "Plain Clerk")
        arch = (
            self.env["res.partner"]
            .with_user(clerk)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("action_relationship_followup_preview", arch)
        for model in ("relationship.followup.rule", "relationship.followup.occurrence"):
            views = (
                self.env[model]
                .with_user(self.manager)
                .get_views([(False, "list"), (False, "form"), (False, "search")])
            )
            self.assertEqual(set(views["views"]), {"list", "form", "search"})
