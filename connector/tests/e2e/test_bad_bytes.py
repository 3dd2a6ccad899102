"""One invalid UTF-8 byte against a real Odoo: its row is rejected, the rest lands."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from rm_sync.cli import cli

ROWS = 2000


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def export_with_one_bad_byte(path: Path) -> Path:
    """2,000 UTF-8 rows with umlauts; row 5 (line 6) holds the byte 0xff in its name."""
    lines = [b"order_id,order_date,customer_id,email,name,amount\n"]
    for i in range(1, ROWS + 1):
        name = b"Bad \xff name" if i == 5 else f"J\u00fcrgen M\u00fcller {i % 40}".encode()
        lines.append(
            f"B{i},2024-05-{1 + i % 28:02d},BC{i % 40},bc{i % 40}@example.com,".encode()
            + name
            + f",{i % 900}.25\n".encode()
        )
    path.write_bytes(b"".join(lines))
    return path


def test_one_invalid_byte_rejects_one_row_and_the_rest_lands(e2e_env, tmp_path):
    odoo = e2e_env
    path = export_with_one_bad_byte(tmp_path / "export.csv")
    rejects = tmp_path / "rejects.csv"
    args = ("push", str(path), "--source", "badbytes", "--rejects", str(rejects), "--json")

    dry = run(*args, "--dry-run")
    assert dry.exit_code == 1, dry.output
    plan = json.loads(dry.stdout)
    assert (plan["created"], plan["rejected"]) == (ROWS - 1, 1)

    pushed = run(*args)
    assert pushed.exit_code == 1, pushed.output
    report = json.loads(pushed.stdout)
    assert (report["created"], report["rejected_client"], report["rejected"]) == (ROWS - 1, 1, 1)
    landed = odoo.call(
        "relationship.purchase",
        "search_read",
        [("source", "=", "badbytes")],
        fields=["external_id"],
    )
    assert {r["external_id"] for r in landed} == {f"B{i}" for i in range(1, ROWS + 1) if i != 5}
    with rejects.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["order_id"], r["line"], r["field"]) for r in rows] == [("B5", "6", "name")]
    assert "undecodable bytes" in rows[0]["reason"]

    again = run(*args)
    assert again.exit_code == 1, again.output
    report = json.loads(again.stdout)
    assert (report["unchanged"], report["rejected"]) == (ROWS - 1, 1)
