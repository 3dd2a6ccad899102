# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict, namedtuple
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date, formatLang, ormcache

from ..tools.candidate import Candidate
from ..tools.dates import next_yearly, sql_next_yearly
from ..tools.placeholders import placeholders_in, render

_logger = logging.getLogger(__name__)

EVENT_TRIGGERS = [
    ("purchase", "After a purchase"),
    ("stage_change", "Reaching a development stage"),
    ("phase_change", "Entering a relationship phase"),
    ("satisfaction_low", "Low satisfaction score"),
    ("complaint", "Complaint"),
    ("membership", "Joining a membership programme"),
]
DATE_TRIGGERS = [
    ("birthday", "Birthday"),
    ("anniversary", "Anniversary of the relationship"),
    ("cadence", "Periodic check-in (cadence by level)"),
    ("inactivity", "Customer goes quiet"),
    ("interest", "News for the customer's interests"),
]
TRIGGERS = EVENT_TRIGGERS + DATE_TRIGGERS
EVENT_TRIGGER_KEYS = {key for key, _label in EVENT_TRIGGERS}
DATE_TRIGGER_KEYS = {key for key, _label in DATE_TRIGGERS}
LEVELS = ("basic", "reactive", "accountable", "proactive", "partnership")
CURSOR = "relationship_marketing_followup.cron_cursor"
# Makes the follow-ups that ingestion batches leave pending (its xmlid is that
# of its first version, which drained purchases only).
INGEST_CRON = "relationship_marketing_followup.ir_cron_relationship_followup_purchases"
PENDING = [("relationship_followup_pending", "=", True)]
# Where the batch being ingested notes the cron to wake at its end (see
# _followup_wake_after_batch); the transaction's scratch space, cleared on
# commit and rollback.
WAKE_AFTER_BATCH = "relationship_marketing_followup.wake_after_batch"
EventSpec = namedtuple("EventSpec", "rule_id delay skip stages phases programmes threshold")
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
PLACEHOLDERS_HELP = (
    "Placeholders: {name}, {first_name}, {company}, {stage}, {level}, {phase}, "
    "{first_purchase}, {last_purchase}, {days_quiet}, {orders}, {revenue}, {birthday}, "
    "{years}, {tags}, {salesperson}, {key_account_manager}, {due_date}, and for the "
    "events that bring them {score}, {complaint} and {programme}."
)


