# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipPhaseHistory(models.Model):
    _inherit = "relationship.phase.history"

    # NULL once handled, so that the partial index holds the pending rows only.
    relationship_followup_pending = fields.Boolean(
        string="Follow-ups Pending",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Technical: a move caused by a connector's batch whose "
        "'Entering a relationship phase' follow-ups the cron 'Relationship: follow-ups after "
        "ingestion' has not created yet.",
    )

    @api.model_create_multi
    def create(self, moves_vals):
        moves_vals, cron, inline = self.env["relationship.followup.rule"]._followup_defer_ingested(
            "phase_change", moves_vals, self._relationship_followup_event_of
        )
        moves = super().create(moves_vals)
        if cron:
            self.env["relationship.followup.rule"]._followup_wake_after_batch(cron)
        elif inline:
            moves._relationship_followup_moves()
        return moves

    @api.model
    def _relationship_followup_event_of(self, vals):
        """What the event of a new move is known by before it is created."""
        return {
            "date": (fields.Datetime.to_datetime(vals.get("date")) or fields.Datetime.now()).date(),
            "key": "phase",
            "phase": vals.get("phase_to"),
        }

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
