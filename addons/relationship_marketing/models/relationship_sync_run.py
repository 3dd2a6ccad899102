# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models

# How long a sync run is kept when the parameter below is not set.
DEFAULT_RETENTION_DAYS = 180
RETENTION_PARAMETER = "relationship_marketing.sync_run_retention_days"
STATUS_COUNTS = ("created", "updated", "unchanged", "rejected")
# What a run sends: the kinds of rm-sync push --kind.
KINDS = [("orders", "Orders"), ("customers", "Customers"), ("scores", "Satisfaction Scores")]


class RelationshipSyncRun(models.Model):
    """One run of a connector: the batches it sent, their counts and rejects.

    Written by ``relationship.purchase.ingest_batch``: every batch that is not
    a dry run lands on a run, the batches that name the same run key (rm-sync
    sends one per run) on the same one.
    """

    _name = "relationship.sync.run"
    _description = "Sync Run"
    _order = "last_batch_at desc, id desc"

    source = fields.Char(required=True, index=True, readonly=True, help="The source system.")
    kind = fields.Selection(
        KINDS,
        string="Sent",
        required=True,
        default="orders",
        readonly=True,
        help="What the run sent: orders (ingest_batch), customers without orders "
        "(ingest_customers) or satisfaction scores (ingest_scores).",
    )
    run_key = fields.Char(
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The connector's identifier of the run; its batches share it.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sent by",
        readonly=True,
        ondelete="set null",
        help="The user the connector signs in as.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    started_at = fields.Datetime(
        string="First batch", required=True, readonly=True, help="When its first batch landed."
    )
    last_batch_at = fields.Datetime(
        string="Last batch", required=True, readonly=True, help="When its last batch landed."
    )
    batch_count = fields.Integer(string="Batches", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    rejected_count = fields.Integer(string="Rejected", readonly=True)
    row_count = fields.Integer(string="Rows", compute="_compute_row_count")
    customer_created_count = fields.Integer(
        string="New customers", readonly=True, help="Customers this run created."
    )
    reject_ids = fields.One2many("relationship.sync.run.reject", "run_id", string="Rejects")

    _sql_constraints = [
        (
            "run_key_unique",
            "UNIQUE(company_id, source, run_key)",
            "A run key names one run per company and source.",
        )
    ]

    @api.depends(*(f"{status}_count" for status in STATUS_COUNTS))
    def _compute_row_count(self):
        for run in self:
            run.row_count = sum(run[f"{status}_count"] for status in STATUS_COUNTS)

    @api.depends("source")
    def _compute_display_name(self):
        for run in self:
            run.display_name = _("Run #%(id)s from %(system)s", id=run.id, system=run.source)

    @api.model
    def _for_batch(self, source, run_key, kind="orders"):
        """The run a batch of ``kind`` lands on: the one of its run key, or a new one."""
        now = fields.Datetime.now()
        company = self.env.company
        if run_key:
            run = self.search(
                [
                    ("company_id", "=", company.id),
                    ("source", "=", source),
                    ("run_key", "=", run_key),
                ],
                limit=1,
            )
            if run:
                return run
        return self.create(
            {
                "source": source,
                "run_key": run_key or False,
                "kind": kind,
                "user_id": self.env.uid,
                "company_id": company.id,
                "started_at": now,
                "last_batch_at": now,
            }
        )

    def _record_batch(self, answer):
        """Add a batch's answer to the run: its counts and, in one create, its rejects."""
        self.ensure_one()
        counts = answer["counts"]
        batch = self.batch_count + 1
        self.write(
            {
                "batch_count": batch,
                "last_batch_at": fields.Datetime.now(),
                **{
                    f"{status}_count": self[f"{status}_count"] + counts.get(status, 0)
                    for status in STATUS_COUNTS
                },
            }
        )
        rejects = [result for result in answer["results"] if result["status"] == "rejected"]
        if rejects:
            self.env["relationship.sync.run.reject"].create(
                [
                    {
                        "run_id": self.id,
                        "batch": batch,
                        "row": result["index"] + 1,
                        "order_ref": result["order_id"] or False,
                        "field_name": result["field"] or False,
                        "reason": result["reason"],
                    }
                    for result in rejects
                ]
            )

    @api.autovacuum
    def _gc_old_runs(self):
        """Delete the runs older than the retention: their rejects hold personal data."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()  # a technical parameter; the vacuum runs as superuser anyway
            .get_param(RETENTION_PARAMETER, DEFAULT_RETENTION_DAYS)
        )
        if days <= 0:
            return
        limit = fields.Datetime.now() - timedelta(days=days)
        self.with_context(active_test=False).search([("last_batch_at", "<", limit)]).unlink()
