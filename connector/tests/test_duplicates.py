"""The duplicate rule on the client, and the report's reasons (fake server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakeodoo import FakeClient, FakeDB
from test_sync import push_file, pusher

from rm_sync.reasons import Reasons, advice
from rm_sync.state import StateStore

HEADER = "order_id,order_date,customer_id,amount,currency\n"
ROWS = [
    "A1,2024-01-01,C1,10,EUR",
    "A2,2024-01-01,C2,20,EUR",
    "A1,2024-01-01,C1,10,EUR",  # an earlier A1, different from the last: superseded
    "A2,2024-01-01,C2,20,EUR",  # exact repeat of the last A2
    "A1,2024-01-01,C1,11,EUR",  # the last A1
    "A3,2024-01-01,C3,30,XYZ",  # rejected by the server
    "A3,2024-01-01,C3,30,XYZ",  # and its repeat (the last A3)
    " A4 ,2024-01-01,C4,40,EUR",
    "A4,2024-01-01,C4,41,EUR",  # the same order (ids are stripped)
]


def write(path: Path) -> Path:
    path.write_text(HEADER + "\n".join(ROWS) + "\n")
    return path


@pytest.mark.parametrize("batch_size", [1, 2, 7, 1000])
def test_last_row_of_an_order_wins_at_any_batch_size(tmp_path, batch_size):
    db = FakeDB()
    client = FakeClient(db)
    with StateStore(tmp_path / "state") as store:
        fr = push_file(pusher(client, store, batch_size=batch_size), write(tmp_path / "o.csv"))
    sent = sum(n for n, _dry in client.calls)
    assert sent == 4  # A1 (11), A2, A3 (the last), A4 (41)
    assert (fr.created, fr.unchanged, fr.superseded, fr.rejected) == (3, 2, 3, 1)
    assert {key[1]: value["amount"] for key, value in db.purchases.items()} == {
        "A1": 11.0,
        "A2": 20.0,
        "A4": 41.0,
    }


def test_reasons_are_grouped_with_advice(tmp_path):
    reasons = Reasons()
    for name in ("bob", "alice", "bob"):
        reasons.add("salesperson", f"salesperson: {name} is not the login or email of a user")
    reasons.add("currency", "currency: EUR exists but is not active in this database: ...")
    top = reasons.top()
    assert [(t["field"], t["count"]) for t in top] == [("salesperson", 3), ("currency", 1)]
    assert "internal user" in top[0]["advice"]
    assert "Activate the currency" in top[1]["advice"]
    assert advice("whatever", "x").startswith("Correct the rows")


def test_report_names_the_top_reasons(tmp_path):
    client = FakeClient(FakeDB())
    p = pusher(client)
    push_file(p, write(tmp_path / "o.csv"))
    data = json.loads(p.report.to_json())
    assert data["superseded"] == 3
    [top] = data["top_reasons"]
    assert top["field"] == "currency" and top["count"] == 1
    text = p.report.to_text()
    assert "superseded" in text and "1 x currency" in text and "->" in text
