# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class RelationshipStageDurationReport(models.Model):
    """One row per stay of a customer on a rung: entered, left, days spent.

    A stay starts with a move of the stage history and ends with the
    customer's next move. The customer's current stay is still going on: its
    days run until now, and it is stuck when they exceed the rung's limit.
    """

    _name = "relationship.stage.duration.report"
    _inherit = "relationship.report.mixin"
    _description = "Time in Development Stage"
    _auto = False
    _order = "date_start desc, id desc"
    _rec_name = "stage_id"
    _report_indexes = (("partner_id",), ("stage_id",))
    _summary_models = ("relationship.stage.duration.summary",)

    stage_id = fields.Many2one("relationship.stage", readonly=True)
    previous_stage_id = fields.Many2one(
        "relationship.stage",
        string="Came From",
        readonly=True,
        help="The stage before this stay; empty when the customer entered the ladder.",
    )
    next_stage_id = fields.Many2one(
        "relationship.stage",
        string="Moved To",
        readonly=True,
        help="The stage after this stay; empty while the stay goes on.",
    )
    cohort_date = fields.Date(
        string="Cohort", readonly=True, help="Date of the customer's first purchase."
    )
    date_start = fields.Datetime(string="Entered", readonly=True)
    date_end = fields.Datetime(string="Left", readonly=True, help="Empty while the stay goes on.")
    entry_move_type = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")],
        string="Entered By",
        readonly=True,
        help="Whether a purchase or a person moved the customer onto the stage.",
    )
    outcome = fields.Selection(
        [("ongoing", "Still There"), ("up", "Moved Up"), ("down", "Moved Down")],
        readonly=True,
        help="How the stay ended.",
    )
    is_current = fields.Boolean(
        string="Current Stay", readonly=True, help="The customer is on this stage today."
    )
    is_stuck = fields.Boolean(
        string="Stuck",
        readonly=True,
        help="The customer has been on this stage longer than the stage's stuck limit.",
    )
    stay_count = fields.Integer(string="Stays", readonly=True)
    days = fields.Float(
        string="Days in Stage",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Average days spent on the stage; a current stay counts until now.",
    )
    days_median = fields.Float(
        string="Median Days in Stage",
        readonly=True,
        aggregator="median",
        digits=(16, 1),
        help="Median days spent on the stage; a current stay counts until now.",
    )
    stuck_after_days = fields.Integer(
        string="Stuck After (Days)", readonly=True, help="The stage's stuck limit."
    )

    def _report_query(self):
        return SQL(
            """
    WITH stays AS (
        SELECT h.id,
               h.partner_id,
               h.company_id,
               h.stage_to_id AS stage_id,
               h.stage_from_id AS previous_stage_id,
               h.move_type AS entry_move_type,
               h.date AS date_start,
               LEAD(h.date) OVER customer AS date_end,
               LEAD(h.stage_to_id) OVER customer AS next_stage_id
          FROM relationship_stage_history h
        WINDOW customer AS (PARTITION BY h.partner_id, h.company_id ORDER BY h.date, h.id)
    ),
    timed AS (
        SELECT s.*,
               s.date_end IS NULL
                   AND COALESCE(p.relationship_stage_id = s.stage_id, FALSE) AS is_current,
               p.user_id,
               p.relationship_segment_id AS segment_id,
               p.relationship_first_purchase AS cohort_date,
               st.sequence,
               st.stuck_after_days,
               -- a last stay whose stage the customer no longer holds has no known end
               EXTRACT(EPOCH FROM COALESCE(
                   s.date_end,
                   CASE WHEN p.relationship_stage_id = s.stage_id
                        THEN NOW() AT TIME ZONE 'UTC' END
               ) - s.date_start) / 86400.0 AS days
          FROM stays s
          JOIN res_partner p ON p.id = s.partner_id
          JOIN relationship_stage st ON st.id = s.stage_id
    )
    SELECT t.id,
           t.partner_id,
           t.company_id,
           t.stage_id,
           t.previous_stage_id,
           t.next_stage_id,
           t.user_id,
           t.segment_id,
           t.cohort_date,
           t.entry_move_type,
           t.date_start,
           t.date_end,
           CASE
               WHEN t.date_end IS NULL THEN 'ongoing'
               WHEN (nx.sequence, nx.id) > (t.sequence, t.stage_id) THEN 'up'
               ELSE 'down'
           END AS outcome,
           t.is_current,
           t.is_current AND t.stuck_after_days > 0 AND t.days > t.stuck_after_days AS is_stuck,
           1 AS stay_count,
           t.days::float8 AS days,
           t.days::float8 AS days_median,
           t.stuck_after_days
      FROM timed t
      LEFT JOIN relationship_stage nx ON nx.id = t.next_stage_id
            """
        )
