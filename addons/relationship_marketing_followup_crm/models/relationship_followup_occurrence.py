# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import html2plaintext, plaintext2html


class RelationshipFollowupOccurrence(models.Model):
    _inherit = "relationship.followup.occurrence"

    def _followup_create_assigned(self, todo):
        """Leave out, before they are logged, the customers an opportunity rule
        opens nothing for (no key customer, an open opportunity already), and
        all but one follow-up per customer and rule: they come back once they
        qualify. One look at CRM per opportunity rule of the batch."""
        by_rule = {}
        for candidate, _user in todo:
            if candidate.rule.action == "opportunity":
                by_rule.setdefault(candidate.rule, self.env["res.partner"])
                by_rule[candidate.rule] |= candidate.partner
        if by_rule:
            skips = {rule: rule._relationship_opportunity_skips(by_rule[rule]) for rule in by_rule}
            kept, seen = [], set()
            for candidate, user in todo:
                rule = candidate.rule
                if rule in skips:
                    if candidate.partner.id in skips[rule] or (rule, candidate.partner) in seen:
                        continue
                    seen.add((rule, candidate.partner))
                kept.append((candidate, user))
            todo = kept
        return super()._followup_create_assigned(todo)

    @api.model
    def _followup_act(self, by_action, inserted):
        result = super()._followup_act(by_action, inserted)
        self._followup_create_opportunities(by_action["opportunity"], inserted)
        return result

    @api.model
    def _followup_create_opportunities(self, rows, inserted):
        """Open the opportunities of ``rows`` (candidate, user, summary, note), in
        one create: named by the rule's summary, for the follow-up's assignee
        (the customer's salesperson, as the rule assigns) and the rule's sales
        team (else the customer's), with the rule's note and why the customer
        is a key customer. A follow-up that opened its opportunity is done: the
        pipeline follows it from there.

        :return: the opportunities created
        """
        Lead = self.env["crm.lead"]
        if not rows:
            return Lead
        partners = self.env["res.partner"].browse({row[0].partner.id for row in rows})
        reasons = partners._relationship_opportunity_reasons()
        values = []
        for candidate, user, summary, note in rows:
            rule, partner = candidate.rule, candidate.partner
            why = reasons[partner.id]
            description = (
                plaintext2html(self.env._("Key customer: %(reasons)s.", reasons=", ".join(why)))
                if why
                else ""
            )
            if note and html2plaintext(note).strip():
                description = note + description
            values.append(
                {
                    "type": "opportunity",
                    # Without a summary of its own, the rule's name is no
                    # name for a customer's opportunity.
                    "name": rule.summary
                    and summary
                    or self.env._(
                        "%(rule)s: %(customer)s", rule=rule.name, customer=partner.display_name
                    ),
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "team_id": (rule.opportunity_team_id or partner._relationship_sales_team()).id,
                    "company_id": rule.company_id.id,
                    "date_deadline": candidate.date_due,
                    "expected_revenue": rule.opportunity_expected_revenue
                    or partner.relationship_average_order,
                    "tag_ids": [fields.Command.set(rule.opportunity_tag_ids.ids)],
                    "description": description or False,
                    "relationship_followup_occurrence_id": inserted[
                        (rule.id, partner.id, candidate.key)
                    ],
                }
            )
        # The automation writes, as it writes the follow-ups (see _followup_create).
        opportunities = Lead.sudo().create(values)
        opportunities.relationship_followup_occurrence_id.write(
            {"state": "done", "date_closed": fields.Date.context_today(self)}
        )
        return opportunities
