# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """The playbooks that exist already get the shipped opportunity rule (archived),
    as the playbooks of new companies do."""
    env["relationship.followup.rule"]._relationship_create_opportunity_rules(
        env["res.company"].search([])
    )
