# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RelationshipSatisfaction(models.Model):
    _inherit = "relationship.satisfaction"

    @api.model_create_multi
    def create(self, vals_list):
        scores = super().create(vals_list)
        scores._relationship_followup_scores()
        return scores

    def _relationship_followup_scores(self):
        """Fire the 'Low satisfaction score' rules (each rule has its threshold).

        Scores of one customer on one day make one escalation, for the lowest.
        """
        events = {}
        for score in self.sorted("score", reverse=True):
            day = score.date.date()
            events[(score.partner_id.id, score.company_id.id, day)] = {
                "partner": score.partner_id,
                "company": score.company_id,
                "date": day,
                "key": f"satisfaction:{day.isoformat()}",
                "origin": self.env._("Satisfaction score %(score)s", score=score.score),
                "score": score.score,
                "values": {"score": f"{score.score:g}"},
            }
        self.env["relationship.followup.rule"]._followup_on_events(
            "satisfaction_low", list(events.values())
        )
