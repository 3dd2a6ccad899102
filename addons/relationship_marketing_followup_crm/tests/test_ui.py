# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin
from odoo.addons.relationship_marketing_followup.tests.common import INGEST_CRON

from ..models.relationship_followup_rule import KEY_CUSTOMER_OPPORTUNITY


@tagged("post_install", "-at_install")
class TestOpportunityTour(ScreenshotTourMixin, HttpCase):
    def test_a_key_customer_buys_and_the_salesperson_finds_the_opportunity(self):
        company = self.env.company
        salesperson = new_test_user(
            self.env,
            login="rm_tour_opportunity",
            name="Sam Seller",
            groups="base.group_user,sales_team.group_sale_salesman,"
            "relationship_marketing.group_relationship_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        rules = self.env["relationship.followup.rule"].with_context(active_test=False)
        rules = rules.search([("company_id", "=", company.id)])
        rule = rules.filtered(lambda rule: rule.code == KEY_CUSTOMER_OPPORTUNITY)
        (rules - rule).active = False
        rule.active = True
        tina = self.env["res.partner"].create(
            {"name": "Top Tina", "company_id": company.id, "user_id": salesperson.id}
        )
        tina.relationship_pareto = True
        self.env["relationship.purchase"].create(
            {
                "source": "pos",
                "external_id": "TOUR-OPPORTUNITY-1",
                "partner_id": tina.id,
                "date_order": fields.Datetime.now(),
                "amount": 250.0,
                "company_id": company.id,
            }
        )
        self.env.ref(INGEST_CRON).method_direct_trigger()
        opportunity = self.env["crm.lead"].search([("partner_id", "=", tina.id)])
        self.assertEqual(
            (opportunity.name, opportunity.user_id), ("Next sale with Top Tina", salesperson)
        )

        self.start_tour(
            "/odoo/action-relationship_marketing_followup.relationship_followup_rule_action"
            f"/{rule.id}",
            "relationship_followup_opportunity_rule",
            login="admin",
        )
        self.start_tour(
            f"/odoo/action-crm.crm_lead_action_pipeline/{opportunity.id}",
            "relationship_followup_opportunity_seen",
            login=salesperson.login,
        )
