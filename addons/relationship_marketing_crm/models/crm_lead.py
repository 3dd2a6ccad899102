# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

# Changes of a lead that can make its contact a prospect.
INTEREST_FIELDS = {"partner_id", "active", "stage_id", "type", "company_id"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    relationship_inquiry_ids = fields.One2many(
        "relationship.inquiry",
        "lead_id",
        string="Inquiries and Complaints",
        groups="relationship_marketing.group_relationship_user",
    )
    relationship_inquiry_count = fields.Integer(
        string="Inquiries",
        compute="_compute_relationship_inquiry_count",
        groups="relationship_marketing.group_relationship_user",
    )

    def _compute_relationship_inquiry_count(self):
        counts = dict(
            self.env["relationship.inquiry"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.relationship_inquiry_count = counts.get(lead, 0)

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._relationship_prospects_climb()
        return leads

    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & INTEREST_FIELDS:
            self._relationship_prospects_climb()
        return result

    def _relationship_prospects_climb(self):
        """An open lead or opportunity is interest shown: its contact climbs the
        ladder (to Prospect, or higher if its purchases allow). Only forward:
        a lost lead moves nobody down."""
        open_leads = self.filtered(
            lambda lead: lead.active and lead.partner_id and not lead.stage_id.is_won
        )
        if not open_leads:
            return
        # The ladder moves for the company's automation, whoever entered the
        # lead (a salesperson needs no relationship rights); the move is logged
        # as automatic, by this user, with its reason.
        partners = open_leads.partner_id.commercial_partner_id.sudo()
        partners._relationship_advance_stages(reason=_("Interest shown: open lead or opportunity"))

    def _relationship_log_inquiries(self, kind):
        missing = self.filtered(lambda lead: not lead.partner_id)
        if missing:
            raise UserError(
                _(
                    "Set the customer of %s first: an inquiry or a complaint is a customer's.",
                    ", ".join(missing.mapped("name")),
                )
            )
        inquiries = self.env["relationship.inquiry"].create(
            [
                {
                    "name": lead.name,
                    "partner_id": lead.partner_id.commercial_partner_id.id,
                    "company_id": (
                        lead.partner_id.commercial_partner_id.company_id
                        or lead.company_id
                        or self.env.company
                    ).id,
                    "kind": kind,
                    "description": html2plaintext(lead.description or "") or False,
                    "channel": _("CRM"),
                    "user_id": (lead.user_id or self.env.user).id,
                    "lead_id": lead.id,
                }
                for lead in self
            ]
        )
        return inquiries

    def action_relationship_log_inquiry(self):
        self._relationship_log_inquiries("inquiry")
        return self.action_relationship_view_inquiries()

    def action_relationship_log_complaint(self):
        self._relationship_log_inquiries("complaint")
        return self.action_relationship_view_inquiries()

    def action_relationship_view_inquiries(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "relationship_marketing.relationship_inquiry_action"
        )
        action["domain"] = [("lead_id", "in", self.ids)]
        action["context"] = {"create": False}
        return action
