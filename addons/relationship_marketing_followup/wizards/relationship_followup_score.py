# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class RelationshipFollowupScore(models.TransientModel):
    """Marking a satisfaction check done: what did the customer say?"""

    _name = "relationship.followup.score"
    _description = "Score of a Satisfaction Check"

    activity_id = fields.Many2one("mail.activity", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", compute="_compute_partner_id", readonly=True
    )
    score = fields.Float(
        required=True,
        digits=(4, 1),
        help="From 0 (not satisfied at all) to 10 (delighted). A low score sets off "
        "the escalation.",
    )
    comment = fields.Text(help="What the customer said; also the activity's feedback.")
    schedule_next = fields.Boolean(
        help="Asked by 'Done & Schedule Next': the next activity's form follows."
    )

    @api.depends("activity_id")
    def _compute_partner_id(self):
        for wizard in self:
            activity = wizard.activity_id
            wizard.partner_id = activity.res_id if activity.res_model == "res.partner" else False

    @api.constrains("score")
    def _check_score(self):
        for wizard in self:
            if not 0 <= wizard.score <= 10:
                raise UserError(_("A satisfaction score is between 0 and 10."))

    def action_record(self):
        """Record the score on the customer, then mark the activity done."""
        self.ensure_one()
        if not self.activity_id.active:
            raise UserError(_("This activity is already done."))
        self.activity_id.check_access("write")
        # The assignee records what the customer told them on their own activity;
        # they may hold no relationship rights (the automation gave them the check).
        self.env["relationship.satisfaction"].sudo().create(
            {
                "partner_id": self.partner_id.id,
                "user_id": self.env.uid,
                "score": self.score,
                "comment": self.comment,
                "source": _("Satisfaction check"),
            }
        )
        activity = self.activity_id.with_context(relationship_followup_score_given=True)
        if self.schedule_next:
            action = activity.action_feedback_schedule_next(feedback=self.comment)
            if action:
                # the next activity's form is not a score given
                action["context"].pop("relationship_followup_score_given", None)
                return action
        else:
            activity.action_feedback(feedback=self.comment)
        return {"type": "ir.actions.act_window_close"}
