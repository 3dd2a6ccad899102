# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

RELATIONSHIP_GROUP = "relationship_marketing.group_relationship_user"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    relationship_followup_occurrence_id = fields.Many2one(
        "relationship.followup.occurrence",
        string="Follow-up",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups=RELATIONSHIP_GROUP,
        help="The follow-up of the playbook this activity carries out.",
    )
    relationship_followup_rule_id = fields.Many2one(
        related="relationship_followup_occurrence_id.rule_id",
        string="Follow-up Rule",
        store=True,
        index="btree_not_null",
        groups=RELATIONSHIP_GROUP,
        help="The playbook rule that created this activity.",
    )

    def relationship_followup_score_action(self):
        """The wizard that asks for the score when this activity is a satisfaction
        check (its rule asks for it), else ``False``. Also called by the
        chatter's 'Mark Done' (static/src/js)."""
        # The rule is read with the automation's rights: the assignee may not
        # read the playbook.
        asks = self.sudo().filtered("relationship_followup_rule_id.ask_score")
        if len(self) != 1 or not asks:
            return False
        if self.env.context.get("relationship_followup_score_given"):
            return False
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Satisfaction Check Done"),
            "res_model": "relationship.followup.score",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_activity_id": self.id},
        }

    def action_done(self):
        """A satisfaction check is done with the customer's score: ask for it."""
        return self.relationship_followup_score_action() or super().action_done()

    def action_feedback_schedule_next(self, feedback=False, attachment_ids=None):
        """The chatter's "Done & Schedule Next" of a satisfaction check asks for
        the score too; the wizard then schedules the next activity."""
        action = self.relationship_followup_score_action()
        if not action:
            return super().action_feedback_schedule_next(
                feedback=feedback, attachment_ids=attachment_ids
            )
        action["context"].update(default_schedule_next=True, default_comment=feedback or False)
        return action

    def _relationship_followup_occurrences(self):
        # Whoever completes or deletes an activity updates the follow-up log,
        # which they may not be allowed to read (the assignee needs no
        # relationship rights).
        return self.sudo().relationship_followup_occurrence_id

    def _action_done(self, feedback=False, attachment_ids=None):
        self._relationship_followup_occurrences()._close("done")
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def unlink(self):
        # Done activities were closed above; deleting an open one cancels it.
        self._relationship_followup_occurrences()._close("cancelled")
        return super().unlink()

    def write(self, vals):
        result = super().write(vals)
        if vals.get("user_id"):
            occurrences = self._relationship_followup_occurrences()
            if occurrences:
                # The report counts follow-ups per user: who holds the activity now.
                occurrences.write({"user_id": vals["user_id"]})
        return result
