# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipSyncRunReject(models.Model):
    """A row of a sync run that the server rejected, and why."""

    _name = "relationship.sync.run.reject"
    _description = "Sync Run Rejected Row"
    _order = "run_id, batch, row"
    _rec_name = "order_ref"

    run_id = fields.Many2one(
        "relationship.sync.run", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    batch = fields.Integer(readonly=True, help="Which batch of the run, from 1.")
    row = fields.Integer(readonly=True, help="The row's position in its batch, from 1.")
    order_ref = fields.Char(
        string="Row ID",
        readonly=True,
        help="The id the row named: its order, customer or score id.",
    )
    field_name = fields.Char(string="Field", readonly=True, help="The column at fault.")
    reason = fields.Text(readonly=True)
