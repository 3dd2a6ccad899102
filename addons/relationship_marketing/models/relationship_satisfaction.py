# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class RelationshipSatisfaction(models.Model):
    """A satisfaction score a customer gave, from 0 to 10.

    Any survey tool writes here (through ``create``, e.g. over XML-RPC) and
    names itself in ``source``. The customer's latest score is shown on its
    form; a low one puts the relationship at risk.
    """

    _name = "relationship.satisfaction"
    _description = "Customer Satisfaction Score"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The customer who gave the score.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company the score is about.",
    )
    date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now, help="When the score was given."
    )
    score = fields.Float(
        required=True,
        digits=(4, 1),
        help="From 0 (not satisfied at all) to 10 (delighted); e.g. the answer to "
        "'How likely are you to recommend us?'.",
    )
    source = fields.Char(
        required=True,
        default="manual",
        help="Where the score comes from: the survey tool, a call, ...",
    )
    comment = fields.Text(help="What the customer said.")
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        help="Who recorded it.",
    )
    category = fields.Selection(
        [("detractor", "Detractor"), ("passive", "Passive"), ("promoter", "Promoter")],
        compute="_compute_category",
        store=True,
        help="Detractors gave at most the 'low score' of the settings, promoters at "
        "least the 'promoter score'; the others are passive.",
    )

    _sql_constraints = [
        (
            "score_range",
            "CHECK(score >= 0 AND score <= 10)",
            "A satisfaction score is between 0 and 10.",
        ),
    ]

    @api.depends(
        "score", "company_id.relationship_satisfaction_low", "company_id.relationship_promoter_min"
    )
    def _compute_category(self):
        for record in self:
            company = record.company_id
            if record.score <= company.relationship_satisfaction_low:
                record.category = "detractor"
            elif record.score >= company.relationship_promoter_min:
                record.category = "promoter"
            else:
                record.category = "passive"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # A low score puts the relationship at risk at once.
        records.partner_id._relationship_refresh_phases(reason=_("New satisfaction score"))
        return records

    def write(self, vals):
        result = super().write(vals)
        # Ingestion writes many scores, then refreshes their customers at once.
        if vals.keys() & {"score", "date", "partner_id"} and not self.env.context.get(
            "relationship_phases_later"
        ):
            self.partner_id._relationship_refresh_phases(reason=_("Satisfaction score changed"))
        return result
