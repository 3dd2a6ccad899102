# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class RelationshipStage(models.Model):
    """A rung of the customer development ladder.

    Rungs are climbed in sequence: a customer reaches a rung when it meets the
    criteria of that rung and of every rung below it.
    """

    _name = "relationship.stage"
    _description = "Customer Development Stage"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Position on the ladder: lower rungs come first.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Each company has its own ladder.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Text(translate=True, help="What a customer on this rung is, for the team.")
    fold = fields.Boolean(
        string="Folded in Kanban", help="Fold this rung in the relationship kanban."
    )
    min_order_count = fields.Integer(
        string="Minimum Orders",
        help="Number of purchases the customer must have made (within the period, if one is set).",
    )
    min_revenue = fields.Monetary(
        string="Minimum Revenue",
        currency_field="currency_id",
        help="Revenue, in the company currency, the customer must have brought "
        "(within the period, if one is set).",
    )
    period_days = fields.Integer(
        string="Within Days",
        help="Count orders and revenue of the last N days only; 0 counts all time.",
    )
    require_membership = fields.Boolean(
        string="Requires Active Membership",
        help="The customer must have joined a membership programme.",
    )
    min_referral_count = fields.Integer(
        string="Minimum Referrals",
        help="Number of customers this customer must have recommended us to.",
    )
    require_agreement = fields.Boolean(
        string="Requires Partnership Agreement",
        help="Someone must have recorded a partnership agreement on the customer.",
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "min_values_positive",
            "CHECK(min_order_count >= 0 AND min_revenue >= 0 "
            "AND period_days >= 0 AND min_referral_count >= 0)",
            "Stage criteria cannot be negative.",
        ),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A rung that customers stand on or that the history names is kept:
        the funnel and the time in stage are read from that history. Say so,
        and offer to archive it, instead of a database error."""
        # sudo: every reference blocks the deletion, visible to the user or not
        History = self.env["relationship.stage.history"].sudo()
        moved_to = dict(
            History._read_group([("stage_to_id", "in", self.ids)], ["stage_to_id"], ["__count"])
        )
        moved_from = dict(
            History._read_group([("stage_from_id", "in", self.ids)], ["stage_from_id"], ["__count"])
        )
        customers = dict(
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("relationship_stage_id", "in", self.ids)], ["relationship_stage_id"], ["__count"]
            )
        )
        for stage in self:
            moves = moved_to.get(stage, 0) + moved_from.get(stage, 0)
            if moves or customers.get(stage):
                raise UserError(
                    _(
                        "The rung %(rung)s cannot be deleted: %(customers)s customer(s) stand on "
                        "it and %(moves)s move(s) of the stage history name it, which the funnel "
                        "and the time in stage are computed from. Archive it instead "
                        "(Action > Archive): it leaves the ladder and the history stays true.",
                        rung=stage.display_name,
                        customers=customers.get(stage, 0),
                        moves=moves,
                    )
                )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("relationship_stage_id", "in", self.ids)],
                ["relationship_stage_id"],
                ["__count"],
            )
        )
        for stage in self:
            stage.partner_count = counts.get(stage, 0)

    def _qualifies(self, figures):
        """Whether a customer with these figures meets this rung's own criteria.

        :param figures: dict with ``orders`` and ``revenue`` (mappings from
            ``period_days`` to the value), ``referrals``, ``member`` and
            ``agreement``
        """
        self.ensure_one()
        return (
            figures["orders"].get(self.period_days, 0) >= self.min_order_count
            and figures["revenue"].get(self.period_days, 0.0) >= self.min_revenue
            and figures["referrals"] >= self.min_referral_count
            and (figures["member"] or not self.require_membership)
            and (figures["agreement"] or not self.require_agreement)
        )

    @api.model
    def _default_ladder_values(self):
        """The shipped ladder, from what each rung means."""
        return [
            {
                "name": _("Prospect"),
                "sequence": 10,
                "description": _(
                    "Has interest in our products and the means to buy; has not bought yet."
                ),
            },
            {
                "name": _("First-time customer"),
                "sequence": 20,
                "min_order_count": 1,
                "description": _("A prospect who bought for the first time."),
            },
            {
                "name": _("Repeat customer"),
                "sequence": 30,
                "min_order_count": 2,
                "description": _("A first-time customer who was satisfied and bought again."),
            },
            {
                "name": _("Client"),
                "sequence": 40,
                "min_order_count": 3,
                "period_days": 365,
                "description": _(
                    "A loyal repeat customer, buying regularly (three orders "
                    "in the last year), whom we treat specially."
                ),
            },
            {
                "name": _("Member"),
                "sequence": 50,
                "require_membership": True,
                "description": _(
                    "A client who joined a membership programme to enjoy its benefits."
                ),
            },
            {
                "name": _("Advocate"),
                "sequence": 60,
                "min_referral_count": 1,
                "description": _("A member who recommends us and our products to others."),
            },
            {
                "name": _("Partner"),
                "sequence": 70,
                "require_agreement": True,
                "description": _("An advocate who works with us for mutual benefit."),
            },
        ]

    @api.model
    def _create_default_ladders(self):
        """Give every company that has none the shipped ladder (at install)."""
        return self._create_default_ladder(self.env["res.company"].search([]))

    @api.model
    def _create_default_ladder(self, companies):
        """Create the shipped ladder for the companies that have no stage yet."""
        with_stages = {
            company
            for [company] in self.with_context(active_test=False)._read_group(
                [("company_id", "in", companies.ids)], ["company_id"]
            )
        }
        missing = companies.filtered(lambda company: company not in with_stages)
        return self.create(
            [
                dict(values, company_id=company.id)
                for company in missing
                for values in self.with_context(
                    lang=company.partner_id.lang or self.env.lang
                )._default_ladder_values()
            ]
        )
