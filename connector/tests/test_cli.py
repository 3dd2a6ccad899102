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

import pytest
from click.testing import CliRunner

from rm_sync import sync
from rm_sync.cli import cli
from rm_sync.state import SourceLock

HEADER = "order_id;order_date;customer_id;email;name;amount\r\n"


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch):
    monkeypatch.setattr(sync, "BACKOFF_BASE", 0.01)
    monkeypatch.setattr(sync, "BACKOFF_CAP", 0.05)


def run(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def messy_export(path: Path, n: int = 20) -> Path:
    """A cp1252, ';' separated export with a few bad rows."""
    lines = [HEADER]
    for i in range(1, n + 1):
        lines.append(
            f"W{i};0{1 + i % 9}.02.2024;K{i % 7};k{i % 7}@beispiel.de;Müller Nr. {i};{i},50\r\n"
        )
    lines.append("W901;2024-02-30;K1;k1@beispiel.de;Bad Date;1,00\r\n")
    lines.append("W902;2024-02-01;K1;not-an-email;Bad Mail;1,00\r\n")
    lines.append("W903;2024-02-01;K1;k1@beispiel.de;Bad Amount;zwölf\r\n")
    lines.append(";2024-02-01;K1;k1@beispiel.de;No Order;1,00\r\n")
    path.write_bytes("".join(lines).encode("cp1252"))
    return path


def test_help_documents_exit_codes():
    result = run("--help")
    assert result.exit_code == 0
    for text in ("Exit codes", "some rows were rejected", "gave up", "ODOO_URL"):
        assert text in result.output
    push_help = run("push", "--help").output
    assert "--dry-run" in push_help and "Exit codes" in push_help


def test_check_ok(odoo_env):
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "Odoo 18.0" in result.stdout
    assert "relationship_marketing 18.0.1.0.0 installed" in result.stdout
    assert "All checks passed" in result.stdout


def test_check_json(odoo_env):
    result = run("check", "--json")
    data = json.loads(result.stdout)
    assert data["ok"] is True and [c["check"] for c in data["checks"]] == [
        "server",
        "login",
        "addon",
        "access",
        "contract",
    ]
    assert data["settings"]["origins"]["url"] == "env ODOO_URL"
    assert data["settings"]["password"] == "********"


def test_check_shows_the_servers_row_contract(odoo_env):
    odoo_env.db.max_batch_size = 250
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "row contract: 17 columns (required: order_id, order_date, amount" in result.stdout
    assert "batches up to 250 rows" in result.stdout


def test_a_server_without_row_contract_is_refused_with_exit_2(odoo_env, monkeypatch, tmp_path):
    info = odoo_env.execute_kw

    def older_addon(*args, **kwargs):
        answer = info(*args, **kwargs)
        if isinstance(answer, dict):
            answer.pop("row_contract", None)
        return answer

    monkeypatch.setattr(odoo_env, "execute_kw", older_addon)
    result = run("check")
    assert result.exit_code == 2
    assert "publishes no row contract" in result.stderr and "upgrade the addon" in result.stderr
    path = messy_export(tmp_path / "x.csv")
    assert run("push", str(path), "--source", "shop").exit_code == 2
    assert odoo_env.db.calls == []


@pytest.mark.parametrize(
    ("env", "code", "message"),
    [
        ({"ODOO_PASSWORD": "wrong"}, 3, "authentication failed"),
        ({"ODOO_USER": "norights", "ODOO_PASSWORD": "pw"}, 3, "may not push sales"),
        ({"ODOO_DB": "nope"}, 2, "database 'nope' does not exist"),
        ({"ODOO_URL": ""}, 2, "missing connection settings: url"),
    ],
)
def test_check_failures(odoo_env, monkeypatch, env, code, message):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = run("check")
    assert result.exit_code == code
    assert message in result.stderr


def test_check_addon_missing(odoo_env):
    odoo_env.addon_installed = False
    result = run("check")
    assert result.exit_code == 2
    assert "addon relationship_marketing is not installed on database 'testdb'" in result.stderr


def test_secrets_never_printed(odoo_env, monkeypatch, tmp_path):
    secret = "Very-S3cret-Key"
    monkeypatch.setenv("ODOO_PASSWORD", secret)
    outputs = [run("check"), run("check", "--json")]
    monkeypatch.setenv("ODOO_URL", odoo_env.url.replace("http://", f"http://bot:{secret}@"))
    outputs.append(run("check"))
    monkeypatch.setenv("ODOO_URL", "http://127.0.0.1:1")
    outputs.append(run("check", "--timeout", "0.5"))
    path = messy_export(tmp_path / "x.csv")
    outputs.append(run("push", str(path), "--source", "shop", "--json", "--password", secret))
    for result in outputs:
        assert secret not in result.output
        assert secret not in (result.stderr or "")


def test_messy_export_lands_good_rows_and_reports_bad_ones(odoo_env, tmp_path):
    path = messy_export(tmp_path / "export.csv")
    rejects = tmp_path / "rejects.csv"
    result = run("push", str(path), "--source", "shop", "--rejects", str(rejects))
    assert result.exit_code == 1, result.output
    assert "rejected    4" in result.stdout
    assert "cp1252" in result.stdout and "';'" in result.stdout
    assert len(odoo_env.db.purchases) == 20
    landed = odoo_env.db.purchases[("shop", "W3")]
    assert landed["name"] == "Müller Nr. 3" and landed["amount"] == 3.5
    assert landed["order_date"] == "2024-02-04"

    with rejects.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["line"], r["field"]) for r in rows] == [
        ("22", "order_date"),
        ("23", "email"),
        ("24", "amount"),
        ("25", "order_id"),
    ]
    assert rows[2]["amount"] == "zwölf"

    # Correct the rejects file and push it again: it lands, exit 0.
    rows[0]["order_date"] = "2024-02-28"
    rows[1]["email"] = "k1@beispiel.de"
    rows[2]["amount"] = "12"
    rows[3]["order_id"] = "W904"
    with rejects.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    again = run("push", str(rejects), "--source", "shop")
    assert again.exit_code == 0, again.output
    assert len(odoo_env.db.purchases) == 24


