# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ClubCase


@tagged("post_install", "-at_install")
class TestClubMembership(ClubCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.club.action_switch_to_odoo_memberships()

    def test_the_fee_is_invoiced_and_paying_it_makes_a_member(self):
        self.assertEqual(self.ada.relationship_stage_id, self.stage_of["client"])
        membership = self.env["relationship.membership"].create(
            {"partner_id": self.ada.id, "programme_id": self.club.id}
        )
        action = membership.action_invoice_fee()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(
            (invoice.partner_id, invoice.invoice_line_ids.product_id, invoice.amount_untaxed),
            (self.ada, self.product, 60.0),
        )
        self.end_transaction()
        self.assertEqual(
            (membership.state, membership.odoo_membership_state, membership.invoice_id),
            ("draft", "waiting", invoice),
        )
        invoice.action_post()
        self.end_transaction()
        self.assertEqual(
            (membership.state, membership.odoo_membership_state), ("draft", "invoiced")
        )
        self.assertFalse(self.ada.relationship_membership_active)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_of["client"])

        self.pay(invoice)
        self.assertEqual(
            (membership.state, membership.fee_paid, membership.odoo_membership_state),
            ("active", True, "paid"),
        )
        self.assertEqual(membership.date_end, self.product.membership_date_to)
        self.assertTrue(self.ada.relationship_membership_active)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_of["member"])
        move = self.ada.relationship_stage_history_ids.sorted("id")[-1]
        self.assertEqual((move.stage_to_id, move.move_type), (self.stage_of["member"], "automatic"))
        with self.assertRaises(UserError):
            membership.action_invoice_fee()

    def test_an_invoice_of_the_product_enrols_its_customer(self):
        bob = self.client("Bob Builder")
        invoice = bob.create_membership_invoice(self.product, 60.0)
        self.pay(invoice)
        membership = self.membership_of(bob)
        self.assertEqual(
            (membership.state, membership.date_start, membership.invoice_id),
            ("active", self.product.membership_date_from, invoice),
        )
        self.assertEqual(bob.relationship_stage_id, self.stage_of["member"])
        self.assertEqual(self.club.member_count, 1)
        self.assertEqual(self.club.odoo_member_count, 1)

    def test_a_cancelled_invoice_ends_the_membership_not_the_rung(self):
        invoice = self.ada.create_membership_invoice(self.product, 60.0)
        self.pay(invoice)
        membership = self.membership_of(self.ada)
        self.assertEqual(membership.state, "active")
        invoice.line_ids.remove_move_reconcile()
        invoice.button_draft()
        invoice.button_cancel()
        self.end_transaction()
        self.assertEqual(
            (membership.state, membership.odoo_membership_state), ("cancelled", "canceled")
        )
        self.assertFalse(self.ada.relationship_membership_active)
        # the automatic ladder never moves down
        self.assertEqual(self.ada.relationship_stage_id, self.stage_of["member"])

    def test_a_renewal_carries_the_membership_on(self):
        last_year = self.today - timedelta(days=360)
        self.product.write(
            {
                "membership_date_from": last_year - timedelta(days=10),
                "membership_date_to": self.today - timedelta(days=5),
            }
        )
        with freeze_time(last_year):
            self.pay(self.ada.create_membership_invoice(self.product, 60.0))
        membership = self.membership_of(self.ada)
        self.assertEqual(membership.state, "active")
        # a year later, Odoo's daily membership cron finds the period over
        self.env["res.partner"]._cron_update_membership()
        self.end_transaction()
        self.assertEqual((membership.state, membership.odoo_membership_state), ("expired", "old"))
        self.assertFalse(self.ada.relationship_membership_active)

        self.product.write(
            {
                "membership_date_from": self.today - timedelta(days=4),
                "membership_date_to": self.today + timedelta(days=360),
            }
        )
        renewal = self.ada.create_membership_invoice(self.product, 60.0)
        self.pay(renewal)
        self.assertEqual(self.membership_of(self.ada), membership, "one membership, carried on")
        self.assertEqual(
            (membership.state, membership.invoice_id, membership.date_start, membership.date_end),
            ("active", renewal, last_year - timedelta(days=10), self.today + timedelta(days=360)),
        )
        self.assertTrue(self.ada.relationship_membership_active)

    def test_a_paid_membership_whose_period_ended_is_expired(self):
        self.product.write(
            {
                "membership_date_from": self.today - timedelta(days=400),
                "membership_date_to": self.today - timedelta(days=35),
            }
        )
        self.pay(self.ada.create_membership_invoice(self.product, 60.0))
        self.assertFalse(self.membership_of(self.ada), "nothing current to follow")
        self.assertFalse(self.ada.relationship_membership_active)

    def test_free_members_are_members_without_a_fee(self):
        self.ada.free_member = True
        self.end_transaction()
        membership = self.membership_of(self.ada)
        self.assertEqual(
            (membership.state, membership.fee_paid, membership.odoo_membership_state),
            ("active", True, "free"),
        )
        self.assertEqual(self.ada.relationship_stage_id, self.stage_of["member"])
        self.ada.free_member = False
        self.end_transaction()
        self.assertEqual(membership.state, "cancelled")

    def test_restricted_clubs_keep_their_affinity_rules(self):
        hikers = self.env["res.partner.category"].create({"name": "Hikers"})
        product = self.env["product.product"].create(
            {
                "name": "Hikers' Club Membership",
                "membership": True,
                "type": "service",
                "list_price": 10.0,
                "taxes_id": False,
            }
        )
        club = self.env["relationship.programme"].create(
            {
                "name": "Hikers' Club",
                "kind": "club",
                "club_access": "affinity",
                "affinity_category_ids": [(6, 0, hikers.ids)],
                "membership_product_id": product.id,
            }
        )
        club.action_switch_to_odoo_memberships()
        carl = self.client("Carl Climber", category_id=[(6, 0, hikers.ids)])
        for partner in (self.ada, carl):
            self.pay(partner.create_membership_invoice(product, 10.0))
        self.assertEqual(self.membership_of(carl, club).state, "active")
        self.assertEqual(
            self.membership_of(self.ada, club).state, "draft", "paid, but not one of the group"
        )
        self.assertFalse(self.ada.relationship_membership_active)

    def test_the_invoice_of_a_company_makes_members_of_its_club_only(self):
        other = self.env["res.company"].create({"name": "Other Trails Ltd"})
        other_club = (
            self.env["relationship.programme"]
            .with_company(other)
            .create(
                {
                    "name": "Other Club",
                    "kind": "club",
                    "club_access": "open",
                    "company_id": other.id,
                    "membership_product_id": self.product.id,
                }
            )
        )
        other_club.action_switch_to_odoo_memberships()
        bob = self.env["res.partner"].create({"name": "Bob Builder", "street": "2 Main St"})
        self.pay(bob.create_membership_invoice(self.product, 60.0))
        memberships = (
            self.env["relationship.membership"].sudo().search([("partner_id", "=", bob.id)])
        )
        self.assertEqual(memberships.programme_id, self.club, "invoiced by the first company")

    def test_new_customers_are_no_members_without_a_query(self):
        """A connector's batch creates customers by the thousand: Odoo's
        membership state of those without any line costs no query."""

        def queries_of_new(count):
            customers = self.env["res.partner"].create(
                [{"name": f"New {count}-{n}", "company_id": self.company.id} for n in range(count)]
            )
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            customers._compute_membership_state()
            return customers, self.env.cr.sql_log_count - before

        queries_of_new(1)  # caches of the registry
        _few, few_queries = queries_of_new(2)
        customers, queries = queries_of_new(20)
        self.assertEqual(queries, few_queries)
        self.assertEqual(set(customers.mapped("membership_state")), {"none"})
        self.assertFalse(any(customers.mapped("membership_start")))
        # with a line, Odoo's own computation decides as ever
        self.pay(customers[0].create_membership_invoice(self.product, 60.0))
        self.assertEqual(customers[0].membership_state, "paid")

    def test_paid_clubs_invoiced_by_odoo_are_not_activated_by_hand(self):
        membership = self.env["relationship.membership"].create(
            {"partner_id": self.ada.id, "programme_id": self.club.id}
        )
        with self.assertRaises(UserError):
            membership.action_activate()

    def test_a_club_product_is_a_club_of_one_company(self):
        with self.assertRaises(ValidationError):
            self.env["relationship.programme"].create(
                {"name": "Points", "kind": "frequency", "membership_product_id": self.product.id}
            )
        twin = self.club.copy({"name": "Trail Club Again"})
        with self.assertRaises(ValidationError):
            twin.action_switch_to_odoo_memberships()

    def test_the_fee_follows_the_product_in_the_form(self):
        form = Form(self.env["relationship.programme"])
        form.name = "Summit Club"
        form.kind = "club"
        form.club_access = "paid"
        form.auto_enrol = False
        form.membership_product_id = self.product
        self.assertEqual(form.fee, 60.0)
        club = form.save()
        self.assertFalse(club.fees_owned_by_odoo, "the consultant switches when ready")


