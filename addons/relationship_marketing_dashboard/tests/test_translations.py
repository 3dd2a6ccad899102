# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.relationship_marketing.tests.test_translations import (
    TemplateCompletenessMixin,
)


@tagged("post_install", "-at_install")
class TestTranslations(TemplateCompletenessMixin, TransactionCase):
    # Odoo runs only the test methods a class defines itself, unless told.
    allow_inherited_tests_method = True
    module = "relationship_marketing_dashboard"

    def test_what_users_read_is_translatable(self):
        self.assertLessEqual(
            {
                # menus, actions and the dashboard's boxes
                "Dashboard",
                "Relationship Dashboard",
                "Funnel: Customers Who Reached Each Rung",
                "Stuck Customers",
                # fields, their help and selections
                "Conversion to Next Rung (%)",
                "Median Days to Next Rung",
                "Still There",
                "The customer's current stage is this rung.",
                # messages of the code
                "Stuck customers can only be searched as 'is set' or 'is not set'.",
                "Customer",
            },
            self.terms,
        )
