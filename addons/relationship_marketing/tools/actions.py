# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The actions of the smart buttons between purchases and their documents."""


def form_action(record):
    """The action that opens ``record`` (at most one, of any model) in its form."""
    return {
        "type": "ir.actions.act_window",
        "res_model": record._name,
        "res_id": record.id,
        "view_mode": "form",
    }
