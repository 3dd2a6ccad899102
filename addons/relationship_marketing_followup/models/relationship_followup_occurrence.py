# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from .relationship_followup_rule import TRIGGERS

_logger = logging.getLogger(__name__)


STATES = [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")]
OUTCOMES = [
    ("open", "Open"),
    ("on_time", "Done on Time"),
    ("late", "Done Late"),
    ("cancelled", "Cancelled"),
]


class RelationshipFollowupOccurrence(models.Model):
    """One follow-up a rule made for a customer: the log behind 'exactly once'.

    Odoo deletes an activity when it is done, so the outcome lives here: the
    occurrence stays, open, done (on time or late) or cancelled, and no rule
    ever makes the same occurrence again.
    """

    _name = "relationship.followup.occurrence"
    _description = "Relationship Follow-up"
    _order = "date_due desc, id desc"
    _rec_name = "summary"
    _check_company_auto = True

    rule_id = fields.Many2one(
        "relationship.followup.rule",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        index=True,
        readonly=True,
        help="Who the activity is (or was) assigned to.",
    )
    occurrence_key = fields.Char(
        required=True,
        readonly=True,
        help="Technical: what makes this follow-up unique for its rule and customer "
        "(the day of the purchase, the birthday, ...).",
    )
    trigger = fields.Selection(TRIGGERS, readonly=True, help="What made the rule act.")
    origin = fields.Char(
        string="Why", readonly=True, help="The event or date behind the follow-up."
    )
    summary = fields.Char(readonly=True, help="The summary of the activity, as created.")
    date_due = fields.Date(
        string="Due Date",
        required=True,
        index=True,
        readonly=True,
        help="When the activity was due.",
    )
    manual = fields.Boolean(
        string="Scheduled by Hand", readonly=True, help="A user scheduled it from the customer."
    )
    state = fields.Selection(STATES, required=True, default="open", readonly=True, index=True)
    outcome = fields.Selection(
        OUTCOMES,
        compute="_compute_outcome",
        store=True,
        index=True,
        help="Open; done on or before its due date, or after it; or cancelled (the "
        "activity was deleted without being done).",
    )
    date_closed = fields.Date(string="Closed On", readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)
    activity_ids = fields.One2many(
        "mail.activity",
        "relationship_followup_occurrence_id",
        string="Activities",
        context={"active_test": False},
    )
    activity_id = fields.Many2one("mail.activity", compute="_compute_activity_id")

    _sql_constraints = [
        (
            "occurrence_uniq",
            "UNIQUE(rule_id, partner_id, occurrence_key)",
            "A rule follows up each occurrence once per customer.",
        ),
    ]

    @api.depends("state", "date_closed", "date_due")
    def _compute_outcome(self):
        for occurrence in self:
            if occurrence.state == "done":
                late = occurrence.date_closed and occurrence.date_closed > occurrence.date_due
                occurrence.outcome = "late" if late else "on_time"
            else:
                occurrence.outcome = occurrence.state

    @api.depends("activity_ids")
    def _compute_activity_id(self):
        for occurrence in self:
            occurrence.activity_id = occurrence.activity_ids[:1]

    # ------------------------------------------------------------------
    # Closing (called by mail.activity)
    # ------------------------------------------------------------------

    def _close(self, state):
        """Record that the activities of these occurrences were done or cancelled."""
        still_open = self.filtered(lambda occurrence: occurrence.state == "open")
        if still_open:
            still_open.write(
                {
                    "state": state,
                    "date_closed": fields.Date.context_today(self),
                    "closed_by_id": self.env.uid,
                }
            )

    # ------------------------------------------------------------------
    # Creation, exactly once
    # ------------------------------------------------------------------

    @api.model
    def _followup_create(self, candidates):
        """Create the occurrences that do not exist yet, and their activities.

        Exactly once: an occurrence already in the log (open, done or cancelled)
        is skipped, and the unique index on (rule, customer, key) settles the
        races that a search cannot see (two transactions, a retried batch): the
        insertion ignores what conflicts, and only what it really inserted gets
        an activity. A constant number of queries for any number of candidates.

        :param candidates: list of :class:`~..tools.candidate.Candidate`
        :return: the occurrences created
        """
        unique = {}
        for candidate in candidates:
            unique.setdefault((candidate.rule.id, candidate.partner.id, candidate.key), candidate)
        # Whom first: without anyone to assign, nothing is created (nor logged,
        # so that it comes once someone is there).
        assigned, unassigned = {}, defaultdict(int)
        for key, candidate in unique.items():
            user = candidate.rule._followup_assignee(candidate.partner, candidate.rule.company_id)
            # An email goes to the customer: it needs nobody to be assigned.
            if user or candidate.rule.action == "email":
                assigned[key] = user
            else:
                unassigned[candidate.rule.id] += 1
        if unassigned:
            _logger.info(
                "Follow-ups skipped for want of anyone to assign them to, per rule id: %s",
                dict(unassigned),
            )
        if not assigned:
            return self.browse()
        # The log and the activities are written for the company's automation,
        # whatever the rights of the user whose action triggered it.
        created = self.sudo()._followup_create_assigned(
            [(unique[key], user) for key, user in assigned.items()]
        )
        return created.with_env(self.env)

    def _followup_create_assigned(self, todo):
        """:meth:`_followup_create` for candidates with their assignee."""
        existing = self._followup_existing(
            {(candidate.rule.id, candidate.partner.id, candidate.key) for candidate, _user in todo}
        )
        todo = [
            (candidate, user)
            for candidate, user in todo
            if (candidate.rule.id, candidate.partner.id, candidate.key) not in existing
        ]
        if not todo:
            return self.browse()
        partners = self.env["res.partner"].browse(
            {candidate.partner.id for candidate, _user in todo}
        )
        facts = partners._relationship_followup_facts(programmes=False)
        # Only the placeholders that each rule's texts use, in each assignee's
        # language; dates and amounts formatted once for the batch.
        names_of, memo = {}, {}
        rows = []
        for candidate, user in todo:
            rule = candidate.rule.with_context(lang=user.lang or self.env.lang)
            texts = (rule.id, rule.env.lang)
            if texts not in names_of:
                names_of[texts] = rule._followup_placeholder_names()
            values = rule._followup_placeholder_values(
                candidate.partner,
                facts[candidate.partner.id],
                candidate.date_due,
                candidate.values,
                names=names_of[texts],
                memo=memo,
            )
            summary, note = rule._followup_texts(values)
            rows.append((candidate, user, summary, note))
        inserted = self._followup_insert(rows)
        if not inserted:
            return self.browse()
        rows = [row for row in rows if (row[0].rule.id, row[0].partner.id, row[0].key) in inserted]
        by_action = defaultdict(list)
        for row in rows:
            by_action[row[0].rule.action].append(row)
        self._followup_act(by_action, inserted)
        return self.browse(sorted(inserted.values()))

    @api.model
    def _followup_act(self, by_action, inserted):
        """Do what the rules say for the follow-ups just logged: ``by_action`` maps
        each action to its rows (candidate, user, summary, note). A bridge that
        adds an action to the rules handles its rows here (and calls super)."""
        self._followup_send_emails(by_action["email"], inserted)
        self._followup_schedule_activities(
            by_action["activity"] + self._followup_plan_rows(by_action["plan"]), inserted
        )

    @api.model
    def _followup_plan_rows(self, rows):
        """The activities of the plans of ``rows``, as rows of single activities:
        each template of the plan, due after the follow-up's due date as the
        plan says, for its responsible (the assignee when 'to be chosen'), as
        Odoo's 'Schedule activity plan' does."""
        plan_rows = []
        for candidate, user, _summary, _note in rows:
            for template in candidate.rule.activity_plan_id.template_ids:
                responsible = user
                if template.responsible_type != "on_demand":
                    responsible = (
                        template._determine_responsible(user, candidate.partner)["responsible"]
                        or user
                    )
                plan_rows.append(
                    (
                        candidate,
                        responsible,
                        template.summary or template.activity_type_id.name,
                        template.note,
                        template.activity_type_id,
                        template._get_date_deadline(candidate.date_due),
                    )
                )
        return plan_rows

    @api.model
    def _followup_schedule_activities(self, rows, inserted):
        """One creation of activities for all ``rows`` (candidate, user, summary,
        note[, activity type, due date])."""
        if not rows:
            return
        partner_model = self.env["ir.model"]._get_id("res.partner")
        activity_values = []
        for row in rows:
            candidate, user, summary, note = row[:4]
            activity_type, date_due = (
                row[4:] if len(row) > 4 else (candidate.rule.activity_type_id, candidate.date_due)
            )
            activity_values.append(
                {
                    "res_model_id": partner_model,
                    "res_id": candidate.partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": note,
                    "date_deadline": date_due,
                    "user_id": user.id,
                    "automated": not candidate.manual,
                    "relationship_followup_occurrence_id": inserted[
                        (candidate.rule.id, candidate.partner.id, candidate.key)
                    ],
                }
            )
        # mail.activity subscribes each assignee to the customers of its
        # activities, but inserts the follower twice when one create holds two
        # activities of one customer for one user: subscribe them first, once.
        customers_of = defaultdict(set)
        for values in activity_values:
            customers_of[values["user_id"]].add(values["res_id"])
        users = self.env["res.users"].browse(customers_of)
        for user in users:
            self.env["res.partner"].browse(customers_of[user.id]).message_subscribe(
                partner_ids=user.partner_id.ids
            )
        # Automated follow-ups land in the assignees' activity menus; one email
        # per activity would flood them (and cost queries per activity).
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            activity_values
        )

    @api.model
    def _followup_send_emails(self, rows, inserted):
        """Send the emails of ``rows``: per template, one mass post on the
        customers' chatters (rendered per customer, in its language), the emails
        queued for the mail cron. Only what was just inserted in the log comes
        here, so a second run sends nothing twice. An email follow-up is done
        once sent."""
        if not rows:
            return
        customers_of = defaultdict(set)
        for candidate, _user, _summary, _note in rows:
            customers_of[candidate.rule.mail_template_id].add(candidate.partner.id)
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        for template, partner_ids in customers_of.items():
            composer = (
                self.env["mail.compose.message"]
                .with_context(mail_notify_force_send=False, mail_create_nosubscribe=True)
                .create(
                    {
                        "composition_mode": "comment",
                        "model": "res.partner",
                        "res_ids": repr(sorted(partner_ids)),
                        "template_id": template.id,
                        "message_type": "comment",
                        "subtype_id": comment,
                    }
                )
            )
            composer._action_send_mail()
        self.browse(
            inserted[(candidate.rule.id, candidate.partner.id, candidate.key)]
            for candidate, _user, _summary, _note in rows
        ).write({"state": "done", "date_closed": fields.Date.context_today(self)})

    @api.model
    def _followup_existing(self, keys):
        """The (rule, customer, key) triples of ``keys`` already in the log."""
        rule_ids = {rule_id for rule_id, _partner_id, _key in keys}
        partner_ids = {partner_id for _rule_id, partner_id, _key in keys}
        occurrence_keys = {key for _rule_id, _partner_id, key in keys}
        found = self.with_context(active_test=False).search_fetch(
            [
                ("rule_id", "in", list(rule_ids)),
                ("partner_id", "in", list(partner_ids)),
                ("occurrence_key", "in", list(occurrence_keys)),
            ],
            ["rule_id", "partner_id", "occurrence_key"],
        )
        return {
            (occurrence.rule_id.id, occurrence.partner_id.id, occurrence.occurrence_key)
            for occurrence in found
        } & set(keys)

    @api.model
    def _followup_insert(self, rows):
        """Insert occurrences, ignoring those that exist (``ON CONFLICT DO NOTHING``).

        The ORM's ``create`` would abort the whole transaction on the first
        duplicate; this insertion lets a concurrent or repeated batch go on,
        and tells exactly which rows it added.

        :return: ``{(rule id, partner id, key): occurrence id}`` of the rows inserted
        """
        if not rows:
            return {}
        now = fields.Datetime.now()
        uid = self.env.uid
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'open', 'open', %s, %s, %s, %s)",
                candidate.rule.id,
                candidate.partner.id,
                candidate.rule.company_id.id,
                user.id or None,
                candidate.key,
                candidate.rule.trigger,
                candidate.date_due,
                candidate.origin or None,
                summary,
                candidate.manual,
                uid,
                now,
                uid,
                now,
            )
            for candidate, user, summary, _note in rows
        )
        result = self.env.execute_query(
            SQL(
                """
                INSERT INTO relationship_followup_occurrence
                       (rule_id, partner_id, company_id, user_id, occurrence_key, trigger,
                        date_due, origin, summary, manual, state, outcome,
                        create_uid, create_date, write_uid, write_date)
                VALUES %s
                ON CONFLICT (rule_id, partner_id, occurrence_key) DO NOTHING
                RETURNING id, rule_id, partner_id, occurrence_key
                """,
                values,
            )
        )
        # The new rows were written behind the ORM's back: forget the lists of
        # follow-ups it may hold.
        self.env["res.partner"].invalidate_model(["relationship_followup_occurrence_ids"])
        self.env["relationship.followup.rule"].invalidate_model(
            ["occurrence_ids", "occurrence_count"]
        )
        return {
            (rule_id, partner_id, key): occurrence_id
            for occurrence_id, rule_id, partner_id, key in result
        }