class RelationshipFollowupRule(models.Model):
    """A playbook rule: when something happens, someone gets an activity."""

    _name = "relationship.followup.rule"
    _description = "Relationship Follow-up Rule"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Order of the rules in lists and previews.")
    active = fields.Boolean(
        default=True, help="Archived rules create nothing; their history stays."
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Each company has its own playbook: a rule follows up that company's customers only.",
    )
    code = fields.Char(
        readonly=True,
        copy=False,
        help="Technical: which shipped default this rule started from (empty for "
        "rules made by consultants).",
    )
    description = fields.Text(translate=True, help="What the rule is for, for the team.")
    trigger = fields.Selection(
        TRIGGERS,
        required=True,
        default="purchase",
        help="What makes the rule act. Events (a purchase, a stage or phase reached, a "
        "low score, a complaint, a new membership) act at once; dates (birthday, "
        "anniversary, check-ins, inactivity, interests) are looked at by the daily "
        "scheduled action.",
    )
    is_date_trigger = fields.Boolean(compute="_compute_is_date_trigger")
    delay_days = fields.Integer(
        string="Due After (Days)",
        help="Days from the trigger (the purchase, the birthday, ...) to the activity's "
        "due date. For dates it may be negative: -3 makes a birthday card due three "
        "days before the birthday.",
    )
    lead_days = fields.Integer(
        string="Create Ahead (Days)",
        help="For dates: how many days before its due date the activity is created, so "
        "that it shows in the assignee's plans in time.",
    )
    skip_after_days = fields.Integer(
        string="Skip When Late By (Days)",
        help="Create nothing when the due date is already past by more than this many "
        "days (a sale imported from last year needs no thank-you call). 0 never skips.",
    )
    interval_days = fields.Integer(
        string="Every (Days)",
        help="For news on interests: days between two notes for the same customer.",
    )
    cadence_basic_days = fields.Integer(
        string="Basic",
        help="Days between two check-ins for customers at the Basic level; 0: none. "
        "Customers without a level count as Basic.",
    )
    cadence_reactive_days = fields.Integer(
        string="Reactive", help="Days between two check-ins at the Reactive level; 0: none."
    )
    cadence_accountable_days = fields.Integer(
        string="Accountable",
        help="Days between two check-ins at the Accountable level; 0: none.",
    )
    cadence_proactive_days = fields.Integer(
        string="Proactive", help="Days between two check-ins at the Proactive level; 0: none."
    )
    cadence_partnership_days = fields.Integer(
        string="Partnership",
        help="Days between two check-ins at the Partnership level; 0: none.",
    )
    inactivity_days = fields.Integer(
        string="Quiet For (Days)",
        help="A customer goes quiet this many days after its last purchase. 0 follows "
        "the customer's own rhythm instead: its 'At Risk From' date, from its usual "
        "interval between purchases.",
    )
    score_threshold = fields.Float(
        string="Score Below",
        default=6.0,
        help="A satisfaction score (0 to 10) below this value triggers the rule.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        required=True,
        ondelete="restrict",
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'res.partner')]",
        help="The kind of activity created: call, email, meeting, to-do, ...",
    )
    summary = fields.Char(translate=True, help=PLACEHOLDERS_HELP)
    note = fields.Html(translate=True, help=PLACEHOLDERS_HELP)
    assign_to = fields.Selection(
        [
            ("salesperson", "Salesperson"),
            ("key_account_manager", "Key Account Manager"),
            ("team_leader", "Team Leader"),
            ("fixed_user", "A Fixed User"),
        ],
        required=True,
        default="salesperson",
        help="Who gets the activity. The key account manager falls back to the "
        "salesperson; the team leader (of the salesperson's sales team, when Sales "
        "Teams is installed) and the salesperson fall back to the fallback user.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Fixed User",
        check_company=True,
        domain="[('share', '=', False)]",
        help="The user who gets every activity of this rule.",
    )
    fallback_user_id = fields.Many2one(
        "res.users",
        check_company=True,
        domain="[('share', '=', False)]",
        help="Gets the activity when nobody else qualifies (no salesperson, an archived "
        "user, a user of another company). Without one, nothing is created then.",
    )
    stage_ids = fields.Many2many(
        "relationship.stage",
        string="Stages",
        check_company=True,
        help="Only customers on these stages. For 'Reaching a development stage': the "
        "stages whose reaching (or passing) triggers the rule.",
    )
    level_ids = fields.Many2many(
        "relationship.followup.option",
        "relationship_followup_rule_level_rel",
        "rule_id",
        "option_id",
        string="Levels",
        domain="[('kind', '=', 'level')]",
        help="Only customers whose relationship level is one of these.",
    )
    phase_ids = fields.Many2many(
        "relationship.followup.option",
        "relationship_followup_rule_phase_rel",
        "rule_id",
        "option_id",
        string="Phases",
        domain="[('kind', '=', 'phase')]",
        help="Only customers in these relationship phases. For 'Entering a relationship "
        "phase': the phases whose entry triggers the rule.",
    )
    category_ids = fields.Many2many(
        "res.partner.category",
        string="Tags",
        help="Only customers with at least one of these tags. For news on interests: "
        "the interests to write about (empty: any tag).",
    )
    programme_ids = fields.Many2many(
        "relationship.programme",
        string="Programmes",
        check_company=True,
        help="Only active members of one of these loyalty programmes. For 'Joining a "
        "membership programme': the programmes whose joining triggers the rule.",
    )
    occurrence_ids = fields.One2many(
        "relationship.followup.occurrence", "rule_id", string="Follow-ups"
    )
    occurrence_count = fields.Integer(
        string="Follow-ups Created", compute="_compute_occurrence_count"
    )

    _sql_constraints = [
        (
            "days_positive",
            "CHECK(lead_days >= 0 AND skip_after_days >= 0 AND interval_days >= 0 "
            "AND cadence_basic_days >= 0 AND cadence_reactive_days >= 0 "
            "AND cadence_accountable_days >= 0 AND cadence_proactive_days >= 0 "
            "AND cadence_partnership_days >= 0 AND inactivity_days >= 0)",
            "Numbers of days cannot be negative (only the due delay of a date can).",
        ),
    ]

    @api.depends("trigger")
    def _compute_is_date_trigger(self):
        for rule in self:
            rule.is_date_trigger = rule.trigger in DATE_TRIGGER_KEYS

    def _compute_occurrence_count(self):
        counts = dict(
            self.env["relationship.followup.occurrence"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.occurrence_count = counts.get(rule, 0)

    @api.constrains(
        "trigger",
        "delay_days",
        "assign_to",
        "user_id",
        "interval_days",
        *(f"cadence_{level}_days" for level in LEVELS),
    )
    def _check_settings(self):
        for rule in self:
            if rule.trigger in EVENT_TRIGGER_KEYS and rule.delay_days < 0:
                raise ValidationError(
                    _(
                        "Rule %(rule)s: an event cannot be followed up before it happens.",
                        rule=rule.name,
                    )
                )
            if rule.assign_to == "fixed_user" and not rule.user_id:
                raise ValidationError(_("Rule %(rule)s: choose the fixed user.", rule=rule.name))
            if rule.trigger == "cadence" and not any(rule._cadence_days(level) for level in LEVELS):
                raise ValidationError(
                    _(
                        "Rule %(rule)s: give the number of days between check-ins for at "
                        "least one level.",
                        rule=rule.name,
                    )
                )
            if rule.trigger == "interest" and not rule.interval_days:
                raise ValidationError(
                    _("Rule %(rule)s: give the number of days between two notes.", rule=rule.name)
                )

    def _cadence_days(self, level):
        return self[f"cadence_{level or 'basic'}_days"]

    def action_view_occurrences(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "relationship_marketing_followup.relationship_followup_occurrence_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Shipped defaults
    # ------------------------------------------------------------------

    @api.model
    def _default_rule_values(self, company):
        """The shipped playbook of a company, from the follow-up practices it rests on."""
        stages = self.env["relationship.stage"].search([("company_id", "=", company.id)])
        member = stages.filtered("require_membership")[:1]
        advocate = stages.filtered(lambda stage: stage.min_referral_count > 0)[:1]

        def activity_type(xmlid):
            return (
                self.env.ref(xmlid, raise_if_not_found=False)
                or self.env["mail.activity.type"].search([], limit=1)
            ).id

        call = activity_type("mail.mail_activity_data_call")
        email = activity_type("mail.mail_activity_data_email")
        meeting = activity_type("mail.mail_activity_data_meeting")
        todo = activity_type("mail.mail_activity_data_todo")
        option = self.env["relationship.followup.option"]
        level = {
            code: option.search([("kind", "=", "level"), ("code", "=", code)]) for code in LEVELS
        }
        phases = option.search([("kind", "=", "phase")])
        dissolution = phases.filtered(lambda phase: phase.code == "dissolution")
        # Check-ins and news are for relationships that are alive.
        alive = [Command.set((phases - dissolution).ids)]
        values = [
            {
                "code": "thank_you_call",
                "sequence": 10,
                "name": _("Thank-you call after a sale"),
                "trigger": "purchase",
                "delay_days": 1,
                "skip_after_days": 7,
                "activity_type_id": call,
                "summary": _("Thank {name} for the purchase"),
                "note": _(
                    "<p>Call {name} to thank them for their purchase of {last_purchase}.</p>"
                ),
                "description": _(
                    "The follow-up begins right after a sale, with a call to thank the customer."
                ),
            },
            {
                "code": "satisfaction_check",
                "sequence": 20,
                "name": _("Satisfaction check after a sale"),
                "trigger": "purchase",
                "delay_days": 14,
                "skip_after_days": 7,
                "activity_type_id": call,
                "summary": _("Check that {name} is satisfied"),
                "note": _(
                    "<p>Ask {name} whether the purchase of {last_purchase} meets their "
                    "expectations, and record what they say.</p>"
                ),
            },
            {
                "code": "birthday",
                "sequence": 30,
                "name": _("Birthday greeting"),
                "trigger": "birthday",
                "lead_days": 7,
                "skip_after_days": 7,
                "activity_type_id": todo,
                "summary": _("Birthday of {name} on {due_date}: send a card"),
                "note": _(
                    "<p>{name} turns {years} on {due_date}. Send a card or a small gift.</p>"
                ),
            },
            {
                "code": "anniversary",
                "sequence": 40,
                "name": _("Relationship anniversary"),
                "trigger": "anniversary",
                "lead_days": 7,
                "skip_after_days": 7,
                "activity_type_id": todo,
                "summary": _("{years} year(s) with {name} on {due_date}: send an anniversary card"),
                "note": _(
                    "<p>{name} first bought from us on {first_purchase}. Thank them for "
                    "{years} year(s) of business; a gift tied to their purchases shows "
                    "you know them.</p>"
                ),
            },
            {
                "code": "checkin_reactive",
                "phase_ids": alive,
                "sequence": 50,
                "name": _("Check-in: invitation to get in touch (reactive)"),
                "trigger": "cadence",
                "cadence_reactive_days": 180,
                "activity_type_id": email,
                "summary": _("Invite {name} to get in touch"),
                "note": _(
                    "<p>Write to {name}: questions, comments or complaints are welcome, "
                    "and here is how to reach you.</p>"
                ),
            },
            {
                "code": "checkin_accountable",
                "sequence": 60,
                "name": _("Check-in: call after each sale (accountable)"),
                "trigger": "purchase",
                "level_ids": [Command.set(level["accountable"].ids)],
                "delay_days": 3,
                "skip_after_days": 7,
                "activity_type_id": call,
                "summary": _("Call {name} for feedback on the purchase"),
                "note": _(
                    "<p>Ask {name} for feedback and suggestions on the purchase of "
                    "{last_purchase}.</p>"
                ),
            },
            {
                "code": "checkin_proactive",
                "phase_ids": alive,
                "sequence": 70,
                "name": _("Check-in: regular call (proactive)"),
                "trigger": "cadence",
                "cadence_proactive_days": 60,
                "activity_type_id": call,
                "summary": _("Check in with {name}"),
                "note": _("<p>Call {name} for feedback, questions and suggestions.</p>"),
            },
            {
                "code": "checkin_partnership",
                "phase_ids": alive,
                "sequence": 80,
                "name": _("Check-in: partnership meeting"),
                "trigger": "cadence",
                "cadence_partnership_days": 30,
                "activity_type_id": meeting,
                "assign_to": "key_account_manager",
                "summary": _("Partnership meeting with {name}"),
                "note": _(
                    "<p>Meet {name} at their premises: review the work done together "
                    "and plan what comes next.</p>"
                ),
            },
            {
                "code": "gone_quiet",
                "sequence": 90,
                "name": _("Warning: customer goes quiet"),
                "trigger": "inactivity",
                "activity_type_id": call,
                "summary": _("{name} has gone quiet: get in touch"),
                "note": _(
                    "<p>{name} has bought nothing since {last_purchase} ({days_quiet} days). "
                    "Find out why before the relationship ends.</p>"
                ),
            },
            {
                "code": "win_back",
                "sequence": 100,
                "name": _("Win-back after dissolution"),
                "trigger": "phase_change",
                "phase_ids": [Command.set(dissolution.ids)],
                "delay_days": 30,
                "skip_after_days": 30,
                "activity_type_id": call,
                "summary": _("Try to win {name} back"),
                "note": _(
                    "<p>The relationship with {name} ended. Ask what went wrong and "
                    "offer a way back.</p>"
                ),
            },
            {
                "code": "escalation_satisfaction",
                "sequence": 110,
                "name": _("Escalation: low satisfaction"),
                "trigger": "satisfaction_low",
                "score_threshold": 6.0,
                "skip_after_days": 30,
                "activity_type_id": call,
                "assign_to": "team_leader",
                "summary": _("Satisfaction of {name} dropped to {score}"),
                "note": _(
                    "<p>{name} gave a score of {score}. Call them, find what went wrong "
                    "and fix it.</p>"
                ),
            },
            {
                "code": "escalation_complaint",
                "sequence": 120,
                "name": _("Escalation: complaint"),
                "trigger": "complaint",
                "skip_after_days": 30,
                "activity_type_id": call,
                "assign_to": "team_leader",
                "summary": _("Complaint from {name}: make sure it is resolved"),
                "note": _(
                    "<p>Bring the complaint of {name} to someone who can resolve it, and "
                    "call them back.</p>"
                ),
            },
            {
                "code": "welcome_member",
                "sequence": 130,
                "name": _("Welcome a new member"),
                "trigger": "stage_change",
                "stage_ids": [Command.set(member.ids)],
                "delay_days": 1,
                "skip_after_days": 14,
                "activity_type_id": call,
                "summary": _("Welcome {name} as a member"),
                "note": _(
                    "<p>Welcome {name} to the membership programme and walk them "
                    "through its benefits.</p>"
                ),
            },
            {
                "code": "thank_advocate",
                "sequence": 140,
                "name": _("Thank a new advocate"),
                "trigger": "stage_change",
                "stage_ids": [Command.set(advocate.ids)],
                "delay_days": 2,
                "skip_after_days": 14,
                "activity_type_id": todo,
                "summary": _("Thank {name} for recommending us"),
                "note": _(
                    "<p>{name} recommends us to others. Thank them, with a gift that ties in "
                    "with their business or their last purchase ({last_purchase}).</p>"
                ),
            },
            {
                "code": "interest_news",
                "phase_ids": alive,
                "sequence": 150,
                "name": _("News for the customer's interests"),
                "trigger": "interest",
                "interval_days": 90,
                "activity_type_id": todo,
                "summary": _("Send {name} an article or news about {tags}"),
                "note": _(
                    "<p>When you read an article or see news about {tags} that {name} would "
                    "like, send a note or make a quick call.</p>"
                ),
            },
        ]
        fallback = self._default_fallback_user(company)
        return [dict(vals, company_id=company.id, fallback_user_id=fallback.id) for vals in values]

    @api.model
    def _default_fallback_user(self, company):
        """Who gets the shipped rules' activities that nobody else can take: the user
        setting the company up, else the administrator, if they work in it."""
        for user in (self.env.user, self.env.ref("base.user_admin", raise_if_not_found=False)):
            if user and not user._is_superuser() and not user.share and company in user.company_ids:
                return user
        return self.env["res.users"]

    @api.model
    def _create_default_rules_all(self):
        """Give every company that has no rule yet the shipped playbook (at install)."""
        return self._create_default_rules(self.env["res.company"].search([]))

    @api.model
    def _create_default_rules(self, companies):
        """Create the shipped rules for the companies that have no rule yet."""
        with_rules = {
            company
            for [company] in self.with_context(active_test=False)._read_group(
                [("company_id", "in", companies.ids)], ["company_id"]
            )
        }
        return self.create(
            [
                values
                for company in companies
                if company not in with_rules
                for values in self.with_context(
                    lang=company.partner_id.lang or self.env.lang
                )._default_rule_values(company)
            ]
        )

    # ------------------------------------------------------------------
    # Matching a customer
    # ------------------------------------------------------------------

    def _followup_matches(self, partner, facts, event_trigger=None):
        """Whether ``partner`` passes this rule's filters.

        The stage filter of 'Reaching a development stage', the phase filter of
        'Entering a relationship phase' and the programme filter of 'Joining a
        membership programme' are about the event, not the customer: they are
        left to the event.
        """
        self.ensure_one()
        if self.stage_ids and event_trigger != "stage_change":
            if partner.relationship_stage_id not in self.stage_ids:
                return False
        if self.level_ids and facts["level"] not in self.level_ids.mapped("code"):
            return False
        if self.phase_ids and event_trigger != "phase_change":
            if facts["phase"] not in self.phase_ids.mapped("code"):
                return False
        if self.category_ids and not (partner.category_id & self.category_ids):
            return False
        if self.programme_ids and event_trigger != "membership":
            if not facts["programmes"] & set(self.programme_ids.ids):
                return False
        return True

    def _followup_assignee(self, partner, company):
        """The user who gets this rule's activity for ``partner``, or an empty recordset."""
        self.ensure_one()
        Users = self.env["res.users"]
        salesperson = partner.user_id or partner.commercial_partner_id.user_id
        if self.assign_to == "fixed_user":
            chain = [self.user_id]
        elif self.assign_to == "key_account_manager":
            chain = [partner.relationship_key_account_manager_id, salesperson]
        elif self.assign_to == "team_leader":
            chain = [self._followup_team_leader(partner, salesperson)]
        else:
            chain = [salesperson]
        chain.append(self.fallback_user_id)
        if self.assign_to == "team_leader":
            # Someone must hear of a complaint: the salesperson, at least.
            chain.append(salesperson)
        for user in chain:
            if user and user.active and not user.share and company in user.company_ids:
                return user
        return Users

    @api.model
    def _followup_team_leader(self, partner, salesperson):
        """The leader of the customer's sales team, else of the salesperson's.

        Sales teams come with the Sales Teams app (``sales_team``), which this
        addon does not require: without it, there is no team leader.
        """
        if (
            "team_id" in partner._fields
            and partner.team_id
            and "user_id" in partner.team_id._fields
        ):
            if partner.team_id.user_id:
                return partner.team_id.user_id
        if "sale_team_id" in salesperson._fields:
            return salesperson.sale_team_id.user_id
        return self.env["res.users"]

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
        return bool(self.skip_after_days) and date_due < today - timedelta(
            days=self.skip_after_days
        )

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
        return domain

    def _followup_due_sql(self, today):
        """The conditions on ``res_partner`` (aliased ``p``) that make this date rule
        due today, and the key of the occurrence it would make, as SQL.

        The same arithmetic as :meth:`_followup_date_candidate` with the cron's
        'due only' filter (:meth:`_followup_date_candidates`): created on or
        before today, and not too late.

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
        rules_of = defaultdict(list)
        for rule in self:
            rules_of[rule.company_id].append(rule)
        candidates = []
        for partner in partners:
            partner_facts = facts[partner.id]
            for rule in rules_of.get(partner_facts["company"], ()):
                if pairs is not None and (rule.id, partner.id) not in pairs:
                    continue
                if not rule._followup_matches(partner, partner_facts):
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

    # ------------------------------------------------------------------
    # Events
    # ------------------------------------------------------------------

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
        :return: the occurrences created

        The context key ``relationship_followup_skip`` turns the events off, e.g.
        for loading the history of a new source.
        """
        Occurrence = self.env["relationship.followup.occurrence"]
        if not events or self.env.context.get("relationship_followup_skip"):
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
        candidates = []
        for event, rule_id, key, due in hits:
            rule, partner = (
                rules.browse(rule_id),
                partners.browse(event["partner"].id).with_prefetch(partners._prefetch_ids),
            )
            if rule._followup_matches(partner, facts[partner.id], event_trigger=trigger):
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
        """Whether the rule's 'skip when late' drops an event of ``day``."""
        return bool(spec.skip) and day + timedelta(days=spec.delay) < today - timedelta(
            days=spec.skip
        )

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
        if not self.env.context.get("relationship_ingest"):
            return vals_list, False, True
        if self.env.context.get("relationship_followup_skip"):
            return vals_list, False, False
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
    def _followup_wake_after_batch(self, cron):
        """Wake ``cron`` once when the ingestion batch ends, however many
        of its creates deferred follow-ups (see relationship.purchase._ingest)."""
        self.env.cr.precommit.data[WAKE_AFTER_BATCH] = cron.id

    @api.model
    def _followup_drain(self, model_name, fire, limit):
        """Make the follow-ups of up to ``limit`` records of ``model_name`` that
        ingestion batches left pending, oldest first, and clear their flags.

        The follow-ups of the records and the clearing of their flags are one
        transaction, and the occurrence log creates nothing twice, so a crash
        or a second run never doubles an activity.

        :param fire: the name of the records' method making their follow-ups
        :return: the records done
        """
        # Every company's records, whatever the cron's user may read: the
        # follow-ups are each company's automation.
        pending = self.env[model_name].sudo().search(PENDING, order="id", limit=limit)
        for company in pending.company_id:
            # As when fired inline from the company's batch; labels in the
            # company's language.
            of_company = pending.filtered(lambda record, c=company: record.company_id == c)
            getattr(
                of_company.with_company(company).with_context(
                    lang=company.partner_id.lang or self.env.lang
                ),
                fire,
            )()
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

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()  # _followup_event_specs
        return rules

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()  # _followup_event_specs
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _followup_event_specs
        return result

    # ------------------------------------------------------------------
    # Filling the activity
    # ------------------------------------------------------------------

    def _followup_placeholder_values(self, partner, facts, date_due, extra, names=None, memo=None):
        """The values of the placeholders for one occurrence.

        :param names: compute only these placeholders (those the templates use,
            see :meth:`_followup_placeholder_names`); all by default
        :param memo: a dict shared by the occurrences of a batch, so that each
            date, amount and label is formatted once per language
        """
        self.ensure_one()
        env = self.env
        memo = {} if memo is None else memo

        def memoized(key, compute):
            key = (env.lang, *key)
            if key not in memo:
                memo[key] = compute()
            return memo[key]

        def date_text(value):
            return memoized(("date", value), lambda: format_date(env, value)) if value else ""

        def label(fname, code):
            return memoized(
                ("label", fname, code),
                lambda: env["res.partner"]._relationship_followup_label(fname, code),
            )

        def name():
            return partner.name or partner.display_name or ""

        def days_quiet():
            last = partner.relationship_last_purchase
            if not last:
                return ""
            today = memoized(("today",), lambda: fields.Date.context_today(self))
            return (today - last).days

        def revenue():
            currency = self.company_id.currency_id
            amount = partner.relationship_revenue
            return memoized(
                ("money", currency.id, amount),
                lambda: formatLang(env, amount, currency_obj=currency),
            )

        # Partners come prefetched together: each field read below is one
        # query for the whole batch, not one per customer.
        getters = {
            "name": name,
            "first_name": lambda: name() if partner.is_company else (name().split() or [""])[0],
            "company": lambda: self.company_id.name,
            "stage": lambda: partner.relationship_stage_id.name or "",
            "level": lambda: label("relationship_level", facts["level"]),
            "phase": lambda: label("relationship_phase", facts["phase"]),
            "first_purchase": lambda: date_text(partner.relationship_first_purchase),
            "last_purchase": lambda: date_text(partner.relationship_last_purchase),
            "days_quiet": days_quiet,
            "orders": lambda: partner.relationship_order_count,
            "revenue": revenue,
            "birthday": lambda: date_text(partner.relationship_birthday),
            "tags": lambda: ", ".join(partner.category_id.mapped("name")),
            "salesperson": lambda: (
                (partner.user_id or partner.commercial_partner_id.user_id).name or ""
            ),
            "key_account_manager": lambda: partner.relationship_key_account_manager_id.name or "",
            "due_date": lambda: date_text(date_due),
            "years": lambda: "",
            "score": lambda: "",
            "programme": lambda: "",
            "complaint": lambda: "",
        }
        if names is not None:
            getters = {key: getter for key, getter in getters.items() if key in names}
        values = {key: getter() for key, getter in getters.items()}
        values.update(extra)
        return values

    def _followup_placeholder_names(self):
        """The placeholders that the summary and note use (in the context's language)."""
        self.ensure_one()
        return placeholders_in(self.summary or self.name) | placeholders_in(self.note)

    def _followup_texts(self, values):
        """Summary and note of an activity, placeholders filled.

        ``self`` is in the language of the assignee.
        """
        self.ensure_one()
        summary = render(self.summary or self.name, values)
        return summary[:256], render(self.note, values, html=True)

    # ------------------------------------------------------------------
    # By hand, and the daily run
    # ------------------------------------------------------------------

    def _followup_schedule_by_hand(self, partner, key=None, date_due=None, origin=None):
        """Create this rule's follow-up for ``partner`` now, at a user's request.

        :param key: the occurrence to bring forward (from the preview), so that
            the daily run does not make it again; by default a manual occurrence
            of today (scheduling twice the same day makes one activity)
        :return: the occurrence created, or an empty recordset when it existed
        """
        self.ensure_one()
        partner.check_access("write")
        today = fields.Date.context_today(self)
        candidate = Candidate(
            rule=self.sudo(),  # the log is written by the automation, see _followup_create
            partner=partner.sudo(),
            key=key or f"manual:{today.isoformat()}",
            date_due=date_due or today + timedelta(days=max(self.delay_days, 0)),
            date_create=today,
            origin=_("Scheduled by hand by %(user)s", user=self.env.user.name)
            + (f" ({origin})" if origin else ""),
            manual=True,
        )
        return self.env["relationship.followup.occurrence"]._followup_create([candidate])

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

    def _followup_schedule_by_hand_or_fail(self, partner, **kwargs):
        """:meth:`_followup_schedule_by_hand`, telling the user why nothing was created."""
        self.ensure_one()
        # Who would get it is the automation's answer, read with its rights.
        if not self.sudo()._followup_assignee(partner.sudo(), self.company_id):
            raise UserError(
                _(
                    "Nobody can get this follow-up: the customer has no salesperson (or key "
                    "account manager, or team leader) and the rule %(rule)s no fallback user.",
                    rule=self.name,
                )
            )
        occurrence = self._followup_schedule_by_hand(partner, **kwargs)
        if not occurrence:
            raise UserError(_("This follow-up is already scheduled for this customer."))
        return occurrence

    @api.model
    def _followup_partner_company(self, partner):
        """The company whose playbook follows the customer up: that of its ladder."""
        # The user may not read the stage of a customer shared with another company.
        return partner.sudo()._relationship_followup_facts()[partner.id]["company"]