def test_second_push_changes_nothing(odoo_env, tmp_path):
    path = messy_export(tmp_path / "export.csv")
    run("push", str(path), "--source", "shop")
    before = odoo_env.db.snapshot()
    result = run("push", str(path), "--source", "shop", "--json")
    report = json.loads(result.stdout)
    assert report["unchanged"] == 20 and report["created"] == 0 and report["updated"] == 0
    assert report["exit_code"] == 1 and result.exit_code == 1
    assert odoo_env.db.snapshot() == before


def test_json_jsonl_and_stdin(odoo_env, tmp_path):
    rows = [
        {"order_id": "J1", "order_date": "2024-01-01", "email": "a@example.com", "amount": 5},
        {"order_id": "J2", "order_date": "2024-01-02", "email": "b@example.com", "amount": "6"},
    ]
    jpath = tmp_path / "x.json"
    jpath.write_text(json.dumps(rows))
    assert run("push", str(jpath), "--source", "web", "-q").exit_code == 0
    lines = "\n".join(json.dumps({**r, "order_id": r["order_id"] + "L"}) for r in rows)
    result = run("push", "-", "--source", "web", "--json", input=lines)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"][0]["name"] == "<stdin>"
    assert {k[1] for k in odoo_env.db.purchases} == {"J1", "J2", "J1L", "J2L"}


def test_mapping_file(odoo_env, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Nr,Datum,Kunde,Summe\nM1,2024-01-01,K1,9.99\n")
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[columns]\nNr = "order_id"\nDatum = "order_date"\nKunde = "customer_id"\n'
        'Summe = "amount"\n'
    )
    result = run("push", str(path), "--source", "pos", "--map", str(mapping))
    assert result.exit_code == 0, result.output
    assert odoo_env.db.purchases[("pos", "M1")]["amount"] == 9.99


