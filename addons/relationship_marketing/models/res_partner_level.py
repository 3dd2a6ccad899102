# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models

from ..tools.batch import write_each
from .relationship_level_matrix import LEVEL_RANK, LEVELS, MARGIN_BANDS, margin_band
from .relationship_segment import SERVICE_MODES
from .res_partner import RELATIONSHIP_GROUP, RELATIONSHIP_PREFETCH


# res.partner is extended by concern, one file each, as Odoo's mail does.
class ResPartner(models.Model):
    """The relationship level (Kotler), segments, life cycle and relationship type."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    relationship_segment_id = fields.Many2one(
        "relationship.segment",
        string="Segment",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        domain="[('company_id', 'in', [company_id or current_company_id])]",
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The part of the customer base the customer belongs to, from the segments' "
        "rules (pick a segment 'set by hand' to place the customer yourself). Its number "
        "of customers is one axis of the level matrix.",
    )
    relationship_customer_band = fields.Selection(
        string="Number of Customers",
        related="relationship_segment_id.customer_band",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Whether the customer's segment has many, a medium number of or few customers.",
    )
    relationship_margin_band = fields.Selection(
        MARGIN_BANDS,
        string="Unit Margin",
        compute="_compute_relationship_margin_band",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
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
        prefetch=RELATIONSHIP_PREFETCH,
        help="The level of relationship marketing practised with the customer: Basic "
        "(we sell), Reactive (we invite the customer to call), Accountable (we call "
        "after the sale), Proactive (we call from time to time), Partnership (we work "
        "with the customer continuously). By default the level of its segment.",
    )
    relationship_level_set_by_hand = fields.Boolean(
        string="Level Set by Hand",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
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
        prefetch=RELATIONSHIP_PREFETCH,
        help="The level Kotler's matrix recommends for the number of customers of the "
        "customer's segment and the customer's unit margin.",
    )
    relationship_level_gap = fields.Boolean(
        string="Level Gap",
        compute="_compute_relationship_level_gap",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The practised level is below the recommended one.",
    )
    relationship_level_gap_steps = fields.Integer(
        string="Levels Short",
        compute="_compute_relationship_level_gap",
        store=True,
        aggregator="sum",
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="How many levels the practised level is below the recommended one.",
    )
    relationship_type = fields.Selection(
        [("transactional", "Transactional"), ("long_term", "Long Term")],
        compute="_compute_relationship_type",
        store=True,
        readonly=False,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
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
        prefetch=RELATIONSHIP_PREFETCH,
        help="How the customer is served. Dedicated personal assistance when it has a "
        "key account manager, else the segment's default; you may change it.",
    )
    relationship_key_account_manager_id = fields.Many2one(
        "res.users",
        string="Key Account Manager",
        index="btree_not_null",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The person dedicated to this customer.",
    )

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
