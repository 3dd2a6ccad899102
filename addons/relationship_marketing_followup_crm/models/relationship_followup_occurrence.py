# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class RelationshipFollowupOccurrence(models.Model):
    _inherit = "relationship.followup.occurrence"

    def _followup_create_assigned(self, todo):
        created = super()._followup_create_assigned(todo)
        created.filtered("rule_id.create_opportunity")._followup_create_opportunities()
        return created

    def _followup_create_opportunities(self):
        """Open an opportunity for the key customers of these follow-ups, in one create.

        The hook of the rules' action 'create an opportunity': assigned to the
        customer's salesperson (or whoever the follow-up went to) and sales
        team, with why the customer is a key customer. A customer with an open
        opportunity, or who is no key customer, gets none.

        :return: the opportunities created
        """
        partners = self.partner_id
        reasons = partners._relationship_opportunity_reasons()
        busy = partners._relationship_open_opportunity_partners()
        todo = {}
        for occurrence in self:
            partner = occurrence.partner_id
            if reasons[partner.id] and partner not in busy:
                todo.setdefault(partner, occurrence)  # one per customer
        return (
            self.env["crm.lead"]
            .sudo()  # the automation writes, as it writes the follow-ups (see _followup_create)
            .create(
                [
                    {
                        "type": "opportunity",
                        "name": self.env._(
                            "%(rule)s: %(customer)s",
                            rule=occurrence.rule_id.name,
                            customer=partner.display_name,
                        ),
                        "partner_id": partner.id,
                        "user_id": (partner.user_id or occurrence.user_id).id,
                        "team_id": partner._relationship_sales_team().id,
                        "company_id": occurrence.company_id.id,
                        "date_deadline": occurrence.date_due,
                        "description": self.env._(
                            "Key customer: %(reasons)s.", reasons=", ".join(reasons[partner.id])
                        ),
                        "relationship_followup_occurrence_id": occurrence.id,
                    }
                    for partner, occurrence in todo.items()
                ]
            )
        )
