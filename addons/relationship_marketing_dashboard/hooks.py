# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """The top rung of each existing ladder has nowhere to climb: never stuck there."""
    env["relationship.stage"].with_context(active_test=False).search([])._top_rungs().write(
        {"stuck_after_days": 0}
    )
