# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.tests import Form, tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestDefaultRules(FollowupCase):
    def assertFollowup(self, partner, rule, due, user=None, summary=None):
        """The one follow-up of ``rule`` for ``partner``, with its activity."""
        occurrence = self.followups(partner, rule)
        self.assertEqual(len(occurrence), 1, f"one follow-up of {rule.code}")
        activity = occurrence.activity_id
        self.assertTrue(activity, "the follow-up has its activity")
        self.assertEqual(activity.res_id, partner.id)
        self.assertEqual(activity.relationship_followup_rule_id, rule)
        self.assertEqual(activity.activity_type_id, rule.activity_type_id)
        self.assertEqual(activity.date_deadline, due)
        self.assertEqual(activity.user_id, user or self.salesperson)
        if summary:
            self.assertEqual(activity.summary, summary)
        return activity

    def test_shipped_playbook(self):
        self.assertEqual(
            [(rule.code, rule.trigger) for rule in self.rules],
            [
                ("thank_you_call", "purchase"),
                ("satisfaction_check", "purchase"),
                ("birthday", "birthday"),
                ("anniversary", "anniversary"),
                ("checkin_reactive", "purchase"),
                ("checkin_proactive", "cadence"),
                ("checkin_partnership", "cadence"),
                ("gone_quiet", "inactivity"),
                ("win_back", "phase_change"),
                ("escalation_satisfaction", "satisfaction_low"),
                ("escalation_complaint", "complaint"),
                ("welcome_member", "stage_change"),
                ("thank_advocate", "stage_change"),
                ("interest_news", "interest"),
            ],
        )
        self.assertEqual(self.rule["welcome_member"].stage_ids, self.stage_member)
        self.assertEqual(self.rule["thank_advocate"].stage_ids, self.stage_advocate)
        self.assertEqual(
            self.rule["thank_you_call"].level_ids.mapped("code"),
            ["accountable", "proactive", "partnership"],
        )
        self.assertEqual(self.rule["checkin_reactive"].action, "email")
        self.assertTrue(self.rule["satisfaction_check"].ask_score)
        self.assertEqual(self.rule["win_back"].phase_ids.mapped("code"), ["dissolution"])
        self.assertEqual(self.rule["checkin_partnership"].assign_to, "key_account_manager")
        self.assertEqual(self.rule["escalation_complaint"].assign_to, "team_leader")
        # Consultants edit them without code.
        with Form(self.rule["thank_you_call"].with_user(self.manager)) as form:
            form.delay_days = 2
            form.summary = "Call {first_name}"
        self.assertEqual(self.rule["thank_you_call"].delay_days, 2)

    def test_ingested_sale_creates_thank_you_call_and_satisfaction_check(self):
        self.only("thank_you_call", "satisfaction_check")
        ada = self.customer("Ada Lovelace", email="ada@example.com")
        answer = self.ingest([self.row("W-1", order_date="2026-03-10 08:00:00")])
        self.assertEqual(self.statuses(answer), ["created"])
        self.assertEqual(answer["results"][0]["partner_id"], ada.id)
        self.drain()
        call = self.assertFollowup(
            ada,
            self.rule["thank_you_call"],
            date(2026, 3, 11),
            summary="Thank Ada Lovelace for the purchase",
        )
        self.assertIn("purchase of 03/10/2026", call.note)
        self.assertTrue(call.automated)
        self.assertFollowup(
            ada,
            self.rule["satisfaction_check"],
            date(2026, 3, 24),
            summary="Check that Ada Lovelace is satisfied",
        )
        self.assertEqual(self.followups(ada).mapped("origin"), ["Purchase webshop/W-1"] * 2)

    def test_new_customer_of_a_sale_goes_to_the_fallback_user(self):
        self.only("thank_you_call")
        # A new customer has no level yet: the shipped call is not for it, unless
        # a consultant calls every buyer.
        self.rule["thank_you_call"].level_ids = False
        self.rule["thank_you_call"].fallback_user_id = self.leader
        answer = self.ingest(
            [self.row("W-1", order_date="2026-03-09 18:00:00", email="new@example.com")]
        )
        self.drain()
        newcomer = self.env["res.partner"].browse(answer["results"][0]["partner_id"])
        self.assertFollowup(
            newcomer, self.rule["thank_you_call"], date(2026, 3, 10), user=self.leader
        )

    def test_history_import_makes_no_call(self):
        self.customer("Ada Lovelace", email="ada@example.com")
        answer = self.ingest([self.row("OLD-1", order_date="2025-06-01 10:00:00")])
        self.assertEqual(self.statuses(answer), ["created"])
        self.drain()
        self.assertFalse(self.followups(), "a sale older than 'skip when late' is history")

    def test_dry_run_creates_nothing(self):
        self.customer("Ada Lovelace", email="ada@example.com")
        self.ingest([self.row("W-1", order_date="2026-03-10 08:00:00")], dry_run=True)
        self.drain()
        self.assertFalse(self.followups())

    def test_birthday(self):
        self.only("birthday")
        ada = self.customer("Ada Lovelace", relationship_birthday=date(1990, 3, 17))
        self.assertEqual(ada.relationship_next_birthday, date(2026, 3, 17))
        far = self.customer("Grace Hopper", relationship_birthday=date(1985, 3, 18))
        self.run_cron()
        self.assertFollowup(
            ada,
            self.rule["birthday"],
            date(2026, 3, 17),
            summary="Birthday of Ada Lovelace on 03/17/2026: send a card",
        )
        self.assertIn("turns 36", self.followups(ada).activity_id.note)
        self.assertFalse(self.followups(far), "created 7 days ahead, not earlier")

    def test_birthday_is_kept_current_and_yearly(self):
        self.only("birthday")
        ada = self.customer("Ada Lovelace", relationship_birthday=date(1990, 3, 11))
        self.run_cron()
        self.assertEqual(len(self.followups(ada)), 1)
        self.followups(ada).activity_id.action_feedback("Card sent")
        with self.freeze("2026-03-12"):
            self.run_cron()
            self.assertEqual(ada.relationship_next_birthday, date(2027, 3, 11))
        with self.freeze("2027-03-05"):
            self.run_cron()
        keys = self.followups(ada).mapped("occurrence_key")
        self.assertEqual(keys, ["birthday:2026-03-11", "birthday:2027-03-11"])

    def test_birthday_on_february_29(self):
        self.only("birthday")
        ada = self.customer("Ada Lovelace", relationship_birthday=date(2004, 2, 29))
        self.assertEqual(ada.relationship_next_birthday, date(2027, 2, 28))
        with self.freeze("2027-02-25"):
            self.run_cron()
        self.assertFollowup(ada, self.rule["birthday"], date(2027, 2, 28))

    def test_anniversary(self):
        self.only("anniversary")
        ada = self.customer("Ada Lovelace")
        self.buy(ada, 360)
        self.assertEqual(ada.relationship_next_anniversary, date(2026, 3, 15))
        self.run_cron()
        activity = self.assertFollowup(
            ada,
            self.rule["anniversary"],
            date(2026, 3, 15),
            summary="1 year(s) with Ada Lovelace on 03/15/2026: send an anniversary card",
        )
        self.assertIn("first bought from us on 03/15/2025", activity.note)

    def test_accountable_call_after_each_sale(self):
        self.only("thank_you_call")
        ada = self.customer("Ada Lovelace", relationship_level="accountable")
        basic = self.customer("Bob Basic", relationship_level="basic")
        self.buy(ada, 0)
        self.buy(basic, 0)
        self.assertFollowup(ada, self.rule["thank_you_call"], date(2026, 3, 11))
        self.assertFalse(self.followups(basic), "only accountable relationships")
        self.buy(ada, 0, 0)
        self.assertEqual(len(self.followups(ada)), 1, "one call per day of purchase")

    def test_gone_quiet(self):
        self.only("gone_quiet")
        ada = self.customer("Ada Lovelace")
        self.buy(ada, 60, 40, 20)
        risk_date = ada.relationship_risk_date
        self.assertGreater(risk_date, date(2026, 3, 10))
        self.run_cron()
        self.assertFalse(self.followups(ada), "not quiet yet")
        with self.freeze(risk_date.strftime("%Y-%m-%d 07:00:00")):
            self.run_cron()
            activity = self.assertFollowup(ada, self.rule["gone_quiet"], risk_date)
            self.assertIn("since 02/18/2026", activity.note)
        later = date.fromordinal(risk_date.toordinal() + 20)
        with self.freeze(later.strftime("%Y-%m-%d 07:00:00")):
            self.run_cron()
        self.assertEqual(len(self.followups(ada)), 1, "one warning per quiet spell")

    def test_win_back_after_dissolution(self):
        self.only("win_back")
        ada = self.customer("Ada Lovelace")
        self.buy(ada, 100)
        ada.with_user(self.user).write(
            {"relationship_phase": "dissolution", "relationship_dissolution_reason": "competitor"}
        )
        self.assertEqual(ada.relationship_phase, "dissolution")
        self.assertFollowup(
            ada, self.rule["win_back"], date(2026, 4, 9), summary="Try to win Ada Lovelace back"
        )
        ada.with_user(self.user).write({"relationship_phase": "expansion"})
        self.assertEqual(len(self.followups(ada)), 1, "only a move to Dissolution")

    def test_escalation_on_low_satisfaction(self):
        self.only("escalation_satisfaction")
        self.rule["escalation_satisfaction"].fallback_user_id = self.leader
        ada = self.customer("Ada Lovelace")
        happy = self.customer("Happy Harry")
        Score = self.env["relationship.satisfaction"].with_user(self.user)
        Score.create([{"partner_id": ada.id, "score": 4.0}, {"partner_id": happy.id, "score": 9.0}])
        self.assertFollowup(
            ada,
            self.rule["escalation_satisfaction"],
            date(2026, 3, 10),
            user=self.leader,
            summary="Satisfaction of Ada Lovelace dropped to 4",
        )
        self.assertFalse(self.followups(happy))

    def test_escalation_on_a_low_score_from_a_survey_tool(self):
        """A score pushed by rm-sync (--kind scores) escalates as one entered by hand."""
        self.only("escalation_satisfaction")
        self.rule["escalation_satisfaction"].fallback_user_id = self.leader
        ada = self.customer("Ada Lovelace", email="ada.survey@example.com")
        answer = (
            self.env["relationship.satisfaction"]
            .with_user(self.user)
            .ingest_scores(
                [
                    {
                        "score_id": "R-1",
                        "email": "ada.survey@example.com",
                        "date": "2026-03-10 08:00:00",
                        "score": 2,
                        "scale": "csat",
                    }
                ],
                "surveytool",
            )
        )
        self.assertEqual(answer["counts"]["created"], 1)
        self.assertFollowup(
            ada,
            self.rule["escalation_satisfaction"],
            date(2026, 3, 10),
            user=self.leader,
            summary="Satisfaction of Ada Lovelace dropped to 2.5",
        )

    def test_escalation_on_complaint(self):
        self.only("escalation_complaint")
        self.rule["escalation_complaint"].fallback_user_id = self.leader
        ada = self.customer("Ada Lovelace")
        Inquiry = self.env["relationship.inquiry"].with_user(self.user)
        question = Inquiry.create(
            {"partner_id": ada.id, "name": "Opening hours?", "kind": "inquiry"}
        )
        self.assertFalse(self.followups(ada), "an inquiry is no complaint")
        Inquiry.create({"partner_id": ada.id, "name": "Broken zip", "kind": "complaint"})
        self.assertFollowup(
            ada, self.rule["escalation_complaint"], date(2026, 3, 10), user=self.leader
        )
        question.kind = "complaint"
        self.assertEqual(len(self.followups(ada)), 2, "an inquiry that turns into a complaint")

    def test_welcome_member_and_thank_advocate(self):
        self.only("welcome_member", "thank_advocate")
        ada = self.customer("Ada Lovelace")
        bob = self.customer("Bob Jumper")
        self.buy(ada, 30, 20, 10)
        self.buy(bob, 30, 20, 10)
        self.assertEqual(ada.relationship_stage_id, self.stage_client)
        self.assertFalse(self.followups())
        ada.with_user(self.user).relationship_stage_id = self.stage_member
        # A member is welcomed by email (to a customer without an address: logged only).
        welcome = self.followups(ada, self.rule["welcome_member"])
        self.assertEqual((welcome.state, welcome.activity_ids), ("done", self.Activity))
        self.assertTrue(
            ada.message_ids.filtered(
                lambda m: m.subject == "Welcome to our membership programme, Ada Lovelace"
            )
        )
        ada.with_user(self.user).relationship_stage_id = self.stage_advocate
        self.assertFollowup(ada, self.rule["thank_advocate"], date(2026, 3, 12))
        # Jumping past the Member rung in one move reaches it too.
        bob.with_user(self.user).relationship_stage_id = self.stage_advocate
        self.assertEqual(
            self.followups(bob).rule_id, self.rule["welcome_member"] | self.rule["thank_advocate"]
        )
        # Back and forth: no second welcome.
        self.env["relationship.stage.backward"].with_user(self.user).create(
            {
                "partner_ids": ada.ids,
                "stage_id": self.stage_client.id,
                "reason": "Left the club by mistake",
                "lock": False,
            }
        ).action_confirm()
        ada.with_user(self.user).relationship_stage_id = self.stage_member
        self.assertEqual(len(self.followups(ada)), 2)

    def test_interest_news(self):
        self.only("interest_news")
        hiking = self.env["res.partner.category"].create({"name": "Hiking"})
        ada = self.customer(
            "Ada Lovelace", relationship_level="proactive", category_id=[(6, 0, hiking.ids)]
        )
        plain = self.customer("No Interests", relationship_level="proactive")
        self.buy(ada, 95)
        self.buy(plain, 95)
        self.run_cron()
        activity = self.assertFollowup(ada, self.rule["interest_news"], date(2026, 3, 10))
        self.assertEqual(activity.summary, "Send Ada Lovelace an article or news about Hiking")
        self.assertFalse(self.followups(plain))
        with self.freeze("2026-06-07"):
            self.run_cron()
        self.assertEqual(len(self.followups(ada)), 1, "every 90 days")
        with self.freeze("2026-06-08"):
            self.run_cron()
        self.assertEqual(
            self.followups(ada).mapped("date_due"), [date(2026, 3, 10), date(2026, 6, 8)]
        )

    def test_membership_trigger_and_programme_filter(self):
        self.only()
        club = self.env["relationship.programme"].create(
            {
                "name": "Trail Club",
                "kind": "club",
                "auto_enrol": False,
                "company_id": self.company.id,
            }
        )
        other = self.env["relationship.programme"].create(
            {
                "name": "Points",
                "kind": "frequency",
                "auto_enrol": False,
                "company_id": self.company.id,
            }
        )
        welcome = self.Rule.create(
            {
                "name": "Welcome to the club",
                "company_id": self.company.id,
                "trigger": "membership",
                "programme_ids": [Command.set(club.ids)],
                "delay_days": 2,
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "summary": "Welcome {name} to {programme}",
            }
        )
        ada = self.customer("Ada Lovelace")
        Membership = self.env["relationship.membership"]
        draft = Membership.create({"partner_id": ada.id, "programme_id": club.id})
        Membership.create({"partner_id": ada.id, "programme_id": other.id, "state": "active"})
        self.assertFalse(self.followups(ada), "a draft membership, another programme")
        draft.action_activate()
        activity = self.assertFollowup(ada, welcome, date(2026, 3, 12))
        self.assertEqual(activity.summary, "Welcome Ada Lovelace to Trail Club")
        # The programme filter of another trigger looks at the active memberships.
        self.rule["birthday"].write({"active": True, "programme_ids": [Command.set(club.ids)]})
        bob = self.customer("Bob Outsider", relationship_birthday=date(1990, 3, 12))
        ada.relationship_birthday = date(1990, 3, 12)
        self.run_cron()
        self.assertEqual(self.followups(ada, self.rule["birthday"]).partner_id, ada)
        self.assertFalse(self.followups(bob))

    def test_history_load_without_follow_ups(self):
        ada = self.customer("Ada Lovelace", email="ada@example.com")
        answer = self.Purchase.with_user(self.user).ingest_history(
            [self.row("W-1", order_date="2026-03-10 08:00:00")], "webshop"
        )
        self.assertEqual(answer["counts"]["created"], 1)
        ada.invalidate_recordset()
        self.assertEqual(ada.relationship_order_count, 1, "the sale is landed")
        self.drain()
        self.assertFalse(self.followups())

    def test_follow_ups_cannot_be_switched_off_over_rpc(self):
        """A context sent over RPC (plain values) switches no follow-up off: the
        former key, and the key of ingest_history with any value a caller can
        send, are ignored."""
        ada = self.customer("Ada Lovelace", email="ada@example.com")
        Purchase = self.Purchase.with_user(self.user)
        for day, context in (
            ("2026-03-09", {"relationship_followup_skip": True}),
            ("2026-03-10", {"relationship_followups_off": True}),
        ):
            answer = Purchase.with_context(**context).ingest_batch(
                [self.row(f"W-{day}", order_date=f"{day} 08:00:00")], "webshop"
            )
            self.assertEqual(answer["counts"]["created"], 1)
        self.drain()
        self.assertEqual(
            self.followups(ada, self.rule["thank_you_call"]).mapped("occurrence_key"),
            ["purchase:2026-03-09", "purchase:2026-03-10"],
        )
