"""rm-sync against a real Odoo 18 with the relationship_marketing addon."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from odoo_server import OdooServer

from rm_sync.cli import cli
from rm_sync.config import Settings
from rm_sync.errors import AuthError
from rm_sync.rpc import OdooClient

PURCHASE_FIELDS = [
    "external_id",
    "partner_id",
    "date_order",
    "amount",
    "margin",
    "currency_id",
    "channel",
    "customer_ref",
    "write_date",
]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def purchases(odoo: OdooServer, source: str, with_write_date: bool = True) -> dict[str, Any]:
    rows = odoo.call(
        "relationship.purchase",
        "search_read",
        [("source", "=", source)],
        fields=PURCHASE_FIELDS,
    )
    result = {}
    for row in rows:
        key = row.pop("external_id")
        row.pop("id")
        if not with_write_date:
            row.pop("write_date")
        result[key] = row
    assert len(result) == len(rows), "one purchase per (source, order id)"
    return result


def partner_count(odoo: OdooServer) -> int:
    return odoo.call("res.partner", "search_count", [])


def write_orders(path: Path, n: int, *, customers: int = 40, prefix: str = "E") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["order_id", "order_date", "customer_id", "email", "name", "amount"])
        for i in range(n):
            c = i % customers
            writer.writerow(
                [
                    f"{prefix}{i}",
                    f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} 10:{i % 60:02d}:00",
                    f"{prefix}C{c}",
                    f"{prefix.lower()}c{c}@example.com",
                    f"Customer {prefix}{c}",
                    f"{(i * 37) % 1000}.{i % 100:02d}",
                ]
            )
    return path


def messy_export(path: Path) -> Path:
    """A cp1252 export with ';' delimiters, decimal commas, German dates and a few bad rows."""
    lines = ["Bestellnummer;Datum;Kundennr;E-Mail;Name;Betrag;Währung\r\n"]
    for i in range(1, 31):
        lines.append(
            f"M{i};{1 + i % 28:02d}.0{1 + i % 9}.2024;K{i % 9};kunde{i % 9}@beispiel.de;"
            f"Jürgen Müßig {i % 9};{i * 3},{i % 100:02d};EUR\r\n"
        )
    lines += [
        "M901;31.02.2024;K1;kunde1@beispiel.de;Jürgen Müßig 1;1,00;EUR\r\n",  # no such date
        "M902;01.02.2024;K1;kunde1(at)beispiel.de;Jürgen Müßig 1;1,00;EUR\r\n",  # bad email
        "M903;01.02.2024;K1;kunde1@beispiel.de;Jürgen Müßig 1;zwölf;EUR\r\n",  # bad amount
        "M904;01.02.2024;K1;kunde1@beispiel.de;Jürgen Müßig 1;-4,00;EUR\r\n",  # contract: < 0
        "M905;01.02.2024;K1;kunde1@beispiel.de;Jürgen Müßig 1;4,00;XYZ\r\n",  # Odoo: currency
    ]
    path.write_bytes("".join(lines).encode("cp1252"))
    return path


MESSY_MAP = {
    "Bestellnummer": "order_id",
    "Datum": "order_date",
    "Kundennr": "customer_id",
    "Betrag": "amount",
    "Währung": "currency",
}


def test_check_reports_version_addon_and_access(e2e_env):
    result = run("check", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    details = {c["check"]: c["detail"] for c in data["checks"]}
    assert "Odoo 18.0" in details["server"]
    assert "relationship_marketing 18.0.1.0.0" in details["addon"]


def test_messy_export_lands_good_rows_then_second_push_changes_nothing(e2e_env, tmp_path):
    odoo = e2e_env
    eur = odoo.call(
        "res.currency", "search", [("name", "=", "EUR"), ("active", "in", [True, False])]
    )
    odoo.call("res.currency", "write", eur, {"active": True})  # a fresh database has USD only
    # Without a rate Odoo would convert 1:1: such rows are rejected (test_e2e_columns.py).
    if not odoo.call("res.currency.rate", "search", [("currency_id", "in", eur)]):
        odoo.call(
            "res.currency.rate", "create", {"currency_id": eur[0], "name": "2000-01-01", "rate": 1}
        )
    path = messy_export(tmp_path / "export.csv")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps(MESSY_MAP))
    rejects = tmp_path / "rejects.csv"
    args = ("push", str(path), "--source", "messy", "--map", str(mapping))
    result = run(*args, "--rejects", str(rejects), "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert (report["created"], report["rejected"]) == (30, 5)
    # The amount below 0 is rejected by rm-sync, by the minimum of Odoo's row contract.
    assert (report["rejected_client"], report["rejected_server"]) == (4, 1)
    landed = purchases(odoo, "messy")
    assert set(landed) == {f"M{i}" for i in range(1, 31)}
    assert landed["M3"]["amount"] == 9.03
    assert landed["M3"]["date_order"] == "2024-04-04 00:00:00"
    with rejects.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["order_id"], r["line"], r["field"]) for r in rows] == [
        ("M901", "32", "order_date"),
        ("M902", "33", "email"),
        ("M903", "34", "amount"),
        ("M904", "35", "amount"),
        ("M905", "36", "currency"),
    ]
    assert rows[0]["name"] == "Jürgen Müßig 1"

    partners_before = partner_count(odoo)
    second = run(*args, "--json")
    report2 = json.loads(second.stdout)
    assert second.exit_code == 1
    assert (report2["created"], report2["updated"], report2["unchanged"]) == (0, 0, 30)
    assert purchases(odoo, "messy") == landed  # write_date included: nothing was written
    assert partner_count(odoo) == partners_before


def test_dry_run_writes_nothing(e2e_env, tmp_path):
    path = write_orders(tmp_path / "dry.csv", 50, prefix="D")
    result = run("push", str(path), "--source", "dry", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] == 50
    assert purchases(e2e_env, "dry") == {}


def test_wrong_credentials_exit_3(e2e_env, monkeypatch, tmp_path):
    monkeypatch.setenv("ODOO_PASSWORD", "not-the-password")
    result = run("check")
    assert result.exit_code == 3
    assert "authentication failed" in result.stderr
    path = write_orders(tmp_path / "x.csv", 3, prefix="W")
    assert run("push", str(path), "--source", "x").exit_code == 3


def test_user_without_the_group_exit_3(e2e_env, monkeypatch, tmp_path):
    odoo = e2e_env
    group_user = odoo.call(
        "ir.model.data",
        "search_read",
        [("module", "=", "base"), ("name", "=", "group_user")],
        fields=["res_id"],
    )[0]["res_id"]
    login = f"norights-{os.getpid()}-{time.monotonic_ns()}"
    odoo.call(
        "res.users",
        "create",
        {
            "name": "No Rights",
            "login": login,
            "password": "NoRights-pw-123",
            "groups_id": [(6, 0, [group_user])],
        },
    )
    monkeypatch.setenv("ODOO_USER", login)
    monkeypatch.setenv("ODOO_PASSWORD", "NoRights-pw-123")
    result = run("check")
    assert result.exit_code == 3, result.output
    assert "Relationship: User" in result.stderr
    path = write_orders(tmp_path / "x.csv", 3, prefix="R")
    assert run("push", str(path), "--source", "rights").exit_code == 3
    # The ingestion method itself refuses with an AccessError, classified as access denied.
    client = OdooClient(Settings(url=odoo.url, db=odoo.db, user=login, password="NoRights-pw-123"))
    with pytest.raises(AuthError, match="not allowed"):
        client.ingest_batch(
            [{"order_id": "R1", "order_date": "2024-01-01", "customer_id": "C", "amount": 1.0}],
            source="rights",
            dry_run=False,
        )
    assert purchases(odoo, "rights") == {}


def _committed_rows(state_dir: Path) -> int:
    db = state_dir / "state.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            row = conn.execute("SELECT max(committed_rows) FROM files").fetchone()
    except sqlite3.Error:
        return 0
    return row[0] or 0


def _spawn_push(path: Path, source: str, state_dir: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, RM_SYNC_STATE_DIR=str(state_dir))
    return subprocess.Popen(
        [sys.executable, "-m", "rm_sync", "push", str(path), "--source", source, "--json", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_progress(state_dir: Path, rows: int, proc: subprocess.Popen, timeout: float = 300):
    deadline = time.monotonic() + timeout
    while _committed_rows(state_dir) < rows:
        if proc.poll() is not None:
            raise AssertionError(f"rm-sync ended early: {proc.stderr.read().decode()}")
        if time.monotonic() > deadline:
            raise AssertionError("no progress")
        time.sleep(0.02)


def test_kill_9_then_rerun_gives_the_same_data_as_an_uninterrupted_run(e2e_env, tmp_path):
    odoo = e2e_env
    path = write_orders(tmp_path / "big.csv", 2000, prefix="K")

    # The uninterrupted reference, under another source name (same customers, by email).
    ref = run("push", str(path), "--source", "ref", "--batch-size", "100", "-q")
    assert ref.exit_code == 0, ref.output

    state_dir = tmp_path / "kill-state"
    proc = _spawn_push(path, "kill", state_dir, "--batch-size", "50")
    _wait_for_progress(state_dir, 300, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    committed = _committed_rows(state_dir)
    assert 300 <= committed < 2000, committed

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rm_sync",
            "push",
            str(path),
            "--source",
            "kill",
            "--json",
            "--batch-size",
            "50",
        ],
        env=dict(os.environ, RM_SYNC_STATE_DIR=str(state_dir)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["resumed_rows"] == committed
    assert report["created"] + report["unchanged"] == 2000
    landed = purchases(odoo, "kill", with_write_date=False)
    reference = purchases(odoo, "ref", with_write_date=False)
    assert len(landed) == 2000
    assert landed == reference

    status = subprocess.run(
        [sys.executable, "-m", "rm_sync", "status", "--json", "--source", "kill"],
        env=dict(os.environ, RM_SYNC_STATE_DIR=str(state_dir)),
        capture_output=True,
        text=True,
        check=True,
    )
    runs = json.loads(status.stdout)["runs"]
    assert [r["status"] for r in runs] == ["ok", "killed"]


def test_server_restart_in_the_middle_of_a_run(e2e_env, tmp_path):
    """The server is killed and started again mid-run: retries carry the push through."""
    odoo = e2e_env
    path = write_orders(tmp_path / "restart.csv", 2000, prefix="S")
    state_dir = tmp_path / "restart-state"
    proc = _spawn_push(path, "restart", state_dir, "--batch-size", "50", "--max-tries", "12")
    try:
        _wait_for_progress(state_dir, 200, proc)
        odoo.restart(hard=True)
        out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err.decode()
    report = json.loads(out)
    assert report["retries"] >= 1
    assert report["created"] + report["unchanged"] == 2000
    assert len(purchases(odoo, "restart")) == 2000
