# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

CURRENT_STATES = ("draft", "active")


class RelationshipMembership(models.Model):
    """A customer's membership of a loyalty programme.

    An active membership of a programme that 'makes members' is what the
    Member rung of the ladder looks at.
    """

    _name = "relationship.membership"
    _description = "Loyalty Programme Membership"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The member.",
    )
    programme_id = fields.Many2one(
        "relationship.programme",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        help="The programme joined.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company running the programme.",
    )
    kind = fields.Selection(related="programme_id.kind", string="Kind")
    date_start = fields.Date(
        string="Start",
        required=True,
        default=fields.Date.context_today,
        help="When the membership starts; purchases from this day on earn points.",
    )
    date_end = fields.Date(
        string="End",
        index=True,
        help="When the membership ends; the nightly recomputation then expires it. "
        "Empty: it does not end.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        index=True,
        copy=False,
        help="Only active memberships give benefits and make the customer a member.",
    )
    fee_paid = fields.Boolean(copy=False, help="The customer paid the fee of the paid club.")
    tier_id = fields.Many2one(
        "relationship.programme.tier",
        index="btree_not_null",
        copy=False,
        domain="[('programme_id', '=', programme_id)]",
        help="The member's tier, from the points earned within the qualifying window.",
    )
    points = fields.Integer(
        string="Points Earned",
        readonly=True,
        copy=False,
        help="Points earned by the purchases since the membership started.",
    )
    qualifying_points = fields.Integer(
        readonly=True,
        copy=False,
        help="Points earned within the programme's qualifying window: they set the tier.",
    )
    tier_change_ids = fields.One2many(
        "relationship.tier.change",
        "membership_id",
        string="Tier Changes",
        help="The member's upgrades and downgrades.",
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "A membership cannot end before it starts.",
        ),
    ]

    @api.depends("partner_id", "programme_id")
    def _compute_display_name(self):
        for membership in self:
            membership.display_name = (
                f"{membership.programme_id.name} - {membership.partner_id.name}"
            )

    @api.constrains("partner_id", "programme_id", "state")
    def _check_one_current_membership(self):
        current = self.filtered(lambda m: m.state in CURRENT_STATES)
        if not current:
            return
        groups = self._read_group(
            [
                ("partner_id", "in", current.partner_id.ids),
                ("programme_id", "in", current.programme_id.ids),
                ("state", "in", CURRENT_STATES),
            ],
            ["partner_id", "programme_id"],
            ["__count"],
        )
        for partner, programme, count in groups:
            if count > 1:
                raise ValidationError(
                    _(
                        "%(customer)s already has a membership of %(programme)s.",
                        customer=partner.name,
                        programme=programme.name,
                    )
                )

    @api.constrains("partner_id", "programme_id", "state", "fee_paid")
    def _check_club_access(self):
        for membership in self.filtered(lambda m: m.state == "active"):
            programme = membership.programme_id
            if programme.kind != "club":
                continue
            if programme.club_access == "paid" and not membership.fee_paid:
                raise ValidationError(
                    _(
                        "%(customer)s must pay the fee of %(programme)s to become a member.",
                        customer=membership.partner_id.name,
                        programme=programme.name,
                    )
                )
            if not programme._may_join(membership.partner_id):
                raise ValidationError(
                    _(
                        "%(customer)s is not in the affinity group of %(programme)s.",
                        customer=membership.partner_id.name,
                        programme=programme.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        programmes = self.env["relationship.programme"].browse(
            {vals["programme_id"] for vals in vals_list if vals.get("programme_id")}
        )
        duration = {programme.id: programme.duration_days for programme in programmes}
        for vals in vals_list:
            days = duration.get(vals.get("programme_id"))
            if days and not vals.get("date_end"):
                start = fields.Date.to_date(vals.get("date_start")) or fields.Date.context_today(
                    self
                )
                vals["date_end"] = start + timedelta(days=days)
        memberships = super().create(vals_list)
        memberships._relationship_after_change(_("Joined a loyalty programme"))
        return memberships

    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & {"state", "date_start", "programme_id", "partner_id"}:
            self._relationship_after_change(_("Membership changed"))
        return result

    def _relationship_after_change(self, reason):
        """Recount the points of active memberships and let members climb the ladder.

        Within an ingestion batch, or a refresh of the customers (which
        enrols buyers automatically), the caller does both once for all.
        """
        if self.env.context.get("relationship_ingest") or self.env.context.get(
            "relationship_depth_refresh"
        ):
            return
        self.filtered(lambda m: m.state == "active")._relationship_refresh_points()
        self.partner_id._relationship_advance_stages(reason=reason)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_activate(self):
        for membership in self:
            if membership.state != "draft":
                raise UserError(_("Only draft memberships can be activated."))
        self.write({"state": "active"})

    def action_cancel(self):
        self.filtered(lambda m: m.state in CURRENT_STATES).write({"state": "cancelled"})

    def action_draft(self):
        self.filtered(lambda m: m.state == "cancelled").write({"state": "draft"})

    # ------------------------------------------------------------------
    # Points, tiers and expiry
    # ------------------------------------------------------------------

    def _relationship_refresh_points(self, reason=False):
        """Points, qualifying points and tier of these memberships.

        One query sums every membership's purchases since its start and within
        its programme's qualifying window; tier changes are written one set per
        tier and logged with one ``create``.

        :return: the tier changes logged
        """
        memberships = self.filtered(
            lambda m: m.id and m.state == "active" and m.programme_id.kind == "frequency"
        )
        Change = self.env["relationship.tier.change"]
        if not memberships:
            return Change
        self.env["relationship.purchase"].flush_model(
            ["commercial_partner_id", "company_id", "date_order", "amount_net_company"]
        )
        self.flush_model(["partner_id", "company_id", "date_start", "programme_id"])
        self.env["relationship.programme"].flush_model(["qualifying_days"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id,
                       COALESCE(SUM(p.amount_net_company), 0)::float,
                       COALESCE(SUM(p.amount_net_company) FILTER (
                           WHERE p.date_order >= %(now)s - make_interval(days => g.qualifying_days)
                       ), 0)::float
                  FROM relationship_membership m
                  JOIN relationship_programme g ON g.id = m.programme_id
                  LEFT JOIN relationship_purchase p
                         ON p.commercial_partner_id = m.partner_id
                        AND p.company_id = m.company_id
                        AND p.date_order >= m.date_start
                 WHERE m.id IN %(ids)s
                 GROUP BY m.id
                """,
                now=fields.Datetime.now(),
                ids=tuple(memberships.ids),
            )
        )
        amounts = {membership_id: (total, window) for membership_id, total, window in rows}
        points, targets, changes = {}, defaultdict(list), []
        now = fields.Datetime.now()
        for membership in memberships:
            rate = membership.programme_id.points_per_unit
            total, window = amounts.get(membership.id, (0.0, 0.0))
            earned, qualifying = math.floor(total * rate + 1e-6), math.floor(window * rate + 1e-6)
            if (earned, qualifying) != (membership.points, membership.qualifying_points):
                points[membership.id] = {"points": earned, "qualifying_points": qualifying}
            tiers = membership.programme_id.tier_ids
            tier = self.env["relationship.programme.tier"]._tier_for(tiers, qualifying)
            if tier != membership.tier_id:
                targets[tier].append(membership.id)
                changes.append(
                    {
                        "membership_id": membership.id,
                        "company_id": membership.company_id.id,
                        "tier_from_id": membership.tier_id.id,
                        "tier_to_id": tier.id,
                        "date": now,
                        "direction": "upgrade"
                        if tier
                        and (
                            not membership.tier_id or tier.threshold > membership.tier_id.threshold
                        )
                        else "downgrade",
                        "qualifying_points": qualifying,
                        "reason": reason or _("Points of the qualifying window"),
                    }
                )
        self._relationship_date_upgrades(changes, now)
        self._relationship_write_points(points)
        for tier, tier_ids in targets.items():
            tier_memberships = self.browse(tier_ids)
            tier_memberships.write({"tier_id": tier.id})
        # History is written by the addon only (users may not create it):
        # these lines are the tier changes just made.
        return Change.sudo().create(changes).sudo(False)

    def _relationship_date_upgrades(self, changes, now):
        """Date the upgrades in ``changes`` at the purchase that earned the
        tier: the first of the qualifying window at which the points earned
        since the window's start reach the tier's threshold, whatever the
        order the purchases arrived in; a tier of no points at the enrolment.
        Downgrades come from time passing (or a refund) and stay now. One
        query, for the upgrades only.
        """
        upgrades = {
            change["membership_id"]: change
            for change in changes
            if change["direction"] == "upgrade" and change["tier_to_id"]
        }
        tiers = self.env["relationship.programme.tier"].browse(
            {change["tier_to_id"] for change in upgrades.values()}
        )
        threshold = {tier.id: tier.threshold for tier in tiers}
        # A tier that needs no points is held from the enrolment on.
        free = [m for m, change in upgrades.items() if threshold[change["tier_to_id"]] <= 0]
        for membership in self.browse(free):
            change = upgrades.pop(membership.id)
            if membership.date_start:
                change["date"] = min(datetime.combine(membership.date_start, time.min), now)
        if not upgrades:
            return
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id, p.date_order,
                       SUM(p.amount_net_company) OVER (
                           PARTITION BY m.id ORDER BY p.date_order, p.id)::float
                  FROM relationship_membership m
                  JOIN relationship_programme g ON g.id = m.programme_id
                  JOIN relationship_purchase p
                    ON p.commercial_partner_id = m.partner_id
                   AND p.company_id = m.company_id
                   AND p.date_order >= m.date_start
                   AND p.date_order >= %(now)s - make_interval(days => g.qualifying_days)
                 WHERE m.id IN %(ids)s
                 ORDER BY m.id, p.date_order, p.id
                """,
                now=now,
                ids=tuple(upgrades),
            )
        )
        earned_at = {}
        for membership_id, date, running in rows:
            membership = self.browse(membership_id)
            change = upgrades[membership_id]
            rate = membership.programme_id.points_per_unit
            if membership_id not in earned_at and (
                math.floor(running * rate + 1e-6) >= threshold[change["tier_to_id"]]
            ):
                earned_at[membership_id] = date
        for membership_id, date in earned_at.items():
            upgrades[membership_id]["date"] = min(date, now)

    def _relationship_write_points(self, points):
        """Write ``{membership id: {"points": .., "qualifying_points": ..}}`` in
        one statement.

        Points differ from member to member: through the ORM they would take an
        UPDATE per hundred memberships, in every ingestion batch. Points are
        plain stored values that no override of ``write`` acts upon; the
        partners' totals computed from them follow through ``modified``.
        """
        memberships = self.browse(list(points))
        if not memberships:
            return memberships
        memberships.check_access("write")
        fnames = ["points", "qualifying_points"]
        self.flush_model(fnames)
        self.env.execute_query(
            SQL(
                """
                UPDATE relationship_membership m
                   SET points = v.points,
                       qualifying_points = v.qualifying_points,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM (VALUES %(values)s) AS v(id, points, qualifying_points)
                 WHERE m.id = v.id
                """,
                uid=self.env.uid,
                now=self.env.cr.now(),
                values=SQL(", ").join(
                    SQL("(%s, %s, %s)", membership_id, vals["points"], vals["qualifying_points"])
                    for membership_id, vals in points.items()
                ),
            )
        )
        memberships.invalidate_recordset([*fnames, "write_uid", "write_date"])
        memberships.modified(fnames)
        return memberships

    @api.model
    def _relationship_expire(self):
        """Expire the active memberships whose end date has passed."""
        expired = self.search(
            [("state", "=", "active"), ("date_end", "<", fields.Date.context_today(self))]
        )
        expired.write({"state": "expired"})
        return expired
