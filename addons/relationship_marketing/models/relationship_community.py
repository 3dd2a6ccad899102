# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipCommunity(models.Model):
    """A brand community: customers the company brings together."""

    _name = "relationship.community"
    _description = "Brand Community"
    _order = "company_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, help="Name of the community.")
    active = fields.Boolean(default=True, help="Archived communities are hidden.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company behind the community.",
    )
    kind = fields.Selection(
        [
            ("online", "Online Community"),
            ("events", "Meetings and Events"),
            ("user_group", "User Group"),
            ("co_creation", "Co-Creation Panel"),
            ("other", "Other"),
        ],
        default="online",
        required=True,
        help="How the members meet.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Community Manager",
        default=lambda self: self.env.user,
        help="The person who animates the community.",
    )
    description = fields.Text(translate=True, help="What the community is about.")
    member_ids = fields.One2many(
        "relationship.community.member",
        "community_id",
        string="Members",
        help="The customers in the community.",
    )
    member_count = fields.Integer(
        compute="_compute_member_count",
        store=True,
        help="Number of customers in the community.",
    )

    @api.depends("member_ids")
    def _compute_member_count(self):
        counts = dict(
            self.env["relationship.community.member"]._read_group(
                [("community_id", "in", self._origin.ids)], ["community_id"], ["__count"]
            )
        )
        for community in self:
            community.member_count = counts.get(community._origin, 0)
