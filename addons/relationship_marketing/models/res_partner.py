# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import math
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.batch import write_each
from ..tools.purchase_rows import vat_key
from .relationship_level_matrix import LEVEL_RANK, LEVELS, MARGIN_BANDS, margin_band
from .relationship_phase_history import DISSOLUTION_REASONS, PHASES
from .relationship_segment import SERVICE_MODES

_logger = logging.getLogger(__name__)

RELATIONSHIP_GROUP = "relationship_marketing.group_relationship_user"
# Fields whose change can let a customer climb the ladder.
# The active membership is computed from memberships, which let the customer
# climb themselves; writing it directly (older integrations) still climbs.
LADDER_FIELDS = {"relationship_membership_active", "relationship_agreement"}
# Fields whose change can move a customer to another segment.
SEGMENT_FIELDS = {"category_id", "industry_id"}
REFRESH_CURSOR = "relationship_marketing.refresh_cursor"
# The stored purchase figures, computed together by _compute_relationship_figures
# and rebuilt in SQL by _relationship_update_figures.
FIGURE_FIELDS = (
    "relationship_order_count",
    "relationship_revenue",
    "relationship_average_order",
    "relationship_margin",
    "relationship_margin_rate",
    "relationship_first_purchase",
    "relationship_last_purchase",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    relationship_purchase_ids = fields.One2many(
        "relationship.purchase", "partner_id", string="Purchases", groups=RELATIONSHIP_GROUP
    )
    relationship_currency_id = fields.Many2one(
        "res.currency", compute="_compute_relationship_currency_id", groups=RELATIONSHIP_GROUP
    )
    relationship_order_count = fields.Integer(
        string="Orders",
        compute="_compute_relationship_figures",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Number of purchases the customer made, from every source.",
    )
    relationship_revenue = fields.Monetary(
        string="Revenue",
        compute="_compute_relationship_figures",
        store=True,
        currency_field="relationship_currency_id",
        groups=RELATIONSHIP_GROUP,
        help="Total of the customer's purchases, in the company currency.",
    )
    relationship_average_order = fields.Monetary(
        string="Average Order",
        compute="_compute_relationship_figures",
        store=True,
        currency_field="relationship_currency_id",
        groups=RELATIONSHIP_GROUP,
        help="Revenue divided by the number of orders.",
    )
    relationship_margin = fields.Monetary(
        string="Margin",
        compute="_compute_relationship_figures",
        store=True,
        currency_field="relationship_currency_id",
        groups=RELATIONSHIP_GROUP,
        help="Total profit made on the customer's purchases, in the company currency.",
    )
    relationship_margin_rate = fields.Float(
        string="Margin Rate (%)",
        compute="_compute_relationship_figures",
        store=True,
        digits=(16, 2),
        groups=RELATIONSHIP_GROUP,
        help="The customer's unit profit margin: margin divided by revenue of its purchases.",
    )
    relationship_first_purchase = fields.Date(
        string="First Purchase",
        compute="_compute_relationship_figures",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Date of the customer's first purchase: the start of the relationship.",
    )
    relationship_last_purchase = fields.Date(
        string="Last Purchase",
        compute="_compute_relationship_figures",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        help="Date of the customer's most recent purchase.",
    )
    relationship_recency_score = fields.Integer(
        string="Recency",
        readonly=True,
        groups=RELATIONSHIP_GROUP,
        help="1 to 5: the customer's quintile by date of last purchase among the "
        "company's customers (5 = most recent). Refreshed nightly.",
    )
    relationship_frequency_score = fields.Integer(
        string="Frequency",
        readonly=True,
        groups=RELATIONSHIP_GROUP,
        help="1 to 5: the customer's quintile by number of orders (5 = most orders). "
        "Refreshed nightly.",
    )
    relationship_monetary_score = fields.Integer(
        string="Monetary",
        readonly=True,
        groups=RELATIONSHIP_GROUP,
        help="1 to 5: the customer's quintile by revenue (5 = highest). Refreshed nightly.",
    )
    relationship_stage_id = fields.Many2one(
        "relationship.stage",
        string="Development Stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_relationship_stage_ids",
        domain="[('company_id', 'in', [company_id or current_company_id])]",
        groups=RELATIONSHIP_GROUP,
        help="The customer's rung on the development ladder. Purchases move it up "
        "automatically; a person may set it by hand.",
    )
    relationship_stage_locked = fields.Boolean(
        string="Stage Locked",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="Keep the stage as set by hand: automatic moves leave this customer alone.",
    )
    relationship_stage_date = fields.Datetime(
        string="In Stage Since",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="When the customer reached the current stage.",
    )
    relationship_stage_history_ids = fields.One2many(
        "relationship.stage.history",
        "partner_id",
        string="Stage History",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_customer_ref_ids = fields.One2many(
        "relationship.customer.ref",
        "partner_id",
        string="Customer IDs in Sources",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_referred_by_id = fields.Many2one(
        "res.partner",
        string="Referred By",
        index="btree_not_null",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The customer who recommended us to this one.",
    )
    relationship_referral_ids = fields.One2many(
        "res.partner",
        "relationship_referred_by_id",
        string="Referrals",
        groups=RELATIONSHIP_GROUP,
        help="The customers who came to us on this customer's recommendation.",
    )
    relationship_referral_count = fields.Integer(
        string="Referrals Made",
        compute="_compute_relationship_referral_count",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Number of customers this customer recommended us to.",
    )
    relationship_membership_active = fields.Boolean(
        string="Active Member",
        compute="_compute_relationship_memberships",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="The customer has an active membership of a loyalty programme that makes "
        "members: what the Member rung of the ladder looks at.",
    )
    relationship_agreement = fields.Boolean(
        string="Partnership Agreement",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The customer and the company agreed to work together for mutual benefit.",
    )
    relationship_birthday = fields.Date(
        string="Birthday", groups=RELATIONSHIP_GROUP, help="The customer's date of birth."
    )
    relationship_vat_key = fields.Char(
        compute="_compute_relationship_vat_key",
        store=True,
        index="btree_not_null",
        help="Technical: the VAT number in a comparable form, to match customers.",
    )

    # ------------------------------------------------------------------
    # Relationship level (Kotler)
    # ------------------------------------------------------------------
    relationship_segment_id = fields.Many2one(
        "relationship.segment",
        string="Segment",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        domain="[('company_id', 'in', [company_id or current_company_id])]",
        groups=RELATIONSHIP_GROUP,
        help="The part of the customer base the customer belongs to, from the segments' "
        "rules (pick a segment 'set by hand' to place the customer yourself). Its number "
        "of customers is one axis of the level matrix.",
    )
    relationship_customer_band = fields.Selection(
        string="Number of Customers",
        related="relationship_segment_id.customer_band",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Whether the customer's segment has many, a medium number of or few customers.",
    )
    relationship_margin_band = fields.Selection(
        MARGIN_BANDS,
        string="Unit Margin",
        compute="_compute_relationship_margin_band",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Whether the customer's margin rate is high, medium or low, with the bands "
        "of the settings. Empty until the customer buys.",
    )
    relationship_level = fields.Selection(
        LEVELS,
        string="Practised Level",
        compute="_compute_relationship_level",
        store=True,
        readonly=False,
        index=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The level of relationship marketing practised with the customer: Basic "
        "(we sell), Reactive (we invite the customer to call), Accountable (we call "
        "after the sale), Proactive (we call from time to time), Partnership (we work "
        "with the customer continuously). By default the level of its segment.",
    )
    relationship_level_set_by_hand = fields.Boolean(
        string="Level Set by Hand",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The practised level was chosen for this customer; untick to follow the "
        "segment's default level again.",
    )
    relationship_level_recommended = fields.Selection(
        LEVELS,
        string="Recommended Level",
        compute="_compute_relationship_level_recommended",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        help="The level Kotler's matrix recommends for the number of customers of the "
        "customer's segment and the customer's unit margin.",
    )
    relationship_level_gap = fields.Boolean(
        string="Level Gap",
        compute="_compute_relationship_level_gap",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        help="The practised level is below the recommended one.",
    )
    relationship_level_gap_steps = fields.Integer(
        string="Levels Short",
        compute="_compute_relationship_level_gap",
        store=True,
        aggregator="sum",
        groups=RELATIONSHIP_GROUP,
        help="How many levels the practised level is below the recommended one.",
    )
    # ------------------------------------------------------------------
    # Relationship phase
    # ------------------------------------------------------------------
    relationship_phase = fields.Selection(
        PHASES,
        string="Phase",
        index=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="Where the relationship stands, from the purchases: Exploration (no "
        "purchase yet), Awareness (fewer orders than the expansion minimum), "
        "Expansion (repeat buying), Commitment (the commitment minimum of orders over "
        "the minimum days, buying in each of the last two steady windows), "
        "Dissolution (silent past the dissolution limit, or ended by hand). Phases move "
        "both ways. A phase set by hand holds until the customer's next purchase.",
    )
    relationship_phase_date = fields.Datetime(
        string="In Phase Since",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="When the relationship entered its phase.",
    )
    relationship_phase_manual = fields.Boolean(
        string="Phase Set by Hand",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="Someone set the phase: it holds until the customer buys again.",
    )
    relationship_dissolution_reason = fields.Selection(
        DISSOLUTION_REASONS,
        string="Dissolution Reason",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="Why the relationship ended. An automatic dissolution says Dissatisfied "
        "when the latest score is low, Other otherwise.",
    )
    relationship_at_risk = fields.Boolean(
        string="At Risk",
        readonly=True,
        index=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The customer went quiet for longer than its usual interval between "
        "purchases (see 'At Risk From'), or its latest satisfaction score is low.",
    )
    relationship_risk_reason = fields.Selection(
        [("silent", "Silent for Too Long"), ("low_score", "Low Satisfaction Score")],
        string="Risk",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="Why the relationship is at risk.",
    )
    relationship_purchase_interval = fields.Float(
        string="Usual Interval (Days)",
        compute="_compute_relationship_rhythm",
        store=True,
        digits=(16, 1),
        groups=RELATIONSHIP_GROUP,
        help="Average number of days between the customer's purchases.",
    )
    relationship_risk_date = fields.Date(
        string="At Risk From",
        compute="_compute_relationship_rhythm",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="The day the customer is at risk if it does not buy again: the last "
        "purchase plus its usual interval times the at-risk factor, and at least the "
        "at-risk floor.",
    )
    relationship_dissolution_date = fields.Date(
        string="Dissolves On",
        compute="_compute_relationship_rhythm",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="The day the relationship dissolves if the customer does not buy again: "
        "the last purchase plus its usual interval times the dissolution factor, and "
        "at least the dissolution floor.",
    )
    relationship_won_back_date = fields.Date(
        string="Won Back On",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The last time the customer came back after its relationship had ended.",
    )
    relationship_phase_history_ids = fields.One2many(
        "relationship.phase.history",
        "partner_id",
        string="Phase History",
        groups=RELATIONSHIP_GROUP,
        help="Every move of the relationship from a phase to another.",
    )
    # ------------------------------------------------------------------
    # Life cycle and relationship type
    # ------------------------------------------------------------------
    relationship_lifecycle_focus = fields.Selection(
        [("acquisition", "Acquisition"), ("retention", "Retention"), ("growth", "Revenue Growth")],
        string="Life Cycle Focus",
        compute="_compute_relationship_lifecycle_focus",
        store=True,
        readonly=False,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="What the team works on with the customer now: acquiring it (Exploration), "
        "keeping it (Awareness, at risk, Dissolution) or growing its revenue by "
        "cross-selling and up-selling (Expansion, Commitment). Follows the phase; you "
        "may change it until the phase changes.",
    )
    relationship_type = fields.Selection(
        [("transactional", "Transactional"), ("long_term", "Long Term")],
        compute="_compute_relationship_type",
        store=True,
        readonly=False,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="Transactional: we deal with the customer sale by sale. Long term: we "
        "interact on a recurring basis. Follows the practised level (Basic is "
        "transactional); you may change it.",
    )
    relationship_service_mode = fields.Selection(
        SERVICE_MODES,
        string="Service",
        compute="_compute_relationship_service_mode",
        store=True,
        readonly=False,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="How the customer is served. Dedicated personal assistance when it has a "
        "key account manager, else the segment's default; you may change it.",
    )
    relationship_key_account_manager_id = fields.Many2one(
        "res.users",
        string="Key Account Manager",
        index="btree_not_null",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The person dedicated to this customer.",
    )
    # ------------------------------------------------------------------
    # Financial benefits: loyalty programmes
    # ------------------------------------------------------------------
    relationship_membership_ids = fields.One2many(
        "relationship.membership",
        "partner_id",
        string="Memberships",
        groups=RELATIONSHIP_GROUP,
        help="The customer's memberships of loyalty programmes.",
    )
    relationship_membership_count = fields.Integer(
        string="Active Memberships",
        compute="_compute_relationship_memberships",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Loyalty programmes the customer is an active member of.",
    )
    relationship_loyalty_points = fields.Integer(
        string="Loyalty Points",
        compute="_compute_relationship_memberships",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Points earned in the customer's active memberships.",
    )
    relationship_pareto = fields.Boolean(
        string="Top Customer",
        readonly=True,
        index=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="One of the customers who together make the top share (80 % by default) "
        "of the revenue of the last days set in the settings.",
    )
    # ------------------------------------------------------------------
    # Social benefits and structural ties
    # ------------------------------------------------------------------
    relationship_contact_owner_id = fields.Many2one(
        "res.users",
        string="Known Personally By",
        index="btree_not_null",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The person of the company who knows the customer personally.",
    )
    relationship_known_personally = fields.Boolean(
        string="Known Personally",
        compute="_compute_relationship_known_personally",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Someone of the company knows the customer personally: a client, not a "
        "face in the mass market.",
    )
    relationship_community_member_ids = fields.One2many(
        "relationship.community.member",
        "partner_id",
        string="Communities",
        groups=RELATIONSHIP_GROUP,
        help="The brand communities the customer belongs to.",
    )
    relationship_community_count = fields.Integer(
        string="Community Count",
        compute="_compute_relationship_community_count",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Brand communities the customer is a member of.",
    )
    relationship_tie_ids = fields.One2many(
        "relationship.tie",
        "partner_id",
        string="Structural Ties",
        groups=RELATIONSHIP_GROUP,
        help="What binds the customer to the company: equipment, system links, portal "
        "access, contracts.",
    )
    relationship_tie_count = fields.Integer(
        string="Current Ties",
        compute="_compute_relationship_tie_count",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Structural ties that bind the customer today (refreshed nightly).",
    )
    # ------------------------------------------------------------------
    # Word of mouth and satisfaction
    # ------------------------------------------------------------------
    relationship_satisfaction_ids = fields.One2many(
        "relationship.satisfaction",
        "partner_id",
        string="Satisfaction Scores",
        groups=RELATIONSHIP_GROUP,
        help="The satisfaction scores the customer gave, latest first.",
    )
    relationship_satisfaction_score = fields.Float(
        string="Satisfaction",
        compute="_compute_relationship_satisfaction",
        store=True,
        digits=(4, 1),
        aggregator="avg",
        groups=RELATIONSHIP_GROUP,
        help="The customer's latest satisfaction score, out of 10.",
    )
    relationship_satisfaction_date = fields.Datetime(
        string="Scored On",
        compute="_compute_relationship_satisfaction",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="When the customer gave its latest score; empty if it never did.",
    )
    relationship_promoter = fields.Boolean(
        string="Promoter",
        compute="_compute_relationship_promoter",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        help="The customer's latest score is at least the promoter score of the settings.",
    )
    relationship_advocate_suggested = fields.Boolean(
        string="Suggested Advocate",
        compute="_compute_relationship_promoter",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        help="A promoter who has not recommended us yet: ask for a referral to make "
        "the customer an advocate.",
    )
    relationship_inquiry_ids = fields.One2many(
        "relationship.inquiry",
        "partner_id",
        string="Inquiries and Complaints",
        groups=RELATIONSHIP_GROUP,
        help="The inquiries and complaints the customer brought.",
    )
    relationship_inquiry_count = fields.Integer(
        string="Inquiries",
        compute="_compute_relationship_inquiry_counts",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Inquiries the customer made about our products and services.",
    )
    relationship_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_relationship_inquiry_counts",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Complaints the customer made.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("vat")
    def _compute_relationship_vat_key(self):
        for partner in self:
            partner.relationship_vat_key = vat_key(partner.vat)

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_relationship_currency_id(self):
        for partner in self:
            partner.relationship_currency_id = (
                partner.company_id.currency_id or self.env.company.currency_id
            )

    @api.depends(
        "relationship_purchase_ids.amount_company",
        "relationship_purchase_ids.margin_company",
        "relationship_purchase_ids.date_order",
    )
    def _compute_relationship_figures(self):
        figures = {
            partner.id: (count, revenue, first, last, margin)
            for partner, count, revenue, first, last, margin in self.env[
                "relationship.purchase"
            ]._read_group(
                [("partner_id", "in", self._origin.ids)],
                ["partner_id"],
                [
                    "__count",
                    "amount_company:sum",
                    "date_order:min",
                    "date_order:max",
                    "margin_company:sum",
                ],
            )
        }
        for partner in self:
            count, revenue, first, last, margin = figures.get(
                partner._origin.id, (0, 0.0, False, False, 0.0)
            )
            partner.relationship_order_count = count
            partner.relationship_revenue = revenue
            partner.relationship_average_order = revenue / count if count else 0.0
            partner.relationship_margin = margin
            partner.relationship_margin_rate = 100.0 * margin / revenue if revenue else 0.0
            partner.relationship_first_purchase = first and first.date()
            partner.relationship_last_purchase = last and last.date()

    @api.depends("relationship_referral_ids")
    def _compute_relationship_referral_count(self):
        counts = dict(
            self._read_group(
                [("relationship_referred_by_id", "in", self._origin.ids)],
                ["relationship_referred_by_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.relationship_referral_count = counts.get(partner._origin, 0)

    @api.depends(
        "relationship_order_count",
        "relationship_margin_rate",
        "relationship_segment_id.company_id.relationship_margin_low",
        "relationship_segment_id.company_id.relationship_margin_high",
    )
    def _compute_relationship_margin_band(self):
        for partner in self:
            company = partner._relationship_company()
            partner.relationship_margin_band = (
                margin_band(
                    partner.relationship_margin_rate,
                    company.relationship_margin_low,
                    company.relationship_margin_high,
                )
                if partner.relationship_order_count
                else False
            )

    @api.depends("relationship_segment_id.default_level", "relationship_level_set_by_hand")
    def _compute_relationship_level(self):
        for partner in self:
            if not partner.relationship_level_set_by_hand:
                partner.relationship_level = partner.relationship_segment_id.default_level

    @api.depends(
        "relationship_order_count",
        "relationship_margin_band",
        "relationship_segment_id.customer_band",
        "relationship_segment_id.company_id.relationship_level_matrix_ids.level",
    )
    def _compute_relationship_level_recommended(self):
        matrix = self.env["relationship.level.matrix"]._levels_by_company(
            self.relationship_segment_id.company_id
        )
        for partner in self:
            segment = partner.relationship_segment_id
            partner.relationship_level_recommended = (
                matrix[segment.company_id.id].get(
                    (segment.customer_band, partner.relationship_margin_band), False
                )
                if segment and partner.relationship_order_count
                else False
            )

    @api.depends("relationship_level", "relationship_level_recommended")
    def _compute_relationship_level_gap(self):
        for partner in self:
            recommended = partner.relationship_level_recommended
            # No practised level is no relationship effort: Basic.
            steps = (
                LEVEL_RANK[recommended] - LEVEL_RANK.get(partner.relationship_level, 0)
                if recommended
                else 0
            )
            partner.relationship_level_gap_steps = max(steps, 0)
            partner.relationship_level_gap = steps > 0

    @api.depends(
        "relationship_order_count",
        "relationship_first_purchase",
        "relationship_last_purchase",
        "company_id.relationship_risk_factor",
        "company_id.relationship_risk_floor_days",
        "company_id.relationship_dissolution_factor",
        "company_id.relationship_dissolution_floor_days",
    )
    def _compute_relationship_rhythm(self):
        for partner in self:
            company = partner._relationship_company()
            count = partner.relationship_order_count
            first, last = partner.relationship_first_purchase, partner.relationship_last_purchase
            interval = (last - first).days / (count - 1) if count > 1 and first and last else 0.0
            partner.relationship_purchase_interval = interval
            if not (count and last):
                partner.relationship_risk_date = partner.relationship_dissolution_date = False
                continue
            # Silent longer than N days: the first day at risk is day N + 1.
            risk = max(
                interval * company.relationship_risk_factor, company.relationship_risk_floor_days
            )
            end = max(
                interval * company.relationship_dissolution_factor,
                company.relationship_dissolution_floor_days,
            )
            partner.relationship_risk_date = last + timedelta(days=math.floor(risk) + 1)
            partner.relationship_dissolution_date = last + timedelta(days=math.floor(end) + 1)

    @api.depends("relationship_phase", "relationship_at_risk")
    def _compute_relationship_lifecycle_focus(self):
        focus = {
            "exploration": "acquisition",
            "awareness": "retention",
            "expansion": "growth",
            "commitment": "growth",
            "dissolution": "retention",
        }
        for partner in self:
            if partner.relationship_at_risk:
                partner.relationship_lifecycle_focus = "retention"
            elif partner.relationship_phase:
                partner.relationship_lifecycle_focus = focus[partner.relationship_phase]

    @api.depends("relationship_level")
    def _compute_relationship_type(self):
        for partner in self:
            if partner.relationship_level:
                partner.relationship_type = (
                    "transactional" if partner.relationship_level == "basic" else "long_term"
                )

    @api.depends(
        "relationship_key_account_manager_id", "relationship_segment_id.default_service_mode"
    )
    def _compute_relationship_service_mode(self):
        for partner in self:
            default = partner.relationship_segment_id.default_service_mode
            if partner.relationship_key_account_manager_id:
                partner.relationship_service_mode = "dedicated"
            elif default or partner.relationship_service_mode == "dedicated":
                partner.relationship_service_mode = default

    @api.depends(
        "relationship_membership_ids.state",
        "relationship_membership_ids.points",
        "relationship_membership_ids.programme_id.counts_for_ladder",
    )
    def _compute_relationship_memberships(self):
        # The flag counts every active membership of the customer, whoever
        # triggers the recomputation (a salesperson may see one company only).
        ids = self._relationship_ids_with("relationship_membership_ids")
        groups = ids and (
            self.env["relationship.membership"]
            .sudo()
            ._read_group(
                [("partner_id", "in", ids), ("state", "=", "active")],
                ["partner_id", "programme_id"],
                ["__count", "points:sum"],
            )
        )
        figures = defaultdict(lambda: [False, 0, 0])
        for partner, programme, count, points in groups:
            figures[partner.id][0] |= programme.counts_for_ladder
            figures[partner.id][1] += count
            figures[partner.id][2] += points
        for partner in self:
            member, count, points = figures.get(partner._origin.id, (False, 0, 0))
            partner.relationship_membership_active = member
            partner.relationship_membership_count = count
            partner.relationship_loyalty_points = points

    @api.depends("relationship_contact_owner_id")
    def _compute_relationship_known_personally(self):
        for partner in self:
            partner.relationship_known_personally = bool(partner.relationship_contact_owner_id)

    @api.depends("relationship_community_member_ids")
    def _compute_relationship_community_count(self):
        ids = self._relationship_ids_with("relationship_community_member_ids")
        counts = dict(
            ids
            and self.env["relationship.community.member"]
            .sudo()  # count every community of the customer, as for memberships
            ._read_group([("partner_id", "in", ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.relationship_community_count = counts.get(partner._origin, 0)

    @api.depends("relationship_tie_ids.date_start", "relationship_tie_ids.date_end")
    def _compute_relationship_tie_count(self):
        today = fields.Date.today()
        ids = self._relationship_ids_with("relationship_tie_ids")
        counts = dict(
            ids
            and self.env["relationship.tie"]
            .sudo()  # count every tie of the customer, as for memberships
            ._read_group(
                [
                    ("partner_id", "in", ids),
                    ("date_start", "<=", today),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", today),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.relationship_tie_count = counts.get(partner._origin, 0)

    @api.depends("relationship_satisfaction_ids.score", "relationship_satisfaction_ids.date")
    def _compute_relationship_satisfaction(self):
        latest = {}
        if ids := self._relationship_ids_with("relationship_satisfaction_ids"):
            self.env["relationship.satisfaction"].flush_model(["partner_id", "score", "date"])
            # The latest score per customer: one DISTINCT ON query, which the
            # ORM cannot express; every score of the customer counts.
            rows = self.env.execute_query(
                SQL(
                    """SELECT DISTINCT ON (partner_id) partner_id, score, date
                         FROM relationship_satisfaction
                        WHERE partner_id IN %s
                        ORDER BY partner_id, date DESC, id DESC""",
                    tuple(ids),
                )
            )
            latest = {partner_id: (score, date) for partner_id, score, date in rows}
        for partner in self:
            score, date = latest.get(partner._origin.id, (0.0, False))
            partner.relationship_satisfaction_score = score
            partner.relationship_satisfaction_date = date

    @api.depends(
        "relationship_satisfaction_score",
        "relationship_satisfaction_date",
        "relationship_referral_count",
        "company_id.relationship_promoter_min",
    )
    def _compute_relationship_promoter(self):
        for partner in self:
            promoter = bool(
                partner.relationship_satisfaction_date
                and partner.relationship_satisfaction_score
                >= partner._relationship_company().relationship_promoter_min
            )
            partner.relationship_promoter = promoter
            partner.relationship_advocate_suggested = (
                promoter and not partner.relationship_referral_count
            )

    @api.depends("relationship_inquiry_ids.kind")
    def _compute_relationship_inquiry_counts(self):
        counts = defaultdict(int)
        if ids := self._relationship_ids_with("relationship_inquiry_ids"):
            for partner, kind, count in (
                self.env["relationship.inquiry"]
                .sudo()  # count every inquiry of the customer, as for memberships
                ._read_group([("partner_id", "in", ids)], ["partner_id", "kind"], ["__count"])
            ):
                counts[partner.id, kind] = count
        for partner in self:
            partner.relationship_inquiry_count = counts[partner._origin.id, "inquiry"]
            partner.relationship_complaint_count = counts[partner._origin.id, "complaint"]

    def _relationship_ids_with(self, fname):
        """Ids of these partners whose one2many ``fname`` may hold records.

        Partners just created are known to have none (the ORM caches their
        one2many fields as empty): counting their records needs no query.
        """
        field, cache = self._fields[fname], self.env.cache
        return [
            partner.id
            for partner in self._origin
            if partner.id and not (cache.contains(partner, field) and not cache.get(partner, field))
        ]

    def _relationship_company(self):
        """The company whose relationship settings apply to this customer."""
        self.ensure_one()
        return self.relationship_segment_id.company_id or self.company_id or self.env.company

    @api.constrains("relationship_phase", "relationship_dissolution_reason")
    def _check_relationship_dissolution_reason(self):
        for partner in self:
            if (
                partner.relationship_phase == "dissolution"
                and not partner.relationship_dissolution_reason
            ):
                raise ValidationError(
                    _("Say why the relationship with %s ended.", partner.display_name)
                )

    @api.model
    def _read_group_relationship_stage_ids(self, stages, domain):
        # Show every rung of the ladder in the kanban, even the empty ones.
        return stages.search([("company_id", "in", self.env.companies.ids)])

    # ------------------------------------------------------------------
    # Stage moves and their history
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        entered = partners.browse(
            [
                p.id
                for p, vals in zip(partners, vals_list, strict=True)
                if vals.get("relationship_stage_id")
            ]
        )
        if entered:
            entered._relationship_log_moves({})
        return partners

    def write(self, vals):
        if "relationship_phase" in vals and not self.env.context.get("relationship_phase_auto"):
            return self._relationship_write_manual_phase(vals)
        level_by_hand = (
            "relationship_level" in vals
            and "relationship_level_set_by_hand" not in vals
            and not self.env.context.get("relationship_level_auto")
        )
        moving_stage = "relationship_stage_id" in vals
        if moving_stage:
            previous = {partner.id: partner.relationship_stage_id for partner in self}
            vals = dict(vals, relationship_stage_date=fields.Datetime.now())
        result = super().write(vals)
        if moving_stage and not self.env.context.get("relationship_moves_logged_by_caller"):
            self._relationship_log_moves(previous)
        elif not self.env.context.get("relationship_ingest"):
            self._relationship_climb_after_write(vals)
        if level_by_hand:
            # A level other than the segment's default was chosen for these
            # customers: keep it when the segment changes.
            self.filtered(
                lambda p: (
                    not p.relationship_level_set_by_hand
                    and p.relationship_level != p.relationship_segment_id.default_level
                )
            ).write({"relationship_level_set_by_hand": True})
        if vals.keys() & SEGMENT_FIELDS and not self.env.context.get("relationship_ingest"):
            self._relationship_assign_segments()
        return result

    def _relationship_climb_after_write(self, vals):
        """Details that stage criteria read changed: let the customers climb."""
        if vals.keys() & LADDER_FIELDS:
            self._relationship_advance_stages(reason=_("Customer details changed"))
        elif "relationship_referred_by_id" in vals:
            self.relationship_referred_by_id._relationship_advance_stages(reason=_("New referral"))

    def _relationship_write_manual_phase(self, vals):
        """A person sets the phase: it holds until the customer buys again.

        The move is logged like a stage move; moving out of Dissolution wins
        the customer back.
        """
        phase = vals["relationship_phase"]
        auto = self.with_context(relationship_phase_auto=True)
        moving = auto.filtered(lambda p: p.relationship_phase != phase)
        previous = {partner.id: partner.relationship_phase for partner in moving}
        result = (auto - moving).write(vals) if auto - moving else True
        if not moving:
            return result
        now = fields.Datetime.now()
        extra = {"relationship_phase_manual": bool(phase), "relationship_phase_date": now}
        if phase == "dissolution":
            extra.update(relationship_at_risk=False, relationship_risk_reason=False)
        else:
            extra["relationship_dissolution_reason"] = False
        result = moving.write(dict(vals, **extra)) and result
        won_back = moving.filtered(
            lambda p: previous[p.id] == "dissolution" and phase != "dissolution"
        )
        if won_back:
            won_back.write({"relationship_won_back_date": now.date()})
        if phase:
            self.env["relationship.phase.history"].create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": (partner.company_id or self.env.company).id,
                        "phase_from": previous[partner.id],
                        "phase_to": phase,
                        "date": now,
                        "move_type": "manual",
                        "won_back": partner in won_back,
                        "dissolution_reason": partner.relationship_dissolution_reason,
                        "reason": self.env.context.get("relationship_move_reason")
                        or _("Set by hand"),
                        "user_id": self.env.uid,
                    }
                    for partner in moving
                ]
            )
        return result

    def _relationship_log_moves(self, previous):
        """Record the stage moves of these partners (one ``create`` for all).

        The move type and reason come from the context keys
        ``relationship_move_type`` (``manual`` by default: the web client's
        kanban and form write the stage directly) and ``relationship_move_reason``.
        """
        move_type = self.env.context.get("relationship_move_type", "manual")
        reason = self.env.context.get("relationship_move_reason") or (
            _("Set by hand") if move_type == "manual" else False
        )
        now = fields.Datetime.now()
        moves = [
            {
                "partner_id": partner.id,
                "company_id": partner.relationship_stage_id.company_id.id,
                "stage_from_id": previous.get(partner.id, self.env["relationship.stage"]).id,
                "stage_to_id": partner.relationship_stage_id.id,
                "date": now,
                "move_type": move_type,
                "user_id": self.env.uid,
                "reason": reason,
            }
            for partner in self
            if partner.relationship_stage_id
            and partner.relationship_stage_id != previous.get(partner.id)
        ]
        if moves:
            self.env["relationship.stage.history"].create(moves)

    def _relationship_ladder_figures(self, company):
        """What the stage criteria look at, for these partners, in one company.

        One ``_read_group`` per distinct criteria period, whatever the number
        of partners.
        """
        stages = self.env["relationship.stage"].search([("company_id", "=", company.id)])
        now = fields.Datetime.now()
        orders, revenue = defaultdict(dict), defaultdict(dict)
        for period in set(stages.mapped("period_days")):
            domain = [("partner_id", "in", self.ids), ("company_id", "=", company.id)]
            if period:
                domain.append(("date_order", ">=", now - timedelta(days=period)))
            for partner, count, total in self.env["relationship.purchase"]._read_group(
                domain, ["partner_id"], ["__count", "amount_company:sum"]
            ):
                orders[partner.id][period] = count
                revenue[partner.id][period] = total
        return stages, {
            partner.id: {
                "orders": orders[partner.id],
                "revenue": revenue[partner.id],
                "referrals": partner.relationship_referral_count,
                "member": partner.relationship_membership_active,
                "agreement": partner.relationship_agreement,
            }
            for partner in self
        }

    def _relationship_advance_stages(self, reason=False):
        """Move these customers up the ladder as far as their figures allow.

        Automatic moves only go forward, and never touch a locked stage. Work
        is set-based: a few reads per company, one access check and one
        ``create`` of the moves for all.

        :return: the partners that moved
        """
        partners = self.filtered(lambda p: p.id and not p.relationship_stage_locked)
        if not partners:
            return self.browse()
        self.env.flush_all()
        target_of = {}  # partner id -> {"relationship_stage_id": stage id}
        by_company = partners.grouped(lambda p: p.company_id or self.env.company)
        for company, company_partners in by_company.items():
            stages, figures = company_partners._relationship_ladder_figures(company)
            for partner in company_partners:
                target = stages.browse()
                for stage in stages:
                    if not stage._qualifies(figures[partner.id]):
                        break
                    target = stage
                current = partner.relationship_stage_id
                if target and (not current or target.sequence > current.sequence):
                    target_of[partner.id] = {"relationship_stage_id": target.id}
        moved = self.browse(list(target_of))
        if not moved:
            return moved
        previous = {partner.id: partner.relationship_stage_id for partner in moved}
        # The customers moving to different rungs are logged in one create.
        write_each(moved.with_context(relationship_moves_logged_by_caller=True), target_of)
        moved.with_context(
            relationship_move_type="automatic", relationship_move_reason=reason
        )._relationship_log_moves(previous)
        return moved

    # ------------------------------------------------------------------
    # The depth of the relationship: segments, programmes, phases
    # ------------------------------------------------------------------

    def _relationship_refresh_depth(self, reason=False, purchased=False):
        """Bring segments, memberships, points, tiers and phases up to date.

        Called for the customers an ingestion batch or a purchase touched
        (``purchased``: they just bought, which ends a phase set by hand and
        moves the top customers), by the nightly cron per batch, and by the
        demo data. Every step is set-based: a constant number of queries
        whatever the number of customers. Levels, gaps, bands and dates are
        stored computed fields that follow by themselves.
        """
        partners = self.filtered("id")
        if not partners:
            return
        partners._relationship_assign_segments()
        # Programmes are configuration every customer's refresh must read.
        programmes = (
            self.env["relationship.programme"]
            .sudo()
            .search_fetch(
                [("company_id", "in", (partners.company_id | self.env.company).ids)],
                ["company_id", "kind", "club_access", "auto_enrol", "active"],
            )
        )
        programmes._relationship_auto_enrol(partners)
        if programmes.filtered(lambda p: p.kind == "frequency"):
            self.env["relationship.membership"].search(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "=", "active"),
                    ("programme_id.kind", "=", "frequency"),
                ]
            )._relationship_refresh_points(reason=reason)
        partners._relationship_refresh_phases(reason=reason, purchased=purchased)
        if purchased:
            by_company = partners.grouped(lambda p: p.company_id or self.env.company)
            for company, buyers in by_company.items():
                buyers._relationship_raise_pareto(company)

    @api.model
    def _relationship_customer_domain(self, company):
        """The customers of a company: buyers and customers on the ladder."""
        return [
            ("company_id", "in", [company.id, False]),
            "|",
            ("relationship_order_count", ">", 0),
            ("relationship_stage_id", "!=", False),
        ]

    def _relationship_assign_segments(self):
        """Put each of these customers in the first segment whose rule it matches.

        Customers in a segment 'set by hand' stay there. One search per
        segment with a rule and one write per segment that gains customers.
        """
        by_company = self.filtered("id").grouped(lambda p: p.company_id or self.env.company)
        Segment = self.env["relationship.segment"]
        for company, partners in by_company.items():
            # Segments are configuration every computation must read.
            # (With what the computed fields of the customers read next.)
            segments = Segment.sudo().search_fetch(
                [("company_id", "=", company.id)],
                [
                    "rule",
                    "domain",
                    "company_id",
                    "customer_band",
                    "default_level",
                    "default_service_mode",
                ],
            )
            manual = segments.filtered(lambda s: s.rule == "manual")
            todo = partners.filtered(
                lambda p, manual=manual: p.relationship_segment_id not in manual
            )
            targets = defaultdict(lambda: self.browse())
            for segment in segments.filtered(lambda s: s.rule != "manual"):
                if not todo:
                    break
                if segment.rule == "all":
                    matched = todo
                else:
                    matched = todo.with_context(active_test=False).search(
                        [("id", "in", todo.ids)] + segment._partner_domain()
                    )
                targets[segment] |= matched
                todo -= matched
            targets[Segment] |= todo
            for segment, segment_partners in targets.items():
                moving = segment_partners.filtered(
                    lambda p, segment=segment: p.relationship_segment_id != segment
                )
                if moving:
                    moving.write({"relationship_segment_id": segment.id})

    @api.model
    def _relationship_refresh_segments(self, companies):
        """Re-segment every customer of these companies, then count the segments."""
        for company in companies:
            self.search(self._relationship_customer_domain(company))._relationship_assign_segments()
        self._relationship_count_segments(companies)

    @api.model
    def _relationship_count_segments(self, companies):
        """Store each segment's number of customers (one query per call)."""
        # Segments are configuration: their counts are kept up to date
        # whoever changes the customers.
        Segment = self.env["relationship.segment"].sudo()
        segments = Segment.with_context(active_test=False).search(
            [("company_id", "in", companies.ids)]
        )
        if not segments:
            return
        counts = dict(
            self.with_context(active_test=False)._read_group(
                [("relationship_segment_id", "in", segments.ids)],
                ["relationship_segment_id"],
                ["__count"],
            )
        )
        write_each(
            Segment,
            {
                segment.id: {"customer_count": counts.get(segment, 0)}
                for segment in segments
                if segment.customer_count != counts.get(segment, 0)
            },
        )

    def _relationship_refresh_phases(self, reason=False, purchased=False):
        """Derive the phase and the at-risk flag of these customers from their purchases.

        The rules (settings of the customer's company):

        - no purchase: Exploration;
        - silent since the 'Dissolves On' date: Dissolution;
        - fewer orders than the expansion minimum: Awareness;
        - the commitment minimum of orders, buying for the commitment minimum
          of days, with purchases in each of the last two steady windows:
          Commitment;
        - otherwise: Expansion.

        A phase set by hand holds until the customer buys again (``purchased``).
        At risk: silent since the 'At Risk From' date, or a latest satisfaction
        score at most the low score; never in Dissolution. Leaving Dissolution
        wins the customer back. Moves are logged with one ``create``.

        :return: the logged moves
        """
        History = self.env["relationship.phase.history"]
        partners = self.filtered("id")
        if not partners:
            return History
        today = fields.Date.today()
        now = fields.Datetime.now()
        by_company = partners.grouped(lambda p: p.company_id or self.env.company)
        Purchase = self.env["relationship.purchase"]
        updates, moves = {}, []
        for company, company_partners in by_company.items():
            # Steady buyers bought in each of the last two windows: the
            # earliest purchase of the last two windows falls in the older
            # one, the latest in the recent one. Only customers with enough
            # orders for long enough can be committed; ask for them only.
            window = timedelta(days=company.relationship_phase_window_days)
            candidates = company_partners.filtered(
                lambda p, company=company: (
                    p.relationship_order_count >= company.relationship_commitment_min_orders
                    and (today - p.relationship_first_purchase).days
                    >= company.relationship_commitment_min_days
                )
            )
            steady = set()
            if candidates:
                steady = {
                    partner.id
                    for partner, first, last in Purchase._read_group(
                        [
                            ("partner_id", "in", candidates.ids),
                            ("date_order", ">=", now - 2 * window),
                            ("date_order", "<", now),
                        ],
                        ["partner_id"],
                        ["date_order:min", "date_order:max"],
                    )
                    if first < now - window <= last
                }
            for partner in company_partners:
                vals, move = partner._relationship_phase_update(
                    company, today, now, steady=partner.id in steady, purchased=purchased
                )
                if vals:
                    updates[partner.id] = vals
                if move:
                    default_reason = reason or _("Purchase behaviour")
                    moves.append(dict(move, reason=move.get("reason") or default_reason))
        write_each(self.with_context(relationship_phase_auto=True), updates)
        return History.create(moves)

    def _relationship_phase_update(self, company, today, now, steady, purchased):
        """What changes for this customer: ``(vals to write, phase move or None)``."""
        self.ensure_one()
        count = self.relationship_order_count
        current = self.relationship_phase
        low_score = bool(
            self.relationship_satisfaction_date
            and self.relationship_satisfaction_score <= company.relationship_satisfaction_low
        )
        if self.relationship_phase_manual and not purchased:
            phase = current
        elif not count:
            phase = "exploration"
        elif self.relationship_dissolution_date and today >= self.relationship_dissolution_date:
            phase = "dissolution"
        elif count < company.relationship_expansion_min_orders:
            phase = "awareness"
        elif (
            count >= company.relationship_commitment_min_orders
            and (today - self.relationship_first_purchase).days
            >= company.relationship_commitment_min_days
            and steady
        ):
            phase = "commitment"
        else:
            phase = "expansion"
        risk_date = self.relationship_risk_date
        silent = bool(count and risk_date and today >= risk_date)
        at_risk = phase != "dissolution" and (silent or low_score)
        new = {
            "relationship_phase": phase,
            "relationship_at_risk": at_risk,
            "relationship_risk_reason": at_risk and ("silent" if silent else "low_score"),
            "relationship_dissolution_reason": phase == "dissolution"
            and (
                self.relationship_dissolution_reason or ("dissatisfied" if low_score else "other")
            ),
            "relationship_phase_manual": self.relationship_phase_manual and not purchased,
        }
        vals = {fname: value for fname, value in new.items() if (self[fname] or False) != value}
        if phase == current:
            return vals, None
        won_back = current == "dissolution"
        vals["relationship_phase_date"] = now
        if won_back:
            vals["relationship_won_back_date"] = today
        move_reason = False
        if won_back:
            move_reason = _("Bought again after the relationship had ended")
        elif phase == "dissolution":
            move_reason = _(
                "No purchase for %s days", (today - self.relationship_last_purchase).days
            )
        return vals, {
            "partner_id": self.id,
            "company_id": company.id,
            "phase_from": current,
            "phase_to": phase,
            "date": now,
            "move_type": "automatic",
            "won_back": won_back,
            "dissolution_reason": new["relationship_dissolution_reason"],
            "reason": move_reason,
            "user_id": self.env.uid,
        }

    def _relationship_pareto_since(self, company):
        """The start of the window of revenue that ranks the top customers."""
        if not company.relationship_pareto_days:
            return SQL()
        return SQL(
            "AND date_order >= %s",
            fields.Datetime.now() - timedelta(days=company.relationship_pareto_days),
        )

    def _relationship_raise_pareto(self, company):
        """Make top customers of these buyers of ``company`` whose revenue of the
        last days reaches the company's threshold, right after they bought.

        The exact ranking (``_relationship_refresh_pareto``) reads every
        purchase of the company's window: too slow for each batch of a
        connector on a large base (0.7 s at a million purchases). It runs
        nightly and keeps the revenue of the smallest top customer as the
        threshold; a purchase then only compares its buyers with it, in one
        statement over these partners' purchases. The trade-off: a purchase
        makes its buyer a top customer at once, but nobody stops being one
        before the night (the others' share shrinks only in the exact
        ranking). Until a company has a threshold, its buyers are ranked
        exactly.
        """
        threshold = company.relationship_pareto_threshold
        if not threshold:
            self._relationship_refresh_pareto(company)
            return
        self.env["relationship.purchase"].flush_model(
            ["partner_id", "company_id", "date_order", "amount_company"]
        )
        self.flush_model(["relationship_pareto"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET relationship_pareto = TRUE
                  FROM (SELECT partner_id
                          FROM relationship_purchase
                         WHERE partner_id = ANY(%(partners)s)
                           AND company_id = %(company)s %(since)s
                         GROUP BY partner_id
                        HAVING SUM(amount_company) >= %(threshold)s) AS top
                 WHERE p.id = top.partner_id
                   AND p.relationship_pareto IS NOT TRUE
                """,
                partners=self.ids,
                company=company.id,
                since=self._relationship_pareto_since(company),
                threshold=threshold,
            )
        )
        self.invalidate_recordset(["relationship_pareto"])

    @api.model
    def _relationship_refresh_pareto(self, company):
        """Flag the top customers: those who together make the top share of revenue.

        Customers are ranked by revenue of the last days of the settings; a
        customer is a top customer when the customers ranked before it make
        less than the share. One UPDATE over the company's customers, like
        the scores: the flag depends on every customer at once. The revenue
        of the smallest top customer is kept on the company as the threshold
        that purchases compare their buyers with until the next ranking
        (``_relationship_raise_pareto``).
        """
        self.env["relationship.purchase"].flush_model(
            ["partner_id", "company_id", "date_order", "amount_company"]
        )
        self.flush_model(["relationship_pareto", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH revenue AS (
                    SELECT partner_id, SUM(amount_company) AS total
                      FROM relationship_purchase
                     WHERE company_id = %(company)s %(since)s
                     GROUP BY partner_id
                    HAVING SUM(amount_company) > 0
                ), ranked AS (
                    SELECT partner_id, total,
                           SUM(total) OVER (ORDER BY total DESC, partner_id
                                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                               AS before,
                           SUM(total) OVER () AS grand
                      FROM revenue
                ), top AS (
                    SELECT partner_id, total FROM ranked
                     WHERE COALESCE(before, 0) < grand * %(share)s / 100.0
                ), threshold AS (
                    UPDATE res_company
                       SET relationship_pareto_threshold = (SELECT MIN(total) FROM top)
                     WHERE id = %(company)s
                )
                UPDATE res_partner p
                   SET relationship_pareto = p.id IN (SELECT partner_id FROM top)
                 WHERE (p.company_id = %(company)s OR p.company_id IS NULL)
                   AND (p.relationship_pareto OR p.id IN (SELECT partner_id FROM top))
                   AND p.relationship_pareto IS DISTINCT FROM (p.id IN (SELECT partner_id FROM top))
                """,
                company=company.id,
                since=self._relationship_pareto_since(company),
                share=company.relationship_pareto_share,
            )
        )
        self.invalidate_model(["relationship_pareto"])
        company.invalidate_recordset(["relationship_pareto_threshold"])

    # ------------------------------------------------------------------
    # Nightly recomputation
    # ------------------------------------------------------------------

    @api.model
    def _relationship_refresh_figures(self, companies):
        """Rebuild the stored purchase figures of the companies' customers.

        The nightly safety net under the figures the ORM keeps up to date:
        one statement over the customers of the companies and the shared
        contacts (each once), instead of a recomputation per customer.

        :return: the customers whose figures changed
        """
        scope = SQL("(p.company_id = ANY(%s) OR p.company_id IS NULL)", companies.ids)
        return self._relationship_update_figures(
            scope, SQL("o.partner_id IN (SELECT p.id FROM res_partner p WHERE %s)", scope)
        )

    @api.model
    def _relationship_write_pending_figures(self):
        """Set the figures the ORM has yet to compute, in one statement.

        For an ingestion batch: the ORM would compute them with one query
        but write them with an UPDATE per 100 customers (and per set of
        changed fields).

        :return: the partners whose figures changed
        """
        fields_ = [self._fields[fname] for fname in FIGURE_FIELDS]
        ids = set()
        for field in fields_:
            ids.update(self.env.records_to_compute(field)._ids)
        partners = self.browse(sorted(ids))
        if not partners:
            return partners
        for field in fields_:
            self.env.remove_to_compute(field, partners)
        return self._relationship_update_figures(
            SQL("p.id = ANY(%s)", partners.ids), SQL("o.partner_id = ANY(%s)", partners.ids)
        )

    def _relationship_update_figures(self, scope, purchases):
        """Set the figures of the partners ``scope`` selects to what their
        purchases make, in one UPDATE, as ``_compute_relationship_figures``
        would: same values, same rounding (the currency's for amounts, two
        digits for the margin rate), no purchase is 0 and no dates.

        Only the rows whose figures differ are written, so that a night with
        few changes writes few rows; the fields computed from the figures
        (bands, levels, risk dates...) are then recomputed through the ORM
        for those partners only.

        :param SQL scope: condition on the partner ``p``
        :param SQL purchases: condition on the purchase ``o``, true for those
            of the partners of ``scope`` (planned from the purchases' side)
        :return: the partners whose figures changed
        """
        self.env["relationship.purchase"].flush_model(
            ["partner_id", "amount_company", "margin_company", "date_order"]
        )
        # Values computed (or set) through the ORM are in the database first:
        # the statement reads and compares the stored ones.
        self.flush_model([*FIGURE_FIELDS, "company_id"])
        self.env["res.company"].flush_model(["currency_id"])
        self.env["res.currency"].flush_model(["rounding"])
        # The figures' currency is the partner's company's, else the current
        # company's (relationship_currency_id).
        default_rounding = self.env.company.currency_id.rounding
        rows = self.env.execute_query(
            SQL(
                """
                WITH bought AS (
                    SELECT o.partner_id,
                           COUNT(*) AS orders,
                           SUM(o.amount_company) AS revenue,
                           SUM(o.margin_company) AS margin,
                           MIN(o.date_order)::date AS first,
                           MAX(o.date_order)::date AS last
                      FROM relationship_purchase o
                     WHERE %(purchases)s
                     GROUP BY o.partner_id
                ), raw AS (
                    SELECT p.id,
                           COALESCE(b.orders, 0) AS orders,
                           COALESCE(b.revenue, 0) AS revenue,
                           COALESCE(b.margin, 0) AS margin,
                           b.first,
                           b.last,
                           COALESCE(cur.rounding, %(rounding)s::numeric) AS rounding
                      FROM res_partner p
                      LEFT JOIN bought b ON b.partner_id = p.id
                      LEFT JOIN res_company c ON c.id = p.company_id
                      LEFT JOIN res_currency cur ON cur.id = c.currency_id
                     WHERE %(scope)s
                ), figures AS (
                    SELECT id, orders,
                           ROUND(revenue / rounding) * rounding AS revenue,
                           CASE WHEN orders > 0
                                THEN ROUND(revenue / orders / rounding) * rounding
                                ELSE 0 END AS average,
                           ROUND(margin / rounding) * rounding AS margin,
                           CASE WHEN revenue <> 0
                                THEN ROUND(100 * margin / revenue, 2)
                                ELSE 0 END AS rate,
                           first,
                           last
                      FROM raw
                )
                UPDATE res_partner p
                   SET relationship_order_count = f.orders,
                       relationship_revenue = f.revenue,
                       relationship_average_order = f.average,
                       relationship_margin = f.margin,
                       relationship_margin_rate = f.rate,
                       relationship_first_purchase = f.first,
                       relationship_last_purchase = f.last,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM figures f
                 WHERE p.id = f.id
                   AND (COALESCE(p.relationship_order_count, 0),
                        COALESCE(p.relationship_revenue, 0),
                        COALESCE(p.relationship_average_order, 0),
                        COALESCE(p.relationship_margin, 0),
                        COALESCE(p.relationship_margin_rate, 0),
                        p.relationship_first_purchase,
                        p.relationship_last_purchase)
                       IS DISTINCT FROM
                       (f.orders, f.revenue, f.average, f.margin, f.rate, f.first, f.last)
             RETURNING p.id
                """,
                scope=scope,
                purchases=purchases,
                rounding=default_rounding,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        self.invalidate_model([*FIGURE_FIELDS, "write_uid", "write_date"])
        changed = self.browse(row[0] for row in rows)
        # The bands, levels and risk dates of the changed partners follow.
        changed.modified(FIGURE_FIELDS)
        return changed

    @api.model
    def _relationship_refresh_scores(self, company):
        """Recency, frequency and monetary quintiles of a company's customers.

        One UPDATE over the whole customer base: the scores are ranks, so they
        depend on every customer at once.
        """
        self.flush_model(
            ["relationship_last_purchase", "relationship_order_count", "relationship_revenue"]
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET relationship_recency_score = s.recency,
                       relationship_frequency_score = s.frequency,
                       relationship_monetary_score = s.monetary
                  FROM (
                    SELECT id,
                           ntile(5) OVER (ORDER BY relationship_last_purchase, id) AS recency,
                           ntile(5) OVER (ORDER BY relationship_order_count, id) AS frequency,
                           ntile(5) OVER (ORDER BY relationship_revenue, id) AS monetary
                      FROM res_partner
                     WHERE relationship_order_count > 0
                       AND (company_id = %(company)s OR company_id IS NULL)
                  ) s
                 WHERE p.id = s.id
                   AND (p.relationship_recency_score, p.relationship_frequency_score,
                        p.relationship_monetary_score)
                       IS DISTINCT FROM (s.recency, s.frequency, s.monetary)
                """,
                company=company.id,
            )
        )
        self.invalidate_model(
            [
                "relationship_recency_score",
                "relationship_frequency_score",
                "relationship_monetary_score",
            ]
        )

    # The nightly recomputation in three steps, shared by the cron below and
    # by the optional job-queue bridge (relationship_marketing_queue), which
    # runs the middle one for ranges of customers in parallel.

    @api.model
    def _relationship_nightly_domain(self):
        """The customers the nightly recomputation goes through."""
        return ["|", ("relationship_order_count", ">", 0), ("relationship_stage_id", "!=", False)]

    @api.model
    def _relationship_nightly_start(self, companies):
        """What spans every customer, once a night, before the batches: the
        figures first, since the scores and the top customers rank them."""
        self._relationship_refresh_figures(companies)
        for company in companies:
            self._relationship_refresh_scores(company)
            self._relationship_refresh_pareto(company)
        self.env["relationship.membership"]._relationship_expire()

    def _relationship_nightly_refresh(self):
        """One batch of customers: segments, points, tiers, phases, ties, stages
        (time passing moves them, and consultants change their rules)."""
        reason = _("Nightly recomputation")
        # Ties end with time: count the current ones again.
        self.env.add_to_compute(self._fields["relationship_tie_count"], self)
        self._relationship_refresh_depth(reason=reason)
        self._relationship_advance_stages(reason=reason)

    @api.model
    def _relationship_nightly_end(self, companies):
        """After the last batch: the segments' customer counts."""
        self._relationship_count_segments(companies)

    @api.model
    def _cron_relationship_refresh(self, batch_size=5000):
        """Nightly: purchase figures, scores, top customers and expired
        memberships; then, per batch of customers, segments, points, tiers,
        phases, ties and stages (time passing moves them, and consultants
        change their rules).

        Runs in batches with Odoo's cron progress API: each call handles the
        next ``batch_size`` customers after a cursor kept in a system
        parameter, so that the cron runner commits between batches and a
        crash resumes where the last committed batch ended. Segments are
        counted once the last batch is done.
        """
        # The cursor is cron bookkeeping, not user data: whoever runs the cron
        # must be able to move it.
        params = self.env["ir.config_parameter"].sudo()
        last_id = int(params.get_param(REFRESH_CURSOR, 0))
        companies = self.env["res.company"].search([])
        if not last_id:
            self._relationship_nightly_start(companies)
        domain = [("id", ">", last_id), *self._relationship_nightly_domain()]
        partners = self.search(domain, order="id", limit=batch_size)
        remaining = self.search_count(domain) - len(partners)
        partners._relationship_nightly_refresh()
        if not remaining:
            self._relationship_nightly_end(companies)
        params.set_param(REFRESH_CURSOR, partners[-1:].id if remaining else 0)
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        _logger.info(
            "Relationship refresh: %s customers done, %s remaining", len(partners), remaining
        )
        return remaining
