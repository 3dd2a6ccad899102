# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Yearly dates: birthdays and anniversaries, February 29 included."""

from datetime import date


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
