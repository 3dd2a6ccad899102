# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.modules.migration import load_script
from odoo.tests import Form, tagged
from odoo.tools import SQL

from odoo.addons.relationship_marketing_followup.tests.common import FollowupCase

from ..models.relationship_followup_rule import (
    KEY_CUSTOMER_OPPORTUNITY,
    _opportunity_rules_become_activities,
)


@tagged("post_install", "-at_install")
class TestOpportunityFollowups(FollowupCase):
    """The follow-up action 'create an opportunity', for key customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"]
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Outdoor sales",
                "company_id": cls.company.id,
                "member_ids": [Command.set(cls.salesperson.ids)],
            }
        )
        cls.opportunity_rule = cls.Rule.with_context(active_test=False).search(
            [("company_id", "=", cls.company.id), ("code", "=", KEY_CUSTOMER_OPPORTUNITY)]
        )

    def setUp(self):
        super().setUp()
        self.only()
        # The consultant switches the shipped rule on.
        self.opportunity_rule.with_user(self.manager).action_unarchive()

    def sell(self, *partners, order_date="2026-03-10 08:00:00", prefix="W"):
        """One purchase each, ingested as from the webshop."""
        self.ingest(
            [
                self.row(
                    f"{prefix}-{partner.id}",
                    order_date=order_date,
                    customer_id=f"C-{partner.id}",
                    email=partner.email,
                    name=partner.name,
                    amount=120.0,
                )
                for partner in partners
            ]
        )
        self.drain()

    def opportunities(self, partners):
        return self.Lead.search([("partner_id", "in", partners.ids)], order="id")

    def top(self, name):
        partner = self.customer(name, email=f"{name.split()[-1].lower()}@example.com")
        partner.relationship_pareto = True
        return partner

    def test_the_shipped_rule_waits_for_the_consultant(self):
        rule = self.opportunity_rule
        self.assertEqual(len(rule), 1, "every company's playbook has it")
        self.assertEqual(
            (
                rule.name,
                rule.trigger,
                rule.action,
                rule.delay_days,
                rule.opportunity_key_customers_only,
            ),
            ("Opportunity for a key customer", "purchase", "opportunity", 7, True),
        )
        company = self.env["res.company"].create({"name": "Company B"})
        shipped = self.Rule.with_context(active_test=False).search(
            [("company_id", "=", company.id), ("code", "=", KEY_CUSTOMER_OPPORTUNITY)]
        )
        self.assertEqual(len(shipped), 1, "a new company's playbook has it too")
        self.assertFalse(shipped.active, "archived until a consultant switches it on")
        # Installing the bridge on a database with playbooks gives them the rule once.
        self.assertFalse(self.Rule._relationship_create_opportunity_rules(self.company | company))

    def test_a_key_customer_gets_an_opportunity_for_the_sales_team(self):
        tina = self.top("Top Tina")
        self.sell(tina)
        occurrence = self.followups(tina, self.opportunity_rule)
        self.assertEqual(len(occurrence), 1)
        self.assertFalse(self.activities(tina), "an opportunity, not an activity")
        opportunity = self.opportunities(tina)
        self.assertEqual(len(opportunity), 1)
        self.assertEqual(
            (
                opportunity.type,
                opportunity.name,
                opportunity.user_id,
                opportunity.team_id,
                opportunity.company_id,
                opportunity.date_deadline,
                opportunity.expected_revenue,
                opportunity.relationship_followup_occurrence_id,
            ),
            (
                "opportunity",
                "Next sale with Top Tina",
                self.salesperson,
                self.team,
                self.company,
                date(2026, 3, 17),
                120.0,
                occurrence,
            ),
        )
        self.assertIn("What else could they need?", opportunity.description)
        self.assertIn("Key customer: a top customer.", opportunity.description)
        self.assertEqual(occurrence.state, "done", "the pipeline follows it from there")

    def test_only_key_customers_without_an_open_opportunity(self):
        tina = self.top("Top Tina")
        busy = self.top("Busy Bea")
        open_one = self.Lead.create(
            {"name": "Tents for Bea", "type": "opportunity", "partner_id": busy.id}
        )
        # At the level recommended for her, with no purchase and no score: no key
        # customer. Her follow-up is scheduled by hand, the same way in.
        plain = self.customer("Plain Pat", relationship_level="partnership")
        self.sell(tina, busy)
        self.assertFalse(plain._relationship_opportunity_reasons()[plain.id])
        self.assertFalse(self.opportunity_rule._followup_schedule_by_hand(plain))
        self.assertEqual(self.opportunities(tina | busy | plain).partner_id, tina | busy)
        self.assertEqual(self.opportunities(busy), open_one, "no second opportunity")
        self.assertEqual(
            self.followups(rule=self.opportunity_rule).partner_id,
            tina,
            "the others are left for when they qualify",
        )
        # Tina buys again: she has her open opportunity now.
        self.sell(tina, order_date="2026-03-10 09:00:00", prefix="again")
        self.assertEqual(len(self.opportunities(tina)), 1)
        # Once it is won, her next purchase opens the next one.
        self.opportunities(tina).action_set_won()
        with self.freeze("2026-03-12 09:00:00"):
            self.sell(tina, order_date="2026-03-12 08:00:00", prefix="later")
        self.assertEqual(len(self.opportunities(tina)), 2)

    def test_a_rule_for_every_customer_with_its_own_team_and_revenue(self):
        tag = self.env["crm.tag"].create({"name": "Playbook"})
        other_team = self.env["crm.team"].create({"name": "Key accounts"})
        with Form(self.opportunity_rule.with_user(self.manager)) as form:
            form.opportunity_key_customers_only = False
            form.opportunity_team_id = other_team
            form.opportunity_expected_revenue = 5000.0
            form.opportunity_tag_ids.add(tag)
            form.summary = ""
        plain = self.customer("Plain Pat", relationship_level="partnership")
        self.assertTrue(self.opportunity_rule._followup_schedule_by_hand(plain))
        opportunity = self.opportunities(plain)
        self.assertEqual(
            (
                opportunity.name,
                opportunity.team_id,
                opportunity.expected_revenue,
                opportunity.tag_ids,
                opportunity.user_id,
            ),
            (
                "Opportunity for a key customer: Plain Pat",
                other_team,
                5000.0,
                tag,
                self.salesperson,
            ),
        )
        self.assertNotIn("Key customer", opportunity.description)

    def test_by_hand_says_why_nothing_opens(self):
        plain = self.customer("Plain Pat", relationship_level="partnership")
        rule = self.opportunity_rule.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "Plain Pat is no key customer"):
            rule._followup_schedule_by_hand_or_fail(plain)
        tina = self.top("Top Tina")
        self.assertTrue(rule._followup_schedule_by_hand_or_fail(tina))
        self.assertEqual(len(self.opportunities(tina)), 1)
        with self.assertRaisesRegex(UserError, "Top Tina has an open opportunity already"):
            rule._followup_schedule_by_hand_or_fail(tina)

    def test_the_box_of_older_versions_becomes_a_rule_of_its_own(self):
        """18.0.1.0.0 had a box: the activity for every customer, an opportunity too."""
        call = self.rule["thank_you_call"]
        self.only("thank_you_call")
        self.opportunity_rule.active = False
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL("ALTER TABLE relationship_followup_rule ADD COLUMN create_opportunity boolean")
        )
        cr.execute(
            SQL(
                "UPDATE relationship_followup_rule SET create_opportunity = TRUE WHERE id = %s",
                call.id,
            )
        )
        load_script(
            "relationship_marketing_followup_crm/migrations/18.0.1.1.0/post-migration.py",
            "post_migration_18_0_1_1_0",
        ).migrate(cr, "18.0.1.0.0")
        self.env.invalidate_all()
        copies = self.Rule.search([("name", "=", "Thank-you call after a sale: opportunity")])
        self.assertEqual(call.action, "activity", "the call is made as before")
        self.assertEqual(
            (copies.name, copies.action, copies.trigger, copies.active, copies.level_ids),
            (
                "Thank-you call after a sale: opportunity",
                "opportunity",
                "purchase",
                True,
                call.level_ids,
            ),
        )
        tina = self.top("Top Tina")
        self.sell(tina)
        self.assertEqual(len(self.activities(tina)), 1)
        self.assertEqual(
            self.opportunities(tina).relationship_followup_occurrence_id.rule_id, copies
        )

    def test_without_the_bridge_the_rules_make_archived_activities(self):
        rule = self.opportunity_rule
        _opportunity_rules_become_activities(rule)
        self.assertEqual(
            (rule.action, rule.active, rule.activity_type_id),
            ("activity", False, self.env.ref("mail.mail_activity_data_call")),
        )

    def test_the_preview_says_an_opportunity(self):
        Preview = self.env["relationship.followup.preview"]
        self.assertEqual(
            Preview._assignment(self.opportunity_rule, self.salesperson),
            "Opportunity for Sam Seller",
        )
        # Nothing in store for a customer the rule would leave out.
        plain = self.customer("Plain Pat", relationship_level="partnership")
        tina = self.top("Top Tina")
        facts = (plain | tina)._relationship_followup_facts()
        self.assertFalse(Preview._rule_applies(self.opportunity_rule, plain, facts[plain.id]))
        self.assertTrue(Preview._rule_applies(self.opportunity_rule, tina, facts[tina.id]))

    def test_one_opportunity_for_two_purchases_of_a_batch(self):
        tina = self.top("Top Tina")
        self.ingest(
            [
                self.row(
                    f"W-{day}",
                    order_date=f"2026-03-{day} 08:00:00",
                    customer_id="C-tina",
                    email=tina.email,
                    name=tina.name,
                )
                for day in ("09", "10")
            ]
        )
        self.drain()
        self.assertEqual(len(self.opportunities(tina)), 1)
        self.assertEqual(len(self.followups(tina, self.opportunity_rule)), 1)
