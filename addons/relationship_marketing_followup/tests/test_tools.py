# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from markupsafe import Markup

from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tools import SQL

from ..models.relationship_followup_rule_date import (
    in_year,
    next_yearly,
    sql_next_yearly,
    too_late,
)
from ..tools.placeholders import placeholders_in, render


@tagged("post_install", "-at_install")
class TestDates(BaseCase):
    def test_next_yearly(self):
        born = date(1990, 6, 15)
        self.assertEqual(next_yearly(born, date(2026, 3, 10)), date(2026, 6, 15))
        self.assertEqual(next_yearly(born, date(2026, 6, 15)), date(2026, 6, 15), "today counts")
        self.assertEqual(next_yearly(born, date(2026, 6, 16)), date(2027, 6, 15))
        self.assertFalse(next_yearly(False, date(2026, 3, 10)))

    def test_first_anniversary_is_a_year_later(self):
        start = date(2026, 3, 10)
        self.assertEqual(next_yearly(start, date(2026, 3, 10)), date(2027, 3, 10))

    def test_too_late(self):
        today = date(2026, 3, 10)
        self.assertFalse(too_late(date(2026, 3, 3), 7, today), "7 days late: still on")
        self.assertTrue(too_late(date(2026, 3, 2), 7, today))
        self.assertFalse(too_late(date(2020, 1, 1), 0, today), "0 never skips")

    def test_february_29(self):
        leap = date(2000, 2, 29)
        self.assertEqual(in_year(leap, 2027), date(2027, 2, 28))
        self.assertEqual(next_yearly(leap, date(2027, 1, 1)), date(2027, 2, 28))
        self.assertEqual(next_yearly(leap, date(2027, 3, 1)), date(2028, 2, 29))
        self.assertEqual(next_yearly(leap, date(2028, 2, 29)), date(2028, 2, 29))


@tagged("post_install", "-at_install")
class TestPlaceholders(BaseCase):
    def test_render(self):
        values = {"name": "Ada", "years": 3}
        self.assertEqual(render("Hello {name}, {years} years", values), "Hello Ada, 3 years")
        self.assertEqual(render("{unknown} and {name}", values), "{unknown} and Ada")
        self.assertEqual(render("", values), "")

    def test_no_evaluation(self):
        # Format-string tricks and expressions stay text.
        values = {"name": "Ada"}
        for template in ("{name.__class__}", "{0}", "{name!r}", "{__import__('os')}"):
            self.assertEqual(render(template, values), template)

    def test_html_values_are_escaped(self):
        result = render(Markup("<p>{name}</p>"), {"name": "<script>x</script>"}, html=True)
        self.assertIsInstance(result, Markup)
        self.assertEqual(result, "<p>&lt;script&gt;x&lt;/script&gt;</p>")

    def test_placeholders_in(self):
        self.assertEqual(
            placeholders_in(Markup("<p>{name} on {due_date}, {name} {bad key} {}</p>")),
            {"name", "due_date"},
        )
        self.assertEqual(placeholders_in(False), set())


@tagged("post_install", "-at_install")
class TestDatesInDatabase(TransactionCase):
    def test_next_yearly_in_sql(self):
        """The database's next birthday or anniversary is Python's, February 29
        and the year's end included."""
        origins = [
            date(2000, 2, 29),
            date(1990, 2, 28),
            date(1990, 3, 1),
            date(1985, 12, 31),
            date(1970, 1, 1),
            date(2026, 3, 10),
            date(2027, 2, 28),
        ]
        days = [
            date(2026, 3, 10),
            date(2027, 1, 1),
            date(2027, 2, 28),
            date(2027, 3, 1),
            date(2027, 12, 31),
            date(2028, 2, 29),
            date(2028, 3, 1),
        ]
        for today in days:
            for origin in [*origins, None]:
                [[found]] = self.env.execute_query(
                    SQL("SELECT %s", sql_next_yearly(SQL("%s::date", origin), today))
                )
                self.assertEqual(found, next_yearly(origin, today) or None, f"{origin} {today}")
