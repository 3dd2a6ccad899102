# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Keep the merged customer's relationship whole.

        The wizard moves purchases, stage history, memberships and customer
        ids to the remaining partner with SQL, behind the ORM's back:
        recompute every stored relationship figure of it, refresh its
        segment, programmes and phase, and keep the highest rung any of the
        merged partners had reached (the ladder never moves back).
        """
        partners = self.env["res.partner"].browse(partner_ids).exists()
        best_stage = max(
            partners.relationship_stage_id,
            key=lambda stage: (stage.sequence, stage.id),
            default=None,
        )
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        remaining = partners.exists()
        if len(remaining) != 1:
            return result
        remaining.invalidate_recordset()
        for field in remaining._fields.values():
            if field.store and field.compute and field.name.startswith("relationship_"):
                self.env.add_to_compute(field, remaining)
        if best_stage and (
            not remaining.relationship_stage_id
            or best_stage.sequence > remaining.relationship_stage_id.sequence
        ):
            remaining._relationship_move_to(best_stage, "automatic", _("Merged contacts"))
        remaining._relationship_refresh_depth(reason=_("Merged contacts"))
        remaining._relationship_advance_stages(reason=_("Merged contacts"))
        return result
