"""Over XML-RPC, a user of company B sees and changes nothing of company A's."""

from __future__ import annotations

import os
import time
import xmlrpc.client

import pytest
from test_e2e import run, write_orders

# Odoo's XML-RPC fault code for an AccessError.
ACCESS_ERROR = 4


def _group(odoo, module: str, name: str) -> int:
    return odoo.call(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )[0]["res_id"]


def test_company_b_sees_nothing_of_company_a(e2e_env, tmp_path):
    odoo = e2e_env
    path = write_orders(tmp_path / "a.csv", 20, customers=5, prefix="MA")
    assert run("push", str(path), "--source", "mc", "-q").exit_code == 0
    ids_a = odoo.call("relationship.purchase", "search", [("source", "=", "mc")])
    partners_a = odoo.call("res.partner", "search", [("email", "=like", "mac%@example.com")])
    assert len(ids_a) == 20 and len(partners_a) == 5

    stamp = f"{os.getpid()}-{time.monotonic_ns()}"
    company_b = odoo.call("res.company", "create", {"name": f"Company B {stamp}"})
    login = f"user-b-{stamp}"
    odoo.call(
        "res.users",
        "create",
        {
            "name": "User B",
            "login": login,
            "password": "User-B-pw-123",
            "company_id": company_b,
            "company_ids": [(6, 0, [company_b])],
            "groups_id": [
                (6, 0, [_group(odoo, "relationship_marketing", "group_relationship_manager")])
            ],
        },
    )

    def as_b(model, method, *args, **kwargs):
        return odoo.call(model, method, *args, login=login, password="User-B-pw-123", **kwargs)

    assert as_b("relationship.purchase", "search", [("source", "=", "mc")]) == []
    assert as_b("res.partner", "search", [("id", "in", partners_a)]) == []
    stages_b = as_b("relationship.stage", "search_read", [], fields=["company_id"])
    assert stages_b and {s["company_id"][0] for s in stages_b} == {company_b}
    history = as_b("relationship.stage.history", "search", [("partner_id", "in", partners_a)])
    assert history == []
    for method, args in (("write", {"amount": 1}), ("read", ["amount"])):
        with pytest.raises(xmlrpc.client.Fault) as denied:
            as_b("relationship.purchase", method, ids_a[:1], args)
        assert denied.value.faultCode == ACCESS_ERROR, denied.value.faultString
    # B's own push of the same orders lands in B, apart from A's.
    answer = as_b(
        "relationship.purchase",
        "ingest_batch",
        [
            {
                "order_id": "MA0",
                "order_date": "2024-01-01",
                "customer_id": "MAC0",
                "email": "mac0@example.com",
                "amount": 5,
            }
        ],
        source="mc",
    )
    assert answer["counts"]["created"] == 1
    assert answer["results"][0]["partner_id"] not in partners_a
    in_a = [("source", "=", "mc"), ("company_id", "!=", company_b)]
    assert odoo.call("relationship.purchase", "search", in_a) == ids_a
