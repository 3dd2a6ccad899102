# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Yearly dates: birthdays and anniversaries, February 29 included."""

from datetime import date

from odoo.tools import SQL


def in_year(origin, year):
    """``origin`` moved to ``year``; February 29 falls on February 28 in common years."""
    try:
        return origin.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def next_yearly(origin, today):
    """The first anniversary of ``origin`` on or after ``today``.

    Anniversaries start one year after ``origin``: someone born (or a
    relationship begun) today has its next anniversary in a year.

    :return: the date, or ``False`` without ``origin``
    """
    if not origin:
        return False
    year = max(today.year, origin.year + 1)
    candidate = in_year(origin, year)
    if candidate < today:
        candidate = in_year(origin, year + 1)
    return candidate


def sql_in_year(origin, year):
    """:func:`in_year` in SQL: ``origin`` (a date expression) moved to ``year`` (an
    integer expression), February 29 on February 28 in common years."""
    first = SQL("make_date(%s, EXTRACT(MONTH FROM %s)::int, 1)", year, origin)
    # The day in the month, but no further than the month's last day: only
    # February 29 ever needs it.
    return SQL(
        "LEAST(%s + (EXTRACT(DAY FROM %s)::int - 1), (%s + INTERVAL '1 month')::date - 1)",
        first,
        origin,
        first,
    )


def sql_next_yearly(origin, today):
    """:func:`next_yearly` in SQL, for a date expression ``origin`` (NULL stays NULL)."""
    year = SQL("GREATEST(%s, EXTRACT(YEAR FROM %s)::int + 1)", today.year, origin)
    candidate = sql_in_year(origin, year)
    return SQL(
        "(CASE WHEN %s < %s THEN %s ELSE %s END)",
        candidate,
        today,
        sql_in_year(origin, SQL("%s + 1", year)),
        candidate,
    )
