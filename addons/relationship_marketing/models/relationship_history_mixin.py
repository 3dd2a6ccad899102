# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.tools import SQL


class RelationshipHistoryMixin(models.AbstractModel):
    """A log of the relationship: the addon writes it, people read it.

    Users may not create, change or delete its lines (access rights); a
    manager may correct or delete one, and each correction is posted on the
    customer's chatter: who changed which line, from what to what.
    """

    _name = "relationship.history.mixin"
    _description = "Relationship History"

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        fnames = [fname for fname in vals if fname in self._fields]
        before = {line.id: line._relationship_display(fnames) for line in self}
        result = super().write(vals)
        for line in self:
            after = line._relationship_display(fnames)
            changes = [
                f"{self._fields[fname].string}: {before[line.id][fname]} → {after[fname]}"
                for fname in fnames
                if before[line.id][fname] != after[fname]
            ]
            if changes:
                line._relationship_post_correction(
                    _(
                        "%(user)s corrected the %(log)s line %(line)s: %(changes)s",
                        user=self.env.user.name,
                        log=self._description,
                        line=line.display_name,
                        changes="; ".join(changes),
                    )
                )
        return result

    def unlink(self):
        if not self.env.su:
            for line in self:
                line._relationship_post_correction(
                    _(
                        "%(user)s deleted the %(log)s line %(line)s.",
                        user=self.env.user.name,
                        log=self._description,
                        line=line.display_name,
                    )
                )
        return super().unlink()

    def _relationship_redate(self, date_of):
        """Move these automatic lines to the dates ``date_of`` gives, in one
        statement: the addon corrects its own log when an older purchase
        arrives after a newer one (not a person's correction, so no trace on
        the chatter).

        :param dict date_of: ``{line id: datetime}``
        """
        if not date_of:
            return self
        self.flush_recordset(["date"])
        self.env.execute_query(
            SQL(
                """UPDATE %s AS h SET date = v.date
                     FROM (VALUES %s) AS v(id, date) WHERE h.id = v.id""",
                SQL.identifier(self._table),
                SQL(", ").join(
                    SQL("(%s, %s::timestamp)", line_id, date) for line_id, date in date_of.items()
                ),
            )
        )
        self.invalidate_recordset(["date"])
        return self

    def _relationship_display(self, fnames):
        self.ensure_one()
        return {
            fname: self._fields[fname].convert_to_display_name(self[fname], self) or ""
            for fname in fnames
        }

    def _relationship_post_correction(self, body):
        self.ensure_one()
        # The trace of a manager's correction lands on the customer whatever
        # the manager may do on the contact itself; its author is the manager.
        self.partner_id.sudo().message_post(
            body=body, subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id
        )
