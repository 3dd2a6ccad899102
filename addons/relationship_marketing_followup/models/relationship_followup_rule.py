# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The follow-up rule: its fields, checks and actions, whom it assigns and what
the activity says. Its two engines extend it in their own files: the date
engine (relationship_followup_rule_date.py: birthdays, anniversaries,
check-ins, inactivity, the daily run) and the event engine
(relationship_followup_rule_event.py: purchases, moves, scores, complaints,
memberships, and what ingestion leaves to the cron); what the activity says is
in relationship_followup_rule_text.py. The shipped playbook is
data: data/relationship_followup_playbook.py."""

from ast import literal_eval
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..data.relationship_followup_playbook import (
    ADVOCATE_STAGE,
    ALIVE,
    MEMBER_STAGE,
    PLAYBOOK,
)
from ..tools.candidate import Candidate

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
# The keys of a playbook entry that are texts, and those that name records.
PLAYBOOK_TEXTS = ("name", "description", "summary", "note")
PLAYBOOK_REFERENCES = ("activity_type", "levels", "phases", "stages", "mail_template")
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
        "days (a sale imported from last year needs no thank-you call). 0: for dates, "
        "never skip; for events, 30 days (a history loaded at its true dates makes "
        "no stale activities).",
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
    condition_domain = fields.Char(
        string="Condition",
        default="[]",
        help="Only customers matching this domain on contacts, besides the filters "
        "below (both must hold), as in Automation Rules.",
    )
    action = fields.Selection(
        [
            ("activity", "Schedule an Activity"),
            ("email", "Send an Email"),
            ("plan", "Launch an Activity Plan"),
        ],
        required=True,
        default="activity",
        help="What the rule does for each customer: an activity for the assignee, an "
        "email from a template sent to the customer (logged in its chatter), or the "
        "activities of an activity plan.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        ondelete="restrict",
        domain="[('model', '=', 'res.partner')]",
        help="The email sent to the customer, rendered for each one.",
    )
    activity_plan_id = fields.Many2one(
        "mail.activity.plan",
        ondelete="restrict",
        domain="[('res_model', '=', 'res.partner')]",
        help="The plan whose activities are scheduled, as 'Schedule activity plan' does; "
        "its 'to be chosen' activities go to the rule's assignee.",
    )
    ask_score = fields.Boolean(
        string="Done Asks for the Score",
        help="Marking the activity done asks for the customer's satisfaction score, "
        "which is recorded on the customer (and sets off the escalation when low).",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
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
        "action",
        "activity_type_id",
        "mail_template_id",
        "activity_plan_id",
        "condition_domain",
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
            if rule.action == "activity" and not rule.activity_type_id:
                raise ValidationError(
                    _("Rule %(rule)s: choose the type of activity.", rule=rule.name)
                )
            if rule.action == "email" and not rule.mail_template_id:
                raise ValidationError(
                    _("Rule %(rule)s: choose the email template.", rule=rule.name)
                )
            if rule.action == "plan" and not rule.activity_plan_id:
                raise ValidationError(_("Rule %(rule)s: choose the activity plan.", rule=rule.name))
            rule._followup_check_condition()
            if rule.trigger == "interest" and not rule.interval_days:
                raise ValidationError(
                    _("Rule %(rule)s: give the number of days between two notes.", rule=rule.name)
                )

    def _followup_condition(self):
        """The rule's condition as a domain list ([] when none)."""
        self.ensure_one()
        return literal_eval(self.condition_domain or "[]")

    def _followup_check_condition(self):
        self.ensure_one()
        try:
            # Parsing and running it once tells a typo from a real condition.
            self.env["res.partner"].search_count(self._followup_condition(), limit=1)
        except (ValueError, SyntaxError, TypeError, KeyError) as error:
            raise ValidationError(
                _(
                    "Rule %(rule)s: the condition is not a valid domain on contacts: %(error)s",
                    rule=self.name,
                    error=error,
                )
            ) from error

    @api.model
    def _followup_condition_matches(self, rules, partners):
        """Which of ``partners`` pass each rule's condition: ``{rule id: set of
        partner ids}`` for the rules that have one, one query per such rule."""
        Partner = self.env["res.partner"].sudo()  # the automation reads every customer
        matches = {}
        for rule in rules:
            domain = rule._followup_condition()
            if domain and partners:
                matches[rule.id] = set(
                    Partner.with_context(active_test=False)
                    .search([("id", "in", partners.ids), *domain])
                    .ids
                )
        return matches

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
    # The shipped playbook (data/relationship_followup_playbook.py)
    # ------------------------------------------------------------------

    @api.model
    def _default_rule_values(self, company):
        """The shipped playbook of a company: the entries of ``PLAYBOOK`` with
        their references resolved in the company (its ladder) and their texts
        in the environment's language."""
        stages = self.env["relationship.stage"].search([("company_id", "=", company.id)])
        stage_of = {
            MEMBER_STAGE: stages.filtered("require_membership")[:1],
            ADVOCATE_STAGE: stages.filtered(lambda stage: stage.min_referral_count > 0)[:1],
        }
        options = self.env["relationship.followup.option"].search([])
        levels = options.filtered(lambda option: option.kind == "level")
        phases = options.filtered(lambda option: option.kind == "phase")
        alive = phases.filtered(lambda phase: phase.code != "dissolution")
        any_type = self.env["mail.activity.type"].search([], limit=1)
        values = []
        for entry in PLAYBOOK:
            vals = {
                key: self.env._(value) if key in PLAYBOOK_TEXTS else value
                for key, value in entry.items()
                if key not in PLAYBOOK_REFERENCES
            }
            activity_type = self.env.ref(entry["activity_type"], raise_if_not_found=False)
            vals["activity_type_id"] = (activity_type or any_type).id
            if "levels" in entry:
                chosen = levels.filtered(lambda option, e=entry: option.code in e["levels"])
                vals["level_ids"] = [Command.set(chosen.ids)]
            if "phases" in entry:
                chosen = (
                    alive
                    if entry["phases"] == ALIVE
                    else phases.filtered(lambda option, e=entry: option.code in e["phases"])
                )
                vals["phase_ids"] = [Command.set(chosen.ids)]
            if "stages" in entry:
                vals["stage_ids"] = [Command.set(stage_of[entry["stages"]].ids)]
            if "mail_template" in entry:
                template = self.env.ref(entry["mail_template"], raise_if_not_found=False)
                vals["mail_template_id"] = template.id
                if not template:
                    # The template was deleted: an email rule cannot do without it.
                    vals.update(action="activity", active=False)
            values.append(dict(vals, company_id=company.id))
        return values

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

    def _followup_matches(self, partner, facts, event_trigger=None, conditions=None):
        """Whether ``partner`` passes this rule's filters.

        The stage filter of 'Reaching a development stage', the phase filter of
        'Entering a relationship phase' and the programme filter of 'Joining a
        membership programme' are about the event, not the customer: they are
        left to the event.

        :param conditions: from :meth:`_followup_condition_matches` for a batch of
            customers; without it, the condition is checked for ``partner`` alone
        """
        self.ensure_one()
        if self.condition_domain and self.condition_domain != "[]":
            if conditions is None:
                conditions = self._followup_condition_matches(self, partner)
            if self.id in conditions and partner.id not in conditions[self.id]:
                return False
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
        """The user who gets this rule's activity for ``partner``, or an empty recordset.

        The first who can work in the company of: the rule's own choice (its fixed
        user, the key account manager, the team leader), the customer's
        salesperson, its segment's default salesperson, the rule's fallback user,
        the company's fallback user (Settings). Nobody else: the shipped rules
        never fall back on the administrator unless someone chose so.
        """
        self.ensure_one()
        Users = self.env["res.users"]
        salesperson = partner.user_id or partner.commercial_partner_id.user_id
        segment_user = partner.relationship_segment_id.relationship_followup_user_id
        fallbacks = [self.fallback_user_id, company.relationship_followup_user_id]
        if self.assign_to == "team_leader":
            # Someone must hear of a complaint: the salesperson, at least.
            chain = [
                self._followup_team_leader(partner, salesperson),
                *fallbacks,
                salesperson,
                segment_user,
            ]
        else:
            chain = {
                "fixed_user": [self.user_id],
                "key_account_manager": [partner.relationship_key_account_manager_id],
            }.get(self.assign_to, [])
            chain += [salesperson, segment_user, *fallbacks]
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
    # By hand
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

    def _followup_schedule_by_hand_or_fail(self, partner, **kwargs):
        """:meth:`_followup_schedule_by_hand`, telling the user why nothing was created."""
        self.ensure_one()
        # As the caller first: what follows reads with the automation's rights.
        self.check_access("read")
        partner.check_access("write")
        # Who would get it is the automation's answer, read with its rights.
        if self.action != "email" and not self.sudo()._followup_assignee(
            partner.sudo(), self.company_id
        ):
            raise UserError(
                _(
                    "Nobody can get this follow-up: the customer has no salesperson (or key "
                    "account manager, or team leader), its segment no default salesperson, "
                    "and neither the rule %(rule)s nor the company's settings a fallback user.",
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
