"""``--kind customers`` and ``--kind scores`` against a real Odoo 18 with the addon."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from test_e2e import run

CONTACTS = [
    # Kunden-Nr, Name, E-Mail, Telefon, Geburtstag, Tags, Salesperson
    ("NL-1", "Ada Lovelace", "ada.kinds@example.com", "+32 2 555", "10.12.1990", "News, VIP", ""),
    ("NL-2", "Grace Hopper", "grace.kinds@example.com", "", "", "News", ""),
    ("NL-1", "Ada L.", "ada.kinds@example.com", "+32 2 555", "10.12.1990", "News, VIP", ""),
    ("", "No Id", "noid.kinds@example.com", "", "", "", ""),  # no customer_id: rm-sync
    ("NL-4", "Nobody's", "nl4.kinds@example.com", "", "", "", "nobody@example.com"),  # Odoo
    ("NL-5", "Dora", "dora.kinds@example.com", "", "", "", ""),
]  # fmt: skip
MAPPING = '"Kunden-Nr" = "customer_id"\n"Telefon" = "phone"\n"Geburtstag" = "birthday"\n'


def write_contacts(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(
            ["Kunden-Nr", "Name", "E-Mail", "Telefon", "Geburtstag", "Tags", "Salesperson"]
        )
        writer.writerows(CONTACTS)
    return path


def partners(odoo, emails: list[str]) -> dict[str, dict]:
    rows = odoo.call(
        "res.partner",
        "search_read",
        [("email", "in", emails)],
        fields=[
            "name",
            "email",
            "phone",
            "relationship_birthday",
            "relationship_stage_id",
            "category_id",
        ],
    )
    return {row["email"]: row for row in rows}


def tag_names(odoo, ids: list[int]) -> list[str]:
    return sorted(tag["name"] for tag in odoo.call("res.partner.category", "read", ids, ["name"]))


def push(*args: str) -> tuple[int, dict]:
    result = run("push", *args, "--json", "-q")
    return result.exit_code, json.loads(result.stdout)


def test_contacts_become_prospects_once_and_bad_rows_are_named(e2e_env, tmp_path):
    odoo = e2e_env
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    file = write_contacts(tmp_path / "contacts.csv")
    rejects = tmp_path / "rejects.csv"
    args = (str(file), "--source", "newsletter", "--kind", "customers", "--map", str(mapping))

    code, report = push(*args, "--rejects", str(rejects), "--batch-size", "2")
    assert code == 1, report
    assert report["kind"] == "customers"
    assert (report["created"], report["superseded"], report["rejected"]) == (3, 1, 2)
    assert (report["rejected_client"], report["rejected_server"]) == (1, 1)
    with rejects.open(encoding="utf-8-sig") as fh:
        named = [(row["line"], row["field"], row["customer_id"]) for row in csv.DictReader(fh)]
    assert named == [("5", "customer_id", ""), ("6", "salesperson", "NL-4")]

    found = partners(
        odoo, ["ada.kinds@example.com", "grace.kinds@example.com", "dora.kinds@example.com"]
    )
    ada = found["ada.kinds@example.com"]
    assert (ada["name"], ada["phone"], ada["relationship_birthday"]) == (
        "Ada L.",
        "+32 2 555",
        "1990-12-10",
    ), "the last row of a customer wins"
    assert tag_names(odoo, ada["category_id"]) == ["News", "VIP"]
    assert {row["relationship_stage_id"][1] for row in found.values()} == {"Prospect"}
    assert not partners(odoo, ["noid.kinds@example.com", "nl4.kinds@example.com"])

    # The same file again, cut otherwise: nothing is repeated.
    count = odoo.call("res.partner", "search_count", [])
    code, again = push(*args, "--batch-size", "500")
    assert code == 1
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert (again["superseded"], again["rejected"]) == (1, 2)
    assert odoo.call("res.partner", "search_count", []) == count

    # The run is recorded in Odoo, its rejects named by the customer id.
    [sync_run] = odoo.call(
        "relationship.sync.run",
        "search_read",
        [("source", "=", "newsletter")],
        fields=["created_count", "rejected_count", "reject_ids"],
        order="id",
        limit=1,
    )
    assert (sync_run["created_count"], sync_run["rejected_count"]) == (3, 1)
    [reject] = odoo.call(
        "relationship.sync.run.reject", "read", sync_run["reject_ids"], ["order_ref", "field_name"]
    )
    assert (reject["order_ref"], reject["field_name"]) == ("NL-4", "salesperson")


@pytest.fixture
def customers_with_orders(e2e_env, tmp_path):
    """Two customers of the source 'shop', with an order three days ago."""
    when = (datetime.now(timezone.utc) - timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,order_date,customer_id,email,name,amount\n"
        f"SC-1,{when},SC-C1,sc1.kinds@example.com,Sam,50\n"
        f"SC-2,{when},SC-C2,sc2.kinds@example.com,Kim,60\n",
        encoding="utf-8",
    )
    assert run("push", str(orders), "--source", "shop").exit_code == 0
    return when


def scores(odoo, source: str) -> dict[str, dict]:
    rows = odoo.call(
        "relationship.satisfaction",
        "search_read",
        [("source", "=", source), ("external_id", "!=", False)],
        fields=["external_id", "partner_id", "score", "comment", "category"],
    )
    return {row.pop("external_id"): row for row in rows}


def test_scores_land_on_their_customers_once(e2e_env, tmp_path, customers_with_orders):
    odoo = e2e_env
    when = customers_with_orders
    file = tmp_path / "nps.csv"
    file.write_text(
        "Antwort,customer_id,email,date,score,scale,comment\n"
        f"R1,SC-C1,,{when},9,,Quick delivery\n"
        f"R2,,SC2.kinds@example.com,{when},2,csat,Broken on arrival\n"
        f"R3,NOBODY,,{when},5,,\n"  # no such customer: rejected by Odoo
        f"R4,SC-C1,,{when},11,,\n"  # above the contract's maximum: rejected by rm-sync
        f"R5,SC-C1,,{when},7,stars,\n",  # not a scale: rejected by Odoo
        encoding="utf-8",
    )
    mapping = tmp_path / "map.toml"
    mapping.write_text('Antwort = "score_id"\n', encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    args = (str(file), "--source", "shop", "--kind", "scores", "--map", str(mapping))

    dry = run("check", *args)
    assert dry.exit_code == 1, dry.output
    assert "push the customer first" in dry.stdout, "check tells why, from the server's dry run"
    assert not scores(odoo, "shop")

    code, report = push(*args, "--rejects", str(rejects))
    assert code == 1, report
    assert (report["created"], report["rejected_client"], report["rejected_server"]) == (2, 1, 2)
    with rejects.open(encoding="utf-8-sig") as fh:
        named = [(row["line"], row["field"], row["score_id"]) for row in csv.DictReader(fh)]
    assert named == [("4", "customer_id", "R3"), ("5", "score", "R4"), ("6", "scale", "R5")]

    landed = scores(odoo, "shop")
    assert {
        key: (row["partner_id"][1], row["score"], row["category"]) for key, row in landed.items()
    } == {
        "R1": ("Sam", 9.0, "promoter"),
        "R2": ("Kim", 2.5, "detractor"),
    }, "CSAT 2 of 1-5 lands as 2.5 of 0-10"
    [kim] = odoo.call(
        "res.partner",
        "search_read",
        [("email", "=", "sc2.kinds@example.com")],
        fields=["relationship_at_risk", "relationship_risk_reason"],
    )
    assert (kim["relationship_at_risk"], kim["relationship_risk_reason"]) == (True, "low_score")

    code, again = push(*args, "--batch-size", "1")
    assert (code, again["created"], again["updated"], again["unchanged"]) == (1, 0, 0, 2)
    assert scores(odoo, "shop") == landed
