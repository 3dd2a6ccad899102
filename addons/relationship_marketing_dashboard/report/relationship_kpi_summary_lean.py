# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .relationship_kpi_summary import RelationshipKpiSummary

# The dimensions of the dashboard's indicators: no salesperson, segment or stage.
LEAN_DIMS = ("company_id", "kind", "currency_id", "date")


class RelationshipKpiSummaryLean(models.Model):
    """The key indicators per day and event only: the dashboard's months at once."""

    _name = "relationship.kpi.summary.lean"
    _inherit = "relationship.kpi.summary"
    _description = "Relationship Key Indicators per Day"
    _auto = False  # a materialized view (no create/write columns either)
    _summary_dims = {
        name: granularities
        for name, granularities in RelationshipKpiSummary._summary_dims.items()
        if name in LEAN_DIMS
    }

    # Not dimensions of this summary: no column to read them from.
    user_id = fields.Many2one("res.users", compute="_compute_no_dimension")
    segment_id = fields.Many2one("relationship.segment", compute="_compute_no_dimension")
    stage_id = fields.Many2one("relationship.stage", compute="_compute_no_dimension")

    def _compute_no_dimension(self):
        self.user_id = self.segment_id = self.stage_id = False
