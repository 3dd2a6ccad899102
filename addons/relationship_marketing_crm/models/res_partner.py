# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _relationship_ladder_figures(self, company):
        stages, figures = super()._relationship_ladder_figures(company)
        if any(stages.mapped("require_interest")):
            # Buyers have shown interest, and so have the contacts put on the
            # ladder already (by hand, or by an earlier lead); only the others
            # need a look at CRM (so that an ingestion batch of buyers costs no
            # query more).
            others = self.filtered(
                lambda partner: (
                    not partner.relationship_stage_id
                    and not any(figures[partner.id]["orders"].values())
                    and not partner.relationship_order_count
                )
            )
            interested = others._relationship_with_open_leads(company)
            for partner in self:
                figures[partner.id]["interest"] = partner not in others or partner in interested
        return stages, figures

    def _relationship_with_open_leads(self, company):
        """Those of these partners who have an open lead or opportunity (theirs, or
        of one of their contacts) in ``company``, in one query."""
        if not self:
            return self.browse()
        # Placing a customer on the ladder reads whether it has an open lead,
        # whoever recomputes it (the connector's user may not read CRM); no
        # lead is shown or changed.
        groups = (
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [
                    "|",
                    ("partner_id", "in", self.ids),
                    ("partner_id.commercial_partner_id", "in", self.ids),
                    ("company_id", "in", [company.id, False]),
                    ("stage_id.is_won", "=", False),
                ],
                ["partner_id"],
            )
        )
        lead_partners = self.browse([partner.id for [partner] in groups]).with_env(self.env)
        return self & (lead_partners | lead_partners.commercial_partner_id)

    def _relationship_opportunity_reasons(self):
        """Why each of these customers is a key customer: ``{partner id: [reasons]}``."""
        reasons = {}
        for partner in self:
            why = []
            if partner.relationship_pareto:
                why.append(_("a top customer"))
            if partner.relationship_level_gap:
                why.append(_("the relationship is below its recommended level"))
            if partner.relationship_advocate_suggested:
                why.append(_("a promoter who could recommend us"))
            reasons[partner.id] = why
        return reasons

    def action_relationship_create_opportunity(self):
        """Alert the sales team: an opportunity for each of these key customers.

        Assigned to the customer's salesperson and sales team; a customer who
        has an open opportunity already gets none. One ``create`` for all.
        """
        with_open = self._relationship_open_opportunity_partners()
        todo = self - with_open
        reasons = todo._relationship_opportunity_reasons()
        Lead = self.env["crm.lead"]
        opportunities = Lead.create(
            [
                {
                    "type": "opportunity",
                    "name": _("Opportunity with %s", partner.display_name),
                    "partner_id": partner.id,
                    "user_id": partner.user_id.id,
                    "team_id": partner._relationship_sales_team().id,
                    "company_id": (partner.company_id or self.env.company).id,
                    "description": _("Key customer: %s.", ", ".join(reasons[partner.id]))
                    if reasons[partner.id]
                    else False,
                }
                for partner in todo
            ]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_action_pipeline")
        action.update(
            {
                "domain": [("id", "in", opportunities.ids)],
                "view_mode": "list,form,kanban",
                "views": [(False, "list"), (False, "form"), (False, "kanban")],
                "context": {"create": False},
            }
        )
        if with_open:
            action["help"] = _(
                "%(count)s customer(s) had an open opportunity already: %(names)s",
                count=len(with_open),
                names=", ".join(with_open.mapped("display_name")),
            )
        return action

    def _relationship_open_opportunity_partners(self):
        opportunities = self.env["crm.lead"].search(
            [
                ("type", "=", "opportunity"),
                ("partner_id", "in", self.ids),
                ("stage_id.is_won", "=", False),
            ]
        )
        return opportunities.partner_id & self

    def _relationship_sales_team(self):
        self.ensure_one()
        team = self["team_id"] if "team_id" in self._fields else self.env["crm.team"]
        return team or self.user_id.sale_team_id
