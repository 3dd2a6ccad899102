# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.relationship_marketing.tests.common import RelationshipCase


@tagged("post_install", "-at_install")
class TestMailingListSync(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.List = cls.env["mailing.list"]
        cls.newsletter = cls.List.search([("relationship_stage_id", "=", cls.stage_client.id)])

    def customer(self, name, stage=None, **values):
        partner = self.Partner.create(
            {
                "name": name,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "company_id": self.company.id,
                **values,
            }
        )
        if stage:
            partner.relationship_stage_id = stage
        return partner

    def subscribers(self, mailing_list, opt_out=False):
        return set(
            mailing_list.subscription_ids.filtered(lambda sub: sub.opt_out == opt_out).mapped(
                "contact_id.email_normalized"
            )
        )

    def test_each_rung_has_its_newsletter(self):
        lists = self.List.search([("relationship_company_id", "=", self.company.id)])
        self.assertEqual(lists.relationship_stage_id, self.stages)
        self.assertEqual(self.newsletter.name, "Newsletter: Client and above (Outdoor Goods Ltd)")
        self.assertTrue(self.newsletter.relationship_stage_and_above)
        self.assertFalse(self.newsletter.is_public)

    def test_clients_and_above_are_subscribed_when_they_get_there(self):
        self.customer("Pat Prospect", self.stage_prospect)
        self.customer("Carl Client", self.stage_client)
        self.customer("Mia Member", self.stage_member)
        self.customer("No Mail", self.stage_client, email=False)
        self.List._cron_relationship_sync_moves()
        self.assertEqual(
            self.subscribers(self.newsletter), {"carl.client@example.com", "mia.member@example.com"}
        )
        # Three purchases in a year make a client, a subscriber at the next run
        # of the scheduled action (minutes later).
        buyer = self.customer("Bea Buyer")
        self.env["relationship.purchase"].create(
            [
                {
                    "source": "pos",
                    "external_id": f"B-{day}",
                    "partner_id": buyer.id,
                    "date_order": fields.Datetime.now() - timedelta(days=day),
                    "amount": 40.0,
                    "company_id": self.company.id,
                }
                for day in (1, 20, 40)
            ]
        )
        self.assertEqual(buyer.relationship_stage_id, self.stage_client)
        self.assertNotIn("bea.buyer@example.com", self.subscribers(self.newsletter))
        self.List._cron_relationship_sync_moves()
        self.assertIn("bea.buyer@example.com", self.subscribers(self.newsletter))
        contact = self.newsletter.subscription_ids.contact_id.filtered(
            lambda contact: contact.email_normalized == "bea.buyer@example.com"
        )
        self.assertEqual(contact.name, "Bea Buyer")
        # A campaign to the list reaches them (Email Marketing's own recipients).
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "News",
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                "contact_list_ids": [Command.set(self.newsletter.ids)],
            }
        )
        self.assertEqual(len(mailing._get_recipients()), 3)

    def test_unsubscribed_and_blacklisted_are_never_subscribed_again(self):
        carl = self.customer("Carl Client", self.stage_client)
        self.List._cron_relationship_sync_moves()
        subscription = self.newsletter.subscription_ids
        self.assertEqual(len(subscription), 1)
        subscription.opt_out = True
        self.env["mail.blacklist"].create({"email": "mia.member@example.com"})
        mia = self.customer("Mia Member", self.stage_member)
        self.newsletter.action_relationship_sync()
        carl.relationship_stage_id = self.stage_member
        self.List._cron_relationship_sync_moves()
        self.assertEqual(self.newsletter.subscription_ids, subscription, "still the one opt-out")
        self.assertTrue(subscription.opt_out)
        self.assertFalse(self.subscribers(self.newsletter))
        self.assertEqual(self.subscribers(self.newsletter, opt_out=True), {carl.email_normalized})
        self.assertNotIn(mia.email_normalized, self.subscribers(self.newsletter, opt_out=True))

    def test_a_level_list_and_a_segment_list_follow_the_nightly_run(self):
        vip = self.env["relationship.segment"].create(
            {"name": "VIP", "rule": "manual", "company_id": self.company.id}
        )
        level_list = self.List.create(
            {
                "name": "Accountable and above",
                "relationship_rule": "level",
                "relationship_level": "accountable",
            }
        )
        segment_list = self.List.create(
            {
                "name": "VIP news",
                "relationship_rule": "segment",
                "relationship_segment_id": vip.id,
            }
        )
        self.assertEqual(level_list.relationship_company_id, self.company)
        ada = self.customer(
            "Ada Close",
            self.stage_first_time,
            relationship_level="proactive",
            relationship_level_set_by_hand=True,
        )
        bob = self.customer(
            "Bob Far",
            self.stage_first_time,
            relationship_level="basic",
            relationship_level_set_by_hand=True,
        )
        ada.relationship_segment_id = vip
        self.Partner._relationship_nightly_end(self.company)
        self.assertEqual(self.subscribers(level_list), {ada.email_normalized})
        self.assertEqual(self.subscribers(segment_list), {ada.email_normalized})
        self.assertTrue(level_list.relationship_synced_on)
        # Ada's relationship is now basic and she left the segment: taken off.
        ada.write({"relationship_level": "basic", "relationship_segment_id": False})
        bob.relationship_level = "partnership"
        self.Partner._relationship_nightly_end(self.company)
        self.assertEqual(self.subscribers(level_list), {bob.email_normalized})
        self.assertFalse(self.subscribers(segment_list))

    def test_a_batch_of_moves_costs_the_same_queries_for_2_or_20_customers(self):
        lists = self.List.search([("relationship_company_id", "=", self.company.id)])

        def queries_to_subscribe(count, start):
            with patch.object(type(self.List), "_relationship_sync", lambda *args, **kwargs: None):
                partners = self.Partner.create(
                    [
                        {
                            "name": f"Client {n}",
                            "email": f"client{n}@example.com",
                            "company_id": self.company.id,
                            "relationship_stage_id": self.stage_client.id,
                        }
                        for n in range(start, start + count)
                    ]
                )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            lists._relationship_sync(partners=self.Partner.browse(partners.ids))
            self.env.flush_all()
            count_queries = self.cr.sql_log_count - before
            self.assertEqual(len(self.subscribers(self.newsletter)), start + count)
            return count_queries

        queries_to_subscribe(2, 0)  # warms the caches (rules, models)
        self.assertEqual(queries_to_subscribe(2, 2), queries_to_subscribe(20, 4))

    def test_lists_of_a_company_are_its_own(self):
        other = self.env["res.company"].create({"name": "Other Goods Ltd"})
        outsider = new_test_user(
            self.env,
            login="rm_other_marketer",
            groups="mass_mailing.group_mass_mailing_user",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        shared = self.List.create({"name": "Everyone"})
        visible = (
            self.List.with_user(outsider).with_context(allowed_company_ids=other.ids).search([])
        )
        self.assertIn(shared, visible)
        self.assertNotIn(self.newsletter, visible)
        self.assertTrue(
            self.List.with_user(outsider)
            .with_context(allowed_company_ids=other.ids)
            .search([("relationship_company_id", "=", other.id)])
        )
        self.assertFalse(shared.relationship_company_id, "a list filled by hand stays shared")

    def test_a_list_needs_what_it_follows_in_its_company(self):
        with self.assertRaisesRegex(ValidationError, "Choose the Development Stage"):
            self.List.create({"name": "No stage", "relationship_rule": "stage"})
        other = self.env["res.company"].create({"name": "Other Goods Ltd"})
        with self.assertRaisesRegex(ValidationError, "choose a stage or segment of that company"):
            self.List.create(
                {
                    "name": "Wrong ladder",
                    "relationship_rule": "stage",
                    "relationship_company_id": other.id,
                    "relationship_stage_id": self.stage_client.id,
                }
            )
