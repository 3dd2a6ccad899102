# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

DEFAULT_STUCK_AFTER_DAYS = 180


class RelationshipStage(models.Model):
    _inherit = "relationship.stage"

    stuck_after_days = fields.Integer(
        string="Stuck After (Days)",
        default=DEFAULT_STUCK_AFTER_DAYS,
        help="A customer who stays on this rung longer than this many days is stuck: "
        "shown in the Stuck filter, the stuck customers list and the dashboard. "
        "0 means never stuck (e.g. the top rung).",
    )
    stuck_count = fields.Integer(
        string="Stuck Customers",
        compute="_compute_stuck_count",
        help="Customers on this rung for longer than the stuck limit.",
    )

    _sql_constraints = [
        (
            "stuck_after_days_positive",
            "CHECK(stuck_after_days >= 0)",
            "The stuck limit cannot be negative.",
        ),
    ]

    def _compute_stuck_count(self):
        # from the customers, not the nightly report: the count of today
        counts = dict(
            self.env["res.partner"]._read_group(
                [("relationship_stage_id", "in", self.ids), ("relationship_stuck", "=", True)],
                ["relationship_stage_id"],
                ["__count"],
            )
        )
        for stage in self:
            stage.stuck_count = counts.get(stage, 0)

    def _top_rungs(self):
        """The highest active rung of each company's ladder, among these stages."""
        top = {}
        for stage in self.filtered("active").sorted(lambda s: (s.sequence, s.id)):
            top[stage.company_id] = stage
        return self.browse([stage.id for stage in top.values()])

    @api.model
    def _default_ladder_values(self):
        values = super()._default_ladder_values()
        # Nowhere to climb from the top rung: a customer there is never stuck.
        if values:
            values[-1]["stuck_after_days"] = 0
        return values
