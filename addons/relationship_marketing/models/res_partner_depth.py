# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner import RELATIONSHIP_GROUP, RELATIONSHIP_PREFETCH


# res.partner is extended by concern, one file each, as Odoo's mail does.
class ResPartner(models.Model):
    """Programmes, communities, structural ties, satisfaction and inquiries."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    relationship_membership_active = fields.Boolean(
        string="Active Member",
        compute="_compute_relationship_memberships",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The customer has an active membership of a loyalty programme that makes "
        "members: what the Member rung of the ladder looks at.",
    )
    relationship_membership_ids = fields.One2many(
        "relationship.membership",
        "partner_id",
        string="Memberships",
        groups=RELATIONSHIP_GROUP,
        help="The customer's memberships of loyalty programmes.",
    )
    relationship_membership_count = fields.Integer(
        string="Active Memberships",
        compute="_compute_relationship_memberships",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Loyalty programmes the customer is an active member of.",
    )
    relationship_loyalty_points = fields.Integer(
        string="Loyalty Points",
        compute="_compute_relationship_memberships",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Points earned in the customer's active memberships.",
    )
    relationship_pareto = fields.Boolean(
        string="Top Customer",
        readonly=True,
        index=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="One of the customers who together make the top share (80 % by default) "
        "of the revenue of the last days set in the settings.",
    )
    relationship_contact_owner_id = fields.Many2one(
        "res.users",
        string="Known Personally By",
        index="btree_not_null",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The person of the company who knows the customer personally.",
    )
    relationship_known_personally = fields.Boolean(
        string="Known Personally",
        compute="_compute_relationship_known_personally",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Someone of the company knows the customer personally: a client, not a "
        "face in the mass market.",
    )
    relationship_community_member_ids = fields.One2many(
        "relationship.community.member",
        "partner_id",
        string="Communities",
        groups=RELATIONSHIP_GROUP,
        help="The brand communities the customer belongs to.",
    )
    relationship_community_count = fields.Integer(
        string="Community Count",
        compute="_compute_relationship_community_count",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Brand communities the customer is a member of.",
    )
    relationship_tie_ids = fields.One2many(
        "relationship.tie",
        "partner_id",
        string="Structural Ties",
        groups=RELATIONSHIP_GROUP,
        help="What binds the customer to the company: equipment, system links, portal "
        "access, contracts.",
    )
    relationship_tie_count = fields.Integer(
        string="Current Ties",
        compute="_compute_relationship_tie_count",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Structural ties that bind the customer today (refreshed nightly).",
    )
    relationship_satisfaction_ids = fields.One2many(
        "relationship.satisfaction",
        "partner_id",
        string="Satisfaction Scores",
        groups=RELATIONSHIP_GROUP,
        help="The satisfaction scores the customer gave, latest first.",
    )
    relationship_satisfaction_score = fields.Float(
        string="Satisfaction",
        compute="_compute_relationship_satisfaction",
        store=True,
        digits=(4, 1),
        aggregator="avg",
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The customer's latest satisfaction score, out of 10.",
    )
    relationship_satisfaction_date = fields.Datetime(
        string="Scored On",
        compute="_compute_relationship_satisfaction",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="When the customer gave its latest score; empty if it never did.",
    )
    relationship_promoter = fields.Boolean(
        string="Promoter",
        compute="_compute_relationship_promoter",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The customer's latest score is at least the promoter score of the settings.",
    )
    relationship_advocate_suggested = fields.Boolean(
        string="Suggested Advocate",
        compute="_compute_relationship_promoter",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="A promoter who has not recommended us yet: ask for a referral to make "
        "the customer an advocate.",
    )
    relationship_inquiry_ids = fields.One2many(
        "relationship.inquiry",
        "partner_id",
        string="Inquiries and Complaints",
        groups=RELATIONSHIP_GROUP,
        help="The inquiries and complaints the customer brought.",
    )
    relationship_inquiry_count = fields.Integer(
        string="Inquiries",
        compute="_compute_relationship_inquiry_counts",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Inquiries the customer made about our products and services.",
    )
    relationship_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_relationship_inquiry_counts",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Complaints the customer made.",
    )

    @api.depends(
        "relationship_membership_ids.state",
        "relationship_membership_ids.points",
        "relationship_membership_ids.programme_id.counts_for_ladder",
    )
    def _compute_relationship_memberships(self):
        # The flag counts every active membership of the customer, whoever
        # triggers the recomputation (a salesperson may see one company only).
        ids = self._relationship_ids_with("relationship_membership_ids")
        groups = ids and (
            self.env["relationship.membership"]
            .sudo()
            ._read_group(
                [("partner_id", "in", ids), ("state", "=", "active")],
                ["partner_id", "programme_id"],
                ["__count", "points:sum"],
            )
        )
        figures = defaultdict(lambda: [False, 0, 0])
        for partner, programme, count, points in groups:
            figures[partner.id][0] |= programme.counts_for_ladder
            figures[partner.id][1] += count
            figures[partner.id][2] += points
        for partner in self:
            member, count, points = figures.get(partner._origin.id, (False, 0, 0))
            partner.relationship_membership_active = member
            partner.relationship_membership_count = count
            partner.relationship_loyalty_points = points

    @api.depends("relationship_contact_owner_id")
    def _compute_relationship_known_personally(self):
        for partner in self:
            partner.relationship_known_personally = bool(partner.relationship_contact_owner_id)

    @api.depends("relationship_community_member_ids")
    def _compute_relationship_community_count(self):
        ids = self._relationship_ids_with("relationship_community_member_ids")
        counts = dict(
            ids
            and self.env["relationship.community.member"]
            .sudo()  # count every community of the customer, as for memberships
            ._read_group([("partner_id", "in", ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.relationship_community_count = counts.get(partner._origin, 0)

    @api.depends("relationship_tie_ids.date_start", "relationship_tie_ids.date_end")
    def _compute_relationship_tie_count(self):
        today = fields.Date.today()
        ids = self._relationship_ids_with("relationship_tie_ids")
        counts = dict(
            ids
            and self.env["relationship.tie"]
            .sudo()  # count every tie of the customer, as for memberships
            ._read_group(
                [
                    ("partner_id", "in", ids),
                    ("date_start", "<=", today),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", today),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.relationship_tie_count = counts.get(partner._origin, 0)

    @api.depends("relationship_satisfaction_ids.score", "relationship_satisfaction_ids.date")
    def _compute_relationship_satisfaction(self):
        latest = {}
        if ids := self._relationship_ids_with("relationship_satisfaction_ids"):
            self.env["relationship.satisfaction"].flush_model(["partner_id", "score", "date"])
            # The latest score per customer: one DISTINCT ON query, which the
            # ORM cannot express; every score of the customer counts.
            rows = self.env.execute_query(
                SQL(
                    """SELECT DISTINCT ON (partner_id) partner_id, score, date
                         FROM relationship_satisfaction
                        WHERE partner_id IN %s
                        ORDER BY partner_id, date DESC, id DESC""",
                    tuple(ids),
                )
            )
            latest = {partner_id: (score, date) for partner_id, score, date in rows}
        for partner in self:
            score, date = latest.get(partner._origin.id, (0.0, False))
            partner.relationship_satisfaction_score = score
            partner.relationship_satisfaction_date = date

    @api.depends(
        "relationship_satisfaction_score",
        "relationship_satisfaction_date",
        "relationship_referral_count",
        "company_id.relationship_promoter_min",
    )
    def _compute_relationship_promoter(self):
        for partner in self:
            promoter = bool(
                partner.relationship_satisfaction_date
                and partner.relationship_satisfaction_score
                >= partner._relationship_company().relationship_promoter_min
            )
            partner.relationship_promoter = promoter
            partner.relationship_advocate_suggested = (
                promoter and not partner.relationship_referral_count
            )

    @api.depends("relationship_inquiry_ids.kind")
    def _compute_relationship_inquiry_counts(self):
        counts = defaultdict(int)
        if ids := self._relationship_ids_with("relationship_inquiry_ids"):
            for partner, kind, count in (
                self.env["relationship.inquiry"]
                .sudo()  # count every inquiry of the customer, as for memberships
                ._read_group([("partner_id", "in", ids)], ["partner_id", "kind"], ["__count"])
            ):
                counts[partner.id, kind] = count
        for partner in self:
            partner.relationship_inquiry_count = counts[partner._origin.id, "inquiry"]
            partner.relationship_complaint_count = counts[partner._origin.id, "complaint"]

    def _relationship_pareto_since(self, company):
        """The start of the window of revenue that ranks the top customers."""
        if not company.relationship_pareto_days:
            return SQL()
        return SQL(
            "AND date_order >= %s",
            fields.Datetime.now() - timedelta(days=company.relationship_pareto_days),
        )

    def _relationship_raise_pareto(self, company):
        """Make top customers of these buyers of ``company`` whose revenue of the
        last days reaches the company's threshold, right after they bought.

        The exact ranking (``_relationship_refresh_pareto``) reads every
        purchase of the company's window: too slow for each batch of a
        connector on a large base (0.7 s at a million purchases). It runs
        nightly and keeps the revenue of the smallest top customer as the
        threshold; a purchase then only compares its buyers with it, in one
        statement over these partners' purchases. The trade-off: a purchase
        makes its buyer a top customer at once, but nobody stops being one
        before the night (the others' share shrinks only in the exact
        ranking). Until a company has a threshold, its buyers are ranked
        exactly.
        """
        threshold = company.relationship_pareto_threshold
        if not threshold:
            self._relationship_refresh_pareto(company)
            return
        self.env["relationship.purchase"].flush_model(
            ["commercial_partner_id", "company_id", "date_order", "amount_net_company"]
        )
        self.flush_model(["relationship_pareto"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET relationship_pareto = TRUE
                  FROM (SELECT commercial_partner_id AS partner_id
                          FROM relationship_purchase
                         WHERE commercial_partner_id = ANY(%(partners)s)
                           AND company_id = %(company)s %(since)s
                         GROUP BY commercial_partner_id
                        HAVING SUM(amount_net_company) >= %(threshold)s) AS top
                 WHERE p.id = top.partner_id
                   AND p.relationship_pareto IS NOT TRUE
                """,
                partners=self.ids,
                company=company.id,
                since=self._relationship_pareto_since(company),
                threshold=threshold,
            )
        )
        self.invalidate_recordset(["relationship_pareto"])

    @api.model
    def _relationship_refresh_pareto(self, company):
        """Flag the top customers: those who together make the top share of revenue.

        Customers are ranked by revenue of the last days of the settings; a
        customer is a top customer when the customers ranked before it make
        less than the share. One UPDATE over the company's customers, like
        the scores: the flag depends on every customer at once. The revenue
        of the smallest top customer is kept on the company as the threshold
        that purchases compare their buyers with until the next ranking
        (``_relationship_raise_pareto``).
        """
        self.env["relationship.purchase"].flush_model(
            ["commercial_partner_id", "company_id", "date_order", "amount_net_company"]
        )
        self.flush_model(["relationship_pareto", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH revenue AS (
                    SELECT commercial_partner_id AS partner_id, SUM(amount_net_company) AS total
                      FROM relationship_purchase
                     WHERE company_id = %(company)s %(since)s
                       -- anonymous sales are no customer's
                       AND commercial_partner_id IS NOT NULL
                     GROUP BY commercial_partner_id
                    HAVING SUM(amount_net_company) > 0
                ), ranked AS (
                    SELECT partner_id, total,
                           SUM(total) OVER (ORDER BY total DESC, partner_id
                                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                               AS before,
                           SUM(total) OVER () AS grand
                      FROM revenue
                ), top AS (
                    SELECT partner_id, total FROM ranked
                     WHERE COALESCE(before, 0) < grand * %(share)s / 100.0
                ), threshold AS (
                    UPDATE res_company
                       SET relationship_pareto_threshold = (SELECT MIN(total) FROM top)
                     WHERE id = %(company)s
                )
                UPDATE res_partner p
                   SET relationship_pareto = p.id IN (SELECT partner_id FROM top)
                 WHERE (p.company_id = %(company)s OR p.company_id IS NULL)
                   AND (p.relationship_pareto OR p.id IN (SELECT partner_id FROM top))
                   AND p.relationship_pareto IS DISTINCT FROM (p.id IN (SELECT partner_id FROM top))
                """,
                company=company.id,
                since=self._relationship_pareto_since(company),
                share=company.relationship_pareto_share,
            )
        )
        self.invalidate_model(["relationship_pareto"])
        company.invalidate_recordset(["relationship_pareto_threshold"])
