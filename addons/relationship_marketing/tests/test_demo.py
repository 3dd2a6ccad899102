# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """On a database with demo data: the demo's moves are dated in its past,
    at the thing that caused them, not at the install."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("relationship_marketing.demo_partner_priya", raise_if_not_found=False):
            self.skipTest("demo data not installed")

    def demo(self, name):
        return self.env.ref(f"relationship_marketing.demo_{name}")

    def move_to(self, partner, stage_field):
        moves = partner.relationship_stage_history_ids.filtered(
            lambda m: m.stage_to_id[stage_field]
        )
        self.assertEqual(len(moves), 1)
        return moves

    def test_referral_and_agreement_moves_at_the_referral(self):
        priya, oakridge = self.demo("partner_priya"), self.demo("partner_oakridge")
        # Priya sent us Tomás: an Advocate at his first order
        tomas_came = self.demo("purchase_tomas_1").date_order
        self.assertEqual(self.demo("partner_tomas").relationship_referred_by_id, priya)
        self.assertEqual(self.move_to(priya, "min_referral_count").date, tomas_came)
        # Oakridge (agreement signed) sent us Jonas: a Partner at his first order
        jonas_came = self.demo("purchase_jonas_1").date_order
        self.assertEqual(self.demo("partner_jonas").relationship_referred_by_id, oakridge)
        self.assertEqual(self.move_to(oakridge, "require_agreement").date, jonas_came)
        for partner, date in ((priya, tomas_came), (oakridge, jonas_came)):
            if partner.relationship_stage_id.min_referral_count or (
                partner.relationship_stage_id.require_agreement
            ):
                self.assertEqual(partner.relationship_stage_date, date)

    def test_moves_of_the_demo_customers_follow_their_causes(self):
        """Every stage move of a customer who bought is at or before the last
        of the demo's purchases; none is later (at the install)."""
        names = ("tomas", "aiko", "brightwater", "jonas", "priya", "oakridge", "lena", "marco")
        partners = self.env["res.partner"].browse(
            [self.demo(f"partner_{name}").id for name in names]
        )
        last_purchase = max(
            self.env["relationship.purchase"]
            .search([("commercial_partner_id", "in", partners.ids)])
            .mapped("date_order")
        )
        late = partners.relationship_stage_history_ids.filtered(lambda m: m.date > last_purchase)
        self.assertFalse(
            [(m.partner_id.name, m.stage_to_id.name, m.date) for m in late],
            "moves dated after the last purchase",
        )
        changes = self.env["relationship.tier.change"].search([("partner_id", "in", partners.ids)])
        late = changes.filtered(lambda c: c.date > last_purchase)
        self.assertFalse(
            [(c.partner_id.name, c.tier_to_id.name, c.date) for c in late],
            "tier changes dated after the last purchase",
        )

    def test_a_tier_of_no_points_from_the_enrolment(self):
        for name in ("lena", "marco"):
            first = self.demo(f"purchase_{name}_1").date_order
            changes = self.env["relationship.tier.change"].search(
                [("partner_id", "=", self.demo(f"partner_{name}").id)]
            )
            # the enrolment is a day: the tier is dated at its start
            self.assertEqual(
                [(c.tier_to_id.name, c.date.date()) for c in changes], [("Bronze", first.date())]
            )
