# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
from itertools import count

from odoo import Command
from odoo.tests import freeze_time, new_test_user

from odoo.addons.relationship_marketing.tests.common import RelationshipCase

from ..models.relationship_followup_rule_event import INGEST_CRON

TODAY = date(2026, 3, 10)
ORDER_NUMBERS = count(1)


class FollowupCase(RelationshipCase):
    """The core's company and ladder, its shipped playbook, a salesperson and a
    team leader; time frozen on 2026-03-10."""

    freeze_time = "2026-03-10 09:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["relationship.followup.rule"]
        cls.Occurrence = cls.env["relationship.followup.occurrence"]
        cls.Activity = cls.env["mail.activity"]
        cls.rules = cls.Rule.search([("company_id", "=", cls.company.id)])
        cls.rule = {rule.code: rule for rule in cls.rules}
        cls.salesperson = cls._user("rm_sales", "Sam Seller")
        cls.leader = cls._user("rm_leader", "Lena Leader")
        # No default fallback: the company was created by the superuser.
        cls.rules.fallback_user_id = False

    @classmethod
    def _user(cls, login, name, company=None, groups="base.group_user"):
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=login,
            name=name,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def customer(cls, name, **values):
        """A customer of the salesperson, at the Accountable level (the first whose
        salesperson calls after a sale) unless ``relationship_level`` says
        otherwise (``False``: no level)."""
        values = {
            "name": name,
            "company_id": cls.company.id,
            "user_id": cls.salesperson.id,
            "relationship_level": "accountable",
        } | values
        if values.get("relationship_level"):
            # A level chosen for the customer, not its segment's default.
            values["relationship_level_set_by_hand"] = True
        partner = cls.env["res.partner"].create(values)
        if not partner.relationship_stage_id:
            partner._relationship_advance_stages()
        return partner

    def buy(self, partner, *days, amount=50.0):
        """Purchases of ``partner`` on ``TODAY`` minus each of ``days``."""
        return self.env["relationship.purchase"].create(
            [
                {
                    "source": "pos",
                    "external_id": f"{partner.id}-{next(ORDER_NUMBERS)}",
                    "partner_id": partner.id,
                    "date_order": f"{date.fromordinal(TODAY.toordinal() - day)} 08:00:00",
                    "amount": amount,
                    "company_id": partner.company_id.id or self.company.id,
                }
                for day in days
            ]
        )

    def only(self, *codes):
        """Keep only these shipped rules active (the others would add activities)."""
        self.rules.filtered(lambda rule: rule.code not in codes).active = False
        self.rules.filtered(lambda rule: rule.code in codes).active = True

    def followups(self, partner=None, rule=None):
        domain = [("company_id", "=", self.company.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        if rule:
            domain.append(("rule_id", "=", rule.id))
        return self.Occurrence.search(domain, order="id")

    def activities(self, partner):
        return self.Activity.search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)], order="id"
        )

    @classmethod
    def drain(cls):
        """Run the cron that makes the follow-ups of ingested purchases and of
        the moves they caused, as a user would from its form (a running Odoo
        does it at the batch's commit)."""
        cls.env.ref(INGEST_CRON).method_direct_trigger()

    def run_cron(self, batch_size=2000):
        while self.Rule._cron_relationship_followup(batch_size=batch_size):
            pass

    def freeze(self, when):
        """Move the frozen time (the class freezes 2026-03-10)."""
        return freeze_time(when)