def test_dry_run_writes_nothing(odoo_env, tmp_path):
    path = messy_export(tmp_path / "export.csv")
    result = run("push", str(path), "--source", "shop", "--dry-run", "--json")
    report = json.loads(result.stdout)
    assert report["dry_run"] is True and report["created"] == 20 and report["rejected"] == 4
    assert odoo_env.db.purchases == {}
    assert result.exit_code == 1


def test_quiet_prints_nothing_on_success(odoo_env, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("order_id,order_date,email,amount\nQ1,2024-01-01,q@example.com,1\n")
    result = run("push", str(path), "--source", "shop", "--quiet")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_usage_errors_exit_2(odoo_env, tmp_path):
    path = messy_export(tmp_path / "x.csv")
    assert run("push", str(path), "--source", "shop", "--batch-size", "0").exit_code == 2
    assert run("push", str(path)).exit_code == 2  # --source is required
    missing = run("push", str(tmp_path / "nope.csv"), "--source", "shop")
    assert missing.exit_code == 2 and "not found" in missing.stderr
    assert run("push", str(path), "--source", "x" * 65).exit_code == 2
    same = run("push", str(path), "--source", "shop", "--rejects", str(path))
    assert same.exit_code == 2 and "is also an input" in same.stderr
    assert path.read_bytes().startswith(b"order_id;")  # untouched
    bad_tz = run("push", str(path), "--source", "shop", "--timezone", "Mars/Olympus")
    assert bad_tz.exit_code == 2 and "unknown time zone" in bad_tz.stderr


def test_batch_size_over_the_servers_cap_is_lowered_to_it(odoo_env, tmp_path):
    path = messy_export(tmp_path / "x.csv", n=1200)
    result = run("push", str(path), "--source", "shop", "--batch-size", "5000", "--json")
    assert result.exit_code == 1, result.output
    assert "batch size lowered to the server's limit of 1000 rows" in result.stderr
    # W901-W903 appear twice: their later (bad) rows win, the earlier are not sent.
    assert [rows for _, rows, _ in odoo_env.db.calls] == [1000, 197]


def test_rejected_counts_add_up_after_a_resume(odoo_env, tmp_path):
    """rejected = rejected by rm-sync + rejected by Odoo, earlier runs included."""
    path = tmp_path / "x.csv"
    lines = ["order_id,order_date,email,amount,currency\n"]
    for i in range(1, 31):
        amount = "zwölf" if i % 4 == 0 else f"{i}.50"  # rm-sync rejects 7 rows
        currency = "XYZ" if i % 7 == 0 else "EUR"  # Odoo rejects 7, 14, 21 (28 is rm-sync's)
        lines.append(f"R{i},2024-02-01,r{i}@example.com,{amount},{currency}\n")
    path.write_text("".join(lines))
    # ingest_info, the first batch, then the second batch fails until rm-sync gives up.
    odoo_env.plan = [None, None, "http503", "http503", "http503"]
    first = run("push", str(path), "--source", "shop", "--batch-size", "5", "--max-tries", "3")
    assert first.exit_code == 4
    again = run("push", str(path), "--source", "shop", "--batch-size", "5", "--json")
    report = json.loads(again.stdout)
    assert report["resumed_rows"] > 0
    assert (report["rejected"], report["rejected_client"], report["rejected_server"]) == (10, 7, 3)
    assert json.loads(run("status", "--json").stdout)["runs"][0]["report"]["rejected"] == 10
    # The same as text, for another file interrupted the same way.
    odoo_env.plan = [None, None, "http503", "http503", "http503"]
    path.write_text("".join(lines) + "R99,2024-02-01,r99@example.com,1,EUR\n")
    args = ("push", str(path), "--source", "shop", "--batch-size", "5")
    assert run(*args, "--max-tries", "3").exit_code == 4
    text = run(*args).stdout
    assert "resumed from an earlier run" in text
    assert "rejected    10 (7 by rm-sync, 3 by Odoo)" in text


def test_access_denied_mid_run_exits_3(odoo_env, tmp_path, monkeypatch):
    monkeypatch.setenv("ODOO_USER", "norights")
    monkeypatch.setenv("ODOO_PASSWORD", "pw")
    path = messy_export(tmp_path / "x.csv")
    result = run("push", str(path), "--source", "shop")
    assert result.exit_code == 3
    monkeypatch.setenv("ODOO_USER", "admin")
    monkeypatch.setenv("ODOO_PASSWORD", "admin")
    odoo_env.plan = ["access"]
    result = run("push", str(path), "--source", "shop")
    assert result.exit_code == 3 and "not allowed" in result.stderr


def test_transient_faults_are_retried(odoo_env, tmp_path):
    path = messy_export(tmp_path / "x.csv")
    odoo_env.plan = [None, "http503", "serialize", "http500", "drop"]
    result = run("push", str(path), "--source", "shop", "--json", "--batch-size", "5")
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["retries"] == 4
    assert report["created"] + report["unchanged"] == 20
    assert len(odoo_env.db.purchases) == 20


def test_timeout_reconciles_with_a_dry_run(odoo_env, tmp_path):
    path = messy_export(tmp_path / "x.csv")
    # ingest_info, then the first batch is processed but answered too late.
    odoo_env.plan = [None, "slow:1.5"]
    result = run("push", str(path), "--source", "shop", "--json", "--timeout", "0.5")
    report = json.loads(result.stdout)
    assert report["reconciled"] == 20 and report["retries"] == 1
    assert report["unchanged"] == 20
    dry_calls = [c for c in odoo_env.db.calls if c[2]]
    assert dry_calls == [("shop", 20, True)]
    assert len([c for c in odoo_env.db.calls if not c[2]]) == 1  # nothing sent twice


def test_gave_up_exits_4_and_rerun_resumes(odoo_env, tmp_path):
    path = messy_export(tmp_path / "x.csv")
    odoo_env.plan = [None, None, "http503", "http503", "http503"]
    result = run("push", str(path), "--source", "shop", "--batch-size", "5", "--max-tries", "3")
    assert result.exit_code == 4
    assert "safe to re-run" in result.stderr
    assert len(odoo_env.db.purchases) == 5
    again = run("push", str(path), "--source", "shop", "--batch-size", "5", "--json")
    report = json.loads(again.stdout)
    assert again.exit_code == 1
    assert report["resumed_rows"] == 5 and report["created"] == 20
    status = run("status", "--json")
    runs = json.loads(status.stdout)["runs"]
    assert [r["status"] for r in runs] == ["rejected", "gave_up"]


def test_lock_keeps_two_runs_apart(odoo_env, tmp_path, state_dir):
    path = messy_export(tmp_path / "x.csv")
    with SourceLock(state_dir, "shop"):
        result = run("push", str(path), "--source", "shop")
        assert result.exit_code == 2
        assert "another rm-sync run for source 'shop' is in progress" in result.stderr
        other = run("push", str(path), "--source", "pos", "-q")
        assert other.exit_code == 1  # another source is not blocked
    assert run("push", str(path), "--source", "shop", "-q").exit_code == 1


def test_status_lists_runs_and_unfinished_files(odoo_env, tmp_path):
    assert "No runs recorded" in run("status").stdout
    path = messy_export(tmp_path / "x.csv")
    run("push", str(path), "--source", "shop")
    run("push", str(path), "--source", "shop", "--dry-run")
    text = run("status").stdout
    assert "shop" in text and "rejected" in text and "dry" in text and "x.csv" in text


def _committed_rows(state: Path) -> int:
    db = state / "state.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            row = conn.execute("SELECT max(committed_rows) FROM files").fetchone()
    except sqlite3.Error:
        return 0
    return row[0] or 0


def test_kill_9_then_rerun_gives_the_same_data(odoo_env, tmp_path, state_dir, fake_odoo):
    path = tmp_path / "big.csv"
    lines = ["order_id,order_date,customer_id,email,name,amount\n"]
    lines += [f"K{i},2024-01-01,C{i % 30},c{i % 30}@example.com,N{i},{i}.25\n" for i in range(600)]
    path.write_text("".join(lines))
    fake_odoo.delay = 0.15
    env = dict(os.environ)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rm_sync",
            "push",
            str(path),
            "--source",
            "shop",
            "--batch-size",
            "50",
            "-q",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _committed_rows(state_dir) < 100 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    committed = _committed_rows(state_dir)
    assert 100 <= committed < 600
    fake_odoo.delay = 0
    status = json.loads(run("status", "--json").stdout)
    assert status["runs"][0]["status"] == "killed"
    assert status["unfinished"][0]["committed_rows"] == committed

    result = run("push", str(path), "--source", "shop", "--json", "--batch-size", "50")
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    assert report["resumed_rows"] == committed
    assert report["created"] + report["unchanged"] == 600
    assert len(fake_odoo.db.purchases) == 600
    expected = {
        ("shop", f"K{i}"): {
            "order_id": f"K{i}",
            "order_date": "2024-01-01",
            "customer_id": f"C{i % 30}",
            "email": f"c{i % 30}@example.com",
            "name": f"N{i}",
            "amount": i + 0.25,
        }
        for i in range(600)
    }
    assert fake_odoo.db.snapshot() == expected


def test_sigterm_stops_cleanly_with_130_and_the_next_run_resumes(
    odoo_env, tmp_path, state_dir, fake_odoo
):
    path = tmp_path / "big.csv"
    lines = ["order_id,order_date,customer_id,amount\n"]
    lines += [f"T{i},2024-01-01,C{i % 30},{i}\n" for i in range(400)]
    path.write_text("".join(lines))
    # Slow enough batches that the run is still going when the signal comes,
    # on a loaded machine too (18 batches, over 5 s, after the 40th row).
    fake_odoo.delay = 0.3
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rm_sync",
            "push",
            str(path),
            "--source",
            "shop",
            "--batch-size",
            "20",
            "-q",
        ],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while _committed_rows(state_dir) < 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"interrupted by signal SIGTERM" in err
    fake_odoo.delay = 0
    runs = json.loads(run("status", "--json").stdout)["runs"]
    assert runs[0]["status"] == "interrupted"
    result = run("push", str(path), "--source", "shop", "--json", "--batch-size", "20")
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    assert report["resumed_rows"] >= 40
    assert len(fake_odoo.db.purchases) == 400


