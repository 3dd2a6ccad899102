# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The date engine of the follow-up rules: birthdays, anniversaries, check-ins,
customers going quiet and news for interests, and the daily run.

All the follow-up date arithmetic lives here: the yearly calendar (February 29
included), 'too late' (:func:`too_late`, for dates and events alike), and each
date trigger's next occurrence in :meth:`_followup_date_candidate` (Python: the
reference, which the preview shows and the cron creates). A second form is
kept for speed only: the SQL of :func:`sql_next_yearly` and
:meth:`_followup_due_sql`, the same arithmetic, with which the daily run reads
only the customers due (their parity tests: tests/test_tools.py
TestDatesInDatabase, tests/test_scale.py TestDueInDatabase).
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..tools.candidate import Candidate
from .relationship_followup_rule import DATE_TRIGGER_KEYS, LEVELS

_logger = logging.getLogger(__name__)

CURSOR = "relationship_marketing_followup.cron_cursor"
# The columns of res_partner that _followup_due_sql reads.
DUE_PARTNER_FIELDS = [
    "relationship_birthday",
    "relationship_next_birthday",
    "relationship_first_purchase",
    "relationship_next_anniversary",
    "relationship_level",
    "relationship_last_purchase",
    "relationship_stage_date",
    "relationship_phase",
    "relationship_risk_date",
]


def in_year(origin, year):
    """``origin`` moved to ``year``; February 29 falls on February 28 in common years."""
    try:
        return origin.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def next_yearly(origin, today):
    """The first anniversary of ``origin`` on or after ``today``.

    Anniversaries start one year after ``origin``: someone born (or a
    relationship begun) today has its next anniversary in a year.

    :return: the date, or ``False`` without ``origin``
    """
    if not origin:
        return False
    year = max(today.year, origin.year + 1)
    candidate = in_year(origin, year)
    if candidate < today:
        candidate = in_year(origin, year + 1)
    return candidate


def too_late(date_due, skip_days, today):
    """Whether a follow-up due on ``date_due`` is past by more than ``skip_days``
    (a rule's *Skip When Late By*; 0 never skips)."""
    return bool(skip_days) and date_due < today - timedelta(days=skip_days)


def sql_in_year(origin, year):
    """:func:`in_year` in SQL: ``origin`` (a date expression) moved to ``year`` (an
    integer expression), February 29 on February 28 in common years."""
    first = SQL("make_date(%s, EXTRACT(MONTH FROM %s)::int, 1)", year, origin)
    # The day in the month, but no further than the month's last day: only
    # February 29 ever needs it.
    return SQL(
        "LEAST(%s + (EXTRACT(DAY FROM %s)::int - 1), (%s + INTERVAL '1 month')::date - 1)",
        first,
        origin,
        first,
    )


def sql_next_yearly(origin, today):
    """:func:`next_yearly` in SQL, for a date expression ``origin`` (NULL stays NULL)."""
    year = SQL("GREATEST(%s, EXTRACT(YEAR FROM %s)::int + 1)", today.year, origin)
    candidate = sql_in_year(origin, year)
    return SQL(
        "(CASE WHEN %s < %s THEN %s ELSE %s END)",
        candidate,
        today,
        sql_in_year(origin, SQL("%s + 1", year)),
        candidate,
    )


