"""What was synced survives an upgrade, and an uninstall and reinstall, of the addon."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from odoo_server import OdooServer
from test_e2e import purchases, run, write_orders


@pytest.fixture
def own_odoo(tmp_path, monkeypatch) -> Iterator[OdooServer]:
    """A database of its own: this test uninstalls the addon."""
    server = OdooServer(tmp_path / "odoo")
    try:
        server.create_db()
        server.start()
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        yield server
    finally:
        server.drop()


def customers(odoo: OdooServer) -> dict[str, int]:
    rows = odoo.call(
        "res.partner", "search_read", [("email", "=like", "lc%@example.com")], fields=["email"]
    )
    return {row["email"]: row["id"] for row in rows}


def by_customer(odoo: OdooServer) -> dict[str, tuple]:
    """Each purchase with its customer's email, comparable across reinstalls."""
    emails = {partner_id: email for email, partner_id in customers(odoo).items()}
    return {
        order: (emails[row["partner_id"][0]], row["date_order"], row["amount"])
        for order, row in purchases(odoo, "shop", with_write_date=False).items()
    }


def module_call(odoo: OdooServer, method: str) -> None:
    ids = odoo.call("ir.module.module", "search", [("name", "=", "relationship_marketing")])
    odoo.call("ir.module.module", method, ids)


def test_upgrade_then_uninstall_and_reinstall_lose_no_customer(own_odoo, tmp_path, monkeypatch):
    odoo = own_odoo
    path = write_orders(tmp_path / "orders.csv", 300, customers=30, prefix="L")
    monkeypatch.setenv("RM_SYNC_STATE_DIR", str(tmp_path / "state-1"))
    assert run("push", str(path), "--source", "shop", "-q").exit_code == 0
    synced_customers = customers(odoo)
    synced = purchases(odoo, "shop", with_write_date=False)
    assert len(synced_customers) == 30 and len(synced) == 300

    # Upgrade (-u), as a release does: nothing moves.
    odoo.stop()
    odoo.upgrade()
    odoo.start()
    assert purchases(odoo, "shop", with_write_date=False) == synced
    assert customers(odoo) == synced_customers

    # Uninstall: the addon's tables go, the customers it created stay (they
    # carry no external id of the addon, so Odoo does not delete them).
    before = by_customer(odoo)
    module_call(odoo, "button_immediate_uninstall")
    assert customers(odoo) == synced_customers
    # Reinstall and push the same export again: the purchases come back on
    # the very same customers, and no customer is created twice.
    module_call(odoo, "button_immediate_install")
    monkeypatch.setenv("RM_SYNC_STATE_DIR", str(tmp_path / "state-2"))
    result = run("push", str(path), "--source", "shop", "--json")
    assert result.exit_code == 0, result.output
    assert customers(odoo) == synced_customers
    assert by_customer(odoo) == before
