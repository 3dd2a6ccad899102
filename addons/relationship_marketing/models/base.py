# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..tools.batch import write_multi_in_one_statement


class Base(models.AbstractModel):
    _inherit = "base"

    def _write_multi(self, vals_list):
        # An ingestion batch flushes each table in one statement, whatever
        # its size and whichever columns each row changes (tools/batch.py);
        # anything else goes the ORM's way.
        if write_multi_in_one_statement(self, vals_list):
            return None
        return super()._write_multi(vals_list)
