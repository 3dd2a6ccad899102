# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scales satisfaction scores come on, and how they land on the addon's 0-10.

One rule for every way a score arrives (a survey of Odoo, a survey tool's
export pushed by rm-sync), so that thresholds and categories mean the same
whatever the score came from.
"""

# The answers each scale allows.
SCALES = {
    "nps": (0, 10),
    "csat": (1, 5),
}
# Other names a source may give its scale.
SCALE_ALIASES = {
    "0-10": "nps",
    "0..10": "nps",
    "1-5": "csat",
    "1..5": "csat",
}


def scale_code(name):
    """The code of the scale ``name`` names (``nps``, ``csat``), or None."""
    name = (name or "").strip().lower()
    return name if name in SCALES else SCALE_ALIASES.get(name)


def satisfaction_score(scale, value):
    """The 0-10 satisfaction score of an answer on ``scale``, or None if out of range.

    NPS (0-10) is the addon's own scale; CSAT (1-5) is stretched onto it
    (1 -> 0, 3 -> 5, 5 -> 10).
    """
    low, high = SCALES[scale]
    if value is None or not low <= value <= high:
        return None
    return round((value - low) * 10.0 / (high - low), 1)
