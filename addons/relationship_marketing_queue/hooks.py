# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def uninstall_hook(env):
    """Give the night back to the core addon's cron, which the install
    switched off (data/ir_cron_data.xml)."""
    cron = env.ref("relationship_marketing.ir_cron_relationship_refresh", raise_if_not_found=False)
    if cron:
        cron.active = True
