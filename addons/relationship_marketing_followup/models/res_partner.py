# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models

from odoo.addons.relationship_marketing.models.res_partner import RELATIONSHIP_PREFETCH

from .relationship_followup_rule_date import next_yearly

RELATIONSHIP_GROUP = "relationship_marketing.group_relationship_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    relationship_next_birthday = fields.Date(
        string="Next Birthday",
        compute="_compute_relationship_next_dates",
        store=True,
        index="btree_not_null",
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The customer's next birthday (February 29 falls on February 28 in common "
        "years). Kept current by the daily follow-up run.",
    )
    relationship_next_anniversary = fields.Date(
        string="Next Anniversary",
        compute="_compute_relationship_next_dates",
        store=True,
        index="btree_not_null",
        groups=RELATIONSHIP_GROUP,
        prefetch=RELATIONSHIP_PREFETCH,
        help="The next anniversary of the customer's first purchase. Kept current by "
        "the daily follow-up run.",
    )
    relationship_followup_occurrence_ids = fields.One2many(
        "relationship.followup.occurrence",
        "partner_id",
        string="Follow-ups",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_followup_open_count = fields.Integer(
        string="Open Follow-ups",
        compute="_compute_relationship_followup_open_count",
        groups=RELATIONSHIP_GROUP,
        help="Follow-up activities of the playbook that are still to do.",
    )

    @api.depends("relationship_birthday", "relationship_first_purchase")
    def _compute_relationship_next_dates(self):
        # The server's day: the daily run moves past dates on, whatever the
        # time zone of whoever changed a birthday.
        today = fields.Date.today()
        for partner in self:
            partner.relationship_next_birthday = next_yearly(partner.relationship_birthday, today)
            partner.relationship_next_anniversary = next_yearly(
                partner.relationship_first_purchase, today
            )

    def _compute_relationship_followup_open_count(self):
        counts = dict(
            self.env["relationship.followup.occurrence"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "open")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.relationship_followup_open_count = counts.get(partner, 0)

    def _relationship_followup_facts(self, programmes=True):
        """What the rules look at besides plain fields, per partner, in a constant
        number of queries: the company whose playbook applies (that of the
        customer's ladder), the level (no level counts as Basic) and, when
        ``programmes``, the programmes the customer is an active member of."""
        memberships = defaultdict(set)
        if programmes and self.ids:
            for partner, programme in self.env["relationship.membership"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "active")],
                ["partner_id", "programme_id"],
            ):
                memberships[partner.id].add(programme.id)
        return {
            partner.id: {
                "company": partner.relationship_stage_id.company_id
                or partner.company_id
                or self.env.company,
                "level": partner.relationship_level or "basic",
                "phase": partner.relationship_phase,
                "programmes": memberships[partner.id],
            }
            for partner in self
        }

    def _relationship_followup_label(self, fname, code):
        """The label of a selection value of the partner, in the environment's language."""
        if not code:
            return ""
        return dict(self._fields[fname]._description_selection(self.env)).get(code, "")

    def _relationship_roll_next_dates(self, today):
        """Move past next birthdays and anniversaries to their next year."""
        # Searched, not filtered: most customers have nothing to move, and their
        # dates need not be read.
        stale = self.with_context(active_test=False).search(
            [
                ("id", "in", self.ids),
                "|",
                ("relationship_next_birthday", "<", today),
                ("relationship_next_anniversary", "<", today),
            ]
        )
        if stale:
            for fname in ("relationship_next_birthday", "relationship_next_anniversary"):
                self.env.add_to_compute(self._fields[fname], stale)
            stale.flush_recordset(["relationship_next_birthday", "relationship_next_anniversary"])
        return stale

    def action_relationship_followup_preview(self):
        """The customer's next follow-ups, and a way to schedule one by hand."""
        self.ensure_one()
        # As the caller, before the preview reads the customer and the playbook
        # with the automation's rights: only a customer the caller may read.
        self.check_access("read")
        return self.env["relationship.followup.preview"]._open_for(self)
