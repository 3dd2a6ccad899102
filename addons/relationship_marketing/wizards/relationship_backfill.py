# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

# Documents followed per batch of the cron: one transaction each, so that an
# interrupted back-fill resumes after its last committed batch.
BATCH_SIZE = 1000


class RelationshipBackfill(models.Model):
    """A back-fill of the purchases of Odoo's own documents (sale orders, ...)
    that existed before their bridge was installed: a record of the run, with
    its progress, worked by a cron job in resumable batches."""

    _name = "relationship.backfill"
    _description = "Back-fill from Odoo"
    _order = "id desc"

    name = fields.Char(default=lambda self: _("Back-fill from Odoo"), readonly=True)
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        default=lambda self: self.env.companies,
        help="The companies whose documents are back-filled (the user's companies).",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
    )
    source_cursors = fields.Json(
        readonly=True,
        copy=False,
        help="Technical: the last document id followed, per source.",
    )
    total_count = fields.Integer(string="Documents", readonly=True)
    done_count = fields.Integer(string="Documents Followed", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    date_start = fields.Datetime(string="Started", readonly=True)
    date_done = fields.Datetime(string="Finished", readonly=True)

    @api.depends("total_count", "done_count")
    def _compute_progress(self):
        for backfill in self:
            backfill.progress = (
                100.0 * backfill.done_count / backfill.total_count if backfill.total_count else 0.0
            )

    @api.model
    def _relationship_backfill_sources(self):
        """The documents each installed bridge back-fills: ``{key: (model name,
        domain, method)}``. The runner calls ``method`` on batches of the
        records of ``model`` that ``domain`` selects in the back-fill's
        companies, in id order; the method must be set-based and idempotent
        (a document followed twice changes nothing). Bridges extend it."""
        return {}

    def _relationship_source_domain(self, model, domain):
        return [*domain, ("company_id", "in", self.company_ids.ids)]

    def action_run(self):
        """Start the back-fill (a manager's): count the documents, then let the
        cron job follow them in batches. Callable over XML-RPC."""
        if not self.env.user.has_group("relationship_marketing.group_relationship_manager"):
            raise AccessError(_("Only a relationship manager back-fills the history."))
        sources = self._relationship_backfill_sources()
        for backfill in self.filtered(lambda b: b.state != "running"):
            total = sum(
                # the documents of every user count: the history is the company's
                self.env[model]
                .sudo()
                .search_count(backfill._relationship_source_domain(model, domain))
                for model, domain, _method in sources.values()
            )
            backfill.write(
                {
                    "state": "running",
                    "source_cursors": {},
                    "total_count": total,
                    "done_count": 0,
                    "date_start": fields.Datetime.now(),
                    "date_done": False,
                }
            )
        self.env.ref("relationship_marketing.ir_cron_relationship_backfill")._trigger()
        return True

    def _relationship_run_batch(self):
        """Follow the next batch of one back-fill; ``False`` once it is done."""
        self.ensure_one()
        cursors = dict(self.source_cursors or {})
        for key, (model, domain, method) in self._relationship_backfill_sources().items():
            # the cron's user follows every document of the companies chosen
            records = (
                self.env[model]
                .sudo()
                .search(
                    [
                        *self._relationship_source_domain(model, domain),
                        ("id", ">", cursors.get(key, 0)),
                    ],
                    order="id",
                    limit=BATCH_SIZE,
                )
            )
            if not records:
                continue
            getattr(records, method)()
            cursors[key] = records[-1].id
            self.write({"source_cursors": cursors, "done_count": self.done_count + len(records)})
            return True
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        return False

    @api.model
    def _cron_run_backfills(self):
        """One batch per call; the cron commits it and calls again while
        documents remain (``_notify_progress``), so a stopped server resumes
        where it was."""
        backfill = self.search([("state", "=", "running")], order="id", limit=1)
        if not backfill:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        backfill._relationship_run_batch()
        self.env.flush_all()
        remaining = self.search_count([("state", "=", "running")])
        self.env["ir.cron"]._notify_progress(done=1, remaining=remaining)
