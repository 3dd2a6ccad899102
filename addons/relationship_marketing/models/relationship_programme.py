# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class RelationshipProgramme(models.Model):
    """A loyalty programme: a frequency programme or a club.

    Frequency programmes reward customers who buy often or much: purchases
    earn points, and the points of a qualifying window give a tier. Clubs are
    open to every buyer, restricted to an affinity group, or paid.
    """

    _name = "relationship.programme"
    _description = "Loyalty Programme"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, help="Name of the programme.")
    sequence = fields.Integer(default=10, help="Order of the programmes in lists.")
    active = fields.Boolean(default=True, help="Archived programmes enrol nobody.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company running the programme.",
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id", help="The currency of the fee and of the points."
    )
    kind = fields.Selection(
        [("frequency", "Frequency Programme"), ("club", "Club")],
        required=True,
        default="frequency",
        help="Frequency programmes give points per purchase and tiers; clubs give "
        "their members benefits for belonging.",
    )
    club_access = fields.Selection(
        [("open", "Open to Every Buyer"), ("affinity", "Affinity Group"), ("paid", "Paid")],
        string="Access",
        default="open",
        help="Who may join the club: every buyer; only customers of the affinity "
        "group (by tag); or those who pay the fee.",
    )
    affinity_category_ids = fields.Many2many(
        "res.partner.category",
        string="Affinity Group",
        help="Customers with one of these tags form the affinity group.",
    )
    fee = fields.Monetary(
        currency_field="currency_id", help="What a membership of the paid club costs."
    )
    auto_enrol = fields.Boolean(
        string="Enrol Buyers Automatically",
        default=True,
        help="Every customer who buys (and, for an affinity club, belongs to the "
        "group) becomes a member with their first purchase. Paid clubs enrol by hand.",
    )
    counts_for_ladder = fields.Boolean(
        string="Makes Members",
        default=True,
        help="An active membership of this programme is what the ladder's "
        "'Requires Active Membership' criterion looks at.",
    )
    duration_days = fields.Integer(
        string="Membership Length (Days)",
        help="Memberships end this many days after they start; 0 means they do not end.",
    )
    points_per_unit = fields.Float(
        string="Points per Currency Unit",
        default=1.0,
        digits=(16, 4),
        help="Points a member earns per unit of the company currency spent.",
    )
    qualifying_days = fields.Integer(
        string="Qualifying Window (Days)",
        default=365,
        help="The tier of a member follows the points earned in this many last days: "
        "members move up and down as purchases enter and leave the window.",
    )
    description = fields.Text(translate=True, help="The benefits of the programme.")
    tier_ids = fields.One2many(
        "relationship.programme.tier",
        "programme_id",
        string="Tiers",
        help="The tiers of a frequency programme, by the points they need.",
    )
    membership_ids = fields.One2many(
        "relationship.membership",
        "programme_id",
        string="Memberships",
        help="The customers who joined the programme.",
    )
    member_count = fields.Integer(
        string="Active Members", compute="_compute_member_count", help="Active memberships."
    )

    _sql_constraints = [
        (
            "figures_positive",
            "CHECK(fee >= 0 AND duration_days >= 0 AND points_per_unit >= 0 "
            "AND qualifying_days >= 0)",
            "The figures of a programme cannot be negative.",
        ),
    ]

    def _compute_member_count(self):
        counts = dict(
            self.env["relationship.membership"]._read_group(
                [("programme_id", "in", self.ids), ("state", "=", "active")],
                ["programme_id"],
                ["__count"],
            )
        )
        for programme in self:
            programme.member_count = counts.get(programme, 0)

    @api.constrains("kind", "club_access", "auto_enrol", "affinity_category_ids")
    def _check_club_rules(self):
        for programme in self.filtered(lambda p: p.kind == "club"):
            if not programme.club_access:
                raise ValidationError(_("Say who may join the club %s.", programme.name))
            if programme.club_access == "paid" and programme.auto_enrol:
                raise ValidationError(
                    _("Members of the paid club %s join by hand, once they paid.", programme.name)
                )
            if programme.club_access == "affinity" and not programme.affinity_category_ids:
                raise ValidationError(
                    _("Give the affinity club %s the tags of its group.", programme.name)
                )

    def _may_join(self, partner):
        """Whether the customer belongs to the club's affinity group, if any."""
        self.ensure_one()
        return (
            self.kind != "club"
            or self.club_access != "affinity"
            or bool(partner.category_id & self.affinity_category_ids)
        )

    def _relationship_auto_enrol(self, partners):
        """Enrol the buyers among ``partners`` in those of these programmes that
        enrol automatically (frequency programmes, open and affinity clubs).

        A customer who already has a membership of a programme, in whatever
        state, is not enrolled again. One query per company and one create.

        :return: the new memberships
        """
        Membership = self.env["relationship.membership"]
        programmes = self.filtered(
            lambda p: (
                p.active
                and p.auto_enrol
                and (p.kind == "frequency" or p.club_access in ("open", "affinity"))
            )
        )
        if not programmes:
            return Membership
        by_company = partners.filtered(lambda p: p.relationship_order_count).grouped(
            lambda p: p.company_id or self.env.company
        )
        values = []
        for company, company_partners in by_company.items():
            company_programmes = programmes.filtered(
                lambda p, company=company: p.company_id == company
            )
            if not company_programmes:
                continue
            known = {
                (partner.id, programme.id)
                for partner, programme in Membership.with_context(active_test=False)._read_group(
                    [
                        ("partner_id", "in", company_partners.ids),
                        ("programme_id", "in", company_programmes.ids),
                    ],
                    ["partner_id", "programme_id"],
                )
            }
            for programme in company_programmes:
                for partner in company_partners:
                    if (partner.id, programme.id) in known or not programme._may_join(partner):
                        continue
                    values.append(
                        {
                            "partner_id": partner.id,
                            "programme_id": programme.id,
                            "company_id": company.id,
                            "date_start": partner.relationship_first_purchase,
                            "state": "active",
                        }
                    )
        # The caller counts the points and moves the ladder for all customers
        # at once, with its own reason.
        return Membership.with_context(relationship_depth_refresh=True).create(values)

    def action_view_memberships(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "relationship_marketing.relationship_membership_action"
        )
        action["domain"] = [("programme_id", "=", self.id)]
        action["context"] = {"default_programme_id": self.id, "search_default_active": 1}
        return action
