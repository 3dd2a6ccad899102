# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipStageHistory(models.Model):
    """One move of a customer on the development ladder.

    The rows are the source of the funnel and of the time spent in each stage.
    """

    _name = "relationship.stage.history"
    _inherit = ["relationship.history.mixin"]
    _description = "Customer Development Stage Move"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "stage_to_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    stage_from_id = fields.Many2one(
        "relationship.stage",
        string="From Stage",
        ondelete="restrict",
        check_company=True,
        help="Empty when the customer entered the ladder.",
    )
    stage_to_id = fields.Many2one(
        "relationship.stage",
        string="To Stage",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    move_type = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")],
        required=True,
        default="manual",
        help="Automatic moves come from purchases and stage criteria; manual ones from a person.",
    )
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, index=True
    )
    reason = fields.Char(help="Why the customer moved.")
    is_forward = fields.Boolean(
        string="Forward",
        compute="_compute_is_forward",
        store=True,
        help="The move went up the ladder.",
    )

    @api.depends("stage_from_id", "stage_to_id")
    def _compute_is_forward(self):
        for move in self:
            move.is_forward = (
                not move.stage_from_id or move.stage_to_id.sequence > move.stage_from_id.sequence
            )
