# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The performance changes the benchmark proposes, applied to a COPY of the addons.

    python3 bench/run.py --size large --proposed      # measure the addons with them
    python3 bench/proposed.py /tmp/some_copy/addons    # apply them to a copy by hand

Never run on the repository's own addons folder: the files belong to their
authors, who take the changes over (or not). Each change is a regular
expression on the code as it was when written; the script says which ones
applied, so that a change already made (or code that moved) shows up.

1. Group records with ``recordset.grouped()`` or lists of ids, not ``|=`` in a
   loop: each union copies the recordset, which is quadratic in the batch
   (5,000 customers per call: about two thirds of the nightly cron's CPU time).
2. RFM scores: write only the rows whose scores change (the UPDATE rewrote
   every customer every night).
3. Follow-up events: keep the prefetch set when picking an event's partner
   (``browse(id)`` makes a record whose prefetch set is itself: one query per
   customer for its tags).
4. Purchase figures: one set-based statement per night in the cron's first
   call (``_relationship_refresh_figures``), writing only the customers whose
   figures differ, instead of rebuilding them through the ORM.
5. Stuck customers (dashboard): search, and compute the days in stage, from
   the partner's stored, indexed "In Stage Since" date and each stage's limit,
   instead of the time-in-stage view (a window function over the whole stage
   history at each read).
"""

import re
import sys
from pathlib import Path

CORE = "relationship_marketing/models/"
FOLLOWUP = "relationship_marketing_followup/models/"

BY_COMPANY = (
    r"^(\s+)by_company = defaultdict\(lambda: (?:self|partners)\.browse\(\)\)\n"
    r"\1for partner in ([^\n:]+):\n"
    r"\1    by_company\[partner\.company_id or self\.env\.company\] \|= partner\n"
)
GROUPED = r"\1by_company = (\2).grouped(lambda p: p.company_id or self.env.company)\n"

CHANGES = [
    # 1. grouping without quadratic unions
    (CORE + "res_partner.py", BY_COMPANY, GROUPED),
    (CORE + "relationship_programme.py", BY_COMPANY, GROUPED),
    (
        CORE + "res_partner.py",
        r"^(\s+)targets = defaultdict\(lambda: self\.browse\(\)\)\n"
        r"(\1for partner in company_partners:)",
        r"\1targets = defaultdict(list)\n\2",
    ),
    (
        CORE + "res_partner.py",
        r"^(\s+)targets\[target\] \|= partner\n"
        r"(\s+)for target, stage_partners in targets\.items\(\):\n",
        r"\1targets[target].append(partner.id)\n"
        r"\2for target, target_ids in targets.items():\n"
        r"\2    stage_partners = self.browse(target_ids)\n",
    ),
    (
        CORE + "relationship_membership.py",
        r"defaultdict\(lambda: self\.browse\(\)\)",
        "defaultdict(list)",
    ),
    (
        CORE + "relationship_membership.py",
        r"targets\[tier\] \|= membership",
        "targets[tier].append(membership.id)",
    ),
    (
        CORE + "relationship_membership.py",
        r"^(\s+)for tier, tier_memberships in targets\.items\(\):\n",
        r"\1for tier, tier_ids in targets.items():\n"
        r"\1    tier_memberships = self.browse(tier_ids)\n",
    ),
    # 2. scores: only the rows that change
    (
        CORE + "res_partner.py",
        r"^(\s+)WHERE p\.id = s\.id\n",
        r"\1WHERE p.id = s.id\n"
        r"\1  AND (p.relationship_recency_score, p.relationship_frequency_score,\n"
        r"\1       p.relationship_monetary_score)\n"
        r"\1      IS DISTINCT FROM (s.recency, s.frequency, s.monetary)\n",
    ),
    # 3. follow-up events keep their prefetch set
    (
        FOLLOWUP + "relationship_followup_rule.py",
        r"partners\.browse\(event\[\"partner\"\]\.id\)(?!\.with_prefetch)",
        r'partners.browse(event["partner"].id).with_prefetch(partners._prefetch_ids)',
    ),
    # 4. the cron rebuilds the purchase figures in one statement (method below)
    (
        CORE + "res_partner.py",
        r"^(\s+)for company in companies:\n(\s+)self\._relationship_refresh_scores\(company\)\n",
        r"\1for company in companies:\n\2self._relationship_refresh_figures(company)\n"
        r"\2self._relationship_refresh_scores(company)\n",
    ),
]

FIGURES_METHOD = '''    @api.model
    def _relationship_refresh_figures(self, company):
        """Rebuild the stored purchase figures of a company's customers in one statement.

        Only the rows whose figures differ are written; the fields computed
        from them are then recomputed through the ORM for those customers.
        """
        self.env["relationship.purchase"].flush_model(
            ["partner_id", "company_id", "amount_company", "margin_company", "date_order"]
        )
        fnames = [
            "relationship_order_count", "relationship_revenue", "relationship_average_order",
            "relationship_margin", "relationship_margin_rate",
            "relationship_first_purchase", "relationship_last_purchase",
        ]
        self.flush_model(fnames)
        rows = self.env.execute_query(SQL(
            """
            WITH f AS (
                SELECT p.id,
                       COUNT(o.id) AS orders,
                       COALESCE(SUM(o.amount_company), 0) AS revenue,
                       COALESCE(SUM(o.margin_company), 0) AS margin,
                       MIN(o.date_order)::date AS first,
                       MAX(o.date_order)::date AS last
                  FROM res_partner p
                  LEFT JOIN relationship_purchase o ON o.partner_id = p.id
                 WHERE p.company_id = %(company)s OR p.company_id IS NULL
                 GROUP BY p.id
                HAVING COUNT(o.id) > 0 OR COALESCE(MAX(p.relationship_order_count), 0) > 0
            )
            UPDATE res_partner p
               SET relationship_order_count = f.orders,
                   relationship_revenue = f.revenue,
                   relationship_average_order = CASE WHEN f.orders > 0
                        THEN ROUND(f.revenue / f.orders, 2) ELSE 0 END,
                   relationship_margin = f.margin,
                   relationship_margin_rate = CASE WHEN f.revenue > 0
                        THEN 100.0 * f.margin / f.revenue ELSE 0 END,
                   relationship_first_purchase = f.first,
                   relationship_last_purchase = f.last
              FROM f
             WHERE p.id = f.id
               AND (COALESCE(p.relationship_order_count, 0), COALESCE(p.relationship_revenue, 0),
                    COALESCE(p.relationship_margin, 0), p.relationship_first_purchase,
                    p.relationship_last_purchase)
                   IS DISTINCT FROM (f.orders, f.revenue, f.margin, f.first, f.last)
         RETURNING p.id
            """,
            company=company.id,
        ))
        changed = self.browse([row[0] for row in rows])
        self.invalidate_model(fnames)
        if changed:
            changed.modified(fnames)
        return changed

'''
STUCK_SEARCH = """    def _search_relationship_stuck(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Stuck customers can only be searched as 'is set' or 'is not set'."))
        from datetime import timedelta

        from odoo.osv import expression

        now = fields.Datetime.now()
        # The ladder is configuration that every search must read.
        stages = (
            self.env["relationship.stage"]
            .sudo()
            .with_context(active_test=False)
            .search([("stuck_after_days", ">", 0)])
        )
        domain = expression.OR(
            [
                [
                    ("relationship_stage_id", "=", stage.id),
                    ("relationship_stage_date", "<", now - timedelta(days=stage.stuck_after_days)),
                ]
                for stage in stages
            ]
        ) if stages else expression.FALSE_DOMAIN
        return domain if (operator == "=") == value else ["!", *domain]
"""
STAGE_DAYS = """    def _compute_relationship_stage_days(self):
        now = fields.Datetime.now()
        for partner in self:
            stage, since = partner.relationship_stage_id, partner.relationship_stage_date
            days = (now - since).total_seconds() / 86400.0 if stage and since else 0.0
            partner.relationship_stage_days = int(days)
            partner.relationship_stuck = bool(
                stage.stuck_after_days and days > stage.stuck_after_days
            )
"""
STAGE_DAYS_PATTERN = (
    r"    def _compute_relationship_stage_days\(self\):\n.*?"
    r"partner\.relationship_stuck = bool\(stay and stay\.is_stuck\)\n"
)
STUCK_PATTERN = (
    r"    def _search_relationship_stuck\(self, operator, value\):\n.*?"
    r"return \[\(\"id\", \"in\" if \(operator == \"=\"\) == value else \"not in\", stuck\)\]\n"
)

SCORES_MARKER = "    @api.model\n    def _relationship_refresh_scores(self, company):"


def apply(root):
    """Apply the changes to the addons folder ``root``; return what applied."""
    root = Path(root)
    applied = []
    for path, pattern, replacement in CHANGES:
        file = root / path
        if not file.is_file():
            continue
        text = file.read_text()
        new, count = re.subn(pattern, replacement, text, flags=re.M)
        if count:
            file.write_text(new)
            applied.append(f"{path}: {count} x {pattern[:60]!r}")
    stuck = root / "relationship_marketing_dashboard/models/res_partner.py"
    if stuck.is_file():
        text = stuck.read_text()
        new, count = re.subn(STUCK_PATTERN, lambda _m: STUCK_SEARCH, text, flags=re.S)
        new, days = re.subn(STAGE_DAYS_PATTERN, lambda _m: STAGE_DAYS, new, flags=re.S)
        if count or days:
            stuck.write_text(new)
            applied.append(
                "relationship_marketing_dashboard/models/res_partner.py: stuck search "
                f"({count}) and days in stage ({days}) from the partner's stage date"
            )
    partner = root / CORE / "res_partner.py"
    text = partner.read_text() if partner.is_file() else ""
    if (
        "self._relationship_refresh_figures(company)" in text
        and "def _relationship_refresh_figures" not in text
        and SCORES_MARKER in text
    ):
        partner.write_text(text.replace(SCORES_MARKER, FIGURES_METHOD + SCORES_MARKER))
        applied.append(f"{CORE}res_partner.py: _relationship_refresh_figures")
    return applied


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for line in apply(sys.argv[1]):
        print(line)


if __name__ == "__main__":
    main()
