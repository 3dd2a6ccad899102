# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from .relationship_level_matrix import CUSTOMER_BANDS, LEVELS, MARGIN_BANDS
from .res_company import RELATIONSHIP_SETTINGS, write_relationship_settings


def matrix_field(customers, margin):
    """The settings field of one cell of the level matrix."""
    return f"level_{customers}_{margin}"


MATRIX_FIELDS = {
    matrix_field(customers, margin): (customers, margin)
    for customers, _label in CUSTOMER_BANDS
    for margin, _label2 in MARGIN_BANDS
}


class RelationshipSettings(models.TransientModel):
    """The relationship settings of the current company, for relationship managers.

    Administrators find the same settings in Settings > Relationships; the
    relationship managers, who may not open the general settings, change
    them here (res.company lets them write these fields only).
    """

    _name = "relationship.settings"
    _inherit = "relationship.settings.mixin"
    _description = "Relationship Settings"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        help="The company whose relationship settings these are.",
    )

    # Kotler's matrix as nine cells of one form (rows: number of customers,
    # columns: margin), read from and written to the company's matrix.
    level_many_high = fields.Selection(LEVELS, string="Many Customers, High Margin")
    level_many_medium = fields.Selection(LEVELS, string="Many Customers, Medium Margin")
    level_many_low = fields.Selection(LEVELS, string="Many Customers, Low Margin")
    level_medium_high = fields.Selection(LEVELS, string="Medium Customers, High Margin")
    level_medium_medium = fields.Selection(LEVELS, string="Medium Customers, Medium Margin")
    level_medium_low = fields.Selection(LEVELS, string="Medium Customers, Low Margin")
    level_few_high = fields.Selection(LEVELS, string="Few Customers, High Margin")
    level_few_medium = fields.Selection(LEVELS, string="Few Customers, Medium Margin")
    level_few_low = fields.Selection(LEVELS, string="Few Customers, Low Margin")

    @api.depends("company_id")
    @api.depends_context("relationship_settings_title")
    def _compute_display_name(self):
        # the breadcrumb says what the form is (settings or matrix), not "New" or an id
        title = self.env.context.get("relationship_settings_title") or _("Relationship Settings")
        for settings in self:
            settings.display_name = title

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        wanted = [fname for fname in fields_list if fname in MATRIX_FIELDS]
        if wanted:
            company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
            cells = self.env["relationship.level.matrix"]._levels_by_company(company)[company.id]
            for fname in wanted:
                values[fname] = cells.get(MATRIX_FIELDS[fname])
        return values

    @api.model_create_multi
    def create(self, vals_list):
        write_relationship_settings(self.env, vals_list)
        for vals in vals_list:
            self._write_matrix(self.env["res.company"].browse(vals.get("company_id")), vals)
        return super().create(vals_list)

    def write(self, vals):
        for company in self.company_id:
            write_relationship_settings(self.env, [dict(vals, company_id=company.id)])
            self._write_matrix(company, vals)
        return super().write(
            {key: value for key, value in vals.items() if key not in RELATIONSHIP_SETTINGS}
        )

    @api.model
    def _write_matrix(self, company, vals):
        """Write the changed cells to the company's matrix: one write per level."""
        changed = {
            MATRIX_FIELDS[fname]: level
            for fname, level in vals.items()
            if fname in MATRIX_FIELDS and level
        }
        if not changed:
            return
        company = company or self.env.company
        cells = self.env["relationship.level.matrix"].search([("company_id", "=", company.id)])
        for level in set(changed.values()):
            cells.filtered(
                lambda cell, level=level: (
                    changed.get((cell.customer_band, cell.margin_band)) == level
                    and cell.level != level
                )
            ).write({"level": level})

    @api.model
    def action_open_level_matrix(self):
        """Open the level matrix of the current company as a 3 x 3 grid."""
        return self.action_open(
            "relationship_marketing.relationship_settings_view_form_matrix", _("Level Matrix")
        )

    @api.model
    def action_open(self, view_xmlid=None, name=None):
        """Open the settings of the current company, ready to edit: the record
        exists already, so that the form shows no "New" and no New button."""
        settings = self.create({"company_id": self.env.company.id})
        view = self.env.ref(view_xmlid) if view_xmlid else self.env["ir.ui.view"]
        return {
            "type": "ir.actions.act_window",
            "name": name or _("Relationship Settings"),
            "res_model": self._name,
            "res_id": settings.id,
            "views": [(view.id or False, "form")],
            "target": "current",
            "context": {"relationship_settings_title": name or _("Relationship Settings")},
        }

    def action_save(self):
        """The values are saved with the record; say so."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("The relationship settings of %s are saved.", self.company_id.name),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
