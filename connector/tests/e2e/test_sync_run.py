"""An rm-sync run appears in Odoo as one sync run, with the rows the server rejected."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from test_e2e import run

RUN_FIELDS = [
    "source",
    "batch_count",
    "created_count",
    "updated_count",
    "unchanged_count",
    "rejected_count",
    "customer_created_count",
    "reject_ids",
]


def export_with_one_bad_currency(path: Path, n: int) -> Path:
    """``n`` orders of 10 customers; the order S7 names a currency Odoo does not know."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["order_id", "order_date", "customer_id", "email", "amount", "currency"])
        for i in range(n):
            writer.writerow(
                [
                    f"S{i}",
                    f"2024-03-{1 + i % 28:02d} 10:00:00",
                    f"RUN-C{i % 10}",
                    f"syncrun-c{i % 10}@example.com",
                    f"{10 + i}.50",
                    "XYZ" if i == 7 else "",
                ]
            )
    return path


def sync_runs(odoo, source: str) -> list[dict]:
    return odoo.call(
        "relationship.sync.run",
        "search_read",
        [("source", "=", source)],
        fields=RUN_FIELDS,
        order="id",
    )


def test_a_push_is_one_sync_run_with_its_rejects(e2e_env, tmp_path):
    odoo = e2e_env
    path = export_with_one_bad_currency(tmp_path / "orders.csv", 120)
    args = ("push", str(path), "--source", "syncrun", "--batch-size", "50", "--json")

    dry = run(*args, "--dry-run")
    assert dry.exit_code == 1, dry.output
    assert sync_runs(odoo, "syncrun") == [], "a dry run leaves no sync run"

    result = run(*args)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert (report["created"], report["rejected_server"]) == (119, 1)
    [sync_run] = sync_runs(odoo, "syncrun")
    assert {key: sync_run[key] for key in RUN_FIELDS[:7]} == {
        "source": "syncrun",
        "batch_count": 3,
        "created_count": 119,
        "updated_count": 0,
        "unchanged_count": 0,
        "rejected_count": 1,
        "customer_created_count": 10,
    }
    [reject] = odoo.call(
        "relationship.sync.run.reject",
        "read",
        sync_run["reject_ids"],
        fields=["batch", "row", "order_ref", "field_name", "reason"],
    )
    assert (reject["batch"], reject["row"], reject["order_ref"], reject["field_name"]) == (
        1,
        8,
        "S7",
        "currency",
    )
    assert "XYZ" in reject["reason"]
    [customer] = odoo.call("res.partner", "search", [("email", "=", "syncrun-c3@example.com")])
    [message] = odoo.call(
        "mail.message",
        "search_read",
        [("model", "=", "res.partner"), ("res_id", "=", customer)],
        fields=["body"],
    )
    assert "Created by a sync from syncrun" in message["body"]
    assert f'data-oe-id="{sync_run["id"]}">run #{sync_run["id"]}</a>' in message["body"]

    again = run(*args)
    assert again.exit_code == 1, again.output
    first, second = sync_runs(odoo, "syncrun")
    assert first == sync_run, "a new run is a new sync run"
    assert (second["batch_count"], second["unchanged_count"], second["rejected_count"]) == (
        3,
        119,
        1,
    )
