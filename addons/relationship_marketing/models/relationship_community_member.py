# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipCommunityMember(models.Model):
    """A customer's membership of a brand community."""

    _name = "relationship.community.member"
    _description = "Brand Community Member"
    _order = "date_joined desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    community_id = fields.Many2one(
        "relationship.community",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The community joined.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The member.",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        required=True,
        index=True,
        precompute=True,
        help="The company behind the community.",
    )
    date_joined = fields.Date(
        string="Joined On",
        required=True,
        default=fields.Date.context_today,
        help="When the customer joined.",
    )
    role = fields.Selection(
        [("member", "Member"), ("moderator", "Moderator"), ("ambassador", "Ambassador")],
        default="member",
        required=True,
        help="The customer's part in the community.",
    )
    note = fields.Char(help="Anything worth knowing about the member's part.")

    _sql_constraints = [
        (
            "community_partner_uniq",
            "UNIQUE(community_id, partner_id)",
            "A customer is a member of a community once.",
        ),
    ]

    @api.depends("community_id")
    def _compute_company_id(self):
        for member in self:
            member.company_id = (
                member.community_id.company_id or member.company_id or self.env.company
            )
