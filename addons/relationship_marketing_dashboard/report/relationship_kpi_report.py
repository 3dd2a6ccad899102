# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

# Each kind of event gets its own slice of ids: id = source row id * SLICES + slice.
SLICES = 16
KINDS = [
    ("sale", "Sale"),
    ("ladder", "Ladder Move"),
    ("referral", "Referral"),
    ("satisfaction", "Satisfaction Score"),
    ("inquiry", "Inquiry or Complaint"),
    ("phase", "Phase Move"),
    ("at_risk", "At Risk"),
]
# Measures every event row carries; each part of the view fills its own, the
# others get this default (NULL for averages, so that they average their rows).
MEASURES = {
    "sale_count": "0",
    "sales_amount": "0.0",
    "margin_amount": "0.0",
    "new_customer_count": "0",
    "entry_count": "0",
    "promotion_count": "0",
    "demotion_count": "0",
    "referral_count": "0",
    "score_count": "0",
    "satisfaction_score": "NULL::float",
    "promoter_count": "0",
    "detractor_count": "0",
    "inquiry_count": "0",
    "complaint_count": "0",
    "dissolution_count": "0",
    "won_back_count": "0",
    "at_risk_count": "0",
}


class RelationshipKpiReport(models.Model):
    """Key indicators of the relationships over time, one row per event.

    Sales, new customers, moves on the ladder, referrals (word of mouth),
    satisfaction scores, inquiries and complaints, ended and won-back
    relationships and customers at risk each give dated rows with counts;
    grouping the rows by month gives the indicators over time, per
    salesperson, segment or stage.
    """

    _name = "relationship.kpi.report"
    _inherit = "relationship.report.mixin"
    _description = "Relationship Key Indicators"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "kind"
    _report_indexes = (("partner_id",), ("date",))
    # the first that holds the grouping answers: the small ones first
    _summary_models = (
        "relationship.kpi.summary.lean",
        "relationship.kpi.summary",
        "relationship.kpi.summary.hourly.lean",
        "relationship.kpi.summary.hourly",
    )

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(KINDS, string="Event", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    stage_id = fields.Many2one(
        "relationship.stage",
        string="Current Stage",
        readonly=True,
        help="The customer's development stage today.",
    )
    sale_count = fields.Integer(string="Orders", readonly=True, help="Number of purchases.")
    sales_amount = fields.Monetary(
        string="Sales",
        readonly=True,
        currency_field="currency_id",
        help="Amount of the purchases, in the company currency.",
    )
    margin_amount = fields.Monetary(
        string="Margin",
        readonly=True,
        currency_field="currency_id",
        help="Margin of the purchases, in the company currency.",
    )
    new_customer_count = fields.Integer(
        string="New Customers",
        readonly=True,
        help="Customers who bought for the first time: the growth of the customer base.",
    )
    entry_count = fields.Integer(
        string="Entered the Ladder",
        readonly=True,
        help="Customers who got their first development stage.",
    )
    promotion_count = fields.Integer(
        string="Moves Up", readonly=True, help="Moves of customers up the ladder."
    )
    demotion_count = fields.Integer(
        string="Moves Down", readonly=True, help="Moves of customers down the ladder."
    )
    referral_count = fields.Integer(
        string="Referrals",
        readonly=True,
        help="Customers recommended to us by a customer (word of mouth), dated by the "
        "referred customer's first purchase, or its creation without purchase.",
    )
    score_count = fields.Integer(
        string="Scores", readonly=True, help="Satisfaction scores customers gave."
    )
    satisfaction_score = fields.Float(
        string="Satisfaction",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Average satisfaction score (out of 10) of the scores given.",
    )
    promoter_count = fields.Integer(
        string="Promoter Scores",
        readonly=True,
        help="Scores at least the promoter score of the settings.",
    )
    detractor_count = fields.Integer(
        string="Detractor Scores",
        readonly=True,
        help="Scores at most the low satisfaction score of the settings.",
    )
    inquiry_count = fields.Integer(
        string="Inquiries", readonly=True, help="Inquiries customers brought."
    )
    complaint_count = fields.Integer(
        string="Complaints", readonly=True, help="Complaints customers brought."
    )
    dissolution_count = fields.Integer(
        string="Relationships Ended",
        readonly=True,
        help="Relationships that moved to the Dissolution phase.",
    )
    won_back_count = fields.Integer(
        string="Won Back",
        readonly=True,
        help="Customers who came back after their relationship had ended.",
    )
    at_risk_count = fields.Integer(
        string="At Risk",
        readonly=True,
        help="Customers at risk today, dated when they went at risk: the day they "
        "went quiet for too long, or the day of their low satisfaction score.",
    )

    def _kpi_parts(self):
        """The SELECTs of the view: ``{kind: (SQL of the FROM part, {column: SQL})}``.

        Each part provides ``id``, ``date``, ``partner_id``, ``company_id`` and
        the measures it fills; the others get their default.
        """
        return {
            "sale": (
                SQL(
                    """
                    (SELECT pu.*,
                            ROW_NUMBER() OVER (
                                PARTITION BY pu.commercial_partner_id, pu.company_id
                                ORDER BY NOT pu.counts_as_order, pu.date_order, pu.id
                            ) AS rank
                       FROM relationship_purchase pu) src
                    """
                ),
                # Sales as the customers' figures count them: on the account,
                # net of refunds, cancelled and fully refunded orders no order.
                {
                    "id": SQL("src.id"),
                    "date": SQL("src.date_order"),
                    "partner_id": SQL("src.commercial_partner_id"),
                    "company_id": SQL("src.company_id"),
                    "sale_count": SQL("CASE WHEN src.counts_as_order THEN 1 ELSE 0 END"),
                    "sales_amount": SQL("src.amount_net_company"),
                    "margin_amount": SQL("COALESCE(src.margin_net_company, 0.0)"),
                    # an anonymous sale (no customer) is a sale, not a new customer
                    "new_customer_count": SQL(
                        "CASE WHEN src.rank = 1 AND src.counts_as_order "
                        "AND src.commercial_partner_id IS NOT NULL THEN 1 ELSE 0 END"
                    ),
                },
            ),
            "ladder": (
                SQL(
                    """
                    relationship_stage_history src
                    JOIN relationship_stage st_to ON st_to.id = src.stage_to_id
                    LEFT JOIN relationship_stage st_from ON st_from.id = src.stage_from_id
                    """
                ),
                {
                    "id": SQL("src.id"),
                    "date": SQL("src.date"),
                    "partner_id": SQL("src.partner_id"),
                    "company_id": SQL("src.company_id"),
                    "entry_count": SQL("CASE WHEN src.stage_from_id IS NULL THEN 1 ELSE 0 END"),
                    "promotion_count": SQL(
                        "CASE WHEN (st_to.sequence, st_to.id) > (st_from.sequence, st_from.id) "
                        "THEN 1 ELSE 0 END"
                    ),
                    "demotion_count": SQL(
                        "CASE WHEN (st_to.sequence, st_to.id) < (st_from.sequence, st_from.id) "
                        "THEN 1 ELSE 0 END"
                    ),
                },
            ),
            "referral": (
                SQL(
                    """
                    res_partner src
                    JOIN res_partner referrer ON referrer.id = src.relationship_referred_by_id
                    LEFT JOIN relationship_stage referrer_stage
                           ON referrer_stage.id = referrer.relationship_stage_id
                    """
                ),
                {
                    "id": SQL("src.id"),
                    "date": SQL(
                        "COALESCE(src.relationship_first_purchase::timestamp, src.create_date)"
                    ),
                    "partner_id": SQL("referrer.id"),
                    "company_id": SQL(
                        "COALESCE(referrer_stage.company_id, referrer.company_id, src.company_id)"
                    ),
                    "referral_count": SQL("1"),
                },
            ),
            "satisfaction": (
                SQL("relationship_satisfaction src"),
                {
                    "id": SQL("src.id"),
                    "date": SQL("src.date"),
                    "partner_id": SQL("src.partner_id"),
                    "company_id": SQL("src.company_id"),
                    "score_count": SQL("1"),
                    "satisfaction_score": SQL("src.score"),
                    "promoter_count": SQL("CASE WHEN src.category = 'promoter' THEN 1 ELSE 0 END"),
                    "detractor_count": SQL(
                        "CASE WHEN src.category = 'detractor' THEN 1 ELSE 0 END"
                    ),
                },
            ),
            "inquiry": (
                SQL("relationship_inquiry src"),
                {
                    "id": SQL("src.id"),
                    "date": SQL("src.date"),
                    "partner_id": SQL("src.partner_id"),
                    "company_id": SQL("src.company_id"),
                    "inquiry_count": SQL("CASE WHEN src.kind = 'inquiry' THEN 1 ELSE 0 END"),
                    "complaint_count": SQL("CASE WHEN src.kind = 'complaint' THEN 1 ELSE 0 END"),
                },
            ),
            "phase": (
                SQL("relationship_phase_history src"),
                {
                    "id": SQL("src.id"),
                    "date": SQL("src.date"),
                    "partner_id": SQL("src.partner_id"),
                    "company_id": SQL("src.company_id"),
                    "dissolution_count": SQL(
                        "CASE WHEN src.phase_to = 'dissolution' THEN 1 ELSE 0 END"
                    ),
                    "won_back_count": SQL("CASE WHEN src.won_back THEN 1 ELSE 0 END"),
                },
            ),
            "at_risk": (
                SQL(
                    """
                    res_partner src
                    LEFT JOIN relationship_stage src_stage
                           ON src_stage.id = src.relationship_stage_id
                    """
                ),
                {
                    "id": SQL("src.id"),
                    "date": SQL(
                        """
                        CASE WHEN src.relationship_risk_reason = 'low_score'
                             THEN src.relationship_satisfaction_date
                             ELSE src.relationship_risk_date::timestamp
                        END
                        """
                    ),
                    "partner_id": SQL("src.id"),
                    "company_id": SQL("COALESCE(src_stage.company_id, src.company_id)"),
                    "at_risk_count": SQL("1"),
                    "where": SQL("src.relationship_at_risk"),
                },
            ),
        }

    def _kpi_query(self):
        selects = []
        for index, (kind, (from_clause, columns)) in enumerate(self._kpi_parts().items()):
            measures = SQL(", ").join(
                SQL("%s AS %s", columns.get(name, SQL(default)), SQL.identifier(name))
                for name, default in MEASURES.items()
            )
            selects.append(
                SQL(
                    """
                    SELECT %(id)s::bigint * %(slices)s + %(slice)s AS id,
                           %(kind)s::varchar AS kind,
                           %(date)s AS date,
                           %(partner)s AS partner_id,
                           %(company)s AS company_id,
                           %(measures)s
                      FROM %(from_clause)s
                     WHERE %(where)s
                    """,
                    id=columns["id"],
                    slices=SLICES,
                    slice=index,
                    kind=kind,
                    date=columns["date"],
                    partner=columns["partner_id"],
                    company=columns["company_id"],
                    measures=measures,
                    from_clause=from_clause,
                    where=columns.get("where", SQL("TRUE")),
                )
            )
        return SQL(
            """
            SELECT e.*,
                   company.currency_id,
                   p.user_id,
                   p.relationship_segment_id AS segment_id,
                   p.relationship_stage_id AS stage_id
              FROM (%(events)s) e
              JOIN res_company company ON company.id = e.company_id
              -- LEFT: the sales on no customer (anonymous POS tickets) count too
              LEFT JOIN res_partner p ON p.id = e.partner_id
             WHERE e.date IS NOT NULL
            """,
            events=SQL(" UNION ALL ").join(selects),
        )

    def _report_query(self):
        return self._kpi_query()
