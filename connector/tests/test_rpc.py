from __future__ import annotations

import socket
import xmlrpc.client

import pytest

from rm_sync.config import Settings
from rm_sync.errors import AuthError, ConfigError, ServerError, TransientError
from rm_sync.rpc import OdooClient, classify_fault, fault_summary

_CLIENTS: list[OdooClient] = []


@pytest.fixture(autouse=True)
def close_clients():
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


def client_for(server, **kw) -> OdooClient:
    settings = Settings(
        url=server.url, db=server.database, user="admin", password="admin", timeout=5.0
    )
    for key, value in kw.items():
        setattr(settings, key, value)
    client = OdooClient(settings)
    _CLIENTS.append(client)
    return client


def test_version_authenticate_and_ingest(fake_odoo):
    client = client_for(fake_odoo)
    assert client.version()["server_serie"] == "18.0"
    assert client.authenticate() == 2
    info = client.ingest_info()
    assert info["can_ingest"] is True
    answer = client.ingest_batch(
        [{"order_id": "A1", "order_date": "2024-01-01", "customer_id": "C", "amount": 1.0}],
        source="shop",
        dry_run=False,
    )
    assert answer["counts"]["created"] == 1


def test_wrong_password_is_an_auth_error(fake_odoo):
    with pytest.raises(AuthError, match="authentication failed for user 'admin'"):
        client_for(fake_odoo, password="wrong").authenticate()


def test_unknown_database_is_a_config_error(fake_odoo):
    with pytest.raises(ConfigError, match="database 'other' does not exist"):
        client_for(fake_odoo, db="other").authenticate()


def test_missing_addon_is_named(fake_odoo):
    fake_odoo.addon_installed = False
    with pytest.raises(ConfigError, match="addon relationship_marketing is not installed"):
        client_for(fake_odoo).ingest_info()


def test_http_errors_are_classified(fake_odoo):
    client = client_for(fake_odoo)
    client.authenticate()
    fake_odoo.plan = ["http500", "http503", "serialize", "access"]
    with pytest.raises(TransientError) as e500:
        client.ingest_info()
    assert e500.value.maybe_sent
    with pytest.raises(TransientError) as e503:
        client.ingest_info()
    assert not e503.value.maybe_sent
    with pytest.raises(TransientError, match="could not serialize access"):
        client.ingest_info()
    with pytest.raises(AuthError, match="not allowed"):
        client.ingest_info()


def test_read_timeout_may_have_been_sent(fake_odoo):
    client = client_for(fake_odoo, timeout=0.3)
    client.authenticate()
    fake_odoo.plan = ["slow:1.0"]
    with pytest.raises(TransientError) as exc:
        client.ingest_info()
    assert exc.value.maybe_sent
    assert "no answer" in exc.value.message


def test_dropped_connection_may_have_been_sent(fake_odoo):
    client = client_for(fake_odoo)
    client.authenticate()
    fake_odoo.plan = ["drop"]
    with pytest.raises(TransientError) as exc:
        client.ingest_info()
    assert exc.value.maybe_sent


def test_connection_refused_was_not_sent():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Settings(url=f"http://127.0.0.1:{port}", db="x", user="u", password="p")
    with pytest.raises(TransientError) as exc, OdooClient(settings) as client:
        client.version()
    assert not exc.value.maybe_sent
    assert "Connection refused" in exc.value.message


def test_wrong_path_and_non_xmlrpc_answers(fake_odoo):
    settings = Settings(url=fake_odoo.url + "/nothing", db="x", user="u", password="p")
    with pytest.raises(ConfigError, match="no XML-RPC endpoint"), OdooClient(settings) as client:
        client.version()


def test_fault_classification():
    tb = "Traceback (most recent call last):\n  File 'x'\nodoo.exceptions.ValidationError: bad"
    assert fault_summary(xmlrpc.client.Fault(1, tb)) == "odoo.exceptions.ValidationError: bad"
    assert isinstance(classify_fault(xmlrpc.client.Fault(1, tb)), ServerError)
    assert isinstance(classify_fault(xmlrpc.client.Fault(3, "Access Denied")), AuthError)
    assert isinstance(
        classify_fault(
            xmlrpc.client.Fault(1, "psycopg2.errors.DeadlockDetected: deadlock detected")
        ),
        TransientError,
    )
    assert isinstance(
        classify_fault(xmlrpc.client.Fault(2, "warning -- AccessError\n\nYou are not allowed")),
        AuthError,
    )


def test_tls_is_verified_by_default_and_insecure_is_opt_in(tmp_path):
    assert Settings(url="https://x").verify is True
    assert Settings(url="https://x", insecure=True).verify is False
    bundle = tmp_path / "ca.pem"
    bundle.write_text("x")
    assert Settings(url="https://x", ca_bundle=str(bundle)).verify == str(bundle)