# One concern of the rule per file, as Odoo's mail splits mail.thread.
class RelationshipFollowupRule(models.Model):
    _inherit = "relationship.followup.rule"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Occurrences of the date triggers
    # ------------------------------------------------------------------

    def _followup_date_candidate(self, partner, facts, today, last_due):
        """The next occurrence of this date rule for ``partner``.

        :param last_due: due date of the rule's latest occurrence for the partner
        :return: a :class:`Candidate` whose ``date_create`` may lie in the future
            (the cron creates it once that day has come; the preview shows it),
            or ``None`` when the rule has nothing coming for this customer
        """
        self.ensure_one()
        trigger = self.trigger
        if trigger in ("birthday", "anniversary"):
            origin = (
                partner.relationship_birthday
                if trigger == "birthday"
                else partner.relationship_first_purchase
            )
            if not origin:
                return None
            stored = (
                partner.relationship_next_birthday
                if trigger == "birthday"
                else partner.relationship_next_anniversary
            )
            day = stored or next_yearly(origin, today)
            due = day + timedelta(days=self.delay_days)
            return Candidate(
                rule=self,
                partner=partner,
                key=f"{trigger}:{day.isoformat()}",
                date_due=due,
                date_create=due - timedelta(days=self.lead_days),
                origin=_("Birthday on %(date)s", date=day.isoformat())
                if trigger == "birthday"
                else _("Anniversary on %(date)s", date=day.isoformat()),
                values={"years": day.year - origin.year},
            )
        if trigger in ("cadence", "interest"):
            days = (
                self._cadence_days(facts["level"]) if trigger == "cadence" else self.interval_days
            )
            if not days:
                return None
            if trigger == "interest" and not partner.category_id:
                return None
            anchor = last_due or (
                partner.relationship_last_purchase
                or (partner.relationship_stage_date and partner.relationship_stage_date.date())
                or partner.create_date.date()
            )
            due = anchor + timedelta(days=days)
            return self._followup_clamped(
                partner, due, "every", _("Every %(days)s days", days=days), today
            )
        if trigger == "inactivity":
            # A relationship that ended is no longer quiet: the win-back takes over.
            last = partner.relationship_last_purchase
            if not last or facts["phase"] == "dissolution":
                return None
            quiet = (
                last + timedelta(days=self.inactivity_days)
                if self.inactivity_days
                else partner.relationship_risk_date
            )
            if not quiet:
                return None
            candidate = self._followup_clamped(
                partner,
                quiet + timedelta(days=self.delay_days),
                "quiet",
                _("No purchase since %(date)s", date=last.isoformat()),
                today,
            )
            # One warning per quiet spell: a new purchase starts another.
            candidate.key = f"quiet:{last.isoformat()}"
            return candidate
        return None

    def _followup_clamped(self, partner, due, prefix, origin, today):
        """An occurrence that is never created overdue: once its day to be created
        has come, it falls due today at the earliest."""
        create = due - timedelta(days=self.lead_days)
        if create <= today:
            due = max(due, today)
        return Candidate(
            rule=self,
            partner=partner,
            key=f"{prefix}:{due.isoformat()}",
            date_due=due,
            date_create=create,
            origin=origin,
        )

    def _followup_skipped(self, date_due, today):
        """Whether an occurrence due on ``date_due`` is too late to be worth creating."""
        self.ensure_one()
        return too_late(date_due, self.skip_after_days, today)

    @api.model
    def _followup_last_due(self, rules, partners):
        """Due date of the latest occurrence per (rule, partner), for the cadences."""
        rules = rules.filtered(lambda rule: rule.trigger in ("cadence", "interest"))
        if not rules or not partners:
            return {}
        return {
            (rule.id, partner.id): last
            for rule, partner, last in self.env["relationship.followup.occurrence"]._read_group(
                [("rule_id", "in", rules.ids), ("partner_id", "in", partners.ids)],
                ["rule_id", "partner_id"],
                ["date_due:max"],
            )
        }

    # ------------------------------------------------------------------
    # The daily run: due customers selected in the database
    # ------------------------------------------------------------------

    def _followup_partner_domain(self):
        """The rule's filters on customers as a domain on ``res.partner``: what
        :meth:`_followup_matches` checks for a date trigger, the company whose
        playbook applies included (that of the customer's ladder)."""
        self.ensure_one()
        # A subquery on the stages, archived ones included (a many2one path).
        domain = [("relationship_stage_id.company_id", "=", self.company_id.id)]
        if self.stage_ids:
            domain.append(("relationship_stage_id", "in", self.stage_ids.ids))
        if self.level_ids:
            levels = self.level_ids.mapped("code")
            if "basic" in levels:
                # Customers without a level count as Basic.
                domain += [
                    "|",
                    ("relationship_level", "in", levels),
                    ("relationship_level", "=", False),
                ]
            else:
                domain.append(("relationship_level", "in", levels))
        if self.phase_ids:
            domain.append(("relationship_phase", "in", self.phase_ids.mapped("code")))
        if self.category_ids:
            domain.append(("category_id", "in", self.category_ids.ids))
        if self.programme_ids:
            domain.append(
                (
                    "relationship_membership_ids",
                    "any",
                    [("state", "=", "active"), ("programme_id", "in", self.programme_ids.ids)],
                )
            )
        if self.trigger == "interest":
            domain.append(("category_id", "!=", False))
        return domain + self._followup_condition()

    def _followup_due_sql(self, today):
        """The conditions on ``res_partner`` (aliased ``p``) that make this date rule
        due today, and the key of the occurrence it would make, as SQL.

        The same arithmetic as :meth:`_followup_date_candidate` with the cron's
        'due only' filter (:meth:`_followup_date_candidates`): created on or
        before today, and not too late. Kept for speed alone: the database
        picks the few customers due among all (100,000 in bench/run.py) and
        only they are read; any change here goes with one there, which
        tests/test_scale.py TestDueInDatabase checks day by day over a year.

        :return: ``(condition, key)`` or ``None`` when the rule can make nothing
        """
        self.ensure_one()
        trigger = self.trigger
        delay, lead, skip = self.delay_days, self.lead_days, self.skip_after_days
        if trigger in ("birthday", "anniversary"):
            if trigger == "birthday":
                origin = SQL("p.relationship_birthday")
                stored = SQL("p.relationship_next_birthday")
            else:
                origin = SQL("p.relationship_first_purchase")
                stored = SQL("p.relationship_next_anniversary")
            day = SQL("COALESCE(%s, %s)", stored, sql_next_yearly(origin, today))
            # due = day + delay, created lead days before it; too late past skip days
            condition = SQL(
                "%s IS NOT NULL AND %s <= %s", origin, day, today - timedelta(days=delay - lead)
            )
            if skip:
                condition = SQL(
                    "%s AND %s >= %s", condition, day, today - timedelta(days=delay + skip)
                )
            return condition, SQL("%s || to_char(%s, 'YYYY-MM-DD')", f"{trigger}:", day)
        if trigger in ("cadence", "interest"):
            if trigger == "cadence":
                days = SQL(
                    "(CASE COALESCE(p.relationship_level, 'basic') %s ELSE 0 END)",
                    SQL(" ").join(
                        SQL("WHEN %s THEN %s", level, self._cadence_days(level)) for level in LEVELS
                    ),
                )
            elif self.interval_days:
                days = SQL("%s", self.interval_days)
            else:
                return None
            last_due = SQL(
                "(SELECT max(o.date_due) FROM relationship_followup_occurrence o"
                " WHERE o.rule_id = %s AND o.partner_id = p.id)",
                self.id,
            )
            due = SQL(
                "(COALESCE(%s, p.relationship_last_purchase, p.relationship_stage_date::date,"
                " p.create_date::date) + %s)",
                last_due,
                days,
            )
            # Never created overdue: once created it falls due today at the earliest,
            # so it is never too late either.
            condition = SQL("%s > 0 AND %s - %s <= %s", days, due, lead, today)
            key = SQL("'every:' || to_char(GREATEST(%s, %s), 'YYYY-MM-DD')", due, today)
            return condition, key
        if trigger == "inactivity":
            # A relationship that ended is no longer quiet: the win-back takes over.
            quiet = (
                SQL("(p.relationship_last_purchase + %s)", self.inactivity_days)
                if self.inactivity_days
                else SQL("p.relationship_risk_date")
            )
            condition = SQL(
                "p.relationship_last_purchase IS NOT NULL"
                " AND p.relationship_phase IS DISTINCT FROM 'dissolution'"
                " AND %s + %s <= %s",
                quiet,
                delay - lead,
                today,
            )
            key = SQL("'quiet:' || to_char(p.relationship_last_purchase, 'YYYY-MM-DD')")
            return condition, key
        return None

    def _followup_due_pairs(self, partner_domain, today):
        """``(rule id, partner id)`` of these date rules that are due today for the
        customers of ``partner_domain`` and not yet in the log.

        One query per rule, in the database: customers already followed up for
        the occurrence (whatever its state) are not even read.
        """
        # The playbook reads every customer of every company.
        Partner = self.env["res.partner"].sudo()
        # The queries read these columns behind the ORM's back.
        Partner.flush_model(DUE_PARTNER_FIELDS)
        self.env["relationship.followup.occurrence"].flush_model(
            ["rule_id", "partner_id", "occurrence_key", "date_due"]
        )
        pairs = []
        for rule in self:
            due = rule._followup_due_sql(today)
            if due is None:
                continue
            condition, key = due
            query = Partner._search(partner_domain + rule._followup_partner_domain())
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT p.id FROM res_partner p
                     WHERE p.id IN %s AND %s
                       AND NOT EXISTS (
                               SELECT 1 FROM relationship_followup_occurrence o
                                WHERE o.rule_id = %s AND o.partner_id = p.id
                                  AND o.occurrence_key = %s)
                     ORDER BY p.id
                    """,
                    query.subselect(),
                    condition,
                    rule.id,
                    key,
                )
            )
            pairs.extend((rule.id, partner_id) for [partner_id] in rows)
        return pairs

    def _followup_due_candidates(self, partner_domain, today):
        """What the cron creates for these date rules among the customers of
        ``partner_domain``: the customers due today are selected in the database
        (:meth:`_followup_due_pairs`), then only they are read, and their
        occurrences built as the preview builds them."""
        pairs = self._followup_due_pairs(partner_domain, today)
        if not pairs:
            return []
        # As the selection above: the playbook reads every customer of every company.
        partners = self.env["res.partner"].sudo().browse(sorted({pid for _rid, pid in pairs}))
        return self._followup_date_candidates(partners, today, pairs=set(pairs))

    def _followup_date_candidates(self, partners, today, due_only=True, pairs=None):
        """Occurrences of these date rules for ``partners``.

        A constant number of queries, whatever the number of partners.

        :param due_only: keep only those whose day to be created has come and
            that are not too late (what the cron creates)
        :param pairs: only these ``(rule id, partner id)``
        """
        facts = partners._relationship_followup_facts(programmes=bool(self.programme_ids))
        last_due = self._followup_last_due(self, partners)
        conditions = self._followup_condition_matches(self, partners)
        rules_of = defaultdict(list)
        for rule in self:
            rules_of[rule.company_id].append(rule)
        candidates = []
        for partner in partners:
            partner_facts = facts[partner.id]
            for rule in rules_of.get(partner_facts["company"], ()):
                if pairs is not None and (rule.id, partner.id) not in pairs:
                    continue
                if not rule._followup_matches(partner, partner_facts, conditions=conditions):
                    continue
                candidate = rule._followup_date_candidate(
                    partner, partner_facts, today, last_due.get((rule.id, partner.id))
                )
                if candidate is None:
                    continue
                if due_only and (
                    candidate.date_create > today
                    or rule._followup_skipped(candidate.date_due, today)
                ):
                    continue
                candidates.append(candidate)
        return candidates

    @api.model
    def _cron_relationship_followup(self, batch_size=2000):
        """Daily: the follow-ups of the date triggers, then the next dates.

        Runs in batches with Odoo's cron progress API: each call handles the
        next ``batch_size`` customers on the ladder after a cursor kept in a
        system parameter, with a constant number of queries; the cron runner
        commits between calls, so a crash resumes after the last committed
        batch, and the occurrence log makes a batch run twice create nothing
        twice.

        :return: the number of customers left for the next calls
        """
        # The cursor is cron bookkeeping, not user data: whoever runs the cron
        # must be able to move it.
        params = self.env["ir.config_parameter"].sudo()
        last_id = int(params.get_param(CURSOR, 0))
        # The playbook reads every customer of every company.
        Partner = self.env["res.partner"].sudo()
        domain = [("id", ">", last_id), ("relationship_stage_id", "!=", False)]
        partners = Partner.search(domain, order="id", limit=batch_size)
        remaining = Partner.search_count(domain) - len(partners)
        today = fields.Date.context_today(self)
        # The cron follows every company's playbook, whatever its user may read.
        rules = self.sudo().search([("trigger", "in", list(DATE_TRIGGER_KEYS))])
        created = self.env["relationship.followup.occurrence"]
        if rules and partners:
            # The batch as a range of ids: the database picks the customers due
            # in it, and only those are read.
            batch = [*domain, ("id", "<=", partners[-1].id)]
            created = created._followup_create(rules._followup_due_candidates(batch, today))
        partners._relationship_roll_next_dates(today)
        params.set_param(CURSOR, partners[-1:].id if remaining else 0)
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        _logger.info(
            "Relationship follow-ups: %s customers done, %s follow-ups created, "
            "%s customers remaining",
            len(partners),
            len(created),
            remaining,
        )
        return remaining
