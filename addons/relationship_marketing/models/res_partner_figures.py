# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner import RELATIONSHIP_GROUP, RELATIONSHIP_PREFETCH

# The stored purchase figures, computed together by one query
# (_relationship_figures_query).
FIGURE_FIELDS = (
    "relationship_order_count",
    "relationship_revenue",
    "relationship_average_order",
    "relationship_margin",
    "relationship_margin_rate",
    "relationship_first_purchase",
    "relationship_last_purchase",
)


# res.partner is extended by concern, one file each, as Odoo's mail does.
class ResPartner(models.Model):
    """The stored purchase figures of a customer and its RFM scores."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    relationship_account_purchase_ids = fields.One2many(
        "relationship.purchase",
        "commercial_partner_id",
        string="Account Purchases",
        groups=RELATIONSHIP_GROUP,
        help="The purchases the figures count: the customer's own and, for a "
        "company, its contacts'.",
    )
    relationship_is_account_contact = fields.Boolean(
        string="Buys for a Company",
        compute="_compute_relationship_is_account_contact",
        groups=RELATIONSHIP_GROUP,
        help="A contact of a company: its purchases count on the company, whose "
        "relationship it shows.",
    )
    # What a contact of a company shows: the account's relationship, read
    # from it (not a second copy).
    relationship_account_stage_id = fields.Many2one(
        related="commercial_partner_id.relationship_stage_id",
        string="Account Stage",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_account_phase = fields.Selection(
        related="commercial_partner_id.relationship_phase",
        string="Account Phase",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_account_level = fields.Selection(
        related="commercial_partner_id.relationship_level",
        string="Account Level",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_account_order_count = fields.Integer(
        related="commercial_partner_id.relationship_order_count",
        string="Account Orders",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_account_revenue = fields.Monetary(
        related="commercial_partner_id.relationship_revenue",
        string="Account Revenue",
        currency_field="relationship_currency_id",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_order_count = fields.Integer(
        string="Orders",
        compute="_compute_relationship_figures",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Number of purchases the customer made, from every source.",
    )
    relationship_revenue = fields.Monetary(
        string="Revenue",
        compute="_compute_relationship_figures",
        store=True,
        currency_field="relationship_currency_id",
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Total of the customer's purchases, in the company currency.",
    )
    relationship_average_order = fields.Monetary(
        string="Average Order",
        compute="_compute_relationship_figures",
        store=True,
        currency_field="relationship_currency_id",
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Revenue divided by the number of orders.",
    )
    relationship_margin = fields.Monetary(
        string="Margin",
        compute="_compute_relationship_figures",
        store=True,
        currency_field="relationship_currency_id",
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Total profit made on the customer's purchases, in the company currency.",
    )
    relationship_margin_rate = fields.Float(
        string="Margin Rate (%)",
        compute="_compute_relationship_figures",
        store=True,
        digits=(16, 2),
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The customer's unit profit margin: margin divided by revenue of its purchases.",
    )
    relationship_first_purchase = fields.Date(
        string="First Purchase",
        compute="_compute_relationship_figures",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Date of the customer's first purchase: the start of the relationship.",
    )
    relationship_last_purchase = fields.Date(
        string="Last Purchase",
        compute="_compute_relationship_figures",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Date of the customer's most recent purchase.",
    )
    relationship_recency_score = fields.Integer(
        string="Recency",
        readonly=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="1 to 5: the customer's quintile by date of last purchase among the "
        "company's customers (5 = most recent). Refreshed nightly.",
    )
    relationship_frequency_score = fields.Integer(
        string="Frequency",
        readonly=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="1 to 5: the customer's quintile by number of orders (5 = most orders). "
        "Refreshed nightly.",
    )
    relationship_monetary_score = fields.Integer(
        string="Monetary",
        readonly=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="1 to 5: the customer's quintile by revenue (5 = highest). Refreshed nightly.",
    )

    @api.depends(
        "relationship_account_purchase_ids.amount_net_company",
        "relationship_account_purchase_ids.margin_net_company",
        "relationship_account_purchase_ids.counts_as_order",
        "relationship_account_purchase_ids.date_order",
    )
    def _compute_relationship_figures(self):
        ids = [pid for pid in self._origin._ids if isinstance(pid, int)]
        figures = {}
        if ids:
            rows = self.env.execute_query(
                self._relationship_figures_query(
                    SQL("p.id = ANY(%s)", ids), SQL("o.commercial_partner_id = ANY(%s)", ids)
                )
            )
            figures = {row[0]: row[1:] for row in rows}
        for partner in self:
            orders, revenue, average, margin, rate, first, last = figures.get(
                partner._origin.id, (0, 0, 0, 0, 0, None, None)
            )
            partner.relationship_order_count = orders
            partner.relationship_revenue = float(revenue)
            partner.relationship_average_order = float(average)
            partner.relationship_margin = float(margin)
            partner.relationship_margin_rate = float(rate)
            partner.relationship_first_purchase = first or False
            partner.relationship_last_purchase = last or False

    @api.depends("commercial_partner_id")
    def _compute_relationship_is_account_contact(self):
        for partner in self:
            partner.relationship_is_account_contact = bool(
                partner.commercial_partner_id and partner.commercial_partner_id != partner
            )

    def _relationship_order_dates(self, company, criteria):
        """When each purchase criterion first held, for these accounts.

        The true date of the moves purchases cause (stage, phase): the
        purchase that made the criterion true, whatever order the purchases
        arrived in. A criterion ``(period_days, min_orders, min_revenue)``
        holds at a purchase when the orders up to it (within the period
        before it, when one is set) are at least ``min_orders`` and bring at
        least ``min_revenue``, counted as the figures count them. One query
        for every partner and criterion.

        :return: ``{partner id: {criterion: datetime}}``, no entry for a
            criterion that never held
        """
        criteria = list(dict.fromkeys(criteria))
        ids = self._origin.ids
        if not ids or not criteria:
            return {}
        self.env["relationship.purchase"].flush_model(
            ["commercial_partner_id", "company_id", "amount_net_company", "counts_as_order"]
        )
        periods = sorted({period for period, _orders, _revenue in criteria})

        def window(period):
            if not period:
                return SQL(
                    "PARTITION BY o.commercial_partner_id ORDER BY o.date_order, o.id "
                    "ROWS UNBOUNDED PRECEDING"
                )
            return SQL(
                "PARTITION BY o.commercial_partner_id ORDER BY o.date_order "
                "RANGE BETWEEN %s::interval PRECEDING AND CURRENT ROW",
                f"{period} days",
            )

        running = SQL(", ").join(
            SQL(
                "COUNT(*) OVER (%(w)s) AS %(n)s, SUM(o.amount_net_company) OVER (%(w)s) AS %(r)s",
                w=window(period),
                n=SQL.identifier(f"n_{period}"),
                r=SQL.identifier(f"r_{period}"),
            )
            for period in periods
        )
        firsts = SQL(", ").join(
            SQL(
                "MIN(date_order) FILTER (WHERE %s >= %s AND %s >= %s)",
                SQL.identifier(f"n_{period}"),
                orders,
                SQL.identifier(f"r_{period}"),
                revenue,
            )
            for period, orders, revenue in criteria
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, %(firsts)s
                  FROM (SELECT o.commercial_partner_id AS partner_id, o.date_order, %(running)s
                          FROM relationship_purchase o
                         WHERE o.commercial_partner_id = ANY(%(ids)s)
                           AND o.company_id = %(company)s
                           AND o.counts_as_order) AS running
                 GROUP BY partner_id
                """,
                firsts=firsts,
                running=running,
                ids=ids,
                company=company.id,
            )
        )
        return {
            row[0]: {
                criterion: date for criterion, date in zip(criteria, row[1:], strict=True) if date
            }
            for row in rows
        }

    def _relationship_figures_query(self, scope, purchases):
        """The figures of the partners ``scope`` selects, as their purchases
        make them: the one place their rule is written, for the compute of a
        few partners and for the nightly's statement over every customer.

        What counts (``relationship.purchase._compute_company_amounts``):
        an order neither cancelled nor refunded in full is an order; revenue
        and margin are net of refunds (the margin lowered in proportion to the
        refunded share); first and last purchase are those of the orders.
        Purchases count on their account (``commercial_partner_id``): the
        contacts of a company buy for it, and its figures are theirs.

        One row ``(id, orders, revenue, average, margin, rate, first, last)``
        per partner, rounded as the fields store them (the currency's rounding
        for amounts, two digits for the margin rate); no purchase is 0 and no
        dates. The figures' currency is the partner's company's, else the
        current company's (``relationship_currency_id``).

        :param SQL scope: condition on the partner ``p``
        :param SQL purchases: condition on the purchase ``o``, true for those
            of the partners of ``scope`` (planned from the purchases' side)
        """
        self.env["relationship.purchase"].flush_model(
            [
                "commercial_partner_id",
                "amount_net_company",
                "margin_net_company",
                "counts_as_order",
                "date_order",
            ]
        )
        self.flush_model(["company_id"])
        self.env["res.company"].flush_model(["currency_id"])
        self.env["res.currency"].flush_model(["rounding"])
        return SQL(
            """
            WITH bought AS (
                SELECT o.commercial_partner_id AS partner_id,
                       COUNT(*) FILTER (WHERE o.counts_as_order) AS orders,
                       SUM(o.amount_net_company) AS revenue,
                       SUM(o.margin_net_company) AS margin,
                       (MIN(o.date_order) FILTER (WHERE o.counts_as_order))::date AS first,
                       (MAX(o.date_order) FILTER (WHERE o.counts_as_order))::date AS last
                  FROM relationship_purchase o
                 WHERE %(purchases)s
                 GROUP BY o.commercial_partner_id
            ), raw AS (
                SELECT p.id,
                       COALESCE(b.orders, 0) AS orders,
                       COALESCE(b.revenue, 0) AS revenue,
                       COALESCE(b.margin, 0) AS margin,
                       b.first,
                       b.last,
                       COALESCE(cur.rounding, %(rounding)s::numeric) AS rounding
                  FROM res_partner p
                  LEFT JOIN bought b ON b.partner_id = p.id
                  LEFT JOIN res_company c ON c.id = p.company_id
                  LEFT JOIN res_currency cur ON cur.id = c.currency_id
                 WHERE %(scope)s
            )
            SELECT id, orders,
                   ROUND(revenue / rounding) * rounding AS revenue,
                   CASE WHEN orders > 0
                        THEN ROUND(revenue / orders / rounding) * rounding
                        ELSE 0 END AS average,
                   ROUND(margin / rounding) * rounding AS margin,
                   CASE WHEN revenue <> 0
                        THEN ROUND(100 * margin / revenue, 2)
                        ELSE 0 END AS rate,
                   first,
                   last
              FROM raw
            """,
            scope=scope,
            purchases=purchases,
            rounding=self.env.company.currency_id.rounding,
        )

    @api.model
    def _relationship_refresh_figures(self, companies):
        """Rebuild the stored purchase figures of the companies' customers.

        The nightly safety net under the figures the ORM keeps up to date:
        one statement over the customers of the companies and the shared
        contacts (each once), instead of a recomputation per customer.

        :return: the customers whose figures changed
        """
        scope = SQL("(p.company_id = ANY(%s) OR p.company_id IS NULL)", companies.ids)
        return self._relationship_update_figures(
            scope,
            SQL("o.commercial_partner_id IN (SELECT p.id FROM res_partner p WHERE %s)", scope),
        )

    def _relationship_update_figures(self, scope, purchases):
        """Set the figures of the partners ``scope`` selects to what their
        purchases make (``_relationship_figures_query``), in one UPDATE.

        Only the rows whose figures differ are written, so that a night with
        few changes writes few rows; the fields computed from the figures
        (bands, levels, risk dates...) are then recomputed through the ORM
        for those partners only.

        :return: the partners whose figures changed
        """
        figures = self._relationship_figures_query(scope, purchases)
        # Values computed (or set) through the ORM are in the database first:
        # the statement compares the stored ones.
        self.flush_model(FIGURE_FIELDS)
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE res_partner p
                   SET relationship_order_count = f.orders,
                       relationship_revenue = f.revenue,
                       relationship_average_order = f.average,
                       relationship_margin = f.margin,
                       relationship_margin_rate = f.rate,
                       relationship_first_purchase = f.first,
                       relationship_last_purchase = f.last,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM (%(figures)s) f
                 WHERE p.id = f.id
                   AND (COALESCE(p.relationship_order_count, 0),
                        COALESCE(p.relationship_revenue, 0),
                        COALESCE(p.relationship_average_order, 0),
                        COALESCE(p.relationship_margin, 0),
                        COALESCE(p.relationship_margin_rate, 0),
                        p.relationship_first_purchase,
                        p.relationship_last_purchase)
                       IS DISTINCT FROM
                       (f.orders, f.revenue, f.average, f.margin, f.rate, f.first, f.last)
             RETURNING p.id
                """,
                figures=figures,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        self.invalidate_model([*FIGURE_FIELDS, "write_uid", "write_date"])
        changed = self.browse(row[0] for row in rows)
        # The bands, levels and risk dates of the changed partners follow.
        changed.modified(FIGURE_FIELDS)
        return changed

    @api.model
    def _relationship_refresh_scores(self, company):
        """Recency, frequency and monetary quintiles of a company's customers.

        One UPDATE over the whole customer base: the scores are ranks, so they
        depend on every customer at once.
        """
        self.flush_model(
            ["relationship_last_purchase", "relationship_order_count", "relationship_revenue"]
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET relationship_recency_score = s.recency,
                       relationship_frequency_score = s.frequency,
                       relationship_monetary_score = s.monetary
                  FROM (
                    SELECT id,
                           ntile(5) OVER (ORDER BY relationship_last_purchase, id) AS recency,
                           ntile(5) OVER (ORDER BY relationship_order_count, id) AS frequency,
                           ntile(5) OVER (ORDER BY relationship_revenue, id) AS monetary
                      FROM res_partner
                     WHERE relationship_order_count > 0
                       AND (company_id = %(company)s OR company_id IS NULL)
                  ) s
                 WHERE p.id = s.id
                   AND (p.relationship_recency_score, p.relationship_frequency_score,
                        p.relationship_monetary_score)
                       IS DISTINCT FROM (s.recency, s.frequency, s.monetary)
                """,
                company=company.id,
            )
        )
        self.invalidate_model(
            [
                "relationship_recency_score",
                "relationship_frequency_score",
                "relationship_monetary_score",
            ]
        )