@tagged("post_install", "-at_install")
class TestSwitchToOdooMemberships(ClubCase):
    """A database that kept its paid club by hand: nothing is lost, the
    consultant chooses when Odoo's invoices take over."""

    def test_until_switched_the_club_is_kept_by_hand(self):
        membership = self.env["relationship.membership"].create(
            {"partner_id": self.ada.id, "programme_id": self.club.id}
        )
        self.pay(self.ada.create_membership_invoice(self.product, 60.0))
        self.assertEqual((membership.state, membership.odoo_membership_state), ("draft", False))
        with self.assertRaises(UserError):
            membership.action_invoice_fee()
        membership.fee_paid = True
        membership.action_activate()
        self.assertEqual(self.ada.relationship_stage_id, self.stage_of["member"])

    def test_the_switch_keeps_the_members_and_follows_the_invoices(self):
        kept = self.env["relationship.membership"].create(
            {
                "partner_id": self.ada.id,
                "programme_id": self.club.id,
                "date_start": self.today - timedelta(days=200),
                "fee_paid": True,
                "state": "active",
            }
        )
        bob = self.client("Bob Builder")
        self.pay(bob.create_membership_invoice(self.product, 60.0))
        self.assertFalse(self.membership_of(bob))

        self.club.action_switch_to_odoo_memberships()
        self.assertEqual(
            (kept.state, kept.date_start, kept.odoo_membership_state),
            ("active", self.today - timedelta(days=200), False),
            "a member kept by hand stays one",
        )
        self.assertEqual(self.membership_of(bob).state, "active")
        self.assertEqual(bob.relationship_stage_id, self.stage_of["member"])

        # ... and when Ada renews through Odoo, her membership is carried on
        self.pay(self.ada.create_membership_invoice(self.product, 60.0))
        self.assertEqual(self.membership_of(self.ada), kept)
        self.assertEqual(
            (kept.state, kept.odoo_membership_state, kept.date_start),
            ("active", "paid", self.today - timedelta(days=200)),
        )

        self.club.action_switch_to_own_memberships()
        self.assertEqual(kept.state, "active", "switching back deletes nothing")

    def test_customers_paid_at_once_are_followed_in_one_go(self):
        self.club.action_switch_to_odoo_memberships()

        def queries_to_follow(count):
            customers = self.env["res.partner"].create(
                [
                    {"name": f"Member {count}-{n}", "company_id": self.company.id, "street": "x"}
                    for n in range(count)
                ]
            )
            invoices = customers.create_membership_invoice(self.product, 60.0)
            invoices.action_post()
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create({"group_payment": False})._create_payments()
            self.env.flush_all()
            self.env.cr.precommit.clear()  # followed below, measured
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            memberships = customers._relationship_follow_odoo_memberships()
            self.env.flush_all()
            self.assertEqual(memberships.mapped("state"), ["active"] * count)
            return self.env.cr.sql_log_count - before

        queries_to_follow(1)  # caches of the registry and of the access rules
        few = queries_to_follow(2)
        self.assertEqual(queries_to_follow(20), few)
