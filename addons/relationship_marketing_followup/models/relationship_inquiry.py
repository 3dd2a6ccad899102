# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RelationshipInquiry(models.Model):
    _inherit = "relationship.inquiry"

    @api.model_create_multi
    def create(self, vals_list):
        inquiries = super().create(vals_list)
        inquiries.filtered(
            lambda inquiry: inquiry.kind == "complaint"
        )._relationship_followup_complaints()
        return inquiries

    def write(self, vals):
        turned = (
            self.filtered(lambda inquiry: inquiry.kind != "complaint")
            if vals.get("kind") == "complaint"
            else self.browse()
        )
        result = super().write(vals)
        turned._relationship_followup_complaints()
        return result

    def _relationship_followup_complaints(self):
        """Fire the 'Complaint' rules: one escalation per complaint."""
        events = [
            {
                "partner": complaint.partner_id,
                "company": complaint.company_id,
                "date": complaint.date.date(),
                "key": f"complaint:{complaint.id}",
                "origin": self.env._("Complaint: %(subject)s", subject=complaint.name),
                "values": {"complaint": complaint.name},
            }
            for complaint in self
        ]
        self.env["relationship.followup.rule"]._followup_on_events("complaint", events)
