# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .relationship_kpi_summary_lean import RelationshipKpiSummaryLean


class RelationshipKpiSummaryHourlyLean(models.Model):
    """The key indicators per hour and event only: the dashboard's months at once,
    in the users' timezones."""

    _name = "relationship.kpi.summary.hourly.lean"
    _inherit = "relationship.kpi.summary.hourly"
    _description = "Relationship Key Indicators per Hour"
    _auto = False  # a materialized view (no create/write columns either)
    _summary_dims = RelationshipKpiSummaryLean._summary_dims

    # Not dimensions of this summary: no column to read them from.
    user_id = fields.Many2one("res.users", compute="_compute_no_dimension")
    segment_id = fields.Many2one("relationship.segment", compute="_compute_no_dimension")
    stage_id = fields.Many2one("relationship.stage", compute="_compute_no_dimension")

    def _compute_no_dimension(self):
        self.user_id = self.segment_id = self.stage_id = False
