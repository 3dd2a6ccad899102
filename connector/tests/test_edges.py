"""Less travelled paths: configuration mistakes, odd server answers, odd inputs."""

from __future__ import annotations

import csv
import json
import sqlite3
import xmlrpc.client
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from fakeodoo import FakeClient, row_contract

from rm_sync.cli import cli
from rm_sync.config import Settings, load_profile, load_toml
from rm_sync.errors import AuthError, ConfigError, GaveUpError, TransientError
from rm_sync.mapping import load_mapping
from rm_sync.push import Progress, parse_timezone
from rm_sync.readers import open_input
from rm_sync.rpc import OdooClient, RequestsTransport
from rm_sync.server import connect
from rm_sync.state import StateStore
from rm_sync.status import collect_status, format_status
from rm_sync.sync import Pusher
from rm_sync.validation import ValidRow


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


# -- config ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[default]\ninsecure = 'maybe'\n", "'insecure' must be true or false"),
        ("[default]\ntimeout = 'soon'\n", "'timeout' must be a number"),
        ("[default]\ntimeout = -1\n", "'timeout' must be positive"),
        ("[default]\nmax_tries = 'x'\n", "'max_tries' must be an integer"),
        ("[default]\nmax_tries = 0\n", "'max_tries' must be at least 1"),
        ("[default]\nurl = 3\n", "'url' must be a string"),
        ("default = 'x'\n", "must be a table"),
        ("[default\n", "invalid TOML"),
    ],
)
def test_bad_profiles(tmp_path, body, message):
    path = tmp_path / "c.toml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=message):
        load_profile(str(path), None, {})


def test_profile_numbers_and_unknown_extension(tmp_path):
    path = tmp_path / "rm-sync.conf.txt"
    path.write_text('[default]\nurl = "http://x"\ntimeout = 12\nmax_tries = 3\ninsecure = true\n')
    values, _ = load_profile(str(path), None, {})  # any extension: TOML
    assert (values["timeout"], values["max_tries"], values["insecure"]) == (12.0, 3, True)
    bad_ini = tmp_path / "bad.ini"
    bad_ini.write_text("no section\n")
    with pytest.raises(ConfigError, match="TOML only, no longer INI"):
        load_toml(bad_ini)
    with pytest.raises(ConfigError, match="file not found"):
        load_toml(tmp_path / "missing.toml")


def test_profile_requested_without_a_file_and_missing_ca_bundle(tmp_path):
    with pytest.raises(ConfigError, match="no config file"):
        load_profile(None, "prod", {"XDG_CONFIG_HOME": str(tmp_path)})
    assert load_profile(None, None, {"XDG_CONFIG_HOME": str(tmp_path)}) == ({}, "")
    s = Settings(url="https://x", db="d", user="u", password="p", ca_bundle="/nope.pem")
    with pytest.raises(ConfigError, match="ca_bundle"):
        s.require_connection()


def test_mapping_file_shapes(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="must be an object"):
        load_mapping(str(bad))
    bad.write_text("{not json")
    with pytest.raises(ConfigError, match="invalid JSON"):
        load_mapping(str(bad))
    bad.write_text('{"a": 3}')
    with pytest.raises(ConfigError, match="must be a column name"):
        load_mapping(str(bad))
    toml = tmp_path / "m.toml"
    toml.write_text('[whatever]\nNr = "order_id"\n')
    assert load_mapping(str(toml)) == {"Nr": "order_id"}
    assert load_mapping(None) == {}


# -- rpc ------------------------------------------------------------------------------------


class FakeResponse:
    def __init__(self, status: int, content: bytes = b"") -> None:
        self.status_code = status
        self.content = content
        self.text = content.decode(errors="replace")


class FakeSession:
    def __init__(self, outcome) -> None:
        self.outcome = outcome
        self.headers: dict[str, str] = {}

    def close(self) -> None:
        pass

    def post(self, url, **kwargs):
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def transport_with(outcome) -> OdooClient:
    settings = Settings(url="https://odoo.example.com", db="d", user="u", password="p")
    transport = RequestsTransport(settings.url or "", session=FakeSession(outcome))
    return OdooClient(settings, transport=transport)


@pytest.mark.parametrize(
    ("outcome", "error", "message"),
    [
        (requests.exceptions.SSLError("certificate verify failed"), ConfigError, "--ca-bundle"),
        (requests.exceptions.ConnectTimeout("slow"), TransientError, "timed out connecting"),
        (requests.exceptions.ChunkedEncodingError("cut"), TransientError, "HTTP error"),
        (FakeResponse(401), AuthError, "HTTP 401"),
        (FakeResponse(418), ConfigError, "unexpected HTTP 418"),
        (FakeResponse(200, b"<html>login</html>"), ConfigError, "did not answer XML-RPC"),
    ],
)
def test_transport_errors(outcome, error, message):
    with pytest.raises(error, match=message):
        transport_with(outcome).version()


