# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models

from odoo.addons.relationship_marketing.tools.satisfaction_scales import satisfaction_score


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    relationship_satisfaction_ids = fields.One2many(
        "relationship.satisfaction", "survey_user_input_id", string="Satisfaction Scores"
    )

    def _mark_done(self):
        result = super()._mark_done()
        self._relationship_record_satisfaction()
        return result

    def _relationship_record_satisfaction(self):
        """Turn the completed answers of satisfaction surveys into scores, in one create.

        Only answers of a known customer (invited by email or logged in), never
        test entries, and once per answer: an answer that already gave its
        score gives none again.

        :return: the satisfaction scores created
        """
        answers = self.filtered(
            lambda answer: (
                answer.state == "done"
                and answer.partner_id
                and not answer.test_entry
                and answer.survey_id.relationship_satisfaction
            )
        )
        # The respondent is a portal or public user who cannot read scores (the
        # survey's pages run as sudo on their own answer); the score is read
        # from that answer alone and written by the addon for the company.
        Satisfaction = self.env["relationship.satisfaction"].sudo()
        done = Satisfaction.search([("survey_user_input_id", "in", answers.ids)])
        answers -= done.survey_user_input_id
        vals_list = []
        for answer in answers:
            survey = answer.survey_id
            lines = answer.user_input_line_ids.filtered(lambda line: not line.skipped)
            score_line = lines.filtered(
                lambda line, survey=survey: line.question_id == survey.relationship_question_id
            )[:1]
            if not score_line:
                continue
            value = (
                score_line.value_scale
                if score_line.answer_type == "scale"
                else score_line.value_numerical_box
            )
            score = satisfaction_score(survey.relationship_scale, value)
            if score is None:
                continue
            comment_line = lines.filtered(
                lambda line, survey=survey: (
                    line.question_id == survey.relationship_comment_question_id
                )
            )[:1]
            partner = answer.partner_id
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": (
                        partner.company_id or survey.relationship_company_id or self.env.company
                    ).id,
                    "date": answer.end_datetime or fields.Datetime.now(),
                    "score": score,
                    "source": _("Survey: %s", survey.title),
                    "comment": comment_line.value_text_box or comment_line.value_char_box or False,
                    "user_id": survey.user_id.id,
                    "survey_user_input_id": answer.id,
                }
            )
        return Satisfaction.create(vals_list).with_env(self.env)
