# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class RelationshipStageBackward(models.TransientModel):
    """A move down the ladder by hand: confirmed, with a reason, and locked by
    default so that the next purchase does not climb the customer back."""

    _name = "relationship.stage.backward"
    _description = "Move a Customer Back on the Ladder"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    stage_id = fields.Many2one(
        "relationship.stage", string="Move Back To", required=True, ondelete="cascade"
    )
    stage_from = fields.Char(string="From", compute="_compute_stage_from")
    reason = fields.Text(
        required=True, help="Why the customer moves down: kept in the stage history."
    )
    lock = fields.Boolean(
        string="Lock the Stage",
        default=True,
        help="Keep the customer on this rung: purchases no longer move it up "
        "until someone unlocks the stage.",
    )

    @api.depends("partner_ids")
    def _compute_stage_from(self):
        for wizard in self:
            wizard.stage_from = ", ".join(
                wizard.partner_ids.relationship_stage_id.mapped("display_name")
            )

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(_("Say why the customer moves back on the ladder."))
        partners = self.partner_ids
        partners._relationship_move_to(self.stage_id, "manual", self.reason.strip())
        if self.lock:
            partners.write({"relationship_stage_locked": True})
        # The view behind still shows the move that was refused: reload it.
        return {"type": "ir.actions.client", "tag": "soft_reload"}
