# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from ..models.res_partner_figures import FIGURE_FIELDS as FIGURES
from .common_depth import DepthCase


@tagged("post_install", "-at_install")
class TestNightlyFigures(DepthCase):
    """The nightly cron rebuilds the purchase figures that changed behind the ORM's back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ada = cls.new_customer("Ada Lovelace")
        cls.bob = cls.new_customer("Bob Shared", company_id=False)
        cls.carol = cls.new_customer("Carol Prospect")

    def setUp(self):
        super().setUp()
        # Margin 30 % of 300: a medium unit margin (15 % to 40 %).
        self.buy(self.ada, 40, 20, 10, amount=100.0, margin=30.0)
        self.buy(self.bob, 5, amount=0.01)
        self.buy(self.bob, 3, amount=0.02)

    def figures(self, partner):
        return {fname: partner[fname] for fname in FIGURES}

    def sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(query, args)
        self.env.invalidate_all()

    def test_same_figures_as_the_orm(self):
        """Rounding and dates as the ORM computes them: nothing to rewrite."""
        expected = {partner: self.figures(partner) for partner in self.ada | self.bob}
        self.assertEqual(expected[self.bob]["relationship_average_order"], 0.02, "0.015 rounds up")
        changed = self.Partner._relationship_refresh_figures(self.company)
        self.assertFalse(changed, "the ORM's figures are the statement's")
        self.refresh()
        for partner, figures in expected.items():
            self.assertEqual(self.figures(partner), figures)

    def test_cron_restores_stale_figures(self):
        expected = self.figures(self.ada)
        self.assertEqual(expected["relationship_margin_rate"], 30.0)
        self.sql(
            "UPDATE res_partner SET relationship_order_count = 1, relationship_revenue = 5, "
            "relationship_average_order = 5, relationship_margin_rate = 99, "
            "relationship_first_purchase = NULL WHERE id = %s",
            self.ada.id,
        )
        self.assertEqual(self.ada.relationship_order_count, 1)
        self.refresh()
        self.assertEqual(self.figures(self.ada), expected)

    def test_shared_contact(self):
        expected = self.figures(self.bob)
        self.assertEqual(expected["relationship_order_count"], 2)
        self.sql(
            "UPDATE res_partner SET relationship_order_count = 0, relationship_revenue = 0 "
            "WHERE id = %s",
            self.bob.id,
        )
        self.refresh()
        self.assertEqual(self.figures(self.bob), expected)

    def test_dependents_follow(self):
        """A margin changed behind the ORM's back moves the unit margin band and the
        recommended level at night."""
        self.assertEqual(self.ada.relationship_margin_band, "medium")
        self.sql(
            # The figures count the margin net of refunds: the column they read.
            "UPDATE relationship_purchase SET margin_company = 50, margin_net_company = 50 "
            "WHERE partner_id = %s",
            self.ada.id,
        )
        self.refresh()
        self.assertEqual(self.ada.relationship_margin, 150.0)
        self.assertEqual(self.ada.relationship_margin_rate, 50.0)
        self.assertEqual(self.ada.relationship_margin_band, "high")
        cells = self.env["relationship.level.matrix"]._levels_by_company(self.company)
        cell = (self.ada.relationship_customer_band, "high")
        self.assertEqual(self.ada.relationship_level_recommended, cells[self.company.id][cell])

    def test_vanished_purchases(self):
        """A customer whose purchases were all removed has no figures any more."""
        self.assertTrue(self.ada.relationship_risk_date)
        self.sql("DELETE FROM relationship_purchase WHERE partner_id = %s", self.ada.id)
        self.refresh()
        self.assertEqual(
            self.figures(self.ada),
            dict.fromkeys(FIGURES[:5], 0) | dict.fromkeys(FIGURES[5:], False),
        )
        self.assertFalse(self.ada.relationship_margin_band)
        self.assertFalse(self.ada.relationship_risk_date)

    def test_unchanged_customers_are_not_rewritten(self):
        self.refresh()
        self.sql(
            "UPDATE res_partner SET write_date = '2020-01-01' WHERE id IN %s",
            (self.ada.id, self.bob.id, self.carol.id),
        )
        self.sql("UPDATE res_partner SET relationship_revenue = 1 WHERE id = %s", self.bob.id)
        changed = self.Partner._relationship_refresh_figures(self.company)
        self.assertEqual(changed, self.bob)
        self.assertEqual(self.bob.relationship_revenue, 0.03)
        self.assertEqual(str(self.ada.write_date), "2020-01-01 00:00:00")
        self.assertEqual(str(self.carol.write_date), "2020-01-01 00:00:00")
        self.assertNotEqual(str(self.bob.write_date), "2020-01-01 00:00:00")
