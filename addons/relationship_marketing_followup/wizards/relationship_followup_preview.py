# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.relationship_followup_rule import DATE_TRIGGER_KEYS

LINE_STATES = [
    ("planned", "Planned"),
    ("on_event", "On Event"),
    ("open", "Scheduled"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class RelationshipFollowupPreview(models.TransientModel):
    """The follow-ups that the playbook has in store for one customer."""

    _name = "relationship.followup.preview"
    _description = "Follow-ups of a Customer"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    line_ids = fields.One2many(
        "relationship.followup.preview.line", "preview_id", string="Next Follow-ups", readonly=True
    )
    rule_id = fields.Many2one(
        "relationship.followup.rule",
        string="Rule to Schedule",
        domain="[('company_id', '=', company_id)]",
        help="Create this rule's activity for the customer now, whatever its trigger and filters.",
    )

    @api.model
    def _open_for(self, partner):
        preview = self.create({"partner_id": partner.id})
        preview._refresh_lines()
        return {
            "type": "ir.actions.act_window",
            "name": _("Follow-ups of %(customer)s", customer=partner.display_name),
            "res_model": self._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }

    def _refresh_lines(self):
        self.ensure_one()
        partner = self.partner_id
        # Whatever the way here (the partner's button, a preview created over
        # RPC): the caller reads this customer, or nothing is read for it below.
        partner.check_access("read")
        company = self.env["relationship.followup.rule"]._followup_partner_company(partner)
        if company not in self.env.user.company_ids:
            # A customer shared with a company whose playbook follows it up:
            # that company's rules and log are not the caller's to read.
            company = self.env["res.company"]
        self.write(
            {
                "company_id": company.id,
                "line_ids": [Command.clear()]
                + [Command.create(values) for values in self._line_values(partner, company)],
            }
        )

    @api.model
    def _line_values(self, partner, company):
        """One line per rule that has something coming for the customer, then the
        follow-ups already scheduled; the dated ones first, soonest first.

        :param company: the company whose playbook follows the customer up, one of
            the caller's (none: no line)
        """
        if not company:
            return []
        Rule = self.env["relationship.followup.rule"]
        today = fields.Date.context_today(self)
        # The preview shows what the automation will do, which reads the
        # playbook and the log with the automation's rights (see
        # relationship.followup.occurrence._followup_create).
        rules = Rule.sudo().search([("company_id", "=", company.id)])
        partner_sudo = partner.sudo()
        facts = partner_sudo._relationship_followup_facts()[partner.id]
        facts["company"] = company
        occurrences = {
            (occurrence.rule_id.id, occurrence.occurrence_key): occurrence
            for occurrence in self.env["relationship.followup.occurrence"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("company_id", "=", company.id)])
        }
        last_due = Rule._followup_last_due(rules, partner_sudo)
        trigger_labels = dict(Rule._fields["trigger"]._description_selection(self.env))
        lines, shown = [], set()
        for rule in rules:
            if not self._rule_applies(rule, partner_sudo, facts):
                continue
            user = rule._followup_assignee(partner_sudo, company)
            line = {
                "rule_id": rule.id,
                "user_id": user.id,
                "assignment": self._assignment(rule, user),
            }
            if rule.trigger in DATE_TRIGGER_KEYS:
                candidate = rule._followup_date_candidate(
                    partner_sudo, facts, today, last_due.get((rule.id, partner.id))
                )
                if candidate is None:
                    continue
                existing = occurrences.get((rule.id, candidate.key))
                shown.add(existing)
                values = rule._followup_placeholder_values(
                    partner_sudo, facts, candidate.date_due, candidate.values
                )
                line.update(
                    date_due=candidate.date_due,
                    date_create=candidate.date_create,
                    when=candidate.origin,
                    state=existing.state if existing else "planned",
                    occurrence_key=candidate.key,
                )
            else:
                values = rule._followup_placeholder_values(partner_sudo, facts, False, {})
                line.update(
                    when=_(
                        "%(trigger)s, due %(days)s day(s) later",
                        trigger=trigger_labels[rule.trigger],
                        days=rule.delay_days,
                    ),
                    state="on_event",
                )
            line["summary"] = rule._followup_texts(values)[0]
            lines.append(line)
        for occurrence in occurrences.values():
            if occurrence.state == "open" and occurrence not in shown:
                lines.append(
                    {
                        "rule_id": occurrence.rule_id.id,
                        "date_due": occurrence.date_due,
                        "user_id": occurrence.user_id.id,
                        "summary": occurrence.summary,
                        "when": occurrence.origin,
                        "state": "open",
                        "occurrence_key": occurrence.occurrence_key,
                    }
                )
        lines.sort(key=lambda line: (not line.get("date_due"), line.get("date_due") or today))
        return lines

    @api.model
    def _assignment(self, rule, user):
        """Who gets what, in words, and why nobody when nobody."""
        if rule.action == "email":
            return _("Email to the customer (%(template)s)", template=rule.mail_template_id.name)
        if user:
            if rule.action == "plan":
                return _(
                    "Plan %(plan)s, led by %(user)s",
                    plan=rule.activity_plan_id.name,
                    user=user.name,
                )
            return _("Activity for %(user)s", user=user.name)
        return _(
            "Not created: no salesperson, no default salesperson of the segment, and no "
            "fallback user on the rule or in Settings"
        )

    @api.model
    def _rule_applies(self, rule, partner, facts):
        """Whether the rule may still follow this customer up."""
        event_trigger = rule.trigger if rule.trigger not in DATE_TRIGGER_KEYS else None
        if not rule._followup_matches(partner, facts, event_trigger=event_trigger):
            return False
        if rule.trigger == "stage_change" and rule.stage_ids:
            # Nothing left to reach when the customer is on or past every stage of the rule.
            current = partner.relationship_stage_id
            return not current or current.sequence < max(rule.stage_ids.mapped("sequence"))
        return True

    def action_schedule(self):
        """Schedule the chosen rule by hand for the customer."""
        self.ensure_one()
        if not self.rule_id:
            raise UserError(_("Choose the rule to schedule."))
        self.rule_id._followup_schedule_by_hand_or_fail(self.partner_id)
        return self._reopen()

    def _reopen(self):
        self.rule_id = False
        self._refresh_lines()
        return {
            "type": "ir.actions.act_window",
            "name": _("Follow-ups of %(customer)s", customer=self.partner_id.display_name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class RelationshipFollowupPreviewLine(models.TransientModel):
    _name = "relationship.followup.preview.line"
    _description = "Next Follow-up of a Customer"
    _order = "id"

    preview_id = fields.Many2one(
        "relationship.followup.preview", required=True, ondelete="cascade", index=True
    )
    rule_id = fields.Many2one("relationship.followup.rule", readonly=True)
    trigger = fields.Selection(related="rule_id.trigger")
    when = fields.Char(readonly=True, help="The date or the event that will create it.")
    date_create = fields.Date(
        string="Created On", readonly=True, help="When the activity will be created."
    )
    date_due = fields.Date(string="Due Date", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        readonly=True,
        help="Who would get it today; empty when nobody qualifies (no salesperson and "
        "no fallback user).",
    )
    summary = fields.Char(readonly=True)
    assignment = fields.Char(string="Who Gets What", readonly=True)
    state = fields.Selection(LINE_STATES, readonly=True)
    occurrence_key = fields.Char(readonly=True)

    def action_schedule(self):
        """Create this follow-up now instead of waiting for its day or its event."""
        self.ensure_one()
        preview = self.preview_id
        if self.state in ("planned", "on_event"):
            dated = self.state == "planned"
            self.rule_id._followup_schedule_by_hand_or_fail(
                preview.partner_id,
                key=self.occurrence_key if dated else None,
                date_due=self.date_due if dated else None,
                origin=self.when,
            )
        return preview._reopen()
