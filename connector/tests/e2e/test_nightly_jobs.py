"""The optional addon relationship_marketing_queue against a real Odoo and its
job runner: the nightly recomputation cut into jobs that the runner executes.

It sits with the connector's end-to-end tests because they are the project's
suite that starts a real Odoo server. Skipped, with the reason, where OCA's
``queue_job`` is not installed (``pip install odoo-addon-queue-job``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from odoo_server import OdooServer, addon_missing

CUSTOMERS = 30
RANGE_SIZE = 10


_MISSING = addon_missing("queue_job")
pytestmark = pytest.mark.skipif(
    bool(_MISSING), reason=f"job-queue test skipped: {_MISSING} (pip install odoo-addon-queue-job)"
)


@pytest.fixture
def odoo_with_jobs(tmp_path) -> Iterator[OdooServer]:
    server = OdooServer(tmp_path / "odoo")
    try:
        server.create_db(modules="relationship_marketing_queue")
        # The job runner runs in the server (threaded mode), and calls it back
        # over HTTP to run each job; two ranges at a time.
        server.start(
            extra=("--load=base,web,queue_job",),
            env={
                "ODOO_QUEUE_JOB_CHANNELS": "root:2,root.relationship:2",
                "ODOO_QUEUE_JOB_HOST": "127.0.0.1",
                "ODOO_QUEUE_JOB_PORT": str(server.port),
            },
        )
        yield server
    finally:
        server.drop()


def _xmlid(odoo: OdooServer, module: str, name: str) -> int:
    rows = odoo.call(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    return rows[0]["res_id"]


def _night(odoo: OdooServer, timeout: float = 180) -> list[dict]:
    """The night's jobs, once none of them is waiting or running any more."""
    deadline = time.monotonic() + timeout
    while True:
        jobs = odoo.call(
            "queue.job",
            "search_read",
            [("model_name", "=", "res.partner")],
            fields=["method_name", "state", "date_started", "date_done", "result"],
            order="id",
        )
        if jobs and all(job["state"] in ("done", "failed", "cancelled") for job in jobs):
            return jobs
        if time.monotonic() > deadline:
            raise AssertionError(f"the night's jobs did not finish: {jobs}\n{odoo.log_tail()}")
        time.sleep(0.5)


def test_the_night_runs_as_jobs_of_the_job_runner(odoo_with_jobs: OdooServer) -> None:
    odoo = odoo_with_jobs
    rows = [
        {
            "order_id": f"N-{n}-{k}",
            "order_date": f"2026-0{k + 1}-10 10:00:00",
            "customer_id": f"NC-{n}",
            "email": f"night{n}@example.com",
            "name": f"Night Customer {n}",
            "amount": 50,
        }
        for n in range(CUSTOMERS)
        for k in range(2)
    ]
    answer = odoo.call("relationship.purchase", "ingest_batch", rows, "shop")
    assert answer["counts"]["created"] == 2 * CUSTOMERS
    partner_ids = sorted({result["partner_id"] for result in answer["results"]})
    # A consultant makes the Client rung easier: the night moves everyone up.
    client = odoo.call("relationship.stage", "search_read", [("name", "=", "Client")], fields=[])
    odoo.call(
        "relationship.stage", "write", [client[0]["id"]], {"min_order_count": 2, "min_revenue": 75}
    )

    def stages() -> set[str]:
        partners = odoo.call("res.partner", "read", partner_ids, ["relationship_stage_id"])
        return {partner["relationship_stage_id"][1] for partner in partners}

    assert stages() == {"Repeat customer"}
    cron_id = _xmlid(odoo, "relationship_marketing_queue", "ir_cron_relationship_refresh_jobs")
    odoo.call(
        "ir.cron",
        "write",
        [cron_id],
        {"code": f"model._cron_relationship_refresh_jobs(range_size={RANGE_SIZE})"},
    )
    odoo.call("ir.cron", "method_direct_trigger", [cron_id])

    jobs = _night(odoo)
    ranges = [job for job in jobs if job["method_name"] == "_relationship_nightly_range_job"]
    ends = [job for job in jobs if job["method_name"] == "_relationship_nightly_end_job"]
    assert [job["state"] for job in jobs] == ["done"] * len(jobs), jobs
    assert len(ranges) >= CUSTOMERS // RANGE_SIZE
    assert len(ends) == 1
    assert ends[0]["date_started"] >= max(job["date_done"] for job in ranges), (
        "the end runs after every range"
    )
    assert stages() == {"Client"}
    moves = odoo.call(
        "relationship.stage.history",
        "search_read",
        [("partner_id", "in", partner_ids), ("stage_to_id", "=", client[0]["id"])],
        fields=["move_type", "reason"],
    )
    assert len(moves) == CUSTOMERS
    assert {(move["move_type"], move["reason"]) for move in moves} == {
        ("automatic", "Nightly recomputation")
    }
