# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Filling the placeholders of a follow-up's summary and note.

Templates are written by consultants, so they are never evaluated: a
placeholder is a name between braces, ``{name}``, replaced by a value from a
fixed mapping. Anything else, unknown names included, stays as written.
"""

import re

from markupsafe import Markup, escape

PLACEHOLDER = re.compile(r"\{(\w{1,40})\}")


def placeholders_in(template):
    """The names of the placeholders in ``template`` (a set, empty without one)."""
    return set(PLACEHOLDER.findall(str(template))) if template else set()


def render(template, values, html=False):
    """Replace ``{key}`` by ``values[key]`` in ``template``.

    :param template: the text (or sanitised HTML when ``html``)
    :param values: placeholder name -> value (converted with ``str``)
    :param html: escape the values, and return ``Markup``
    """
    if not template:
        return Markup() if html else ""

    def replace(match):
        key = match.group(1)
        if key not in values:
            return match.group(0)
        value = values[key]
        value = "" if value is None or value is False else str(value)
        return str(escape(value)) if html else value

    result = PLACEHOLDER.sub(replace, str(template))
    return Markup(result) if html else result
