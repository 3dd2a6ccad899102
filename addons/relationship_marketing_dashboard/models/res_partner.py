# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError

RELATIONSHIP_GROUP = "relationship_marketing.group_relationship_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    relationship_stage_days = fields.Integer(
        string="Days in Stage",
        compute="_compute_relationship_stage_days",
        groups=RELATIONSHIP_GROUP,
        help="Days the customer has spent on its current development stage.",
    )
    relationship_stuck = fields.Boolean(
        string="Stuck in Stage",
        compute="_compute_relationship_stage_days",
        search="_search_relationship_stuck",
        groups=RELATIONSHIP_GROUP,
        help="The customer has been on its current stage longer than the stage's "
        "stuck limit (set on each rung of the ladder).",
    )

    def _compute_relationship_stage_days(self):
        stays = {
            stay.partner_id.id: stay
            for stay in self.env["relationship.stage.duration.report"].search(
                [("partner_id", "in", self._origin.ids), ("is_current", "=", True)]
            )
        }
        for partner in self:
            stay = stays.get(partner._origin.id)
            partner.relationship_stage_days = int(stay.days) if stay else 0
            partner.relationship_stuck = bool(stay and stay.is_stuck)

    def _search_relationship_stuck(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Stuck customers can only be searched as 'is set' or 'is not set'."))
        stuck = (
            self.env["relationship.stage.duration.report"]
            ._search([("is_stuck", "=", True)])
            .subselect("partner_id")
        )
        return [("id", "in" if (operator == "=") == value else "not in", stuck)]
