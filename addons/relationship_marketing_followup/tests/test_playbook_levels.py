# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestPlaybookLevels(FollowupCase):
    """The shipped playbook, every rule switched on, follows the levels."""

    def sale(self, partner):
        self.buy(partner, 0)
        return self.followups(partner)

    def test_basic_and_no_level_get_no_personal_activity(self):
        basic = self.customer("Bob Basic", email="bob@example.com", relationship_level="basic")
        nobody = self.customer("Nina Nolevel", email="nina@example.com", relationship_level=False)
        self.assertFalse(nobody.relationship_level)
        for partner in (basic, nobody):
            self.assertFalse(self.sale(partner), "the salesperson simply sells")
            self.assertFalse(self.activities(partner))

    def test_reactive_gets_an_email_inviting_to_call(self):
        rita = self.customer(
            "Rita Reactive", email="rita@example.com", relationship_level="reactive"
        )
        followup = self.sale(rita)
        self.assertEqual(followup.rule_id, self.rule["checkin_reactive"])
        self.assertEqual(followup.state, "done", "an email is done once sent")
        self.assertFalse(self.activities(rita), "no call for a Reactive customer")
        message = rita.message_ids.filtered(
            lambda m: m.subject == "Thank you for your purchase, Rita Reactive"
        )
        self.assertEqual(len(message), 1, "the email is in the customer's chatter")
        self.assertIn("call us", message.body)
        self.assertEqual(message.partner_ids, rita)
        mails = self.env["mail.mail"].search([("recipient_ids", "in", rita.ids)])
        self.assertEqual(len(mails), 1, "one email to the customer")
        self.assertEqual(mails.state, "outgoing", "queued for the mail cron")

    def test_accountable_gets_the_after_sale_call_and_satisfaction_check(self):
        ada = self.customer("Ada Accountable", relationship_level="accountable")
        followups = self.sale(ada)
        self.assertEqual(followups.rule_id.mapped("code"), ["thank_you_call", "satisfaction_check"])
        self.assertEqual(followups.activity_ids.user_id, self.salesperson)
        self.assertEqual(
            sorted(followups.activity_ids.mapped("date_deadline")),
            [date(2026, 3, 11), date(2026, 3, 24)],
        )

    def test_proactive_and_partnership_get_their_cadences(self):
        paul = self.customer("Paul Proactive", relationship_level="proactive")
        petra = self.customer(
            "Petra Partner",
            relationship_level="partnership",
            relationship_key_account_manager_id=self.leader.id,
        )
        self.buy(paul, 70)
        self.buy(petra, 70)
        self.run_cron()
        proactive, partnership = self.rule["checkin_proactive"], self.rule["checkin_partnership"]
        self.assertEqual(len(self.followups(paul, proactive)), 1)
        self.assertFalse(self.followups(paul, partnership))
        self.assertEqual(self.followups(petra, partnership).user_id, self.leader)
        self.assertFalse(self.followups(petra, proactive))

    def test_gone_quiet_only_for_customers_worth_a_call(self):
        self.only("gone_quiet")
        self.rule["gone_quiet"].inactivity_days = 30
        ada = self.customer("Ada Accountable", relationship_level="accountable")
        rita = self.customer("Rita Reactive", relationship_level="reactive")
        top = self.customer("Tom Top", relationship_level="basic")
        for partner in (ada, rita, top):
            self.buy(partner, 40)
        # A top customer (Pareto) is worth a call whatever its level.
        (ada | rita).sudo().relationship_pareto = False
        top.sudo().relationship_pareto = True
        self.run_cron()
        self.assertTrue(self.followups(ada))
        self.assertTrue(self.followups(top))
        self.assertFalse(self.followups(rita), "a Reactive customer is not called")

    def test_no_win_back_after_fraud(self):
        self.only("win_back")
        cheat, lost = self.customer("Carl Cheat"), self.customer("Lisa Lost")
        self.buy(cheat, 100)
        self.buy(lost, 100)
        cheat.with_user(self.user).write(
            {"relationship_phase": "dissolution", "relationship_dissolution_reason": "fraud"}
        )
        lost.with_user(self.user).write(
            {"relationship_phase": "dissolution", "relationship_dissolution_reason": "competitor"}
        )
        self.assertFalse(self.followups(cheat), "nobody wins back a fraud")
        self.assertTrue(self.followups(lost))

    def test_shipped_rules_never_fall_back_on_the_administrator(self):
        admin = self.env.ref("base.user_admin")
        company = self.env["res.company"].with_user(admin).sudo().create({"name": "Fresh Ltd"})
        rules = self.Rule.search([("company_id", "=", company.id)])
        self.assertTrue(rules)
        self.assertFalse(rules.fallback_user_id)
        self.assertFalse(company.relationship_followup_user_id)

    def test_old_events_make_nothing_even_without_a_window(self):
        self.only("thank_you_call")
        self.rule["thank_you_call"].skip_after_days = 0
        ada = self.customer("Ada Accountable")
        self.buy(ada, 200)
        self.assertFalse(self.followups(ada), "an event has a window of 30 days")
        self.buy(ada, 10)
        self.assertEqual(len(self.followups(ada)), 1, "a recent sale still counts")

    def test_mass_customers_then_ten_accountable(self):
        """Issue 17's end-to-end story at the server method (rm-sync's
        ``ingest_batch``): ingested customers of a salesperson (set on the contact
        here: the ``salesperson`` column is another change)."""
        admin = self.env.ref("base.user_admin")
        on_admin = self.Activity.search_count([("user_id", "=", admin.id)])  # demo data
        rows = [
            self.row(
                f"M-{n}",
                order_date="2026-03-09 10:00:00",
                customer_id=f"C-{n}",
                email=f"mass{n}@example.com",
                name=f"Mass {n}",
            )
            for n in range(150)
        ]
        answer = self.ingest(rows)
        self.assertEqual(set(self.statuses(answer)), {"created"})
        customers = self.env["res.partner"].browse(r["partner_id"] for r in answer["results"])
        customers.write({"user_id": self.salesperson.id})
        self.drain()
        self.assertEqual(set(customers.mapped("relationship_level")) - {"basic"}, set())
        self.assertFalse(self.followups(), "150 Basic customers: no activity")
        ten = customers[:10]
        ten.write({"relationship_level": "accountable", "relationship_level_set_by_hand": True})
        self.ingest(
            [
                self.row(
                    f"N-{n}",
                    order_date="2026-03-10 08:00:00",
                    customer_id=f"C-{n}",
                    email=f"mass{n}@example.com",
                    name=f"Mass {n}",
                )
                for n in range(150)
            ]
        )
        self.drain()
        calls = self.followups(rule=self.rule["thank_you_call"])
        self.assertEqual(calls.partner_id, ten)
        self.assertEqual(calls.activity_ids.user_id, self.salesperson)
        self.assertEqual(self.Activity.search_count([("user_id", "=", admin.id)]), on_admin)
