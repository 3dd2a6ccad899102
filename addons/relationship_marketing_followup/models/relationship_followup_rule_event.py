# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The event engine of the follow-up rules: what a purchase, a stage or phase
reached, a low score, a complaint or a new membership sets off, at once or,
for the records of an ingestion batch, by the cron after the batch."""

from collections import namedtuple
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, ormcache

from ..tools.candidate import Candidate
from .relationship_followup_rule_date import too_late

# Makes the follow-ups that ingestion batches leave pending (its xmlid is that
# of its first version, which drained purchases only).
INGEST_CRON = "relationship_marketing_followup.ir_cron_relationship_followup_purchases"
PENDING = [("relationship_followup_pending", "=", True)]
# Where the batch being ingested notes the cron to wake at its end (see
# _followup_wake_after_batch); the transaction's scratch space, cleared on
# commit and rollback.
WAKE_AFTER_BATCH = "relationship_marketing_followup.wake_after_batch"
EventSpec = namedtuple("EventSpec", "rule_id delay skip stages phases programmes threshold")
# Switches the follow-ups of events off, for relationship.purchase.ingest_history
# only: the value is an object no RPC caller can send (a context sent over RPC
# holds plain values), so that nobody can switch the automation off from outside.
FOLLOWUPS_OFF_KEY = "relationship_followups_off"
FOLLOWUPS_OFF = object()
# How late an event's follow-up may still be created when its rule says nothing
# ('Skip When Late By' 0).
EVENT_WINDOW_DAYS = 30


# One concern of the rule per file, as Odoo's mail splits mail.thread.
class RelationshipFollowupRule(models.Model):
    _inherit = "relationship.followup.rule"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _followup_on_events(self, trigger, events):
        """Create the follow-ups of events that just happened.

        Set-based: one search for the rules, one pass over the events, then one
        insertion of occurrences and one creation of activities for all.

        :param trigger: one of the event triggers
        :param events: list of dicts with ``partner``, ``company``, ``date`` (the
            day of the event), ``key`` (what makes the occurrence unique for a
            rule and a customer), ``origin`` (a label) and optionally ``values``
            (more placeholders), ``stage_from``/``stage_to`` (stage moves),
            ``phase`` (phase entries), ``score`` (satisfaction scores),
            ``programme`` (memberships)
        :return: the occurrences created (none while :meth:`_followup_off`)
        """
        Occurrence = self.env["relationship.followup.occurrence"]
        if not events or self._followup_off():
            return Occurrence
        # The server's day, not the user's: reading the user's time zone costs
        # queries in every batch, and a day's difference does not matter here.
        today = fields.Date.today()
        specs = {
            company: self._followup_event_specs(trigger, company.id)
            for company in {event["company"] for event in events}
        }
        # What the events themselves decide first (the stage reached, the score,
        # the day): most events stop here, before any query.
        hits = []
        for event in events:
            for spec in specs[event["company"]]:
                due = event["date"] + timedelta(days=spec.delay)
                if self._followup_event_too_late(spec, event["date"], today):
                    continue
                hits.extend(
                    (event, spec.rule_id, key, due)
                    for key in self._followup_event_keys(spec, trigger, event)
                )
        if not hits:
            return Occurrence
        # Follow-ups are the company's automation, not the acting user's: whoever
        # sends a sale or records a score may not read the rules or the log.
        rules = self.sudo().browse({rule_id for _event, rule_id, _key, _due in hits})
        partners = self.env["res.partner"].sudo().browse({hit[0]["partner"].id for hit in hits})
        facts = partners._relationship_followup_facts(programmes=bool(rules.programme_ids))
        conditions = self._followup_condition_matches(rules, partners)
        candidates = []
        for event, rule_id, key, due in hits:
            rule, partner = (
                rules.browse(rule_id),
                partners.browse(event["partner"].id).with_prefetch(partners._prefetch_ids),
            )
            if rule._followup_matches(
                partner, facts[partner.id], event_trigger=trigger, conditions=conditions
            ):
                candidates.append(
                    Candidate(
                        rule=rule,
                        partner=partner,
                        key=key,
                        date_due=due,
                        date_create=today,
                        origin=event["origin"],
                        values=event.get("values", {}),
                    )
                )
        return Occurrence._followup_create(candidates)

    @api.model
    @ormcache("trigger", "company_id")
    def _followup_event_specs(self, trigger, company_id):
        """What the active rules of an event trigger look at, as plain values.

        Cached (rules and stage sequences change rarely; writing them clears
        the cache), so that events no rule is interested in (most events of an
        ingestion batch) cost no query at all.
        """
        # Reading the playbook is the automation's business, see _followup_on_events.
        rules = self.sudo().search([("trigger", "=", trigger), ("company_id", "=", company_id)])
        return tuple(
            EventSpec(
                rule_id=rule.id,
                delay=rule.delay_days,
                skip=rule.skip_after_days,
                stages=tuple((stage.id, stage.sequence) for stage in rule.stage_ids),
                phases=frozenset(rule.phase_ids.mapped("code")),
                programmes=frozenset(rule.programme_ids.ids),
                threshold=rule.score_threshold,
            )
            for rule in rules
        )

    @api.model
    def _followup_event_too_late(self, spec, day, today):
        """Whether the rule's 'skip when late' drops an event of ``day``.

        An event always has a window (``EVENT_WINDOW_DAYS`` when the rule gives
        none): a history loaded at its true dates makes stage moves, phases and
        scores of months ago, which are no longer worth an activity.
        """
        return too_late(day + timedelta(days=spec.delay), spec.skip or EVENT_WINDOW_DAYS, today)

    @api.model
    def _followup_defer_ingested(self, trigger, vals_list, event_of):
        """Leave the follow-ups of an ingestion batch's new records to the cron.

        A connector waits on its batch: the records that some active rule of
        ``trigger`` may follow up are flagged pending in their create values
        (at no extra query), and the cron is woken up once, when the batch ends.
        Records created outside ingestion get their follow-ups at once.

        :param event_of: from a record's create values, what its event is
            known by then: ``date`` (a day) and ``stage_from``/``stage_to``
            or ``phase`` (see ``_followup_event_keys``)
        :return: ``(vals_list, cron, inline)``: the values, flagged; the cron to
            wake up once they are created (or ``False``); whether to make their
            follow-ups at once, for records entered in Odoo (or the cron deleted
            or inactive)
        """
        if self._followup_off():
            return vals_list, False, False
        if not self._followup_in_ingestion():
            return vals_list, False, True
        today = fields.Date.today()
        deferred = [
            self._followup_event_may_act(
                trigger, vals.get("company_id") or self.env.company.id, event_of(vals), today
            )
            for vals in vals_list
        ]
        if not any(deferred):
            # The history of a source, or moves no rule looks at: nothing to make.
            return vals_list, False, False
        cron = self.env.ref(INGEST_CRON, raise_if_not_found=False)
        if not cron or not cron.sudo().active:  # users may not read crons
            # Nobody would make them later (the job deleted or switched off):
            # the batch makes its follow-ups itself.
            return vals_list, False, True
        vals_list = [
            dict(vals, relationship_followup_pending=True) if defer else vals
            for vals, defer in zip(vals_list, deferred, strict=True)
        ]
        return vals_list, cron, False

    @api.model
    def _followup_off(self):
        """Whether events make no follow-ups here: while the history of a source
        is loaded (relationship.purchase.ingest_history)."""
        return self.env.context.get(FOLLOWUPS_OFF_KEY) is FOLLOWUPS_OFF

    @api.model
    def _followup_with_events_off(self, records):
        """``records`` in an environment where events make no follow-ups."""
        return records.with_context(**{FOLLOWUPS_OFF_KEY: FOLLOWUPS_OFF})

    @api.model
    def _followup_in_ingestion(self):
        """Whether the records being created belong to a connector's batch
        (relationship.purchase.ingest_batch), whose follow-ups the cron makes."""
        return bool(self.env.context.get("relationship_ingest"))

    @api.model
    def _followup_wake_after_batch(self, cron):
        """Wake ``cron`` once when the ingestion batch ends, however many
        of its creates deferred follow-ups (see relationship.purchase._ingest)."""
        self.env.cr.precommit.data[WAKE_AFTER_BATCH] = cron.id

    @api.model
    def _followup_drain(self, model_name, limit):
        """Make the follow-ups of up to ``limit`` records of ``model_name`` that
        ingestion batches left pending, oldest first, and clear their flags.

        The follow-ups of the records and the clearing of their flags are one
        transaction, and the occurrence log creates nothing twice, so a crash
        or a second run never doubles an activity.

        :param model_name: a model of relationship.followup.pending.mixin
        :return: the records done
        """
        # Every company's records, whatever the cron's user may read: the
        # follow-ups are each company's automation.
        pending = self.env[model_name].sudo().search(PENDING, order="id", limit=limit)
        for company in pending.company_id:
            # As when fired inline from the company's batch; labels in the
            # company's language.
            of_company = pending.filtered(lambda record, c=company: record.company_id == c)
            of_company.with_company(company).with_context(
                lang=company.partner_id.lang or self.env.lang
            )._relationship_followup_fire()
        if pending:
            # A flag, not a change of the record: neither its last update nor,
            # for a purchase, its ingestion fingerprint (cleared by any ORM
            # write) may move.
            self.env.execute_query(
                SQL(
                    "UPDATE %s SET relationship_followup_pending = NULL WHERE id = ANY(%s)",
                    SQL.identifier(pending._table),
                    pending.ids,
                )
            )
            pending.invalidate_recordset(["relationship_followup_pending"])
        return pending

    @api.model
    def _followup_event_may_act(self, trigger, company_id, event, today):
        """Whether some active rule of ``trigger`` may follow up ``event`` (whose
        ``date`` and, for the trigger, stage, phase... are known; its customer
        not yet). Cached rules: no query."""
        return any(
            not self._followup_event_too_late(spec, event["date"], today)
            and self._followup_event_keys(spec, trigger, event)
            for spec in self._followup_event_specs(trigger, company_id)
        )

    @api.model
    def _followup_event_keys(self, spec, trigger, event):
        """The occurrence keys an event gives for a rule (none when it does not apply)."""
        if trigger == "stage_change":
            moved_from, moved_to = event["stage_from"], event["stage_to"]
            if not spec.stages:
                return [f"stage:{moved_to.id}"]
            # Reaching a rung, or jumping past it in one move, both count.
            return [
                f"stage:{stage_id}"
                for stage_id, sequence in spec.stages
                if sequence <= moved_to.sequence
                and (not moved_from or sequence > moved_from.sequence)
            ]
        if trigger == "phase_change" and spec.phases and event["phase"] not in spec.phases:
            return []
        if trigger == "satisfaction_low" and not event["score"] < spec.threshold:
            return []
        if trigger == "membership" and spec.programmes:
            if event["programme"].id not in spec.programmes:
                return []
        return [event["key"]]
