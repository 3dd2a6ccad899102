# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipSatisfaction(models.Model):
    _inherit = "relationship.satisfaction"

    survey_user_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey Answer",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        help="The completed survey this score was read from.",
    )

    _sql_constraints = [
        (
            "survey_user_input_uniq",
            "UNIQUE(survey_user_input_id)",
            "A completed survey gives one satisfaction score.",
        ),
    ]
