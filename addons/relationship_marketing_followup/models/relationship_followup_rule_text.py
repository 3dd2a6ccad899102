# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a follow-up rule's activity says: its placeholders, filled."""

from odoo import fields, models
from odoo.tools import format_date, formatLang

from ..tools.placeholders import placeholders_in, render


# One concern of the rule per file, as Odoo's mail splits mail.thread.
class RelationshipFollowupRule(models.Model):
    _inherit = "relationship.followup.rule"  # pylint: disable=consider-merging-classes-inherited

    def _followup_placeholder_values(self, partner, facts, date_due, extra, names=None, memo=None):
        """The values of the placeholders for one occurrence.

        :param names: compute only these placeholders (those the templates use,
            see :meth:`_followup_placeholder_names`); all by default
        :param memo: a dict shared by the occurrences of a batch, so that each
            date, amount and label is formatted once per language
        """
        self.ensure_one()
        env = self.env
        memo = {} if memo is None else memo

        def memoized(key, compute):
            key = (env.lang, *key)
            if key not in memo:
                memo[key] = compute()
            return memo[key]

        def date_text(value):
            return memoized(("date", value), lambda: format_date(env, value)) if value else ""

        def label(fname, code):
            return memoized(
                ("label", fname, code),
                lambda: env["res.partner"]._relationship_followup_label(fname, code),
            )

        def name():
            return partner.name or partner.display_name or ""

        def days_quiet():
            last = partner.relationship_last_purchase
            if not last:
                return ""
            today = memoized(("today",), lambda: fields.Date.context_today(self))
            return (today - last).days

        def revenue():
            currency = self.company_id.currency_id
            amount = partner.relationship_revenue
            return memoized(
                ("money", currency.id, amount),
                lambda: formatLang(env, amount, currency_obj=currency),
            )

        # Partners come prefetched together: each field read below is one
        # query for the whole batch, not one per customer.
        getters = {
            "name": name,
            "first_name": lambda: name() if partner.is_company else (name().split() or [""])[0],
            "company": lambda: self.company_id.name,
            "stage": lambda: partner.relationship_stage_id.name or "",
            "level": lambda: label("relationship_level", facts["level"]),
            "phase": lambda: label("relationship_phase", facts["phase"]),
            "first_purchase": lambda: date_text(partner.relationship_first_purchase),
            "last_purchase": lambda: date_text(partner.relationship_last_purchase),
            "days_quiet": days_quiet,
            "orders": lambda: partner.relationship_order_count,
            "revenue": revenue,
            "birthday": lambda: date_text(partner.relationship_birthday),
            "tags": lambda: ", ".join(partner.category_id.mapped("name")),
            "salesperson": lambda: (
                (partner.user_id or partner.commercial_partner_id.user_id).name or ""
            ),
            "key_account_manager": lambda: partner.relationship_key_account_manager_id.name or "",
            "due_date": lambda: date_text(date_due),
            "years": lambda: "",
            "score": lambda: "",
            "programme": lambda: "",
            "complaint": lambda: "",
        }
        if names is not None:
            getters = {key: getter for key, getter in getters.items() if key in names}
        values = {key: getter() for key, getter in getters.items()}
        values.update(extra)
        return values

    def _followup_placeholder_names(self):
        """The placeholders that the summary and note use (in the context's language)."""
        self.ensure_one()
        return placeholders_in(self.summary or self.name) | placeholders_in(self.note)

    def _followup_texts(self, values):
        """Summary and note of an activity, placeholders filled.

        ``self`` is in the language of the assignee.
        """
        self.ensure_one()
        summary = render(self.summary or self.name, values)
        return summary[:256], render(self.note, values, html=True)
