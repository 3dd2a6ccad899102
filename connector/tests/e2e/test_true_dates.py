"""A three-year export pushed by rm-sync against a real Odoo: every move is dated
at the order that caused it, whatever order the rows arrive in (issue 16)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

from click.testing import CliRunner
from odoo_server import OdooServer

from rm_sync.cli import cli

# Days before today of each customer's orders, over three years.
HISTORIES = {
    "ada": [1090, 900, 720, 400, 300, 200, 150, 100, 40, 10],
    "bob": [1000, 990, 980],
    "cy": [700, 30],
    "dee": [365 * 3 - 5],
}


# One moment for the whole test, so that a date names the same second throughout.
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)


def day(days_ago: int) -> str:
    return (NOW - dt.timedelta(days=days_ago, hours=1)).strftime("%Y-%m-%d %H:%M:%S")


def export(path: Path, domain: str, *, shuffled: bool) -> Path:
    rows = [
        [f"{domain}-{name}-{n}", day(days), f"{domain}-{name}", f"{name}@{domain}.example.com",
         name.title(), 50]
        for name, history in HISTORIES.items()
        for n, days in enumerate(history)
    ]  # fmt: skip
    if shuffled:
        random.Random(7).shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["order_id", "order_date", "customer_id", "email", "name", "amount"])
        writer.writerows(rows)
    return path


def push(path: Path, source: str, batch_size: int) -> dict:
    result = CliRunner().invoke(
        cli,
        ["push", str(path), "--source", source, "--batch-size", str(batch_size), "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def moves(odoo: OdooServer, domain: str) -> dict[str, list[tuple[str, str]]]:
    """Each customer's rung moves as (rung, date), oldest first."""
    partners = odoo.call(
        "res.partner", "search_read", [("email", "=like", f"%@{domain}.example.com")],
        fields=["email", "relationship_stage_id", "relationship_stage_date"],
    )  # fmt: skip
    found = {}
    for partner in partners:
        history = odoo.call(
            "relationship.stage.history", "search_read", [("partner_id", "=", partner["id"])],
            fields=["stage_to_id", "date"], order="date, id",
        )  # fmt: skip
        phases = odoo.call(
            "relationship.phase.history", "search_read", [("partner_id", "=", partner["id"])],
            fields=["phase_to", "date"], order="date, id",
        )  # fmt: skip
        name = partner["email"].split("@")[0]
        found[name] = [(move["stage_to_id"][1], move["date"]) for move in history]
        found[f"{name} phases"] = [(move["phase_to"], move["date"]) for move in phases]
        assert partner["relationship_stage_date"] == history[-1]["date"], name
    return found


def comparable(found: dict[str, list[tuple[str, str]]]) -> dict[str, list[tuple[str, str]]]:
    """Commitment is reached within the last steady window at the earliest: a
    date relative to the moment of the push, which differs between two pushes
    by seconds. Every other date is an order's, to the second."""
    return {
        name: [(step, "" if step == "commitment" else date) for step, date in history]
        for name, history in found.items()
    }


def commitments(found: dict[str, list[tuple[str, str]]]) -> dict[str, dt.datetime]:
    return {
        name: dt.datetime.fromisoformat(date)
        for name, history in found.items()
        for step, date in history
        if step == "commitment"
    }


def test_a_three_year_export_is_dated_at_its_orders_in_any_row_order(e2e_env, tmp_path):
    odoo = e2e_env
    push(export(tmp_path / "sorted.csv", "sorted", shuffled=False), "sorted", 1000)
    push(export(tmp_path / "shuffled.csv", "shuffled", shuffled=True), "shuffled", 3)
    in_order, shuffled = moves(odoo, "sorted"), moves(odoo, "shuffled")
    assert comparable(in_order) == comparable(shuffled), "the same history, in any row order"
    assert commitments(in_order).keys() == commitments(shuffled).keys() == {"ada phases"}
    gap = commitments(in_order)["ada phases"] - commitments(shuffled)["ada phases"]
    assert abs(gap) < dt.timedelta(minutes=5)
    for name, history in HISTORIES.items():
        order_dates = {day(days) for days in history}
        rung_dates = [date for _rung, date in in_order[name]]
        assert rung_dates[0] == day(max(history)), f"{name} entered at the first order"
        assert set(rung_dates) <= order_dates, f"{name}: every move at one of its orders"
    # Ada's ten orders take her up the ladder over the years; Dee's single
    # three-year-old order is her only move.
    assert len(in_order["ada"]) > 2
    assert in_order["dee"] == [(in_order["dee"][0][0], day(max(HISTORIES["dee"])))]
    # A second push of either file changes nothing, moves included.
    again = push(export(tmp_path / "shuffled.csv", "shuffled", shuffled=True), "shuffled", 3)
    assert (again["created"], again["updated"]) == (0, 0), again
    assert moves(odoo, "shuffled") == shuffled
