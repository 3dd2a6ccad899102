# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipInquiry(models.Model):
    """An inquiry or a complaint a customer brought to the company."""

    _name = "relationship.inquiry"
    _description = "Customer Inquiry or Complaint"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True, help="What it is about, in a few words.")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The customer who asked or complained.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company asked.",
    )
    date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now, help="When it came in."
    )
    kind = fields.Selection(
        [("inquiry", "Inquiry"), ("complaint", "Complaint")],
        required=True,
        default="inquiry",
        index=True,
        help="An inquiry asks about our products or services; a complaint reports a problem.",
    )
    description = fields.Text(help="What the customer asked or reported.")
    user_id = fields.Many2one(
        "res.users",
        string="Handled By",
        default=lambda self: self.env.user,
        index=True,
        help="Who takes care of it.",
    )
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")],
        required=True,
        default="open",
        index=True,
        help="Open until someone answered or solved it.",
    )
    channel = fields.Char(help="How it came in: phone, email, shop, ...")

    def action_done(self):
        self.write({"state": "done"})

    def action_reopen(self):
        self.write({"state": "open"})
