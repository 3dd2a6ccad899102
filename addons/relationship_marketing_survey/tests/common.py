# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command

from odoo.addons.relationship_marketing.tests.common import RelationshipCase


class SurveyCase(RelationshipCase):
    """The core's company and ladder, and satisfaction surveys to answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Survey = cls.env["survey.survey"]
        cls.shipped = cls.env.ref("relationship_marketing_survey.survey_satisfaction")
        cls.customer = cls.Partner.create(
            {"name": "Ada Lovelace", "email": "ada@example.com", "company_id": cls.company.id}
        )

    @classmethod
    def survey(cls, scale="nps", low=0, high=10, question_type="scale", **values):
        survey = cls.Survey.create(
            {
                "title": f"Satisfaction ({scale})",
                "access_mode": "token",
                "question_and_page_ids": [
                    Command.create(
                        {
                            "title": "Your score",
                            "question_type": question_type,
                            "scale_min": low,
                            "scale_max": high,
                            "sequence": 1,
                        }
                    ),
                    Command.create({"title": "Why?", "question_type": "char_box", "sequence": 2}),
                ],
            }
        )
        score_question, comment_question = survey.question_ids.sorted("sequence")
        survey.write(
            {
                "relationship_satisfaction": True,
                "relationship_scale": scale,
                "relationship_question_id": score_question.id,
                "relationship_comment_question_id": comment_question.id,
                **values,
            }
        )
        return survey

    def answer(self, survey, value, comment=None, partner=None, done=True, **values):
        """A completed answer of ``partner`` (the customer by default) to ``survey``."""
        answer = survey._create_answer(
            partner=partner if partner is not None else self.customer,
            check_attempts=False,
            **values,
        )
        questions = survey.question_ids.sorted("sequence")
        answer._save_lines(questions[0], value)
        if comment is not None and len(questions) > 1:
            answer._save_lines(questions[1], comment)
        if done:
            answer._mark_done()
        return answer
