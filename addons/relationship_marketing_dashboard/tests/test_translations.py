# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "relationship_marketing_dashboard"
POT = Path(__file__).parent.parent / "i18n" / f"{MODULE}.pot"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.terms = {
            source
            for _module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(cls.env.cr, modules=[MODULE])
            )
        }

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

    def test_the_template_is_complete(self):
        shipped = {entry.msgid for entry in polib.pofile(str(POT))}
        self.assertFalse(
            self.terms - shipped,
            f"{POT.name} lacks terms: export it again (odoo --i18n-export --modules={MODULE})",
        )
