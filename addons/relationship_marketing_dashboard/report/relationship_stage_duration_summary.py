# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class RelationshipStageDurationSummary(models.Model):
    """The stays added up per stage, salesperson, segment and outcome.

    Answers the time in stage table of the dashboard without reading a row
    per stay. ``finished`` stands for the report's ``date_end`` is set.
    """

    _name = "relationship.stage.duration.summary"
    _inherit = "relationship.report.summary"
    _description = "Time in Development Stage Summary"
    _auto = False
    _summary_source = "relationship_stage_duration_report"
    _median_filters = ("finished",)
    _summary_dims = dict.fromkeys(
        [
            "company_id",
            "stage_id",
            "previous_stage_id",
            "next_stage_id",
            "user_id",
            "segment_id",
            "entry_move_type",
            "outcome",
            "is_current",
            "is_stuck",
            "finished",
        ],
        ("",),
    )
    _summary_measures = {"stay_count": "sum", "days": "avg", "days_median": "median"}

    stage_id = fields.Many2one("relationship.stage", readonly=True)
    previous_stage_id = fields.Many2one("relationship.stage", readonly=True)
    next_stage_id = fields.Many2one("relationship.stage", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    segment_id = fields.Many2one("relationship.segment", readonly=True)
    entry_move_type = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")], readonly=True
    )
    outcome = fields.Selection(
        [("ongoing", "Still There"), ("up", "Moved Up"), ("down", "Moved Down")], readonly=True
    )
    is_current = fields.Boolean(readonly=True)
    is_stuck = fields.Boolean(readonly=True)
    finished = fields.Boolean(readonly=True)
    stay_count = fields.Integer(readonly=True)
    days = fields.Float(readonly=True)
    days_median = fields.Float(readonly=True)

    def _summary_leaf(self, leaf):
        # the dashboard's "finished stays": the end date is set
        if leaf[0] == "date_end" and leaf[1] in ("=", "!=") and leaf[2] is False:
            return ("finished", "=", leaf[1] == "!=")
        return super()._summary_leaf(leaf)

    def _summary_dims_sql(self):
        return [
            *(item for item in super()._summary_dims_sql() if item[0] != "finished"),
            ("finished", SQL("%s IS NOT NULL", SQL.identifier(self._summary_source, "date_end"))),
        ]
