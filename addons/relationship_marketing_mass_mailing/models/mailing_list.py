# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.relationship_marketing.models.relationship_level_matrix import LEVELS

# Fields whose change gives a list other subscribers.
SYNC_FIELDS = {
    "relationship_rule",
    "relationship_company_id",
    "relationship_stage_id",
    "relationship_stage_and_above",
    "relationship_level",
    "relationship_level_and_above",
    "relationship_segment_id",
    "active",
}


class MailingList(models.Model):
    _inherit = "mailing.list"

    relationship_rule = fields.Selection(
        [
            ("stage", "A Development Stage"),
            ("level", "A Relationship Level"),
            ("segment", "A Segment"),
        ],
        string="Kept in Step With",
        help="The customers on the list are those of a rung of the ladder (and, if "
        "chosen, the rungs above), of a relationship level (and above) or of a "
        "segment, with an email: customers who get there are subscribed, those who "
        "leave are taken off. Someone who unsubscribed or whose email is blacklisted "
        "is never subscribed again. Empty: a list filled by hand, as usual.",
    )
    relationship_company_id = fields.Many2one(
        "res.company",
        string="Customers Of",
        compute="_compute_relationship_company_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The company whose customers the list follows.",
    )
    relationship_stage_id = fields.Many2one(
        "relationship.stage",
        string="Development Stage",
        domain="[('company_id', '=', relationship_company_id)]",
        ondelete="restrict",
    )
    relationship_stage_and_above = fields.Boolean(
        string="And the Stages Above",
        default=True,
        help="E.g. a newsletter to Clients and above: Clients, Members, Advocates and Partners.",
    )
    relationship_level = fields.Selection(LEVELS)
    relationship_level_and_above = fields.Boolean(
        string="And the Levels Above",
        default=True,
        help="E.g. Accountable and above: Accountable, Proactive and Partnership.",
    )
    relationship_segment_id = fields.Many2one(
        "relationship.segment",
        string="Segment",
        domain="[('company_id', '=', relationship_company_id)]",
        ondelete="restrict",
    )
    relationship_synced_on = fields.Datetime(
        string="Last Full Update",
        readonly=True,
        help="When the whole list was last brought in step with its customers (the "
        "nightly run, or Update Now); customers who move up the ladder join within "
        "minutes.",
    )

    @api.depends("relationship_rule")
    def _compute_relationship_company_id(self):
        # Only a list that follows customers belongs to a company; the others
        # stay shared, as Odoo's lists are.
        for mailing_list in self:
            if not mailing_list.relationship_rule:
                mailing_list.relationship_company_id = False
            elif not mailing_list.relationship_company_id:
                mailing_list.relationship_company_id = self.env.company

    @api.constrains(
        "relationship_rule",
        "relationship_company_id",
        "relationship_stage_id",
        "relationship_level",
        "relationship_segment_id",
    )
    def _check_relationship_rule(self):
        required = {
            "stage": "relationship_stage_id",
            "level": "relationship_level",
            "segment": "relationship_segment_id",
        }
        for mailing_list in self.filtered("relationship_rule"):
            if not mailing_list.relationship_company_id:
                raise ValidationError(
                    _("Say whose customers the list %s follows.", mailing_list.name)
                )
            fname = required[mailing_list.relationship_rule]
            chosen = mailing_list[fname]
            if not chosen:
                raise ValidationError(
                    _(
                        "Choose the %(what)s whose customers the list %(list)s follows.",
                        what=self._fields[fname]._description_string(self.env),
                        list=mailing_list.name,
                    )
                )
            if fname != "relationship_level" and (
                chosen.company_id != mailing_list.relationship_company_id
            ):
                raise ValidationError(
                    _(
                        "The list %(list)s follows customers of %(company)s: choose a "
                        "stage or segment of that company.",
                        list=mailing_list.name,
                        company=mailing_list.relationship_company_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lists = super().create(vals_list)
        lists.filtered("relationship_rule")._relationship_sync()
        return lists

    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & SYNC_FIELDS:
            self.filtered("relationship_rule")._relationship_sync()
        return result

    def action_relationship_sync(self):
        self._relationship_sync()
        return True

    @api.model
    def _relationship_create_default_lists(self, stages):
        """A newsletter list for each of these rungs and the rungs above it."""
        existing = self.with_context(active_test=False).search(
            [("relationship_rule", "=", "stage"), ("relationship_stage_id", "in", stages.ids)]
        )
        stages -= existing.relationship_stage_id
        return self.create(
            [
                {
                    "name": self.with_context(
                        lang=stage.company_id.partner_id.lang or self.env.lang
                    ).env._(
                        "Newsletter: %(stage)s and above (%(company)s)",
                        stage=stage.with_context(
                            lang=stage.company_id.partner_id.lang or self.env.lang
                        ).name,
                        company=stage.company_id.name,
                    ),
                    "is_public": False,
                    "relationship_rule": "stage",
                    "relationship_company_id": stage.company_id.id,
                    "relationship_stage_id": stage.id,
                    "relationship_stage_and_above": True,
                }
                for stage in stages
            ]
        )
