# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipProgrammeTier(models.Model):
    """A tier of a frequency programme, reached with enough qualifying points."""

    _name = "relationship.programme.tier"
    _description = "Loyalty Programme Tier"
    _order = "programme_id, threshold, id"

    name = fields.Char(required=True, translate=True, help="Name of the tier, e.g. Gold.")
    programme_id = fields.Many2one(
        "relationship.programme",
        required=True,
        index=True,
        ondelete="cascade",
        help="The programme the tier belongs to.",
    )
    company_id = fields.Many2one(
        related="programme_id.company_id", store=True, index=True, string="Company"
    )
    threshold = fields.Integer(
        string="Qualifying Points",
        help="Points a member must earn within the programme's qualifying window to "
        "reach this tier.",
    )
    benefits = fields.Text(translate=True, help="What members of this tier enjoy.")
    member_count = fields.Integer(
        string="Members", compute="_compute_member_count", help="Active members in the tier."
    )

    _sql_constraints = [
        ("threshold_positive", "CHECK(threshold >= 0)", "A tier threshold cannot be negative."),
        (
            "programme_threshold_uniq",
            "UNIQUE(programme_id, threshold)",
            "Two tiers of a programme cannot have the same threshold.",
        ),
    ]

    def _compute_member_count(self):
        counts = dict(
            self.env["relationship.membership"]._read_group(
                [("tier_id", "in", self.ids), ("state", "=", "active")],
                ["tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.member_count = counts.get(tier, 0)

    @api.model
    def _tier_for(self, tiers, points):
        """The highest of ``tiers`` (sorted by threshold) that ``points`` reach."""
        reached = tiers.browse()
        for tier in tiers:
            if tier.threshold > points:
                break
            reached = tier
        return reached
