# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# The shipped rule: see _default_rule_values.
KEY_CUSTOMER_OPPORTUNITY = "key_customer_opportunity"


def _opportunity_rules_become_activities(rules):
    """The bridge is uninstalled: its rules cannot open opportunities any more.

    They fall back to a to-do activity, archived, so that nothing acts unseen
    before a consultant has looked at them.
    """
    todo = rules.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    if todo:
        rules.filtered(lambda rule: not rule.activity_type_id).activity_type_id = todo
    rules.write({"action": "activity", "active": False})


class RelationshipFollowupRule(models.Model):
    _inherit = "relationship.followup.rule"

    action = fields.Selection(
        selection_add=[("opportunity", "Create an Opportunity")],
        ondelete={"opportunity": _opportunity_rules_become_activities},
    )
    opportunity_key_customers_only = fields.Boolean(
        string="Key Customers Only",
        default=True,
        help="Open opportunities only for key customers: top customers, relationships "
        "below their recommended level, suggested advocates. Others get nothing from "
        "this rule. Untick it to open one for every customer the rule follows up.",
    )
    opportunity_team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        ondelete="set null",
        help="The sales team of the opportunities. Empty: the customer's sales team, "
        "else its salesperson's.",
    )
    opportunity_expected_revenue = fields.Float(
        string="Expected Revenue",
        help="The expected revenue of each opportunity, in the company's currency. 0: "
        "the customer's average order, as its purchases say.",
    )
    opportunity_tag_ids = fields.Many2many(
        "crm.tag",
        string="Opportunity Tags",
        help="Tags given to the opportunities, to find them in the pipeline.",
    )

    @api.model
    def _default_rule_values(self, company):
        values = super()._default_rule_values(company)
        values.append(self._relationship_opportunity_rule_values(company))
        return values

    @api.model
    def _relationship_opportunity_rule_values(self, company):
        """The shipped 'Opportunity for a key customer', archived: a consultant
        switches it on once the sales team works its pipeline in CRM."""
        return {
            "code": KEY_CUSTOMER_OPPORTUNITY,
            "company_id": company.id,
            "sequence": 200,
            "active": False,
            "name": self.env._("Opportunity for a key customer"),
            "description": self.env._(
                "Alerts the sales team to future sales within key customers: after a "
                "purchase by a top customer, a relationship below its recommended level "
                "or a suggested advocate, their salesperson gets an opportunity in CRM "
                "(none while one is open)."
            ),
            "trigger": "purchase",
            "delay_days": 7,
            "skip_after_days": 7,
            "action": "opportunity",
            # What the rule falls back to if the bridge goes (see above).
            "activity_type_id": self.env["ir.model.data"]._xmlid_to_res_id(
                "mail.mail_activity_data_call", raise_if_not_found=False
            ),
            "summary": self.env._("Next sale with {name}"),
            "note": self.env._(
                "<p>{name} bought on {last_purchase} ({orders} orders, {revenue} in "
                "all). What else could they need?</p>"
            ),
        }

    @api.model
    def _relationship_create_opportunity_rules(self, companies):
        """Give the companies that have a playbook already (at install) the shipped
        opportunity rule, unless they have it."""
        have = {
            company
            for [company] in self.with_context(active_test=False)._read_group(
                [("company_id", "in", companies.ids), ("code", "=", KEY_CUSTOMER_OPPORTUNITY)],
                ["company_id"],
            )
        }
        with_playbook = {
            company
            for [company] in self.with_context(active_test=False)._read_group(
                [("company_id", "in", companies.ids)], ["company_id"]
            )
        }
        return self.create(
            [
                self.with_context(
                    lang=company.partner_id.lang or self.env.lang
                )._relationship_opportunity_rule_values(company)
                for company in companies
                if company in with_playbook and company not in have
            ]
        )

    @api.model
    def _relationship_split_opportunity_rules(self, rules):
        """Migration from the box *Create an Opportunity* (18.0.1.0.0) of ``rules``:
        each keeps its action for every customer, and a copy of it opens the
        opportunities of key customers, active as the rule is. One create.

        :return: the copies
        """
        values = rules.copy_data({"action": "opportunity", "opportunity_key_customers_only": True})
        for rule, vals in zip(rules, values, strict=True):
            vals.update(
                name=self.env._("%(rule)s: opportunity", rule=rule.name),
                active=rule.active,
                sequence=rule.sequence + 1,
            )
        return self.create(values)

    def _relationship_opportunity_skips(self, partners):
        """Those of ``partners`` this opportunity rule opens nothing for, and why:
        ``{partner id: reason}`` (no key customer, an open opportunity)."""
        self.ensure_one()
        skips = {}
        if self.opportunity_key_customers_only:
            reasons = partners._relationship_opportunity_reasons()
            skips.update(
                (partner.id, self.env._("%s is no key customer.", partner.display_name))
                for partner in partners
                if not reasons[partner.id]
            )
        for partner in partners._relationship_open_opportunity_partners():
            skips.setdefault(
                partner.id,
                self.env._("%s has an open opportunity already.", partner.display_name),
            )
        return skips

    def _followup_schedule_by_hand_or_fail(self, partner, **kwargs):
        if self.action == "opportunity":
            # As the caller first (as the core's method does), then read by the
            # automation, as the follow-up is.
            self.check_access("read")
            partner.check_access("write")
            skip = self.sudo()._relationship_opportunity_skips(partner.sudo()).get(partner.id)
            if skip:
                raise UserError(skip)
        return super()._followup_schedule_by_hand_or_fail(partner, **kwargs)
