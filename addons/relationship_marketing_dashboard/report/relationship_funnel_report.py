# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class RelationshipFunnelReport(models.Model):
    """One row per customer and rung of the ladder the customer reached.

    Built from the stage history, not from today's stage: a customer reached a
    rung when a move took it to that rung or to a higher one (each rung builds
    on the one below, so a customer whose first purchases made it a client at
    once also reached the first-time and repeat rungs). Counting rows per rung
    gives the funnel; the share of rows that went on to the next rung gives
    the conversion rate, for any grouping (month, cohort, salesperson...).
    """

    _name = "relationship.funnel.report"
    _inherit = "relationship.report.mixin"
    _description = "Customer Development Funnel"
    _auto = False
    _order = "stage_sequence, reached_date desc, id"
    _rec_name = "partner_id"
    _report_indexes = (("partner_id",), ("stage_id",))
    _summary_models = ("relationship.funnel.summary",)

    stage_id = fields.Many2one(
        "relationship.stage", string="Rung", readonly=True, help="The rung the customer reached."
    )
    stage_sequence = fields.Integer(string="Rung Position", readonly=True)
    next_stage_id = fields.Many2one(
        "relationship.stage",
        string="Next Rung",
        readonly=True,
        help="The rung above; empty on the top rung.",
    )
    current_stage_id = fields.Many2one(
        "relationship.stage",
        readonly=True,
        help="The customer's stage today.",
    )
    cohort_date = fields.Date(
        string="Cohort",
        readonly=True,
        help="Date of the customer's first purchase; group by month to compare cohorts.",
    )
    entry_date = fields.Datetime(
        string="Entered the Ladder", readonly=True, help="When the customer's first stage was set."
    )
    reached_date = fields.Datetime(
        string="Reached On", readonly=True, help="When the customer first reached this rung."
    )
    skipped = fields.Boolean(
        string="Jumped Over",
        readonly=True,
        help="The customer reached this rung by moving straight to a higher one "
        "(e.g. three orders at once). Counted as reached; no time between rungs.",
    )
    is_current = fields.Boolean(
        string="On This Rung Today",
        readonly=True,
        help="The customer's current stage is this rung.",
    )
    converted = fields.Boolean(
        string="Reached Next Rung", readonly=True, help="The customer later reached the next rung."
    )
    next_reached_date = fields.Datetime(
        string="Next Rung Reached On",
        readonly=True,
        help="When the customer reached the next rung.",
    )
    customer_count = fields.Integer(
        string="Customers", readonly=True, help="Customers who reached the rung."
    )
    converted_count = fields.Integer(
        string="Converted Customers",
        readonly=True,
        help="Customers who reached the rung and then the next one.",
    )
    conversion_rate = fields.Float(
        string="Conversion to Next Rung (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the customers who reached the rung that went on to the next rung "
        "(empty on the top rung).",
    )
    top_rate = fields.Float(
        string="Conversion to Top Rung (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the customers who reached the rung that went all the way to the "
        "top rung. On the first rung: the conversion from prospect to partner.",
    )
    days_to_reach = fields.Float(
        string="Days to Reach",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Average days from entering the ladder to reaching the rung.",
    )
    days_to_next = fields.Float(
        string="Days to Next Rung",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Average days from reaching the rung to reaching the next one, for the "
        "customers who converted and did not jump over the rung.",
    )
    days_to_next_median = fields.Float(
        string="Median Days to Next Rung",
        readonly=True,
        aggregator="median",
        digits=(16, 1),
        help="Median days from reaching the rung to reaching the next one, for the "
        "customers who converted and did not jump over the rung.",
    )

    def _report_query(self):
        return SQL(
            """
    WITH rungs AS (
        -- the active rungs of each company's ladder, in order
        SELECT s.id AS stage_id,
               s.company_id,
               s.sequence,
               s.create_date AS created,
               LEAD(s.id) OVER ladder AS next_stage_id,
               LAST_VALUE(s.id) OVER (
                   ladder ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
               ) AS top_stage_id
          FROM relationship_stage s
         WHERE s.active
        WINDOW ladder AS (PARTITION BY s.company_id ORDER BY s.sequence, s.id)
    ),
    moves AS (
        SELECT h.id, h.partner_id, h.company_id, h.date, h.create_date AS recorded,
               t.id AS stage_id, t.sequence
          FROM relationship_stage_history h
          JOIN relationship_stage t ON t.id = h.stage_to_id
    ),
    entries AS (
        SELECT partner_id, company_id, MIN(date) AS entry_date
          FROM moves
         GROUP BY partner_id, company_id
    ),
    reached AS (
        -- a move to a rung reaches that rung and every rung below it that
        -- existed when the move was recorded: a rung added mid-ladder later is
        -- not reached by the customers who stood above it before it existed
        -- (they never met its criteria)
        SELECT m.partner_id,
               m.company_id,
               r.stage_id,
               MIN(m.date) AS reached_date,
               (ARRAY_AGG(m.stage_id ORDER BY m.date, m.id))[1] <> r.stage_id AS skipped
          FROM moves m
          JOIN rungs r
            ON r.company_id = m.company_id
           AND (
                m.stage_id = r.stage_id
                OR ((m.sequence, m.stage_id) > (r.sequence, r.stage_id) AND m.recorded >= r.created)
           )
         GROUP BY m.partner_id, m.company_id, r.stage_id
    )
    SELECT
        -- stable id: a customer reaches a rung once (stage ids stay below 2^20)
        (re.partner_id::bigint << 20) + re.stage_id AS id,
        re.partner_id,
        re.company_id,
        re.stage_id,
        r.sequence AS stage_sequence,
        r.next_stage_id,
        p.relationship_stage_id AS current_stage_id,
        p.user_id,
        p.relationship_segment_id AS segment_id,
        p.relationship_first_purchase AS cohort_date,
        e.entry_date,
        re.reached_date,
        re.skipped,
        COALESCE(p.relationship_stage_id = re.stage_id, FALSE) AS is_current,
        nx.partner_id IS NOT NULL AS converted,
        nx.reached_date AS next_reached_date,
        1 AS customer_count,
        CASE WHEN nx.partner_id IS NOT NULL THEN 1 ELSE 0 END AS converted_count,
        (CASE
            WHEN r.next_stage_id IS NULL THEN NULL
            WHEN nx.partner_id IS NOT NULL THEN 100.0
            ELSE 0.0
        END)::float8 AS conversion_rate,
        (CASE WHEN top.partner_id IS NOT NULL THEN 100.0 ELSE 0.0 END)::float8 AS top_rate,
        (EXTRACT(EPOCH FROM re.reached_date - e.entry_date) / 86400.0)::float8 AS days_to_reach,
        (CASE WHEN NOT re.skipped THEN
            EXTRACT(EPOCH FROM nx.reached_date - re.reached_date) / 86400.0
        END)::float8 AS days_to_next,
        (CASE WHEN NOT re.skipped THEN
            EXTRACT(EPOCH FROM nx.reached_date - re.reached_date) / 86400.0
        END)::float8 AS days_to_next_median
      FROM reached re
      JOIN rungs r ON r.stage_id = re.stage_id
      JOIN entries e ON e.partner_id = re.partner_id AND e.company_id = re.company_id
      JOIN res_partner p ON p.id = re.partner_id
      LEFT JOIN reached nx
        ON nx.partner_id = re.partner_id AND nx.stage_id = r.next_stage_id
      LEFT JOIN reached top
        ON top.partner_id = re.partner_id AND top.stage_id = r.top_stage_id
            """
        )
