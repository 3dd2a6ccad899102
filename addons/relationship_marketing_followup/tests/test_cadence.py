# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import FollowupCase

# The Reactive level's invitation is an email after each sale, not a check-in.
CHECKINS = ("checkin_proactive", "checkin_partnership")


@tagged("post_install", "-at_install")
class TestCadence(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam = cls._user("rm_kam", "Kim Account")

    def checkins(self, partner):
        return [
            (occurrence.rule_id.code, occurrence.date_due, occurrence.user_id)
            for occurrence in self.followups(partner)
        ]

    def test_shipped_cadence_follows_the_level(self):
        self.only(*CHECKINS)
        basic = self.customer("Bob Basic", relationship_level="basic")
        reactive = self.customer("Rita Reactive", relationship_level="reactive")
        accountable = self.customer("Al Accountable", relationship_level="accountable")
        proactive = self.customer("Pia Proactive", relationship_level="proactive")
        partner = self.customer(
            "Paul Partner",
            relationship_level="partnership",
            relationship_key_account_manager_id=self.kam.id,
        )
        for customer in (basic, reactive, accountable, proactive, partner):
            self.buy(customer, 100, 40)
        self.run_cron()
        # Proactive: every 60 days since the last contact (the last purchase, 40
        # days ago, at first): not yet. Partnership: every 30 days: overdue, so due today.
        self.assertEqual(self.checkins(proactive), [])
        self.assertEqual(
            self.checkins(partner), [("checkin_partnership", date(2026, 3, 10), self.kam)]
        )
        self.assertEqual(self.followups(partner).activity_id.activity_type_id.name, "Meeting")
        with self.freeze("2026-03-30"):
            self.run_cron()
        self.assertEqual(
            self.checkins(proactive), [("checkin_proactive", date(2026, 3, 30), self.salesperson)]
        )
        with self.freeze("2026-04-09"):
            self.run_cron()
        self.assertEqual(len(self.checkins(partner)), 2, "the next meeting 30 days after the last")
        self.assertEqual(self.followups(partner)[1].date_due, date(2026, 4, 9))
        with self.freeze("2026-08-29"):
            self.run_cron()
        # Basic, Reactive: no check-in; accountable: a call after each sale, not a cadence.
        self.assertEqual(self.checkins(reactive), [])
        self.assertEqual(self.checkins(basic), [])
        self.assertEqual(self.checkins(accountable), [])

    def test_level_change_changes_the_cadence(self):
        self.only(*CHECKINS)
        pia = self.customer("Pia Proactive", relationship_level="proactive")
        self.buy(pia, 70)
        self.run_cron()
        self.assertEqual(
            self.checkins(pia), [("checkin_proactive", date(2026, 3, 10), self.salesperson)]
        )
        pia.relationship_level = "partnership"
        with self.freeze("2026-04-01"):
            self.run_cron()
        # The partnership meeting starts from the last contact; no key account
        # manager: the salesperson.
        self.assertEqual(
            self.checkins(pia)[1:], [("checkin_partnership", date(2026, 4, 1), self.salesperson)]
        )

    def test_one_rule_with_days_per_level(self):
        self.only()
        with Form(self.Rule.with_user(self.manager)) as form:
            form.name = "Courtesy call"
            form.trigger = "cadence"
            form.activity_type_id = self.env.ref("mail.mail_activity_data_call")
            form.cadence_proactive_days = 30
            form.cadence_partnership_days = 10
            form.summary = "Courtesy call to {name} ({level})"
        rule = form.record
        pia = self.customer("Pia Proactive", relationship_level="proactive")
        paul = self.customer("Paul Partner", relationship_level="partnership")
        bob = self.customer("Bob Basic", relationship_level="basic")
        for customer in (pia, paul, bob):
            self.buy(customer, 5)
        for day in ("2026-03-15", "2026-03-25", "2026-04-04", "2026-04-14"):
            with self.freeze(day):
                self.run_cron()
        self.assertEqual(
            self.followups(paul, rule).mapped("date_due"),
            [date(2026, 3, 15), date(2026, 3, 25), date(2026, 4, 4), date(2026, 4, 14)],
        )
        self.assertEqual(self.followups(pia, rule).mapped("date_due"), [date(2026, 4, 4)])
        self.assertFalse(self.followups(bob, rule))
        self.assertEqual(
            self.followups(paul, rule)[0].summary, "Courtesy call to Paul Partner (Partnership)"
        )

    def test_cadence_needs_days(self):
        with self.assertRaises(ValidationError):
            self.Rule.create(
                {
                    "name": "Never",
                    "trigger": "cadence",
                    "company_id": self.company.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                }
            )

    def test_no_checkin_for_an_ended_relationship(self):
        self.only(*CHECKINS)
        pia = self.customer("Pia Proactive", relationship_level="proactive")
        self.buy(pia, 70)
        pia.write({"relationship_phase": "dissolution", "relationship_dissolution_reason": "other"})
        self.run_cron()
        self.assertFalse(self.followups(pia))
