# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RelationshipPhaseHistory(models.Model):
    _inherit = "relationship.phase.history"

    @api.model_create_multi
    def create(self, moves_vals):
        moves = super().create(moves_vals)
        moves._relationship_followup_moves()
        return moves

    def _relationship_followup_moves(self):
        """Fire the 'Entering a relationship phase' rules: once per phase and day."""
        labels = dict(self._fields["phase_to"]._description_selection(self.env))
        events = []
        for move in self:
            day = move.date.date()
            events.append(
                {
                    "partner": move.partner_id,
                    "company": move.company_id,
                    "date": day,
                    "key": f"phase:{move.phase_to}:{day.isoformat()}",
                    "origin": self.env._("Entered %(phase)s", phase=labels.get(move.phase_to)),
                    "phase": move.phase_to,
                }
            )
        self.env["relationship.followup.rule"]._followup_on_events("phase_change", events)