def test_version_fault_and_unsupported_server(monkeypatch):
    fault = xmlrpc.client.dumps(xmlrpc.client.Fault(1, "boom"), methodresponse=True)
    with pytest.raises(Exception, match="boom"):
        transport_with(FakeResponse(200, fault.encode())).version()
    old = {"server_serie": "17.0", "server_version_info": [17, 0, 0, "final", 0, ""]}
    answer = xmlrpc.client.dumps((old,), methodresponse=True).encode()
    monkeypatch.setattr(
        "rm_sync.server.OdooClient", lambda settings: transport_with(FakeResponse(200, answer))
    )
    settings = Settings(url="https://x", db="d", user="u", password="p", insecure=True)
    with pytest.raises(ConfigError, match=r"runs Odoo 17\.0: rm-sync needs Odoo 18\.0"):
        connect(settings)


def test_execute_fault_that_is_not_special(fake_odoo):
    settings = Settings(url=fake_odoo.url, db=fake_odoo.database, user="admin", password="admin")
    with OdooClient(settings) as client, pytest.raises(Exception, match="no method"):
        client.execute_kw("relationship.purchase", "unknown_method", [])
    wrong = Settings(url=fake_odoo.url, db=fake_odoo.database, user="admin", password="x")
    with OdooClient(wrong) as client, pytest.raises(AuthError):
        client.execute_kw("relationship.purchase", "ingest_info", [])


# -- readers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'[{"a": 1}] trailing', "unexpected data after"),
        (b'[{"a": 1}', "unexpected end of file"),
        (b'[{"a": 1} {"b": 2}]', "expected ',' or ']'"),
        (b'"just a string"', "expected a JSON array"),
    ],
)
def test_json_array_structure_errors(tmp_path, data, reason):
    path = tmp_path / "x.json"
    path.write_bytes(data)
    with open_input(str(path), fmt="json") as inp:
        recs = list(inp.records())
    assert reason in recs[-1].error[1]


def test_jsonl_oversized_line_and_csv_field_limit(tmp_path, monkeypatch):
    from rm_sync import readers

    monkeypatch.setattr(readers, "MAX_RECORD_CHARS", 100)
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": "' + "x" * 300 + '"}\n{"order_id": "ok"}\n')
    with open_input(str(path)) as inp:
        recs = list(inp.records())
    assert "longer than 100" in recs[0].error[1]
    assert recs[1].values == {"order_id": "ok"}

    # A CSV record is held to the same bound: the rest of its line is skipped.
    csv_path = tmp_path / "x.csv"
    csv_path.write_text('order_id,name\nA1,"' + "y" * 2_000_000 + '"\nA2,ok\n')
    with open_input(str(csv_path)) as inp:
        recs = list(inp.records())
    assert recs[0].error == ("line", "record longer than 100 characters")
    assert (recs[1].line, recs[1].values) == (3, {"order_id": "A2", "name": "ok"})

    # A field over csv's own limit (within the record bound) is a malformed row.
    monkeypatch.setattr(readers, "MAX_RECORD_CHARS", 1000)
    csv_path.write_text('order_id,name\nA1,"' + "y" * 50 + '"\nA2,ok\n')
    previous = csv.field_size_limit(20)
    try:
        with open_input(str(csv_path)) as inp:
            recs = list(inp.records())
    finally:
        csv.field_size_limit(previous)
    assert recs[0].error[0] == "line" and "malformed CSV" in recs[0].error[1]
    assert recs[1].values == {"order_id": "A2", "name": "ok"}


