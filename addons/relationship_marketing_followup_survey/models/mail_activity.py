# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, time

from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        if any(vals.get("relationship_followup_occurrence_id") for vals in vals_list):
            activities._relationship_send_surveys()
        return activities

    def _relationship_send_surveys(self):
        """Email the survey of their rule to the customers of these follow-ups.

        One answer (with its own link) per follow-up, created in one ``create``,
        and one batch of emails per survey, email and due date, scheduled for the
        due date: the customer gets the survey when the check is due, not when
        the sale comes in.

        :return: the survey answers created
        """
        # The follow-ups are made for the company's automation, whatever the
        # rights of the user whose sale or score triggered them (the playbook
        # and the surveys are configuration the assignee need not read).
        activities = self.sudo().filtered(
            lambda activity: (
                activity.relationship_followup_occurrence_id.rule_id.survey_id
                and activity.relationship_followup_occurrence_id.partner_id.email
            )
        )
        if not activities:
            return self.env["survey.user_input"]
        answers = (
            self.env["survey.user_input"]
            .sudo()
            .create(
                [
                    {
                        "survey_id": occurrence.rule_id.survey_id.id,
                        "partner_id": occurrence.partner_id.id,
                        "email": occurrence.partner_id.email,
                        "nickname": occurrence.partner_id.name,
                        "relationship_followup_occurrence_id": occurrence.id,
                    }
                    for occurrence in activities.relationship_followup_occurrence_id
                ]
            )
        )
        default_template = self.env.ref("survey.mail_template_user_input_invite")
        batches = defaultdict(list)
        for answer in answers:
            occurrence = answer.relationship_followup_occurrence_id
            template = occurrence.rule_id.survey_template_id or default_template
            batches[(template, occurrence.date_due)].append(answer.id)
        now = fields.Datetime.now()
        for (template, date_due), answer_ids in batches.items():
            send_at = max(datetime.combine(date_due, time(8, 0)), now)
            template.send_mail_batch(
                answer_ids,
                email_values={"scheduled_date": fields.Datetime.to_string(send_at)},
                email_layout_xmlid="mail.mail_notification_light",
            )
        return answers.with_env(self.env)
