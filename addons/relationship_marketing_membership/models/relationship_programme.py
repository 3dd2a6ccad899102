# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class RelationshipProgramme(models.Model):
    """A club whose memberships are Odoo's: a membership product, invoiced."""

    _inherit = "relationship.programme"

    membership_product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        check_company=True,
        domain="[('membership', '=', True)]",
        help="The membership product of Odoo's Members app that this club is: "
        "invoicing it to a customer makes the customer a member once paid.",
    )
    fees_owned_by_odoo = fields.Boolean(
        string="Memberships Invoiced by Odoo",
        readonly=True,
        copy=False,
        help="On: Odoo's membership lines of the product decide who is a member "
        "(paid or free members are active; invoiced ones wait for the payment) and "
        "the fee is invoiced. Off: memberships are kept by hand here, as before.",
    )
    odoo_member_count = fields.Integer(
        string="Customers Invoiced",
        compute="_compute_odoo_member_count",
        help="Customers with a membership line of the product in Odoo.",
    )

    @api.depends("membership_product_id")
    def _compute_odoo_member_count(self):
        products = self.membership_product_id
        counts = dict(
            products
            and self.env["membership.membership_line"]._read_group(
                [("membership_id", "in", products.ids)],
                ["membership_id"],
                ["partner:count_distinct"],
            )
        )
        for programme in self:
            programme.odoo_member_count = counts.get(programme.membership_product_id, 0)

    @api.onchange("membership_product_id")
    def _onchange_membership_product_id(self):
        if self.membership_product_id:
            self.fee = self.membership_product_id.lst_price

    @api.constrains("kind", "membership_product_id", "fees_owned_by_odoo", "company_id")
    def _check_membership_product(self):
        for programme in self.filtered("membership_product_id"):
            if programme.kind != "club":
                raise ValidationError(
                    _("Only a club can be a membership product (%s).", programme.name)
                )
        owned = self.search(
            [
                ("fees_owned_by_odoo", "=", True),
                ("membership_product_id", "in", self.membership_product_id.ids),
            ]
        )
        for product in owned.membership_product_id:
            clubs = owned.filtered(lambda p, product=product: p.membership_product_id == product)
            if len(clubs.company_id) < len(clubs):
                raise ValidationError(
                    _(
                        "The membership product %(product)s already makes the members "
                        "of another club: %(clubs)s.",
                        product=product.display_name,
                        clubs=", ".join(clubs.mapped("name")),
                    )
                )

    def _relationship_odoo_clubs(self, companies):
        """The active clubs of ``companies`` whose memberships are Odoo's."""
        # Configuration every customer's membership follows, whoever pays the
        # invoice (an accountant need not be a relationship user).
        return (
            self.sudo()
            .search(
                [
                    ("fees_owned_by_odoo", "=", True),
                    ("membership_product_id", "!=", False),
                    ("company_id", "in", companies.ids),
                ]
            )
            .sudo(False)
        )

    def action_view_odoo_members(self):
        """Odoo's members of the club's product."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "membership.action_membership_members"
        )
        action["domain"] = [("member_lines.membership_id", "=", self.membership_product_id.id)]
        action["context"] = {}
        return action

    def action_switch_to_odoo_memberships(self):
        """The consultant's switch: from now on Odoo's invoices make the members.

        The memberships kept here so far stay as they are (their start, fee
        paid and history); a customer who has a membership line of the
        product follows it from now on.
        """
        for programme in self:
            if programme.kind != "club" or not programme.membership_product_id:
                raise UserError(
                    _("Choose the membership product of the club %s first.", programme.name)
                )
        self.write({"fees_owned_by_odoo": True})
        partners = (
            self.env["membership.membership_line"]
            .search([("membership_id", "in", self.membership_product_id.ids)])
            .partner
        )
        partners._relationship_follow_odoo_memberships()
        return True

    def action_switch_to_own_memberships(self):
        """Back to memberships kept by hand: nothing is deleted."""
        self.write({"fees_owned_by_odoo": False})
        return True
