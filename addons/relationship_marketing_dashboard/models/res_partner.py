# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

RELATIONSHIP_GROUP = "relationship_marketing.group_relationship_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    relationship_stage_days = fields.Integer(
        string="Days in Stage",
        compute="_compute_relationship_stage_days",
        groups=RELATIONSHIP_GROUP,
        help="Days the customer has spent on its current development stage.",
    )
    relationship_stuck = fields.Boolean(
        string="Stuck in Stage",
        compute="_compute_relationship_stage_days",
        search="_search_relationship_stuck",
        groups=RELATIONSHIP_GROUP,
        help="The customer has been on its current stage longer than the stage's "
        "stuck limit (set on each rung of the ladder).",
    )

    @api.model
    def _relationship_nightly_end(self, companies):
        result = super()._relationship_nightly_end(companies)
        # The last batch is done: the reports take the night's figures, in a
        # job of their own (a refresh of a large database takes a while).
        self.env.ref("relationship_marketing_dashboard.ir_cron_relationship_reports")._trigger()
        return result

    def _compute_relationship_stage_days(self):
        now = fields.Datetime.now()
        for partner in self:
            stage, since = partner.relationship_stage_id, partner.relationship_stage_date
            days = (now - since).total_seconds() / 86400.0 if stage and since else 0.0
            partner.relationship_stage_days = int(days)
            partner.relationship_stuck = bool(
                stage.stuck_after_days and days > stage.stuck_after_days
            )

    def _search_relationship_stuck(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Stuck customers can only be searched as 'is set' or 'is not set'."))
        now = fields.Datetime.now()
        # The ladder is configuration that every search must read.
        stages = (
            self.env["relationship.stage"]
            .sudo()
            .with_context(active_test=False)
            .search([("stuck_after_days", ">", 0)])
        )
        domain = (
            expression.OR(
                [
                    [
                        ("relationship_stage_id", "=", stage.id),
                        (
                            "relationship_stage_date",
                            "<",
                            now - timedelta(days=stage.stuck_after_days),
                        ),
                    ]
                    for stage in stages
                ]
            )
            if stages
            else expression.FALSE_DOMAIN
        )
        return domain if (operator == "=") == value else ["!", *domain]
