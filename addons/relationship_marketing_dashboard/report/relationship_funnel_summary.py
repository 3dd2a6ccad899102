# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipFunnelSummary(models.Model):
    """The funnel added up per rung, salesperson, segment and outcome.

    Answers the funnel graph and the conversion table of the dashboard without
    reading a row per customer.
    """

    _name = "relationship.funnel.summary"
    _inherit = "relationship.report.summary"
    _description = "Customer Development Funnel Summary"
    _auto = False
    _summary_source = "relationship_funnel_report"
    _summary_dims = dict.fromkeys(
        [
            "company_id",
            "stage_id",
            "stage_sequence",
            "next_stage_id",
            "current_stage_id",
            "user_id",
            "segment_id",
            "skipped",
            "is_current",
            "converted",
        ],
        ("",),
    )
    _summary_measures = {
        "customer_count": "sum",
        "converted_count": "sum",
        "conversion_rate": "avg",
        "top_rate": "avg",
        "days_to_reach": "avg",
        "days_to_next": "avg",
        "days_to_next_median": "median",
    }

    stage_id = fields.Many2one("relationship.stage", readonly=True)
    stage_sequence = fields.Integer(readonly=True)
    next_stage_id = fields.Many2one("relationship.stage", readonly=True)
    current_stage_id = fields.Many2one("relationship.stage", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    segment_id = fields.Many2one("relationship.segment", readonly=True)
    skipped = fields.Boolean(readonly=True)
    is_current = fields.Boolean(readonly=True)
    converted = fields.Boolean(readonly=True)
    customer_count = fields.Integer(readonly=True)
    converted_count = fields.Integer(readonly=True)
    conversion_rate = fields.Float(readonly=True)
    top_rate = fields.Float(readonly=True)
    days_to_reach = fields.Float(readonly=True)
    days_to_next = fields.Float(readonly=True)
    days_to_next_median = fields.Float(readonly=True)
