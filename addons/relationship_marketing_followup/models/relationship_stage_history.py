# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RelationshipStageHistory(models.Model):
    _inherit = "relationship.stage.history"

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._relationship_followup_moves()
        return moves

    def _relationship_followup_moves(self):
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
