"""``--kind customers`` and ``--kind scores`` through the CLI, against the fake server."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rm_sync import sync
from rm_sync.cli import cli
from rm_sync.errors import ConfigError
from rm_sync.kinds import get_kind
from rm_sync.mapping import ColumnMapper, load_mapping

CUSTOMERS = (
    "Kunden-Nr;Name;E-Mail;Phone;Birthday;Tags\n"
    "K1;Ada Lovelace;ada@example.com;+32 2 555;10.12.1990;Newsletter, VIP\n"
    "K2;Grace Hopper;grace@example.com;;;Newsletter\n"
    "K1;Ada L.;ada@example.com;+32 2 555;10.12.1990;Newsletter\n"  # the last K1 wins
    ";No Id;noid@example.com;;;\n"  # rejected by rm-sync: customer_id is required
    "K3;Bad Mail;k3@invalid.test;;;\n"  # rejected by the server
    "K4;Bad Birthday;k4@example.com;;31.02.1990;\n"
)
SCORES = (
    "score_id,customer_id,date,score,scale,comment\n"
    "S1,K1,2026-03-01 10:00,9,,Quick delivery\n"
    "S2,K2,2026-03-02,4,csat,\n"
    "S3,UNKNOWN-9,2026-03-02,4,,\n"  # rejected by the server: no such customer
    "S4,K1,2026-03-02,11,,\n"  # rejected by rm-sync: above the contract's maximum
    "S5,K1,,7,,\n"  # rejected by rm-sync: no date
)


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch):
    monkeypatch.setattr(sync, "BACKOFF_BASE", 0.01)
    monkeypatch.setattr(sync, "BACKOFF_CAP", 0.05)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def report(*args: str) -> tuple[int, dict]:
    result = run(*args, "--json", "-q")
    return result.exit_code, json.loads(result.stdout)


def test_customers_land_through_their_server_method(odoo_env, tmp_path):
    mapping = write(tmp_path / "map.toml", '"Kunden-Nr" = "customer_id"\n')
    rejects = tmp_path / "rejects.csv"
    file = write(tmp_path / "contacts.csv", CUSTOMERS)
    code, data = report(
        "push", str(file), "--source", "newsletter", "--kind", "customers",
        "--map", str(mapping), "--rejects", str(rejects),
    )  # fmt: skip
    assert code == 1
    assert data["kind"] == "customers"
    assert (data["created"], data["superseded"], data["rejected"]) == (2, 1, 3)
    assert (data["rejected_client"], data["rejected_server"]) == (2, 1)
    db = odoo_env.db
    assert {kind for kind, *_rest in db.kind_calls} == {"customers"}
    assert not db.purchases, "no order was sent"
    ada = db.records["customers", "newsletter", "K1"]
    assert ada == {
        "customer_id": "K1",
        "name": "Ada L.",
        "email": "ada@example.com",
        "phone": "+32 2 555",
        "birthday": "1990-12-10",
        "tags": "Newsletter",
    }
    with rejects.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["line"], r["field"]) for r in rows] == [
        ("5", "customer_id"),
        ("6", "email"),
        ("7", "birthday"),
    ]
    assert "tags" in rows[0] and "order_id" not in rows[0], "the kind's own columns"

    # Pushed again: nothing is repeated, and the earlier K1 is still superseded.
    code, again = report(
        "push", str(file), "--source", "newsletter", "--kind", "customers",
        "--map", str(mapping),
    )  # fmt: skip
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert again["superseded"] == 1


@pytest.mark.parametrize("batch_size", ["1", "2", "1000"])
def test_scores_give_the_same_answers_at_any_batch_size(odoo_env, tmp_path, batch_size):
    file = write(tmp_path / "scores.csv", SCORES + "S1,K1,2026-03-01 10:00,8,,Quick\n")
    code, data = report(
        "push", str(file), "--source", "survey", "--kind", "scores", "--batch-size", batch_size
    )
    assert code == 1
    assert data["kind"] == "scores"
    assert (data["created"], data["superseded"], data["rejected"]) == (2, 1, 3)
    reasons = {(r["field"], r["count"]) for r in data["top_reasons"]}
    assert ("customer_id", 1) in reasons and ("score", 1) in reasons and ("date", 1) in reasons
    assert odoo_env.db.records["scores", "survey", "S1"]["score"] == 8
    assert odoo_env.db.records["scores", "survey", "S1"]["date"] == "2026-03-01 10:00:00"


def test_check_file_of_a_kind_writes_nothing(odoo_env, tmp_path):
    file = write(tmp_path / "scores.csv", SCORES)
    result = run("check", str(file), "--source", "survey", "--kind", "scores")
    assert result.exit_code == 1
    assert "rm-sync push: source 'survey', scores (dry run" in result.stdout
    assert "no customer with this id" in result.stdout
    assert not odoo_env.db.records
    assert all(dry for *_rest, dry in odoo_env.db.kind_calls)


def test_check_names_the_kind_and_its_contract(odoo_env):
    result = run("check", "--kind", "customers")
    assert result.exit_code == 0, result.output
    assert "customers land through res.partner.ingest_customers" in result.stdout
    assert "required: customer_id" in result.stdout


def test_an_older_addon_without_the_kind_is_a_clear_error(odoo_env, tmp_path):
    odoo_env.kinds = False
    file = write(tmp_path / "contacts.csv", "customer_id,name\nK1,Ada\n")
    result = run("push", str(file), "--source", "newsletter", "--kind", "customers")
    assert result.exit_code == 2
    assert "does not take --kind customers" in result.stderr
    assert "upgrade the addon" in result.stderr
    # Orders go on as before.
    orders = write(
        tmp_path / "orders.csv", "order_id,order_date,customer_id,amount\nA1,2024-01-01,C1,5\n"
    )
    assert run("push", str(orders), "--source", "shop").exit_code == 0


def test_progress_is_kept_per_kind(odoo_env, tmp_path):
    """One file pushed as two kinds keeps two progresses: the second is no resume."""
    file = write(tmp_path / "both.csv", "customer_id,score_id,date,score\nK1,S1,2026-01-01,9\n")
    assert run("push", str(file), "--source", "x", "--kind", "customers").exit_code == 0
    code, data = report("push", str(file), "--source", "x", "--kind", "scores")
    assert code == 0
    assert data["created"] == 1 and not data["files"][0]["note"]
    status = json.loads(run("status", "--json").stdout)
    assert {r["source"] for r in status["runs"]} == {"x (customers)", "x (scores)"}


def test_mapping_targets_are_the_kinds_columns(tmp_path):
    mapping = write(tmp_path / "map.toml", 'Note = "score"\nKommentar = "comment"\n')
    assert load_mapping(str(mapping), get_kind("scores").columns) == {
        "Note": "score",
        "Kommentar": "comment",
    }
    with pytest.raises(ConfigError, match="unknown column 'score'"):
        load_mapping(str(mapping))  # orders have no score
    mapper = ColumnMapper({}, get_kind("customers").columns)
    assert mapper.apply({"Customer ID": "K1", "Tags": "a", "Amount": "3"}) == {
        "customer_id": "K1",
        "tags": "a",
    }
