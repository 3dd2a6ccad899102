# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


class TemplateCompletenessMixin:
    """The shipped ``i18n/<module>.pot`` holds every term of the module.

    A mixin, not a test case, so that the addons importing it do not run it
    for this module again.
    """

    module = "relationship_marketing"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.terms = {
            source
            for _module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(cls.env.cr, modules=[cls.module])
            )
        }

    def test_the_template_is_complete(self):
        pot = Path(get_module_path(self.module)) / "i18n" / f"{self.module}.pot"
        shipped = {entry.msgid for entry in polib.pofile(str(pot))}
        self.assertFalse(
            self.terms - shipped,
            f"{pot.name} lacks terms: export it again "
            f"(odoo --i18n-export=... --modules={self.module})",
        )


@tagged("post_install", "-at_install")
class TestTranslations(TemplateCompletenessMixin, TransactionCase):
    # Odoo runs only the test methods a class defines itself, unless told.
    allow_inherited_tests_method = True

    def test_what_users_read_is_translatable(self):
        self.assertLessEqual(
            {
                "Development Stage",
                "Prospect",
                "Set by hand",
                "Purchases",
                "Relationship",
                "Stage Locked",
                "The customer's rung on the development ladder. Purchases move it up "
                "automatically; a person may set it by hand.",
            },
            self.terms,
        )
