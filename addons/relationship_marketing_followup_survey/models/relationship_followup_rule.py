# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipFollowupRule(models.Model):
    _inherit = "relationship.followup.rule"

    survey_id = fields.Many2one(
        "survey.survey",
        string="Send Survey",
        domain="[('relationship_satisfaction', '=', True)]",
        ondelete="set null",
        help="A satisfaction survey emailed to the customer with each follow-up of this "
        "rule, on its due date. The completed answer becomes a satisfaction score "
        "(and a low one escalates). Customers without an email get the activity only.",
    )
    survey_template_id = fields.Many2one(
        "mail.template",
        string="Survey Email",
        domain="[('model', '=', 'survey.user_input')]",
        default=lambda self: self.env.ref(
            "relationship_marketing_followup_survey.mail_template_satisfaction_survey",
            raise_if_not_found=False,
        ),
        ondelete="set null",
        help="The email that carries the survey's link; Odoo's survey invitation if empty.",
    )

    @api.model
    def _create_default_rules(self, companies):
        rules = super()._create_default_rules(companies)
        rules.filtered(
            lambda rule: rule.code == "satisfaction_check"
        )._relationship_set_default_survey()
        return rules

    def _relationship_set_default_survey(self):
        """The shipped satisfaction check sends the shipped satisfaction survey."""
        survey = self.env.ref(
            "relationship_marketing_survey.survey_satisfaction", raise_if_not_found=False
        )
        if survey and self:
            self.write({"survey_id": survey.id})
