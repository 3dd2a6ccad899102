# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """A newsletter list per rung of every ladder, filled at once."""
    stages = env["relationship.stage"].search([])
    env["mailing.list"]._relationship_create_default_lists(stages)
    # The lists were just filled: the moves logged so far are in them.
    env["mailing.list"]._relationship_moves_synced_up_to(
        env["relationship.stage.history"].sudo().search([], order="id desc", limit=1).id or 0
    )
