# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.batch import write_each
from .relationship_phase_history import DISSOLUTION_REASONS, PHASES
from .res_partner import RELATIONSHIP_GROUP, RELATIONSHIP_PREFETCH


# res.partner is extended by concern, one file each, as Odoo's mail does.
class ResPartner(models.Model):
    """The relationship phase, the risk of losing the customer and win-backs."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    relationship_phase = fields.Selection(
        PHASES,
        string="Phase",
        index=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Where the relationship stands, from the purchases: Exploration (no "
        "purchase yet), Awareness (fewer orders than the expansion minimum), "
        "Expansion (repeat buying), Commitment (the commitment minimum of orders over "
        "the minimum days, buying in each of the last two steady windows), "
        "Dissolution (silent past the dissolution limit, or ended by hand). Phases move "
        "both ways. A phase set by hand holds until the customer's next purchase.",
    )
    relationship_phase_date = fields.Datetime(
        string="In Phase Since",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="When the relationship entered its phase.",
    )
    relationship_phase_manual = fields.Boolean(
        string="Phase Set by Hand",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Someone set the phase: it holds until the customer buys again.",
    )
    relationship_dissolution_reason = fields.Selection(
        DISSOLUTION_REASONS,
        string="Dissolution Reason",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Why the relationship ended. An automatic dissolution says Dissatisfied "
        "when the latest score is low, Other otherwise.",
    )
    relationship_at_risk = fields.Boolean(
        string="At Risk",
        readonly=True,
        index=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The customer went quiet for longer than its usual interval between "
        "purchases (see 'At Risk From'), or its latest satisfaction score is low.",
    )
    relationship_risk_reason = fields.Selection(
        [("silent", "Silent for Too Long"), ("low_score", "Low Satisfaction Score")],
        string="Risk",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Why the relationship is at risk.",
    )
    relationship_purchase_interval = fields.Float(
        string="Usual Interval (Days)",
        compute="_compute_relationship_rhythm",
        store=True,
        digits=(16, 1),
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="Average number of days between the customer's purchases.",
    )
    relationship_risk_date = fields.Date(
        string="At Risk From",
        compute="_compute_relationship_rhythm",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The day the customer is at risk if it does not buy again: the last "
        "purchase plus its usual interval times the at-risk factor, and at least the "
        "at-risk floor.",
    )
    relationship_dissolution_date = fields.Date(
        string="Dissolves On",
        compute="_compute_relationship_rhythm",
        store=True,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The day the relationship dissolves if the customer does not buy again: "
        "the last purchase plus its usual interval times the dissolution factor, and "
        "at least the dissolution floor.",
    )
    relationship_won_back_date = fields.Date(
        string="Won Back On",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The last time the customer came back after its relationship had ended.",
    )
    relationship_phase_history_ids = fields.One2many(
        "relationship.phase.history",
        "partner_id",
        string="Phase History",
        groups=RELATIONSHIP_GROUP,
        help="Every move of the relationship from a phase to another.",
    )
    relationship_lifecycle_focus = fields.Selection(
        [("acquisition", "Acquisition"), ("retention", "Retention"), ("growth", "Revenue Growth")],
        string="Life Cycle Focus",
        compute="_compute_relationship_lifecycle_focus",
        store=True,
        readonly=False,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="What the team works on with the customer now: acquiring it (Exploration), "
        "keeping it (Awareness, at risk, Dissolution) or growing its revenue by "
        "cross-selling and up-selling (Expansion, Commitment). Follows the phase; you "
        "may change it until the phase changes.",
    )

    @api.depends(
        "relationship_order_count",
        "relationship_first_purchase",
        "relationship_last_purchase",
        "company_id.relationship_risk_factor",
        "company_id.relationship_risk_floor_days",
        "company_id.relationship_dissolution_factor",
        "company_id.relationship_dissolution_floor_days",
    )
    def _compute_relationship_rhythm(self):
        for partner in self:
            company = partner._relationship_company()
            count = partner.relationship_order_count
            first, last = partner.relationship_first_purchase, partner.relationship_last_purchase
            interval = (last - first).days / (count - 1) if count > 1 and first and last else 0.0
            partner.relationship_purchase_interval = interval
            if not (count and last):
                partner.relationship_risk_date = partner.relationship_dissolution_date = False
                continue
            # Silent longer than N days: the first day at risk is day N + 1.
            risk = max(
                interval * company.relationship_risk_factor, company.relationship_risk_floor_days
            )
            end = max(
                interval * company.relationship_dissolution_factor,
                company.relationship_dissolution_floor_days,
            )
            partner.relationship_risk_date = last + timedelta(days=math.floor(risk) + 1)
            partner.relationship_dissolution_date = last + timedelta(days=math.floor(end) + 1)

    @api.depends("relationship_phase", "relationship_at_risk")
    def _compute_relationship_lifecycle_focus(self):
        focus = {
            "exploration": "acquisition",
            "awareness": "retention",
            "expansion": "growth",
            "commitment": "growth",
            "dissolution": "retention",
        }
        for partner in self:
            if partner.relationship_at_risk:
                partner.relationship_lifecycle_focus = "retention"
            elif partner.relationship_phase:
                partner.relationship_lifecycle_focus = focus[partner.relationship_phase]

    @api.constrains("relationship_phase", "relationship_dissolution_reason")
    def _check_relationship_dissolution_reason(self):
        for partner in self:
            if (
                partner.relationship_phase == "dissolution"
                and not partner.relationship_dissolution_reason
            ):
                raise ValidationError(
                    _("Say why the relationship with %s ended.", partner.display_name)
                )

    def write(self, vals):
        """A phase written in the web client or over RPC is set by hand, and logged."""
        if "relationship_phase" in vals:
            return self._relationship_write_manual_phase(vals)
        return super().write(vals)

    def _relationship_write_phase(self, vals):
        # Below this class's write, which takes any phase for one set by hand.
        return super().write(vals)

    def _relationship_write_manual_phase(self, vals):
        """A person sets the phase: it holds until the customer buys again.

        The move is logged like a stage move; moving out of Dissolution wins
        the customer back.
        """
        phase = vals["relationship_phase"]
        moving = self.filtered(lambda p: p.relationship_phase != phase)
        previous = {partner.id: partner.relationship_phase for partner in moving}
        staying = self - moving
        result = staying._relationship_write_phase(vals) if staying else True
        if not moving:
            return result
        now = fields.Datetime.now()
        extra = {"relationship_phase_manual": bool(phase), "relationship_phase_date": now}
        if phase == "dissolution":
            extra.update(relationship_at_risk=False, relationship_risk_reason=False)
        else:
            extra["relationship_dissolution_reason"] = False
        result = moving._relationship_write_phase(dict(vals, **extra)) and result
        won_back = moving.filtered(
            lambda p: previous[p.id] == "dissolution" and phase != "dissolution"
        )
        if won_back:
            won_back._relationship_write_phase({"relationship_won_back_date": now.date()})
        if phase:
            # History is written by the addon only (users may not create it):
            # these lines are the moves just made, by the current user.
            self.env["relationship.phase.history"].sudo().create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": (partner.company_id or self.env.company).id,
                        "phase_from": previous[partner.id],
                        "phase_to": phase,
                        "date": now,
                        "move_type": "manual",
                        "won_back": partner in won_back,
                        "dissolution_reason": partner.relationship_dissolution_reason,
                        "reason": _("Set by hand"),
                        "user_id": self.env.uid,
                    }
                    for partner in moving
                ]
            )
        return result

    def _relationship_refresh_phases(self, reason=False, purchased=False):
        """Derive the phase and the at-risk flag of these customers from their purchases.

        The rules (settings of the customer's company):

        - no purchase: Exploration;
        - silent since the 'Dissolves On' date: Dissolution;
        - fewer orders than the expansion minimum: Awareness;
        - the commitment minimum of orders, buying for the commitment minimum
          of days, with purchases in each of the last two steady windows:
          Commitment;
        - otherwise: Expansion.

        A phase set by hand holds until the customer buys again (``purchased``).
        At risk: silent since the 'At Risk From' date, or a latest satisfaction
        score at most the low score; never in Dissolution. Leaving Dissolution
        wins the customer back. Moves are logged with one ``create``.

        :return: the logged moves
        """
        History = self.env["relationship.phase.history"]
        partners = self.filtered("id")
        if not partners:
            return History
        today = fields.Date.today()
        now = fields.Datetime.now()
        by_company = partners.grouped(lambda p: p.company_id or self.env.company)
        Purchase = self.env["relationship.purchase"]
        updates, moves = {}, []
        for company, company_partners in by_company.items():
            # Steady buyers bought in each of the last two windows: the
            # earliest purchase of the last two windows falls in the older
            # one, the latest in the recent one. Only customers with enough
            # orders for long enough can be committed; ask for them only.
            window = timedelta(days=company.relationship_phase_window_days)
            candidates = company_partners.filtered(
                lambda p, company=company: (
                    p.relationship_order_count >= company.relationship_commitment_min_orders
                    and (today - p.relationship_first_purchase).days
                    >= company.relationship_commitment_min_days
                )
            )
            steady = set()
            if candidates:
                steady = {
                    partner.id
                    for partner, first, last in Purchase._read_group(
                        [
                            ("commercial_partner_id", "in", candidates.ids),
                            ("counts_as_order", "=", True),
                            ("date_order", ">=", now - 2 * window),
                            ("date_order", "<", now),
                        ],
                        ["commercial_partner_id"],
                        ["date_order:min", "date_order:max"],
                    )
                    if first < now - window <= last
                }
            company_moves = []
            for partner in company_partners:
                vals, move = partner._relationship_phase_update(
                    company, today, now, steady=partner.id in steady, purchased=purchased
                )
                if vals:
                    updates[partner.id] = vals
                if move:
                    default_reason = reason or _("Purchase behaviour")
                    company_moves.append(dict(move, reason=move.get("reason") or default_reason))
            moves += self._relationship_date_phase_moves(company, company_moves, updates)
            if purchased:
                moving = {move["partner_id"] for move in company_moves}
                company_partners._relationship_redate_phases(company, moving, updates)
        write_each(
            self, updates, write=lambda records, vals: records._relationship_write_phase(vals)
        )
        # History is written by the addon only (users may not create it):
        # these lines are the moves just derived, by the current user.
        return History.sudo().create(moves).sudo(False)

    def _relationship_phase_update(self, company, today, now, steady, purchased):
        """What changes for this customer: ``(vals to write, phase move or None)``."""
        self.ensure_one()
        count = self.relationship_order_count
        current = self.relationship_phase
        low_score = bool(
            self.relationship_satisfaction_date
            and self.relationship_satisfaction_score <= company.relationship_satisfaction_low
        )
        if self.relationship_phase_manual and not purchased:
            phase = current
        elif not count:
            phase = "exploration"
        elif self.relationship_dissolution_date and today >= self.relationship_dissolution_date:
            phase = "dissolution"
        elif count < company.relationship_expansion_min_orders:
            phase = "awareness"
        elif (
            count >= company.relationship_commitment_min_orders
            and (today - self.relationship_first_purchase).days
            >= company.relationship_commitment_min_days
            and steady
        ):
            phase = "commitment"
        else:
            phase = "expansion"
        risk_date = self.relationship_risk_date
        silent = bool(count and risk_date and today >= risk_date)
        at_risk = phase != "dissolution" and (silent or low_score)
        new = {
            "relationship_phase": phase,
            "relationship_at_risk": at_risk,
            "relationship_risk_reason": at_risk and ("silent" if silent else "low_score"),
            "relationship_dissolution_reason": phase == "dissolution"
            and (
                self.relationship_dissolution_reason or ("dissatisfied" if low_score else "other")
            ),
            "relationship_phase_manual": self.relationship_phase_manual and not purchased,
        }
        vals = {fname: value for fname, value in new.items() if (self[fname] or False) != value}
        if phase == current:
            return vals, None
        won_back = current == "dissolution"
        vals["relationship_phase_date"] = now
        if won_back:
            vals["relationship_won_back_date"] = today
        move_reason = False
        if won_back:
            move_reason = _("Bought again after the relationship had ended")
        elif phase == "dissolution":
            move_reason = _(
                "No purchase for %s days", (today - self.relationship_last_purchase).days
            )
        return vals, {
            "partner_id": self.id,
            "company_id": company.id,
            "phase_from": current,
            "phase_to": phase,
            "date": now,
            "move_type": "automatic",
            "won_back": won_back,
            "dissolution_reason": new["relationship_dissolution_reason"],
            "reason": move_reason,
            "user_id": self.env.uid,
        }

    def _relationship_redate_phases(self, company, moving, updates):
        """Date again the phase lines these customers already have, as
        :meth:`_relationship_date_phase_moves` would date them with the
        purchases known now: an old order that arrives after newer ones makes
        Awareness, Expansion and Commitment true earlier than logged, and a
        newer one moves the day the current Dissolution began (the addon
        corrects its own log, as for the rungs). Never before a move by hand,
        never in the future. Two queries for all the customers.

        :param set moving: ids of the customers whose current move is being
            logged now (their phase date comes with that move)
        :param dict updates: ``{partner id: vals}``, gets the phase date of a
            customer whose current phase's line moves
        """
        now = fields.Datetime.now()
        first = (0, 1, 0.0)
        expansion = (0, company.relationship_expansion_min_orders, 0.0)
        commitment = (0, company.relationship_commitment_min_orders, 0.0)
        held = self._relationship_order_dates(company, [first, expansion, commitment])
        History = self.env["relationship.phase.history"].sudo()
        lines = defaultdict(list)
        for line in History.search_fetch(
            [("partner_id", "in", self.ids)], ["partner_id", "phase_to", "date", "move_type"]
        ):
            lines[line.partner_id.id].append(line)
        redate = {}
        for partner in self:
            dates = held.get(partner.id, {})
            first_day = partner.relationship_first_purchase
            true_dates = {
                "awareness": dates.get(first),
                "expansion": dates.get(expansion),
                "commitment": dates.get(commitment)
                and first_day
                and max(
                    dates[commitment],
                    datetime.combine(first_day, time.min)
                    + timedelta(days=company.relationship_commitment_min_days),
                    now - timedelta(days=company.relationship_phase_window_days),
                ),
            }
            bound = max(
                (line.date for line in lines[partner.id] if line.move_type == "manual"),
                default=datetime.min,
            )
            current = [
                line.id for line in lines[partner.id] if line.phase_to == partner.relationship_phase
            ]
            for line in lines[partner.id]:
                if line.move_type != "automatic":
                    continue
                true = true_dates.get(line.phase_to)
                if true and max(true, bound) < line.date:
                    redate[line.id] = max(true, bound)
                elif (
                    line.phase_to == "dissolution"
                    and line.id == max(current, default=0)
                    and partner.relationship_dissolution_date
                ):
                    # Silent since the 'Dissolves On' day the purchases give now.
                    day = datetime.combine(partner.relationship_dissolution_date, time.min)
                    if bound <= day <= now and day != line.date:
                        redate[line.id] = day
            if partner.id not in moving and current and max(current) in redate:
                updates.setdefault(partner.id, {})["relationship_phase_date"] = redate[max(current)]
        History.browse(list(redate))._relationship_redate(redate)

    def _relationship_date_phase_moves(self, company, moves, updates):
        """Date these automatic phase moves when they truly happened, and log
        the forward phases crossed on the way (Awareness on the way from
        Exploration to Expansion, ...), each at its own date.

        Awareness starts at the first order, Expansion at the order that
        reaches the expansion minimum, Commitment when its minimums of orders
        and days both hold (within the last steady window at the earliest), a
        win-back at the last purchase, Dissolution on its 'Dissolves On' day;
        Exploration and moves by hand stay now. Never before the current
        phase was entered, never in the future. One query for all the
        customers (``_relationship_order_dates``), and only when there are
        moves.

        :param dict updates: ``{partner id: vals}``, whose phase and win-back
            dates follow the moves
        :return: the moves to log
        """
        if not moves:
            return moves
        now = fields.Datetime.now()
        first = (0, 1, 0.0)
        expansion = (0, company.relationship_expansion_min_orders, 0.0)
        commitment = (0, company.relationship_commitment_min_orders, 0.0)
        partners = self.browse([move["partner_id"] for move in moves])
        held = partners._relationship_order_dates(company, [first, expansion, commitment])

        def midnight(day):
            return datetime.combine(day, time.min) if day else now

        chain = ["awareness", "expansion", "commitment"]
        logged, explored_until = [], {}
        for partner, move in zip(partners, moves, strict=True):
            dates = held.get(partner.id, {})
            since = partner.relationship_phase_date or now
            unknown = partner.relationship_phase in (False, None, "exploration") and not (
                partner.relationship_phase_manual
            )
            if unknown:
                # Exploration says "no purchase known yet": purchases that
                # arrive later may be older than it (a back-fill).
                since = datetime.min
            phase_dates = {
                "awareness": dates.get(first, now),
                "expansion": dates.get(expansion, now),
                "commitment": max(
                    dates.get(commitment, now),
                    midnight(partner.relationship_first_purchase)
                    + timedelta(days=company.relationship_commitment_min_days),
                    now - timedelta(days=company.relationship_phase_window_days),
                ),
                "dissolution": midnight(partner.relationship_dissolution_date),
            }
            start = move["phase_from"] if move["phase_from"] in chain else None
            if move["won_back"]:
                steps = [move["phase_to"]]
                phase_dates[move["phase_to"]] = midnight(partner.relationship_last_purchase)
            elif move["phase_to"] in chain and (
                start is None or chain.index(move["phase_to"]) > chain.index(start)
            ):
                # Forward: each phase crossed from where the customer stood.
                begin = chain.index(start) + 1 if start else 0
                steps = chain[begin : chain.index(move["phase_to"]) + 1]
            else:
                # Backward (a refund, time passing): it happens now.
                steps = [move["phase_to"]]
                if move["phase_to"] != "dissolution":
                    phase_dates[move["phase_to"]] = now
            phase_from, dated = move["phase_from"], []
            for phase in steps:
                since = min(max(since, phase_dates.get(phase, now)), now)
                dated.append((phase, since))
            # Phases entered at the same moment are one move, to the furthest.
            for (phase, date), following in zip(dated, [*dated[1:], None], strict=True):
                if following is None or following[1] != date:
                    logged.append(dict(move, phase_from=phase_from, phase_to=phase, date=date))
                    phase_from = phase
            if unknown and partner.relationship_phase_date:
                explored_until[partner.id] = dated[0][1]
            vals = updates.setdefault(partner.id, {})
            vals["relationship_phase_date"] = since
            if move["won_back"]:
                vals["relationship_won_back_date"] = since.date()
        if explored_until:
            # The automatic Exploration lines end where the purchases begin.
            History = self.env["relationship.phase.history"].sudo()
            lines = History.search_fetch(
                [
                    ("partner_id", "in", list(explored_until)),
                    ("phase_to", "=", "exploration"),
                    ("move_type", "=", "automatic"),
                ],
                ["partner_id", "date"],
            )
            redate = {
                line.id: explored_until[line.partner_id.id]
                for line in lines
                if line.date > explored_until[line.partner_id.id]
            }
            History.browse(list(redate))._relationship_redate(redate)
        return logged
