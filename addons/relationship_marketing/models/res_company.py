# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

# The relationship settings of a company, which relationship managers may
# change without being allowed to change the rest of the company.
RELATIONSHIP_SETTINGS = frozenset(
    {
        "relationship_customers_few",
        "relationship_customers_many",
        "relationship_margin_low",
        "relationship_margin_high",
        "relationship_expansion_min_orders",
        "relationship_commitment_min_orders",
        "relationship_commitment_min_days",
        "relationship_phase_window_days",
        "relationship_risk_factor",
        "relationship_risk_floor_days",
        "relationship_dissolution_factor",
        "relationship_dissolution_floor_days",
        "relationship_satisfaction_low",
        "relationship_promoter_min",
        "relationship_pareto_share",
        "relationship_pareto_days",
    }
)


def write_relationship_settings(env, vals_list):
    """Write the relationship settings found in ``vals_list`` to their companies.

    For the settings forms: their related fields would write the company one
    field at a time, and a constraint between two fields (few < many) would
    then see a half-changed company. One write per company instead; the
    values are removed from ``vals_list``.
    """
    for vals in vals_list:
        company = env["res.company"].browse(vals.get("company_id")) or env.company
        values = {fname: vals.pop(fname) for fname in list(vals) if fname in RELATIONSHIP_SETTINGS}
        changed = {fname: value for fname, value in values.items() if company[fname] != value}
        if changed:
            company.write(changed)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Bands of Kotler's matrix
    relationship_customers_few = fields.Integer(
        string="Few Customers: Up To",
        default=100,
        help="A segment with at most this many customers has few customers.",
    )
    relationship_customers_many = fields.Integer(
        string="Many Customers: From",
        default=10000,
        help="A segment with at least this many customers has many customers.",
    )
    relationship_margin_low = fields.Float(
        string="Low Margin: Up To (%)",
        default=15.0,
        help="A customer whose purchases bring at most this margin (margin / amount) "
        "has a low unit profit margin.",
    )
    relationship_margin_high = fields.Float(
        string="High Margin: From (%)",
        default=40.0,
        help="A customer whose purchases bring at least this margin has a high unit profit margin.",
    )
    relationship_level_matrix_ids = fields.One2many(
        "relationship.level.matrix",
        "company_id",
        string="Level Matrix",
        help="Kotler's matrix: the level recommended for each band of number of "
        "customers and of margin.",
    )
    # Phases
    relationship_expansion_min_orders = fields.Integer(
        string="Expansion: Minimum Orders",
        default=2,
        help="A customer with fewer orders is in Awareness; with this many, its "
        "relationship expands.",
    )
    relationship_commitment_min_orders = fields.Integer(
        string="Commitment: Minimum Orders",
        default=4,
        help="Orders a customer must have made to be committed.",
    )
    relationship_commitment_min_days = fields.Integer(
        string="Commitment: Minimum Days",
        default=365,
        help="Days since its first purchase a customer must have been buying to be committed.",
    )
    relationship_phase_window_days = fields.Integer(
        string="Commitment: Steady Window (Days)",
        default=180,
        help="A committed customer buys steadily: at least once in each of the last "
        "two windows of this many days.",
    )
    relationship_risk_factor = fields.Float(
        string="At Risk: Interval Factor",
        default=1.5,
        help="A customer is at risk when silent longer than its usual interval between "
        "purchases times this factor (and than the floor).",
    )
    relationship_risk_floor_days = fields.Integer(
        string="At Risk: Floor (Days)",
        default=45,
        help="A customer is never at risk before this many days of silence.",
    )
    relationship_dissolution_factor = fields.Float(
        string="Dissolution: Interval Factor",
        default=3.0,
        help="The relationship dissolves when the customer is silent longer than its "
        "usual interval times this factor (and than the floor).",
    )
    relationship_dissolution_floor_days = fields.Integer(
        string="Dissolution: Floor (Days)",
        default=365,
        help="A relationship never dissolves by itself before this many days of silence.",
    )
    # Satisfaction and loyalty
    relationship_satisfaction_low = fields.Float(
        string="Low Satisfaction Score: Up To",
        default=6.0,
        help="A latest satisfaction score at most this (out of 10) puts the "
        "relationship at risk; these customers are detractors.",
    )
    relationship_promoter_min = fields.Float(
        string="Promoter Score: From",
        default=9.0,
        help="Customers whose latest score is at least this (out of 10) are promoters, "
        "to be asked for referrals.",
    )
    relationship_pareto_share = fields.Float(
        string="Top Customers' Share of Revenue (%)",
        default=80.0,
        help="The customers who together make this share of the revenue are the top "
        "customers (the 20 % who bring 80 %).",
    )
    relationship_pareto_days = fields.Integer(
        string="Top Customers: Revenue of the Last Days",
        default=365,
        help="Count the revenue of this many last days to find the top customers; 0 "
        "counts all purchases.",
    )
    relationship_pareto_threshold = fields.Monetary(
        string="Top Customers: Revenue From",
        readonly=True,
        copy=False,
        help="Technical: the revenue of the last days of the smallest top customer at "
        "the last full ranking (nightly). A purchase that brings a customer to it makes "
        "the customer a top customer at once.",
    )

    @api.constrains(
        "relationship_customers_few",
        "relationship_customers_many",
        "relationship_margin_low",
        "relationship_margin_high",
    )
    def _check_relationship_bands(self):
        for company in self:
            if not 0 <= company.relationship_customers_few < company.relationship_customers_many:
                raise ValidationError(
                    _("'Few customers' must be a positive number below 'many customers'.")
                )
            if not company.relationship_margin_low < company.relationship_margin_high:
                raise ValidationError(_("The low margin band must end below the high one."))

    @api.constrains(
        "relationship_expansion_min_orders",
        "relationship_commitment_min_orders",
        "relationship_commitment_min_days",
        "relationship_phase_window_days",
        "relationship_risk_factor",
        "relationship_risk_floor_days",
        "relationship_dissolution_factor",
        "relationship_dissolution_floor_days",
    )
    def _check_relationship_phase_rules(self):
        for company in self:
            if not (
                1
                <= company.relationship_expansion_min_orders
                <= company.relationship_commitment_min_orders
            ):
                raise ValidationError(
                    _("Expansion needs at least one order, and commitment at least as many.")
                )
            if (
                min(
                    company.relationship_commitment_min_days,
                    company.relationship_phase_window_days,
                    company.relationship_risk_floor_days,
                )
                < 0
                or company.relationship_phase_window_days == 0
            ):
                raise ValidationError(_("The day counts of the phase rules must be positive."))
            if not (
                0 < company.relationship_risk_factor <= company.relationship_dissolution_factor
                and company.relationship_risk_floor_days
                <= company.relationship_dissolution_floor_days
            ):
                raise ValidationError(
                    _(
                        "A relationship is at risk before it dissolves: the dissolution "
                        "factor and floor must be at least the at-risk ones."
                    )
                )

    @api.constrains(
        "relationship_satisfaction_low",
        "relationship_promoter_min",
        "relationship_pareto_share",
        "relationship_pareto_days",
    )
    def _check_relationship_scores(self):
        for company in self:
            if not (
                0 <= company.relationship_satisfaction_low < company.relationship_promoter_min <= 10
            ):
                raise ValidationError(
                    _("Scores are out of 10, and a low score is below a promoter's.")
                )
            if (
                not 0 < company.relationship_pareto_share <= 100
                or company.relationship_pareto_days < 0
            ):
                raise ValidationError(
                    _("The top customers' share is a percentage above 0, their days positive.")
                )

    def write(self, vals):
        settings_only = (
            vals
            and vals.keys() <= RELATIONSHIP_SETTINGS
            and not self.env.su
            and not self.env["res.company"].has_access("write")
            and self.env.user.has_group("relationship_marketing.group_relationship_manager")
        )
        if vals.keys() & {"relationship_pareto_share", "relationship_pareto_days"}:
            # The threshold of the former rule no longer holds: the next
            # purchase ranks the customers exactly again.
            vals = dict(vals, relationship_pareto_threshold=False)
        if settings_only:
            if self - self.env.companies:
                raise AccessError(
                    _("You may change the relationship settings of your companies only.")
                )
            # Relationship managers set the relationship settings of their
            # companies (the bands, phase rules and scores they configure),
            # nothing else of the company, which stays for administrators.
            return super(ResCompany, self.sudo()).write(vals)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # A user creating a company may not manage relationship stages; the
        # ladder is part of the company's set-up, like its default journals.
        self.env["relationship.stage"].sudo()._create_default_ladder(companies)
        # Same for the level matrix and the segment of all customers.
        self.env["relationship.level.matrix"].sudo()._create_default_matrix(companies)
        self.env["relationship.segment"].sudo()._create_default_segments(companies)
        return companies
