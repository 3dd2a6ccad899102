# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How much a rule would create in the next days, per person: what a consultant
looks at before switching a rule on."""

from collections import Counter
from datetime import timedelta

from odoo import fields, models

from .relationship_followup_rule import DATE_TRIGGER_KEYS

VOLUME_DAYS = 30


# One concern of the rule per file, as Odoo's mail splits mail.thread.
class RelationshipFollowupRule(models.Model):
    _inherit = "relationship.followup.rule"  # pylint: disable=consider-merging-classes-inherited

    volume_summary = fields.Text(
        string="Next 30 Days",
        compute="_compute_volume_summary",
        help="How many follow-ups the rule would create in the next 30 days, per "
        "person: for dates, the customers whose day comes; for purchases, as many "
        "as the sales of the last 30 days would have made. Archived rules count "
        "as if switched on.",
    )

    def _compute_volume_summary(self):
        for rule in self:
            volume = rule._followup_volume()
            if not volume:
                rule.volume_summary = rule.env._("Nothing.")
                continue
            lines = [
                rule.env._("%(count)s for %(user)s", count=count, user=user.name)
                if user
                else rule.env._(
                    "%(count)s for nobody: not created (no salesperson, segment "
                    "default or fallback user)",
                    count=count,
                )
                for user, count in sorted(
                    volume.items(), key=lambda item: (not item[0], -item[1], item[0].name or "")
                )
            ]
            rule.volume_summary = "\n".join(lines)

    def _followup_volume(self, days=VOLUME_DAYS):
        """``{user: count}`` of the follow-ups this rule would create in the next
        ``days`` days (an empty user: nobody to assign, so not created; an email
        rule counts its emails under its sender-less empty user too).

        Set-based: the customers are selected in the database, their facts read
        once; for purchases, the sales of the last ``days`` days stand for the next.
        """
        self.ensure_one()
        # The forecast reads the playbook and every customer as the automation does.
        rule = self.sudo().with_context(active_test=False)
        today = fields.Date.context_today(self)
        Partner = self.env["res.partner"].sudo()
        if rule.trigger in DATE_TRIGGER_KEYS:
            partners = Partner.search(
                [("relationship_stage_id", "!=", False), *rule._followup_partner_domain()]
            )
            horizon = today + timedelta(days=days)
            candidates = [
                candidate
                for candidate in rule._followup_date_candidates(partners, today, due_only=False)
                if candidate.date_create <= horizon
                and not rule._followup_skipped(
                    candidate.date_due, max(candidate.date_create, today)
                )
            ]
            pairs = [candidate.partner for candidate in candidates]
        elif rule.trigger == "purchase":
            since = fields.Datetime.to_datetime(today - timedelta(days=days))
            groups = (
                self.env["relationship.purchase"]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", rule.company_id.id),
                        ("date_order", ">=", since),
                        ("partner_id", "!=", False),
                    ],
                    ["partner_id"],
                    ["__count"],
                )
            )
            partners = Partner.browse(partner.id for partner, _count in groups)
            facts = partners._relationship_followup_facts(programmes=bool(rule.programme_ids))
            conditions = self._followup_condition_matches(rule, partners)
            # One follow-up per customer and day of purchase at most: the count of
            # purchases is an upper bound, close enough for a forecast.
            pairs = [
                partner
                for partner, count in groups
                for _index in range(count)
                if rule._followup_matches(
                    partner.with_prefetch(partners._prefetch_ids),
                    facts[partner.id],
                    event_trigger="purchase",
                    conditions=conditions,
                )
            ]
        else:
            # Other events cannot be foreseen: what the rule made in the last days.
            since = today - timedelta(days=days)
            occurrences = (
                self.env["relationship.followup.occurrence"]
                .sudo()
                .search([("rule_id", "=", rule.id), ("date_due", ">=", since)])
            )
            return Counter(occurrence.user_id for occurrence in occurrences)
        assignees = {}
        volume = Counter()
        for partner in pairs:
            if partner.id not in assignees:
                assignees[partner.id] = rule._followup_assignee(partner, rule.company_id)
            volume[assignees[partner.id]] += 1
        return volume
