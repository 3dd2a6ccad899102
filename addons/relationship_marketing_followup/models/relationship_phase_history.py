# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipPhaseHistory(models.Model):
    _name = "relationship.phase.history"
    # The mixin first: see relationship.followup.pending.mixin.
    _inherit = ["relationship.followup.pending.mixin", "relationship.phase.history"]
    _followup_trigger = "phase_change"

    relationship_followup_pending = fields.Boolean(
        help="Technical: a move caused by a connector's batch whose "
        "'Entering a relationship phase' follow-ups the cron 'Relationship: follow-ups after "
        "ingestion' has not created yet.",
    )

    @api.model
    def _relationship_followup_event_of(self, vals):
        """What the event of a new move is known by before it is created."""
        return {
            "date": (fields.Datetime.to_datetime(vals.get("date")) or fields.Datetime.now()).date(),
            "key": "phase",
            "phase": vals.get("phase_to"),
        }

    def _relationship_followup_fire(self):
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
