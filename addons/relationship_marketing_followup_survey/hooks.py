# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """The playbooks that exist already send the shipped survey with their check."""
    env["relationship.followup.rule"].with_context(active_test=False).search(
        [("code", "=", "satisfaction_check"), ("survey_id", "=", False)]
    )._relationship_set_default_survey()
