# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestActionEmail(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["mail.template"].create(
            {
                "name": "Birthday card",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "subject": "Happy birthday, {{ object.name }}",
                "body_html": "<p>All the best, <t t-out='object.name'/>!</p>",
                "partner_to": "{{ object.id }}",
            }
        )
        cls.rule["birthday"].write({"action": "email", "mail_template_id": cls.template.id})

    def setUp(self):
        super().setUp()
        self.only("birthday")

    def cards(self, partner):
        return partner.message_ids.filtered(lambda message: message.subject.startswith("Happy"))

    def test_rendered_per_customer_logged_and_sent_once(self):
        ada = self.customer(
            "Ada Lovelace", email="ada@example.com", relationship_birthday=date(1990, 3, 12)
        )
        bob = self.customer(
            "Bob Babbage",
            email="bob@example.com",
            user_id=False,
            relationship_birthday=date(1980, 3, 13),
        )
        self.run_cron()
        self.assertEqual(self.cards(ada).subject, "Happy birthday, Ada Lovelace")
        self.assertIn("All the best, Bob Babbage!", self.cards(bob).body)
        self.assertEqual(self.followups(bob).state, "done", "an email needs nobody assigned")
        self.assertFalse(self.activities(ada) | self.activities(bob), "an email, not an activity")
        self.run_cron()
        self.run_cron()
        self.assertEqual(len(self.cards(ada)), 1, "running twice never sends twice")
        self.assertEqual(len(self.env["mail.mail"].search([("recipient_ids", "in", ada.ids)])), 1)

    def test_consultant_sets_it_up_in_the_form(self):
        with Form(self.rule["thank_you_call"].with_user(self.manager)) as form:
            form.action = "email"
            form.mail_template_id = self.template
        self.assertEqual(self.rule["thank_you_call"].mail_template_id, self.template)
        with self.assertRaisesRegex(ValidationError, "choose the email template"):
            self.rule["anniversary"].action = "email"
