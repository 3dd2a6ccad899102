# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The scales, and how their answers land on the core's 0-10 score, are the
# core's: rm-sync's scores follow the same rule.
from odoo.addons.relationship_marketing.tools.satisfaction_scales import SCALES

SCORE_QUESTION_TYPES = ("scale", "numerical_box")


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    relationship_satisfaction = fields.Boolean(
        string="Satisfaction Survey",
        help="Each completed answer of a known customer becomes a satisfaction score "
        "on the customer (Relationship tab), as one entered by hand.",
    )
    relationship_scale = fields.Selection(
        [("nps", "NPS: 0 to 10"), ("csat", "CSAT: 1 to 5")],
        string="Score Scale",
        default="nps",
        help="NPS: 'How likely are you to recommend us?', from 0 to 10, kept as it is. "
        "CSAT: 'How satisfied are you?', from 1 to 5, mapped onto 0 to 10 "
        "(1 is 0, 3 is 5, 5 is 10).",
    )
    relationship_question_id = fields.Many2one(
        "survey.question",
        string="Score Question",
        domain="[('survey_id', '=', id), ('question_type', 'in', ('scale', 'numerical_box'))]",
        help="The question whose answer is the score: a scale or a number.",
    )
    relationship_comment_question_id = fields.Many2one(
        "survey.question",
        string="Comment Question",
        domain="[('survey_id', '=', id), ('question_type', 'in', ('char_box', 'text_box'))]",
        help="Optional: the question whose answer is kept as the score's comment.",
    )
    relationship_company_id = fields.Many2one(
        "res.company",
        string="Scores For",
        default=lambda self: self.env.company,
        help="The company the scores are about, for customers shared between companies "
        "(a customer of one company gives scores to that company).",
    )

    @api.constrains(
        "relationship_satisfaction",
        "relationship_scale",
        "relationship_question_id",
        "relationship_comment_question_id",
    )
    def _check_relationship_questions(self):
        for survey in self.filtered("relationship_satisfaction"):
            question = survey.relationship_question_id
            if not question:
                raise ValidationError(
                    _("Choose the question of %s whose answer is the score.", survey.title)
                )
            comment = survey.relationship_comment_question_id
            if (question | comment).survey_id != survey:
                raise ValidationError(
                    _("The score and comment questions must be questions of %s.", survey.title)
                )
            if question.question_type not in SCORE_QUESTION_TYPES:
                raise ValidationError(
                    _("The score question of %s must be a scale or a number.", survey.title)
                )
            low, high = SCALES[survey.relationship_scale]
            if question.question_type == "scale" and (
                question.scale_min != low or question.scale_max != high
            ):
                raise ValidationError(
                    _(
                        "The score question of %(survey)s must go from %(low)s to %(high)s "
                        "for this scale.",
                        survey=survey.title,
                        low=low,
                        high=high,
                    )
                )
