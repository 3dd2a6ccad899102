# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from .relationship_level_matrix import CUSTOMER_BANDS, LEVELS, customer_band

SERVICE_MODES = [
    ("personal", "Personal Assistance"),
    ("dedicated", "Dedicated Personal Assistance"),
    ("self_service", "Self-Service"),
    ("automated", "Automated Service"),
    ("community", "Community"),
    ("co_creation", "Co-Creation"),
]
# Fields whose change can move customers to another segment.
RULE_FIELDS = {"rule", "category_ids", "industry_ids", "domain", "sequence", "active", "company_id"}


class RelationshipSegment(models.Model):
    """A part of the customer base, e.g. by tag or industry.

    Every customer belongs to the first segment (by sequence) whose rule it
    matches. The number of customers of its segment is one axis of Kotler's
    matrix; the segment also gives its customers a default relationship level.
    """

    _name = "relationship.segment"
    _description = "Customer Segment"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, help="Name of the segment.")
    sequence = fields.Integer(
        default=10,
        help="Segments are tried in this order: a customer joins the first one it matches.",
    )
    active = fields.Boolean(default=True, help="Archived segments take no customer.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Each company segments its own customers.",
    )
    description = fields.Text(translate=True, help="Who the customers of the segment are.")
    rule = fields.Selection(
        [
            ("all", "All Customers"),
            ("tag", "Tags"),
            ("industry", "Industries"),
            ("domain", "Custom Filter"),
            ("manual", "Set by Hand"),
        ],
        required=True,
        default="tag",
        help="How customers join the segment: every customer; customers with one of "
        "the tags; customers of one of the industries; customers matching a filter; "
        "or only the customers someone puts in it by hand (they then stay).",
    )
    category_ids = fields.Many2many(
        "res.partner.category",
        string="Tags",
        help="Customers with at least one of these tags join the segment.",
    )
    industry_ids = fields.Many2many(
        "res.partner.industry",
        string="Industries",
        help="Customers of one of these industries join the segment.",
    )
    domain = fields.Char(
        string="Filter",
        default="[]",
        help="Customers matching this filter join the segment.",
    )
    market_size = fields.Integer(
        help="Number of customers in this market, if you know it better than the "
        "customers recorded here; 0 counts the segment's customers.",
    )
    customer_count = fields.Integer(
        string="Customers",
        readonly=True,
        help="Customers in the segment; refreshed nightly and when segments change.",
    )
    customer_band = fields.Selection(
        CUSTOMER_BANDS,
        string="Number of Customers",
        compute="_compute_customer_band",
        store=True,
        help="The band of the segment's number of customers (its market size when "
        "set), with the bands of the settings: the row of the level matrix.",
    )
    default_level = fields.Selection(
        LEVELS,
        default="basic",
        help="The relationship level practised with the segment's customers, unless "
        "someone sets another one on the customer.",
    )
    default_service_mode = fields.Selection(
        SERVICE_MODES,
        string="Default Service",
        help="How the segment's customers are served, unless set on the customer.",
    )

    _sql_constraints = [
        ("market_size_positive", "CHECK(market_size >= 0)", "A market size cannot be negative."),
    ]

    @api.depends(
        "customer_count",
        "market_size",
        "company_id.relationship_customers_few",
        "company_id.relationship_customers_many",
    )
    def _compute_customer_band(self):
        for segment in self:
            company = segment.company_id
            segment.customer_band = customer_band(
                segment.market_size or segment.customer_count,
                company.relationship_customers_few,
                company.relationship_customers_many,
            )

    @api.constrains("rule", "domain")
    def _check_filter_domain(self):
        Partner = self.env["res.partner"]
        for segment in self.filtered(lambda s: s.rule == "domain"):
            try:
                Partner.search_count(segment._partner_domain(), limit=1)
            except Exception as error:
                raise ValidationError(
                    _(
                        "The filter of segment %(name)s is not valid: %(error)s",
                        name=segment.name,
                        error=error,
                    )
                ) from error

    def _partner_domain(self):
        """The customers this segment takes, as a domain on res.partner."""
        self.ensure_one()
        if self.rule == "all":
            return []
        if self.rule == "tag":
            return [("category_id", "in", self.category_ids.ids)]
        if self.rule == "industry":
            return [("industry_id", "in", self.industry_ids.ids)]
        if self.rule == "domain":
            return safe_eval(self.domain or "[]")
        return [("id", "=", False)]

    @api.model_create_multi
    def create(self, vals_list):
        segments = super().create(vals_list)
        self.env["res.partner"]._relationship_refresh_segments(segments.company_id)
        return segments

    def write(self, vals):
        companies = self.company_id
        result = super().write(vals)
        if vals.keys() & RULE_FIELDS:
            self.env["res.partner"]._relationship_refresh_segments(companies | self.company_id)
        return result

    def unlink(self):
        companies = self.company_id
        result = super().unlink()
        self.env["res.partner"]._relationship_refresh_segments(companies)
        return result

    @api.model
    def _create_default_segments(self, companies=None):
        """Give every company without segment one for all its customers."""
        if companies is None:
            companies = self.env["res.company"].search([])
        with_segments = {
            company
            for [company] in self.with_context(active_test=False)._read_group(
                [("company_id", "in", companies.ids)], ["company_id"]
            )
        }
        return self.create(
            [
                {
                    "name": self.with_context(lang=company.partner_id.lang or self.env.lang).env._(
                        "All customers"
                    ),
                    "rule": "all",
                    "sequence": 100,
                    "company_id": company.id,
                    "default_level": "basic",
                }
                for company in companies
                if company not in with_segments
            ]
        )

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "relationship_marketing.relationship_partner_action"
        )
        action["domain"] = [("relationship_segment_id", "=", self.id)]
        action["context"] = {"default_relationship_segment_id": self.id}
        return action
