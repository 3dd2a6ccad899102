# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..tools.batch import write_each
from ..tools.kind_ingest import answer, ingest_kind_batch, parse_kind_rows, rejected
from ..tools.kind_rows import parse_score_row
from .res_partner import RELATIONSHIP_GROUP

# The column that names the customer, for each kind of key of the matching.
KEY_COLUMNS = {"ref": "customer_id", "partner_ref": "partner_ref", "email": "email", "vat": "vat"}


class RelationshipSatisfaction(models.Model):
    """Ingestion of the scores of a survey tool: the same rows sent twice land once."""

    _inherit = "relationship.satisfaction"  # pylint: disable=consider-merging-classes-inherited

    external_id = fields.Char(
        string="Score ID",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The score's id in the system it came from (its source).",
    )

    _sql_constraints = [
        (
            "source_external_company_uniq",
            "UNIQUE(source, external_id, company_id)",
            "A source system's score id names one satisfaction score per company.",
        ),
    ]

    @api.model
    def _relationship_can_ingest_scores(self):
        return self.env.user.has_group(RELATIONSHIP_GROUP) and self.has_access("create")

    @api.model
    def ingest_scores(self, rows, source, dry_run=False, run_key=False):
        """Land a batch of satisfaction scores from one source system.

        Each row carries its ``score_id`` (the source's id of the score), the
        ``date`` it was given, the ``score`` on its ``scale`` (``nps``, 0-10,
        the default, or ``csat``, 1-5, stretched onto 0-10 as the survey
        bridge does) and a ``comment``. Its customer is matched as an order's
        is (the source's customer id, then ``partner_ref``, email, VAT); a
        score of an unknown customer is rejected, not given a new contact.
        A new score is created as one entered by hand, so a low one triggers
        the same (the relationship at risk, the follow-up rules); a score
        sent again with other values updates it, the same one is answered
        ``unchanged``.

        :return: ``{"source", "dry_run", "counts", "results"}``; each result has
            ``index``, ``score_id``, ``status``, ``satisfaction_id``,
            ``partner_id`` and, when rejected, the ``field`` and the ``reason``
        """
        if not self._relationship_can_ingest_scores():
            raise AccessError(
                _(
                    "You are not allowed to send satisfaction scores: "
                    "the group 'Relationship: User' is required."
                )
            )
        return ingest_kind_batch(
            self,
            "scores",
            rows,
            source,
            dry_run,
            run_key,
            "score_id",
            type(self)._relationship_land_scores,
            {"satisfaction_id": False, "partner_id": False},
        )

    def _relationship_land_scores(self, rows, todo, results, source):
        Purchase = self.env["relationship.purchase"]
        company = self.env.company
        parsed = parse_kind_rows(
            rows, todo, results, parse_score_row, "score_id",
            satisfaction_id=False, partner_id=False,
        )  # fmt: skip
        known, _refs = Purchase._relationship_known_customers(parsed, source)
        partner_of_row = {}
        for index, row in list(parsed.items()):
            keys = Purchase._relationship_customer_keys(row)
            partner = next((known[key] for key in keys if key in known), None)
            if partner is not None:
                partner_of_row[index] = partner
                continue
            named = ", ".join(f"{KEY_COLUMNS[kind]} {value}" for kind, value in keys)
            results[index] = rejected(
                index,
                "score_id",
                row.score_id,
                KEY_COLUMNS[keys[0][0]],
                _(
                    "%(column)s: no customer of %(company)s with %(named)s: push the customer "
                    "first (rm-sync push --kind customers) or an order of theirs",
                    column=KEY_COLUMNS[keys[0][0]],
                    company=company.name,
                    named=named,
                ),
                satisfaction_id=False,
                partner_id=False,
            )
            del parsed[index]

        existing = {
            score.external_id: score
            for score in self.search(
                [
                    ("source", "=", source),
                    ("company_id", "=", company.id),
                    ("external_id", "in", [row.score_id for row in parsed.values()]),
                ]
            )
        }
        to_create, to_update, status_of = [], {}, {}
        for index, row in parsed.items():
            vals = {
                "partner_id": partner_of_row[index].id,
                "date": row.date,
                "score": row.score,
                "comment": row.comment or False,
            }
            score = existing.get(row.score_id)
            if score is None:
                to_create.append((index, vals))
            elif self._relationship_score_differs(score, vals):
                to_update[score.id] = vals
                status_of[index] = ("updated", score)
            else:
                status_of[index] = ("unchanged", score)
        created = self.create(
            [
                dict(vals, source=source, external_id=parsed[index].score_id, company_id=company.id)
                for index, vals in to_create
            ]
        )
        for (index, _vals), score in zip(to_create, created, strict=True):
            status_of[index] = ("created", score)
        updated = self.browse(list(to_update))
        # The customers who lose a moved score are refreshed as well.
        before = updated.partner_id
        write_each(self.with_context(relationship_phases_later=True), to_update)
        (before | updated.partner_id)._relationship_refresh_phases(
            reason=_("Satisfaction score changed")
        )
        self.env.flush_all()
        for index, (status, score) in status_of.items():
            results[index] = answer(
                index,
                "score_id",
                parsed[index].score_id,
                status,
                satisfaction_id=score.id,
                partner_id=score.partner_id.id,
            )

    @staticmethod
    def _relationship_score_differs(score, vals):
        return (
            score.partner_id.id != vals["partner_id"]
            or score.date != vals["date"]
            or round(score.score, 1) != round(vals["score"], 1)
            or (score.comment or False) != vals["comment"]
        )
