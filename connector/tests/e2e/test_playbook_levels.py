"""The shipped playbook against a real Odoo, fed by rm-sync (issue 17's story).

Orders of 150 mass customers pushed with a ``salesperson`` column create no
activity: they are Basic, and the salesperson simply sells. Once ten of them
are set to Accountable, their next orders create the after-sale call on that
salesperson, and nothing lands on the administrator.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from odoo_server import OdooServer

from rm_sync.cli import cli

CUSTOMERS = 150
FOLLOWUPS_OF_INGESTION = "relationship_marketing_followup.ir_cron_relationship_followup_purchases"


@pytest.fixture
def odoo_with_playbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OdooServer]:
    server = OdooServer(tmp_path / "odoo")
    try:
        server.create_db(modules="relationship_marketing_followup")
        server.start()
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("RM_SYNC_STATE_DIR", str(tmp_path / "state"))
        yield server
    finally:
        server.drop()


def push_orders(path: Path, prefix: str, order_date: str) -> dict:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["order_id", "order_date", "customer_id", "email", "name", "amount",
                         "salesperson"])  # fmt: skip
        for n in range(CUSTOMERS):
            writer.writerow([f"{prefix}-{n}", order_date, f"C-{n}", f"mass{n}@example.com",
                             f"Mass {n}", 40, "sam"])  # fmt: skip
    result = CliRunner().invoke(
        cli, ["push", str(path), "--source", "shop", "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def days_ago(days: int) -> str:
    """A recent order date: follow-ups of events older than their window are not made."""
    moment = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days, minutes=5)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def follow_up_ingestion(odoo: OdooServer) -> None:
    """Run the job that makes the follow-ups of ingested purchases, as the
    running server's cron does after each batch (crons are off in this server)."""
    module, name = FOLLOWUPS_OF_INGESTION.split(".")
    [ref] = odoo.call(
        "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )  # fmt: skip
    odoo.call("ir.cron", "method_direct_trigger", [ref["res_id"]])


def activities_by_user(odoo: OdooServer, partner_ids: list[int]) -> Counter:
    rows = odoo.call(
        "mail.activity", "search_read",
        [("res_model", "=", "res.partner"), ("res_id", "in", partner_ids)],
        fields=["user_id", "res_id"],
    )  # fmt: skip
    return Counter((row["user_id"][1], row["res_id"]) for row in rows)


def test_basic_customers_get_nothing_accountable_ones_their_salesperson(
    odoo_with_playbook: OdooServer, tmp_path: Path
) -> None:
    odoo = odoo_with_playbook
    groups = [
        odoo.call("ir.model.data", "check_object_reference", module, name)[1]
        for module, name in (
            ("base", "group_user"),
            ("relationship_marketing", "group_relationship_user"),
        )
    ]
    sam = odoo.call(
        "res.users", "create",
        {"name": "Sam Seller", "login": "sam", "groups_id": [(6, 0, groups)]},
    )  # fmt: skip
    admin = odoo.call("res.users", "search", [("login", "=", "admin")])[0]
    on_admin = odoo.call("mail.activity", "search_count", [("user_id", "=", admin)])

    first = push_orders(tmp_path / "first.csv", "M", days_ago(1))
    assert first["created"] == CUSTOMERS, first
    follow_up_ingestion(odoo)

    customers = odoo.call(
        "res.partner", "search_read", [("email", "=like", "mass%@example.com")],
        fields=["user_id", "relationship_level", "email"], order="id",
    )  # fmt: skip
    assert len(customers) == CUSTOMERS
    assert {c["user_id"][0] for c in customers} == {sam}, "the salesperson column's user"
    assert {c["relationship_level"] for c in customers} == {"basic"}
    ids = [c["id"] for c in customers]
    assert activities_by_user(odoo, ids) == Counter(), "Basic customers: no activity"

    ten = ids[:10]
    odoo.call(
        "res.partner", "write", ten,
        {"relationship_level": "accountable", "relationship_level_set_by_hand": True},
    )  # fmt: skip
    second = push_orders(tmp_path / "second.csv", "N", days_ago(0))
    assert second["created"] == CUSTOMERS, second
    follow_up_ingestion(odoo)

    activities = activities_by_user(odoo, ids)
    assert {partner for _user, partner in activities} == set(ten), activities
    assert {user for user, _partner in activities} == {"Sam Seller"}
    assert odoo.call("mail.activity", "search_count", [("user_id", "=", admin)]) == on_admin
