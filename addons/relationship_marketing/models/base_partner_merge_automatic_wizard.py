# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models

FIGURE_FIELDS = [
    "relationship_order_count",
    "relationship_revenue",
    "relationship_average_order",
    "relationship_first_purchase",
    "relationship_last_purchase",
    "relationship_referral_count",
]


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Keep the merged customer's relationship whole.

        The wizard moves purchases, stage history and customer ids to the
        remaining partner with SQL, behind the ORM's back: recompute its
        figures, and keep the highest rung any of the merged partners had
        reached (the ladder never moves back).
        """
        partners = self.env["res.partner"].browse(partner_ids).exists()
        best_stage = max(
            partners.relationship_stage_id, key=lambda stage: (stage.sequence, stage.id), default=None
        )
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        remaining = partners.exists()
        if len(remaining) != 1:
            return result
        remaining.invalidate_recordset()
        for fname in FIGURE_FIELDS:
            self.env.add_to_compute(remaining._fields[fname], remaining)
        if best_stage and (
            not remaining.relationship_stage_id
            or best_stage.sequence > remaining.relationship_stage_id.sequence
        ):
            remaining.with_context(
                relationship_move_type="automatic",
                relationship_move_reason=_("Merged contacts"),
            ).relationship_stage_id = best_stage
        remaining._relationship_advance_stages(reason=_("Merged contacts"))
        return result
