# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import Form, tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestVolume(FollowupCase):
    def test_next_30_days_per_person(self):
        other = self._user("rm_other", "Olga Other")
        for day in (12, 20, 25):
            self.customer(f"Born {day}", relationship_birthday=date(1990, 3, day))
        self.customer("Born later", relationship_birthday=date(1990, 6, 1))
        self.customer("Olga's", user_id=other.id, relationship_birthday=date(1990, 3, 15))
        self.customer("Nobody's", user_id=False, relationship_birthday=date(1990, 3, 16))
        self.customer("Basic", relationship_level="basic", relationship_birthday=date(1990, 3, 17))
        birthday = self.rule["birthday"]
        birthday.active = False  # seen before switching it on
        self.assertEqual(
            dict(birthday._followup_volume()),
            {self.salesperson: 3, other: 1, self.env["res.users"]: 1},
        )
        form = Form(birthday.with_user(self.manager))
        self.assertEqual(
            form.volume_summary.splitlines(),
            [
                "3 for Sam Seller",
                "1 for Olga Other",
                "1 for nobody: not created (no salesperson, segment default or fallback user)",
            ],
        )
        self.assertFalse(self.followups(), "counting creates nothing")

    def test_purchases_of_the_last_30_days_stand_for_the_next(self):
        ada = self.customer("Ada Accountable")
        basic = self.customer("Bob Basic", relationship_level="basic")
        self.only()
        self.buy(ada, 5, 10, 40)
        self.buy(basic, 5)
        self.assertEqual(
            dict(self.rule["thank_you_call"]._followup_volume()), {self.salesperson: 2}
        )
