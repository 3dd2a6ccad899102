# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestActionPlan(FollowupCase):
    def test_a_sale_launches_the_plan(self):
        call = self.env.ref("mail.mail_activity_data_call")
        todo = self.env.ref("mail.mail_activity_data_todo")
        plan = self.env["mail.activity.plan"].create(
            {
                "name": "Onboarding",
                "res_model": "res.partner",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": call.id,
                            "summary": "Welcome call",
                            "responsible_type": "on_demand",
                        }
                    ),
                    Command.create(
                        {
                            "activity_type_id": todo.id,
                            "summary": "Send the catalogue",
                            "responsible_type": "other",
                            "responsible_id": self.leader.id,
                            "delay_count": 5,
                            "delay_unit": "days",
                            "delay_from": "after_plan_date",
                        }
                    ),
                ],
            }
        )
        rule = self.rule["thank_you_call"]
        rule.write({"action": "plan", "activity_plan_id": plan.id})
        self.only("thank_you_call")
        ada = self.customer("Ada Lovelace")
        self.buy(ada, 0)
        self.buy(ada, 0)
        activities = self.activities(ada)
        self.assertEqual(
            [(a.summary, a.user_id, a.date_deadline) for a in activities],
            [
                ("Welcome call", self.salesperson, date(2026, 3, 11)),
                ("Send the catalogue", self.leader, date(2026, 3, 16)),
            ],
            "once per day of purchase, each activity for its responsible",
        )
        self.assertEqual(activities.relationship_followup_rule_id, rule)
