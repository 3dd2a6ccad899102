"""rm-sync against a real Odoo: duplicates at any batch size, salesperson, partner_ref,
refunds and cancellations, currencies."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from odoo_server import OdooServer

from rm_sync.cli import cli

HEADER = [
    "order_id",
    "order_date",
    "customer_id",
    "email",
    "name",
    "amount",
    "salesperson",
    "partner_ref",
    "refunded",
    "status",
]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def messy_rows() -> list[list[Any]]:
    """Forty orders, with repeats and changes of an order scattered over the file."""
    rows: list[list[Any]] = []
    for i in range(40):
        rows.append(
            [f"D{i}", "2024-03-01", f"DC{i % 9}", "", f"Dup {i % 9}", 10 + i, "", "", "", ""]
        )
    # Exact repeats, near and far.
    rows.insert(3, list(rows[2]))
    rows.append(list(rows[10]))
    rows.append(list(rows[0]))
    # Different rows for one order: the last one wins.
    rows.insert(8, ["D20", "2024-03-01", "DC2", "", "Dup 2", 999, "", "", "", ""])
    rows.append(["D5", "2024-03-01", "DC5", "", "Dup 5", 55, "admin", "", "5", ""])
    rows.append(["D6", "2024-03-01", "DC6", "", "Dup 6", 16, "", "", "", "cancelled"])
    # A later row that Odoo rejects makes the order's earlier rows superseded.
    rows.append(["D7", "2024-03-01", "DC7", "", "Dup 7", 17, "nobody", "", "", ""])
    return rows


def landed(odoo: OdooServer, source: str) -> dict[str, Any]:
    rows = odoo.call(
        "relationship.purchase",
        "search_read",
        [("source", "=", source)],
        fields=["external_id", "amount", "amount_refunded", "state", "user_id", "customer_ref"],
    )
    return {
        r["external_id"]: (
            r["amount"],
            r["amount_refunded"],
            r["state"],
            r["user_id"],
            r["customer_ref"],
        )
        for r in rows
    }


def push(path: Path, source: str, size: int, rejects: Path) -> dict[str, Any]:
    result = run(
        "push", str(path), "--source", source, "--batch-size", str(size), "--json",
        "--rejects", str(rejects),
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    with rejects.open(encoding="utf-8-sig") as fh:
        report["rejects"] = [(r["order_id"], r["line"], r["field"]) for r in csv.DictReader(fh)]
    return report


ANSWER_KEYS = ("created", "updated", "unchanged", "superseded", "rejected")


def answers(report: dict[str, Any]) -> tuple[Any, ...]:
    return (*(report[k] for k in ANSWER_KEYS), tuple(report["rejects"]))


def test_same_file_same_database_and_answers_at_any_batch_size(e2e_env, tmp_path):
    odoo = e2e_env
    path = write(tmp_path / "dups.csv", messy_rows())
    firsts, seconds, databases = {}, {}, {}
    for size in (1, 7, 500, 1000):
        source = f"dups{size}"
        firsts[size] = answers(push(path, source, size, tmp_path / f"r{size}.csv"))
        databases[size] = landed(odoo, source)
        seconds[size] = answers(push(path, source, size, tmp_path / f"s{size}.csv"))
        assert landed(odoo, source) == databases[size], f"a re-push at {size} flips nothing"
    assert len(set(firsts.values())) == 1, firsts
    assert len(set(seconds.values())) == 1, seconds
    assert len({json.dumps(db, sort_keys=True) for db in databases.values()}) == 1
    created, updated, unchanged, superseded, rejected, rejects = firsts[1]
    # 40 orders; D7's last row is rejected: 39 land. Repeats of rows: 3; rows replaced
    # by a later, different row of their order: D20, D5, D6, D7 (one each).
    assert (created, updated, unchanged, superseded, rejected) == (39, 0, 3, 4, 1)
    assert rejects == (("D7", str(len(messy_rows()) + 1), "salesperson"),)
    db = databases[1]
    assert db["D20"][0] == 30  # the later row (amount 30) wins over the earlier 999
    assert db["D5"][:2] == (55, 5) and db["D5"][3][1] == "Administrator"
    assert db["D6"][2] == "cancel"
    assert "D7" not in db
    assert seconds[1][:5] == (0, 0, 42, 4, 1)


def test_partner_ref_names_an_odoo_contact_and_salesperson_looks_after_it(e2e_env, tmp_path):
    odoo = e2e_env
    contact = odoo.call("res.partner", "create", {"name": "Known Contact", "ref": "ODOO-42"})
    path = write(
        tmp_path / "refs.csv",
        [
            [
                "R1",
                "2024-03-01",
                "",
                "someone.else@example.com",
                "X",
                10,
                "admin",
                "ODOO-42",
                "",
                "",
            ],
            ["R2", "2024-03-02", "", "", "New One", 10, "", "NEW-1", "", ""],
            ["R3", "2024-03-03", "", "", "", 10, "", "NEW-1", "", ""],
        ],
    )
    before = odoo.call("res.partner", "search_count", [])
    report = push(path, "refs", 500, tmp_path / "rejects.csv")
    assert (report["created"], report["rejected"]) == (3, 0), report
    partners = odoo.call(
        "relationship.purchase", "search_read", [("source", "=", "refs")],
        fields=["external_id", "partner_id"],
    )  # fmt: skip
    by_order = {p["external_id"]: p["partner_id"][0] for p in partners}
    assert by_order["R1"] == contact
    assert by_order["R2"] == by_order["R3"] != contact
    assert odoo.call("res.partner", "search_count", []) == before + 1
    [known] = odoo.call("res.partner", "read", [contact], ["user_id", "email"])
    assert known["user_id"][1] == "Administrator"
    assert not known["email"], "a matched contact is not rewritten"


def test_inactive_currency_and_missing_rate_are_clear_rejects(e2e_env, tmp_path):
    odoo = e2e_env
    gbp = odoo.call(
        "res.currency", "search", [("name", "=", "GBP"), ("active", "in", [True, False])]
    )
    odoo.call("res.currency", "write", gbp, {"active": False})
    chf = odoo.call(
        "res.currency", "search", [("name", "=", "CHF"), ("active", "in", [True, False])]
    )
    odoo.call("res.currency", "write", chf, {"active": True})
    odoo.call(
        "res.currency.rate",
        "unlink",
        odoo.call("res.currency.rate", "search", [("currency_id", "in", chf)]),
    )
    path = tmp_path / "cur.csv"
    path.write_text(
        "order_id,order_date,email,amount,currency\n"
        "C1,2024-03-01,c1@example.com,10,GBP\n"
        "C2,2024-03-01,c2@example.com,10,CHF\n"
        "C3,2024-03-01,c3@example.com,10,\n",
        encoding="utf-8",
    )
    report = push(path, "cur", 500, tmp_path / "rejects.csv")
    assert (report["created"], report["rejected"]) == (1, 2)
    with (tmp_path / "rejects.csv").open(encoding="utf-8-sig") as fh:
        reasons = {r["order_id"]: r["reason"] for r in csv.DictReader(fh)}
    assert "GBP exists but is not active" in reasons["C1"]
    assert "Configuration > Currencies" in reasons["C1"]
    assert "CHF has no exchange rate on or before 2024-03-01" in reasons["C2"]


@pytest.mark.parametrize("size", [1, 1000])
def test_refund_then_cancel_is_an_update_and_idempotent(e2e_env, tmp_path, size):
    odoo = e2e_env
    source = f"refunds{size}"
    rows = [["F1", "2024-03-01", "FC1", "", "Refunded", 100, "", "", "", ""]]
    assert push(write(tmp_path / "a.csv", rows), source, size, tmp_path / "r.csv")["created"] == 1
    rows[0][8] = "40"
    report = push(write(tmp_path / "b.csv", rows), source, size, tmp_path / "r.csv")
    assert report["updated"] == 1
    rows[0][9] = "cancelled"
    report = push(write(tmp_path / "c.csv", rows), source, size, tmp_path / "r.csv")
    assert report["updated"] == 1
    assert landed(odoo, source)["F1"][:3] == (100, 40, "cancel")
    report = push(write(tmp_path / "d.csv", rows), source, size, tmp_path / "r.csv")
    assert (report["updated"], report["unchanged"]) == (0, 1)
    rows[0][8] = "140"
    report = push(write(tmp_path / "e.csv", rows), source, size, tmp_path / "r.csv")
    assert report["rejects"] == [("F1", "2", "refunded")]