def _stderr_on_a_terminal(args: list[str]) -> tuple[int, str]:
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rm_sync", *args],
        env=dict(os.environ, COLUMNS="100"),
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode(errors="replace")


def test_progress_bar_only_on_a_terminal_and_never_with_quiet(odoo_env, tmp_path):
    path = tmp_path / "x.csv"
    rows = "".join(f"P{i},2024-01-01,p{i}@example.com,1\n" for i in range(50))
    path.write_text("order_id,order_date,email,amount\n" + rows)
    code, shown = _stderr_on_a_terminal(["push", str(path), "--source", "tty"])
    assert code == 0
    assert "x.csv" in shown and "100%" in shown
    code, shown = _stderr_on_a_terminal(["push", str(path), "--source", "tty", "--quiet"])
    assert code == 0 and shown == ""
    result = run("push", str(path), "--source", "tty")  # not a terminal: no bar
    assert "100%" not in result.stderr


def test_check_file_is_the_servers_dry_run(odoo_env, tmp_path):
    path = messy_export(tmp_path / "x.csv")
    result = run("check", str(path), "--source", "shop")
    assert result.exit_code == 1, result.output
    assert "dry run" in result.stdout and "rejected" in result.stdout
    assert "->" in result.stdout  # a line of advice per top reason
    assert not odoo_env.db.purchases, "check writes nothing"
    assert all(dry for _source, _rows, dry in odoo_env.db.calls)
    assert run("check", str(path)).exit_code == 2  # --source is required with a file
