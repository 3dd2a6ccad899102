"""One undecodable byte rejects its row, never the file (issue 15, item 2).

A UTF-8 export with one invalid byte is read as UTF-8 with the byte kept as a lone
surrogate; the row that holds it is rejected client-side. Its raw values go into
the state with the batch they belong to: they must be stored (and given back for a
resumed run's rejects file) like any other row's.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from rm_sync import sync
from rm_sync.cli import cli
from rm_sync.state import StateStore, StoredReject

ROWS = 2000
BAD_ROW = 5


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def export_with_one_bad_byte(path: Path) -> Path:
    """2,000 UTF-8 rows with umlauts; row 5 (line 6) holds the byte 0xff in its name."""
    lines = [b"order_id,order_date,customer_id,email,name,amount\n"]
    for i in range(1, ROWS + 1):
        name = b"Bad \xff name" if i == BAD_ROW else f"J\u00fcrgen M\u00fcller {i}".encode()
        lines.append(
            f"U{i},2024-03-{1 + i % 28:02d},C{i % 50},c{i % 50}@example.com,".encode()
            + name
            + f",{i}.50\n".encode()
        )
    path.write_bytes(b"".join(lines))
    return path


def read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def assert_only_the_bad_row(rejects: Path, source_file: Path) -> None:
    rows = read_rejects(rejects)
    assert [(r["order_id"], r["line"], r["field"]) for r in rows] == [("U5", "6", "name")]
    assert "undecodable bytes" in rows[0]["reason"]
    assert rows[0]["name"] == "Bad ? name"  # the byte cannot be written as text
    assert rows[0]["file"] == str(source_file)


def test_state_keeps_a_rejected_row_with_undecodable_bytes(tmp_path):
    raw = {"order_id": "U5", "name": "Bad \udcff name"}
    with StateStore(tmp_path / "state") as store:
        run_id = store.start_run("shop", ["x.csv"], dry_run=False)
        store.begin_file("shop", "f1", name="caf\udce9.csv", size=1, map_digest="", run_id=run_id)
        store.commit(
            "shop",
            "f1",
            committed_rows=5,
            counts={"rejected": 1},
            rejects=[StoredReject(5, 6, "name", "undecodable bytes", raw)],
        )
        assert [r.raw for r in store.stored_rejects("shop", "f1")] == [raw]  # exactly
        state = store.get_file("shop", "f1")
        assert (state.committed_rows, state.rejected) == (5, 1)
        assert state.name == "caf\\udce9.csv"


def test_one_bad_byte_rejects_its_row_and_the_rest_lands(odoo_env, tmp_path):
    path = export_with_one_bad_byte(tmp_path / "export.csv")
    rejects = tmp_path / "rejects.csv"
    args = ("push", str(path), "--source", "shop", "--rejects", str(rejects), "--json")

    dry = run(*args, "--dry-run")
    assert dry.exit_code == 1, dry.output
    assert (json.loads(dry.stdout)["created"], json.loads(dry.stdout)["rejected"]) == (1999, 1)
    assert odoo_env.db.purchases == {}

    first = run(*args)
    assert first.exit_code == 1, first.output
    report = json.loads(first.stdout)
    assert (report["created"], report["rejected_client"], report["rejected"]) == (1999, 1, 1)
    assert len(odoo_env.db.purchases) == ROWS - 1
    assert ("shop", "U5") not in odoo_env.db.purchases
    assert_only_the_bad_row(rejects, path)

    again = run(*args)
    assert again.exit_code == 1, again.output
    report = json.loads(again.stdout)
    assert (report["unchanged"], report["rejected"]) == (1999, 1)
    assert_only_the_bad_row(rejects, path)


def test_a_resumed_run_writes_the_stored_bad_row(odoo_env, tmp_path, monkeypatch):
    monkeypatch.setattr(sync, "BACKOFF_BASE", 0.01)
    path = export_with_one_bad_byte(tmp_path / "export.csv")
    rejects = tmp_path / "rejects.csv"
    args = ("push", str(path), "--source", "shop", "--rejects", str(rejects), "--json")
    # ingest_info and the first batch answer, the second batch fails for good.
    odoo_env.plan = [None, None, "http503"]
    stopped = run(*args, "--max-tries", "1")
    assert stopped.exit_code == 4, stopped.output
    # The first batch: 500 valid rows, those of rows 1 to 501 but row 5.
    assert len(odoo_env.db.purchases) == 500

    resumed = run(*args)
    assert resumed.exit_code == 1, resumed.output
    report = json.loads(resumed.stdout)
    assert report["resumed_rows"] == 501
    assert (report["created"], report["rejected"]) == (1999, 1)
    assert len(odoo_env.db.purchases) == ROWS - 1
    assert_only_the_bad_row(rejects, path)  # from the state, where it was stored