def test_unknown_format_and_tab_delimiter_option(odoo_env, tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("order_id\torder_date\temail\tamount\nT1\t2024-01-01\tt@example.com\t1\n")
    with pytest.raises(ConfigError, match="unknown format"):
        open_input(str(path), fmt="xml")
    result = run("push", str(path), "--source", "tab", "--delimiter", "tab", "-q")
    assert result.exit_code == 0
    assert run("push", str(path), "--source", "tab", "--delimiter", ";;").exit_code == 2
    assert run("push", "-", "-", "--source", "tab").exit_code == 2


# -- cli / sync / state ---------------------------------------------------------------------


def test_progress_bar_updates_per_input(tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_text("order_id\nA\n")
    progress = Progress(enabled=True)
    with open_input(str(path)) as inp:
        list(inp.records())
        progress(inp)
        progress(inp)
    progress.close()
    Progress(enabled=False)(inp)


def test_parse_timezone():
    assert parse_timezone("Europe/Berlin").key == "Europe/Berlin"  # type: ignore[attr-defined]
    assert parse_timezone(None).utcoffset(None).total_seconds() == 0


def test_plain_http_to_another_host_warns(odoo_env, monkeypatch):
    warnings: list[str] = []
    settings = Settings(url="http://odoo.example.invalid", db="d", user="u", password="p")
    monkeypatch.setattr(
        "rm_sync.server.OdooClient", lambda s: (_ for _ in ()).throw(ConfigError("x"))
    )
    with pytest.raises(ConfigError):
        connect(settings, warn=warnings.append)
    assert "plain HTTP" in warnings[0]


def test_check_quiet_and_failure_json(odoo_env, monkeypatch):
    assert run("check", "--quiet").stdout == ""
    monkeypatch.setenv("ODOO_PASSWORD", "nope")
    result = run("check", "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["error"].startswith("authentication failed")


def test_batch_size_lowered_to_server_limit(odoo_env, tmp_path):
    odoo_env.db.max_batch_size = 2
    path = tmp_path / "x.csv"
    rows = "".join(f"L{i},2024-01-01,l@example.com,1\n" for i in range(5))
    path.write_text("order_id,order_date,email,amount\n" + rows)
    result = run("push", str(path), "--source", "lim", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["batches"] == 3
    assert "lowered to the server's limit of 2" in result.stderr


def test_gave_up_report_is_printed_as_text_too(odoo_env, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("order_id,order_date,email,amount\nG1,2024-01-01,g@example.com,1\n")
    odoo_env.plan = [None, "http503", "http503"]
    result = run("push", str(path), "--source", "g", "--max-tries", "2")
    assert result.exit_code == 4
    assert "rows read" in result.stdout and "gave up" in result.stderr
    text = format_status(json.loads(run("status", "--json").stdout))
    assert "gave_up" in text and "gave up after 2 tries" in text
    assert "Unfinished files" in text and "0 rows committed" in text


def test_unexpected_server_answers_give_up(tmp_path):
    class Odd(FakeClient):
        def ingest_batch(self, rows, *, source, dry_run):
            return {"results": [{"status": "weird"}] * len(rows)}

    row = ValidRow(1, 2, {"order_id": "A"}, {})
    with pytest.raises(GaveUpError, match="unexpected result"):
        Pusher(Odd(), source="s", contract=row_contract()).send([row])

    class Short(FakeClient):
        def ingest_batch(self, rows, *, source, dry_run):
            return {"results": []}

    with pytest.raises(GaveUpError, match="expected 1 results"):
        Pusher(Short(), source="s", contract=row_contract()).send([row])
    with pytest.raises(ValueError):  # over the server's cap
        Pusher(Short(), source="s", contract=row_contract(), batch_size=1001)


def test_state_store_listing_and_bad_location(tmp_path):
    with StateStore(tmp_path / "s") as store:
        run_id = store.start_run("a", ["f.csv"], dry_run=False)
        store.finish_run(run_id, status="ok", exit_code=0, report=None)
        store.start_run("b", ["-"], dry_run=True)
        assert [r["source"] for r in store.runs()] == ["b", "a"]
        assert [r["source"] for r in store.runs("a")] == ["a"]
        assert store.files() == []
        data = collect_status(store, None, 10)
        assert "<stdin>" in format_status(data)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot create state directory"):
        StateStore(blocker / "sub")
    bad_db = tmp_path / "bad"
    bad_db.mkdir()
    (bad_db / "state.sqlite3").write_text("not a database" * 100)
    with pytest.raises(ConfigError, match="cannot open state database"):
        StateStore(bad_db)
    assert sqlite3.sqlite_version


def test_module_entry_point():
    import runpy
    import sys

    argv = sys.argv
    sys.argv = ["rm-sync", "--version"]
    try:
        with pytest.raises(SystemExit) as exc:
            runpy.run_module("rm_sync", run_name="__main__")
    finally:
        sys.argv = argv
    assert exc.value.code == 0


def test_readers_path_objects(tmp_path):
    p = Path(tmp_path / "e.json")
    p.write_bytes(b"")
    with open_input(str(p)) as inp:
        assert inp.format == "json" and list(inp.records()) == []


def test_an_internal_error_exits_4_not_1(odoo_env, tmp_path, monkeypatch):
    path = tmp_path / "x.csv"
    path.write_text("order_id,order_date,email,amount\nB1,2024-01-01,b@example.com,1\n")

    def broken(self, inp):
        raise RuntimeError("oops")

    monkeypatch.setattr(Pusher, "push", broken)
    result = CliRunner().invoke(cli, ["push", str(path), "--source", "bug"])
    assert result.exit_code == 4
    assert "unexpected error" in result.stderr
    runs = json.loads(run("status", "--json").stdout)["runs"]
    assert runs[0]["status"] == "failed" and runs[0]["exit_code"] == 4
