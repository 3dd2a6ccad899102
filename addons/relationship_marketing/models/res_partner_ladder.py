# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import _, api, fields, models

from ..tools.batch import write_each
from .res_partner import RELATIONSHIP_GROUP, RELATIONSHIP_PREFETCH


# res.partner is extended by concern, one file each, as Odoo's mail does.
class ResPartner(models.Model):
    """The customer development ladder: the stage, its moves and their history."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    relationship_stage_id = fields.Many2one(
        "relationship.stage",
        string="Development Stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_relationship_stage_ids",
        domain="[('company_id', 'in', [company_id or current_company_id])]",
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The customer's rung on the development ladder. Purchases move it up "
        "automatically; a person may set it by hand.",
    )
    relationship_stage_locked = fields.Boolean(
        string="Stage Locked",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Keep the stage as set by hand: automatic moves leave this customer alone.",
    )
    relationship_stage_date = fields.Datetime(
        string="In Stage Since",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="When the customer reached the current stage.",
    )
    relationship_stage_history_ids = fields.One2many(
        "relationship.stage.history",
        "partner_id",
        string="Stage History",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_referred_by_id = fields.Many2one(
        "res.partner",
        string="Referred By",
        index="btree_not_null",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The customer who recommended us to this one.",
    )
    relationship_referral_ids = fields.One2many(
        "res.partner",
        "relationship_referred_by_id",
        string="Referrals",
        groups=RELATIONSHIP_GROUP,
        help="The customers who came to us on this customer's recommendation.",
    )
    relationship_referral_count = fields.Integer(
        string="Referrals Made",
        compute="_compute_relationship_referral_count",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Number of customers this customer recommended us to.",
    )
    relationship_agreement = fields.Boolean(
        string="Partnership Agreement",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The customer and the company agreed to work together for mutual benefit.",
    )

    @api.depends("relationship_referral_ids")
    def _compute_relationship_referral_count(self):
        counts = dict(
            self._read_group(
                [("relationship_referred_by_id", "in", self._origin.ids)],
                ["relationship_referred_by_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.relationship_referral_count = counts.get(partner._origin, 0)

    @api.model
    def _read_group_relationship_stage_ids(self, stages, domain):
        # Show every rung of the ladder in the kanban, even the empty ones.
        return stages.search([("company_id", "in", self.env.companies.ids)])

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        entered = partners.browse(
            [
                p.id
                for p, vals in zip(partners, vals_list, strict=True)
                if vals.get("relationship_stage_id")
            ]
        )
        if entered:
            entered._relationship_log_moves({}, "manual")
        return partners

    def write(self, vals):
        """A stage written in the web client or over RPC is a move by hand, and logged."""
        if "relationship_stage_id" not in vals:
            return super().write(vals)
        # The stage itself is written below this write: its field access here.
        self.check_field_access_rights("write", ["relationship_stage_id"])
        vals = dict(vals)
        stage = self.env["relationship.stage"].browse(vals.pop("relationship_stage_id"))
        result = super().write(vals) if vals else True
        self._relationship_move_to(stage, "manual")
        return result

    def _relationship_move_to(self, stage, move_type, reason=False):
        """Put these customers on ``stage`` and log their moves.

        :param move_type: ``manual`` (a person) or ``automatic`` (the addon)
        :return: the partners that moved
        """
        return self._relationship_move_stages(
            {partner.id: stage for partner in self}, move_type, reason
        )

    def _relationship_move_stages(self, stage_of, move_type, reason=False, path_of=None):
        """Put each customer ``stage_of`` names on its stage and log the moves.

        The one way the addon changes a stage. The customers moving to
        different rungs are written with one access check and logged in one
        ``create``.

        :param dict stage_of: ``{partner id: relationship.stage}``
        :param dict path_of: ``{partner id: [(stage, datetime), ...]}``, the
            rungs climbed on the way and when each was reached (the last is
            the target); without it, one move to the target, now
        :return: the partners that moved
        """
        moving = self.browse(list(stage_of)).filtered(
            lambda p: p.relationship_stage_id != stage_of[p.id]
        )
        if not moving:
            return moving
        path_of = path_of or {}
        now = fields.Datetime.now()
        paths = {
            partner.id: path_of.get(partner.id) or [(stage_of[partner.id], now)]
            for partner in moving
        }
        previous = {partner.id: partner.relationship_stage_id for partner in moving}
        write_each(
            moving,
            {
                partner.id: {
                    "relationship_stage_id": stage_of[partner.id].id,
                    "relationship_stage_date": paths[partner.id][-1][1],
                }
                for partner in moving
            },
            # Below this class's write, which would log each move once more,
            # as a move by hand.
            write=lambda records, vals: super().write(vals),
        )
        moving._relationship_log_moves(previous, move_type, reason, paths)
        return moving

    def _relationship_log_moves(self, previous, move_type, reason=False, paths=None):
        """Record the stage moves of these partners (one ``create`` for all).

        :param dict previous: ``{partner id: stage before the move}``
        :param dict paths: ``{partner id: [(stage, datetime), ...]}``, one line
            per rung climbed; without it, one line to the current stage, now
        """
        reason = reason or (_("Set by hand") if move_type == "manual" else False)
        now = fields.Datetime.now()
        paths = paths or {}
        moves = []
        for partner in self:
            stage_from = previous.get(partner.id, self.env["relationship.stage"])
            if not partner.relationship_stage_id or partner.relationship_stage_id == stage_from:
                continue
            for stage, date in paths.get(partner.id) or [(partner.relationship_stage_id, now)]:
                moves.append(
                    {
                        "partner_id": partner.id,
                        "company_id": stage.company_id.id,
                        "stage_from_id": stage_from.id,
                        "stage_to_id": stage.id,
                        "date": date,
                        "move_type": move_type,
                        "user_id": self.env.uid,
                        "reason": reason,
                    }
                )
                stage_from = stage
        if moves:
            # History is written by the addon only (users may not create it):
            # these lines are the moves just made, by the current user.
            self.env["relationship.stage.history"].sudo().create(moves)

    def _relationship_ladder_figures(self, company):
        """What the stage criteria look at, for these partners, in one company.

        Orders and revenue are counted as the figures count them (neither
        cancelled nor refunded in full; net of refunds) on the account the
        purchases roll up to. One ``_read_group`` per distinct criteria
        period, whatever the number of partners.
        """
        stages = self.env["relationship.stage"].search([("company_id", "=", company.id)])
        now = fields.Datetime.now()
        orders, revenue = defaultdict(dict), defaultdict(dict)
        for period in set(stages.mapped("period_days")):
            domain = [
                ("commercial_partner_id", "in", self.ids),
                ("company_id", "=", company.id),
                ("counts_as_order", "=", True),
            ]
            if period:
                domain.append(("date_order", ">=", now - timedelta(days=period)))
            for partner, count, total in self.env["relationship.purchase"]._read_group(
                domain, ["commercial_partner_id"], ["__count", "amount_net_company:sum"]
            ):
                orders[partner.id][period] = count
                revenue[partner.id][period] = total
        return stages, {
            partner.id: {
                "orders": orders[partner.id],
                "revenue": revenue[partner.id],
                "referrals": partner.relationship_referral_count,
                "member": partner.relationship_membership_active,
                "agreement": partner.relationship_agreement,
            }
            for partner in self
        }

    def _relationship_advance_stages(self, reason=False, purchased=False):
        """Move these customers up the ladder as far as their figures allow.

        Automatic moves only go forward, and never touch a locked stage. Work
        is set-based: a few reads per company, one access check and one
        ``create`` of the moves for all (``_relationship_move_stages``). Each
        rung climbed is logged at its true date (``_relationship_climb_dates``).

        :param bool purchased: these customers have new or changed purchases:
            the rungs they already stand on are dated again too, since an old
            order that arrives late can make them true earlier than logged
            (the nightly, which brings no purchase, leaves them)
        :return: the partners that moved
        """
        partners = self.filtered(lambda p: p.id and not p.relationship_stage_locked)
        if not partners:
            return self.browse()
        self.env.flush_all()
        target_of, path_of = {}, {}  # partner id -> stage, [(stage, date)]
        by_company = partners.grouped(lambda p: p.company_id or self.env.company)
        for company, company_partners in by_company.items():
            stages, figures = company_partners._relationship_ladder_figures(company)
            climbs = {}
            for partner in company_partners:
                target = stages.browse()
                for stage in stages:
                    if not stage._qualifies(figures[partner.id]):
                        break
                    target = stage
                current = partner.relationship_stage_id
                if target and (not current or target.sequence > current.sequence):
                    target_of[partner.id] = target
                elif purchased and current:
                    target = current  # no climb: only the rungs climbed are dated again
                else:
                    continue
                climbs[partner.id] = stages.filtered(
                    lambda s, target=target: s.sequence <= target.sequence
                )
            if climbs:
                path_of.update(
                    company_partners.browse(list(climbs))._relationship_climb_dates(company, climbs)
                )
        return self._relationship_move_stages(target_of, "automatic", reason, path_of)

    def _relationship_climb_dates(self, company, climbs):
        """When these customers reached each rung they climb: the true dates.

        A rung is reached when its own criteria and those of the rungs below
        it hold: for orders and revenue, at the purchase that made them true
        (the 2nd order's date for two orders, whatever the order the
        purchases arrived in); for a membership, at its start; referrals and
        an agreement are recorded as they happen, so now. A rung with no
        purchase criterion is dated with the rung below it, the first rung at
        the first order at the latest. Never before the customer's last move
        by hand (a person's move is the truth of its moment), never in the
        future.

        The rungs already climbed are dated again: an old order that arrives
        after a newer one makes an automatic move earlier than it was logged
        (its line is corrected, ``_relationship_redate``). Two queries for all
        the customers: their order dates (``_relationship_order_dates``) and
        their moves so far.

        :param dict climbs: ``{partner id: relationship.stage}``, the rungs up
            to the target, in order
        :return: ``{partner id: [(stage, datetime), ...]}``, the rungs above
            the current one
        """
        now = fields.Datetime.now()
        first_order = (0, 1, 0.0)
        criteria = {first_order}
        for stages in climbs.values():
            criteria.update(
                (stage.period_days, stage.min_order_count, stage.min_revenue)
                for stage in stages
                if stage.min_order_count or stage.min_revenue
            )
        dates = self._relationship_order_dates(company, criteria)
        History = self.env["relationship.stage.history"].sudo()
        lines = defaultdict(list)
        for line in History.search_fetch(
            [("partner_id", "in", self.ids)], ["partner_id", "stage_to_id", "date", "move_type"]
        ):
            lines[line.partner_id.id].append(line)
        paths, redate = {}, {}
        for partner in self:
            held = dates.get(partner.id, {})
            manual = [line.date for line in lines[partner.id] if line.move_type == "manual"]
            bound = max(manual, default=datetime.min)
            date = max(min(held.get(first_order, now), now), bound)
            current = partner.relationship_stage_id
            path = []
            for stage in climbs[partner.id]:
                since = [date]
                if stage.min_order_count or stage.min_revenue:
                    key = (stage.period_days, stage.min_order_count, stage.min_revenue)
                    since.append(held.get(key, now))
                if stage.require_membership:
                    starts = partner.relationship_membership_ids.filtered(
                        lambda m: m.state == "active" and m.programme_id.counts_for_ladder
                    ).mapped("date_start")
                    since.append(datetime.combine(min(starts), time.min) if starts else now)
                if stage.min_referral_count or stage.require_agreement:
                    since.append(now)
                date = min(max(since), now)
                if not current or stage.sequence > current.sequence:
                    path.append((stage, date))
                    continue
                for line in lines[partner.id]:
                    if line.move_type == "automatic" and line.stage_to_id == stage:
                        if line.date > date:
                            redate[line.id] = date
                if stage == current and partner.relationship_stage_date:
                    # The moves above start from the current stage's true date.
                    date = min(date, partner.relationship_stage_date)
            # Rungs reached at the same moment are one move, to the highest
            # (a first order makes a First-time customer, not a Prospect too).
            paths[partner.id] = [
                step
                for step, following in zip(path, [*path[1:], None], strict=bool(path))
                if following is None or following[1] != step[1]
            ]
        History.browse(list(redate))._relationship_redate(redate)
        # A customer who stays on its rung, but reached it earlier than logged.
        stage_dates = {}
        for partner in self:
            to_current = [
                line.id
                for line in lines[partner.id]
                if line.stage_to_id == partner.relationship_stage_id
            ]
            if not paths[partner.id] and to_current and max(to_current) in redate:
                stage_dates[partner.id] = {"relationship_stage_date": redate[max(to_current)]}
        write_each(self, stage_dates, write=lambda records, vals: super().write(vals))
        return paths
