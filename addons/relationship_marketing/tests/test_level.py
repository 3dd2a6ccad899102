# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common_depth import DepthCase

# Kotler's matrix, as the issue states it: customers x margin -> level.
KOTLER = {
    ("many", "high"): "accountable",
    ("many", "medium"): "reactive",
    ("many", "low"): "basic",
    ("medium", "high"): "proactive",
    ("medium", "medium"): "accountable",
    ("medium", "low"): "reactive",
    ("few", "high"): "partnership",
    ("few", "medium"): "proactive",
    ("few", "low"): "accountable",
}
# Market sizes and margins (%) inside each band, with the shipped bands:
# few up to 100 customers, many from 10,000; low margin up to 15 %, high from 40 %.
SIZES = {"few": 30, "medium": 2000, "many": 50000}
MARGINS = {"high": 55.0, "medium": 25.0, "low": 5.0}


@tagged("post_install", "-at_install")
class TestLevel(DepthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag_cafe = cls.env["res.partner.category"].create({"name": "Café"})
        cls.cafes = cls.Segment.create(
            {
                "name": "Cafés",
                "rule": "tag",
                "category_ids": [(6, 0, cls.tag_cafe.ids)],
                "sequence": 5,
                "default_level": "reactive",
                "company_id": cls.company.id,
            }
        )

    def cafe(self, name="Brightwater Café", margin=25.0):
        partner = self.new_customer(name, category_id=[(6, 0, self.tag_cafe.ids)])
        self.buy(partner, 10, amount=100.0, margin=margin)
        return partner

    def test_company_ships_the_matrix_and_a_segment(self):
        cells = self.env["relationship.level.matrix"].search([("company_id", "=", self.company.id)])
        self.assertEqual({(c.customer_band, c.margin_band): c.level for c in cells}, KOTLER)
        self.assertEqual(self.segment_all.rule, "all")
        self.assertEqual(
            (self.company.relationship_customers_few, self.company.relationship_customers_many),
            (100, 10000),
        )
        self.assertEqual(
            (self.company.relationship_margin_low, self.company.relationship_margin_high),
            (15.0, 40.0),
        )

    def test_all_nine_cells(self):
        customer = self.cafe()
        for (customers, margin), level in KOTLER.items():
            with self.subTest(customers=customers, margin=margin):
                self.cafes.market_size = SIZES[customers]
                customer.relationship_purchase_ids.margin = MARGINS[margin]
                self.assertEqual(customer.relationship_customer_band, customers)
                self.assertEqual(customer.relationship_margin_band, margin)
                self.assertEqual(customer.relationship_level_recommended, level)

    def test_band_edges(self):
        customer = self.cafe()
        for size, band in [(100, "few"), (101, "medium"), (9999, "medium"), (10000, "many")]:
            with self.subTest(size=size):
                self.cafes.market_size = size
                self.assertEqual(self.cafes.customer_band, band)
                self.assertEqual(customer.relationship_customer_band, band)
        for margin, band in [(15.0, "low"), (15.01, "medium"), (39.99, "medium"), (40.0, "high")]:
            with self.subTest(margin=margin):
                customer.relationship_purchase_ids.margin = margin
                self.assertAlmostEqual(customer.relationship_margin_rate, margin)
                self.assertEqual(customer.relationship_margin_band, band)

    def test_segment_counts_its_customers_without_a_market_size(self):
        self.cafe("Café One")
        self.cafe("Café Two")
        self.assertEqual(self.cafes.customer_count, 0, "counted nightly")
        self.refresh()
        self.assertEqual(self.cafes.customer_count, 2)
        self.assertEqual(self.cafes.customer_band, "few")
        self.company.relationship_customers_few = 1
        self.assertEqual(self.cafes.customer_band, "medium")

    def test_practised_level_follows_the_segment_until_set_by_hand(self):
        customer = self.cafe(margin=50.0)
        self.assertEqual(customer.relationship_segment_id, self.cafes)
        self.assertEqual(customer.relationship_level, "reactive")
        self.assertEqual(customer.relationship_level_recommended, "partnership")
        self.assertTrue(customer.relationship_level_gap)
        self.assertEqual(customer.relationship_level_gap_steps, 3)
        gaps = self.Partner.with_user(self.user).search([("relationship_level_gap", "=", True)])
        self.assertIn(customer, gaps)

        with Form(customer.with_user(self.user)) as form:
            form.relationship_level = "partnership"
        self.assertTrue(customer.relationship_level_set_by_hand)
        self.assertFalse(customer.relationship_level_gap)
        self.cafes.with_user(self.manager).default_level = "accountable"
        self.assertEqual(customer.relationship_level, "partnership", "set by hand: kept")

        customer.with_user(self.user).relationship_level_set_by_hand = False
        self.assertEqual(customer.relationship_level, "accountable")
        self.assertTrue(customer.relationship_level_gap)

    def test_level_gap_report(self):
        customer = self.cafe(margin=50.0)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "relationship_marketing.relationship_level_gap_action"
        )
        self.assertEqual(action["res_model"], "res.partner")
        domain = safe_eval(action["domain"])
        groups = self.Partner.with_user(self.user).read_group(
            domain + [("relationship_level_gap", "=", True), ("company_id", "=", self.company.id)],
            ["relationship_level_gap_steps:sum"],
            ["relationship_level_recommended"],
        )
        self.assertEqual(
            [
                (g["relationship_level_recommended"], g["relationship_level_gap_steps"])
                for g in groups
            ],
            [("partnership", 3)],
        )
        self.assertIn(customer, self.Partner.search(domain))

    def test_segments_by_rule_and_by_hand(self):
        industry = self.env["res.partner.industry"].create({"name": "Hospitality"})
        hotels = self.Segment.with_user(self.manager).create(
            {
                "name": "Hotels",
                "rule": "industry",
                "industry_ids": [(6, 0, industry.ids)],
                "sequence": 1,
                "company_id": self.company.id,
            }
        )
        key_accounts = self.Segment.with_user(self.manager).create(
            {
                "name": "Key accounts",
                "rule": "manual",
                "sequence": 20,
                "company_id": self.company.id,
            }
        )
        cafe = self.cafe()
        plain = self.new_customer("Nobody in particular")
        self.buy(plain, 3)
        self.assertEqual(cafe.relationship_segment_id, self.cafes)
        self.assertEqual(plain.relationship_segment_id, self.segment_all)
        # Hotels come first: a café of the hospitality industry is a hotel customer.
        cafe.industry_id = industry
        self.assertEqual(cafe.relationship_segment_id, hotels)
        # A customer put in a segment 'set by hand' stays there.
        cafe.relationship_segment_id = key_accounts
        self.refresh()
        self.assertEqual(cafe.relationship_segment_id, key_accounts)
        self.assertEqual(plain.relationship_segment_id, self.segment_all)
        # A new filter segment takes its customers at once.
        big = self.Segment.with_user(self.manager).create(
            {
                "name": "Big spenders",
                "rule": "domain",
                "domain": "[('relationship_revenue', '>=', 100)]",
                "sequence": 2,
                "company_id": self.company.id,
            }
        )
        self.assertEqual(plain.relationship_segment_id, big)
        self.assertEqual(big.customer_count, 1)
        with self.assertRaises(ValidationError), mute_logger("odoo.models"):
            big.domain = "[('no_such_field', '=', 1)]"

    def test_consultant_configures_bands_and_matrix(self):
        customer = self.cafe(margin=25.0)
        self.cafes.market_size = 50
        self.assertEqual(customer.relationship_level_recommended, "proactive")
        # Relationship managers are no administrators: they have their own
        # settings form, which changes the relationship settings only.
        settings = self.env["relationship.settings"].with_user(self.manager)
        form = Form(settings)
        form.relationship_customers_few = 40
        form.relationship_margin_high = 20.0
        form.save().action_save()
        self.assertEqual(self.company.relationship_customers_few, 40)
        # 50 customers are now a medium number; a 25 % margin is now high.
        self.assertEqual(customer.relationship_level_recommended, "proactive")
        self.assertEqual(
            (customer.relationship_customer_band, customer.relationship_margin_band),
            ("medium", "high"),
        )
        cell = self.env["relationship.level.matrix"].search(
            [
                ("company_id", "=", self.company.id),
                ("customer_band", "=", "medium"),
                ("margin_band", "=", "high"),
            ]
        )
        with Form(cell.with_user(self.manager)) as form:
            form.level = "partnership"
        self.assertEqual(customer.relationship_level_recommended, "partnership")
        # Both bands move at once, past each other's old value.
        form = Form(settings)
        form.relationship_customers_few = 20000
        form.relationship_customers_many = 50000
        form.save()
        self.assertEqual(customer.relationship_customer_band, "few")
        form = Form(settings)
        form.relationship_customers_many = 10
        with self.assertRaises(ValidationError), mute_logger("odoo.models"):
            form.save()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.company.with_user(self.manager).name = "Renamed by a relationship manager"
        # Administrators find the same settings in Settings > Relationships.
        admin_form = Form(self.env["res.config.settings"])
        admin_form.relationship_promoter_min = 8.5
        admin_form.save().execute()
        self.assertEqual(self.company.relationship_promoter_min, 8.5)

    def test_ingestion_sets_segment_margin_and_recommended_level(self):
        answer = self.ingest(
            [self.row("1", amount=200, margin=100), self.row("2", amount=200, margin=0)]
        )
        customer = self.Partner.browse(answer["results"][0]["partner_id"])
        self.assertEqual(customer.relationship_segment_id, self.segment_all)
        self.assertAlmostEqual(customer.relationship_margin_rate, 25.0)
        # The company's customers are few: a medium margin recommends Proactive.
        self.assertEqual(customer.relationship_level_recommended, "proactive")
        self.assertEqual(customer.relationship_level, "basic")
        self.ingest([self.row("3", amount=600, margin=600)])
        self.assertEqual(customer.relationship_margin_band, "high")
        self.assertEqual(customer.relationship_level_recommended, "partnership")
