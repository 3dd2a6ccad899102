# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipStageHistory(models.Model):
    _name = "relationship.stage.history"
    # The mixin first: see relationship.followup.pending.mixin.
    _inherit = ["relationship.followup.pending.mixin", "relationship.stage.history"]
    _followup_trigger = "stage_change"

    relationship_followup_pending = fields.Boolean(
        help="Technical: a move caused by a connector's batch whose "
        "'Reaching a development stage' follow-ups the cron 'Relationship: follow-ups after "
        "ingestion' has not created yet.",
    )

    @api.model
    def _relationship_followup_event_of(self, vals):
        """What the event of a new move is known by before it is created: its
        day and stages (in cache: the batch has just moved its customers)."""
        Stage = self.env["relationship.stage"]
        return {
            "date": (fields.Datetime.to_datetime(vals.get("date")) or fields.Datetime.now()).date(),
            "key": "stage",
            "stage_from": Stage.browse(vals.get("stage_from_id")),
            "stage_to": Stage.browse(vals.get("stage_to_id")),
        }

    def _relationship_followup_fire(self):
        """Fire the 'Reaching a development stage' rules for these moves."""
        events = []
        for move in self:
            events.append(
                {
                    "partner": move.partner_id,
                    "company": move.company_id,
                    "date": move.date.date(),
                    "key": f"stage:{move.stage_to_id.id}",
                    "origin": self.env._("Reached %(stage)s", stage=move.stage_to_id.name),
                    "stage_from": move.stage_from_id,
                    "stage_to": move.stage_to_id,
                }
            )
        self.env["relationship.followup.rule"]._followup_on_events("stage_change", events)
