from __future__ import annotations

import http.server
import socket
import threading
import xmlrpc.client

import pytest
import requests

from rm_sync.config import Settings
from rm_sync.errors import AuthError, ConfigError, ServerError, TransientError
from rm_sync.rpc import OdooClient, RequestsTransport, classify_fault, fault_summary

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


# -- concurrency faults once Odoo's own retries ran out ----------------------------------------


def odoo_retries_exhausted(exception: str, message: str) -> xmlrpc.client.Fault:
    """The fault Odoo 18 answers when ``odoo.service.model.retrying`` gave up: the
    formatted traceback of the last PostgreSQL error (faultCode 1 on /xmlrpc/2)."""
    return xmlrpc.client.Fault(
        1,
        "Traceback (most recent call last):\n"
        '  File "/odoo/odoo/service/model.py", line 137, in retrying\n'
        "    result = func()\n"
        '  File "/odoo/odoo/sql_db.py", line 354, in execute\n'
        "    res = self._obj.execute(query, params)\n"
        f"psycopg2.errors.{exception}: {message}\n",
    )


@pytest.mark.parametrize(
    ("exception", "message"),
    [
        ("SerializationFailure", "could not serialize access due to concurrent update"),
        ("SerializationFailure", "could not serialize access due to read/write dependencies"),
        ("DeadlockDetected", "deadlock detected\nDETAIL:  Process 1 waits for ShareLock"),
        ("LockNotAvailable", 'could not obtain lock on row in relation "res_company"'),
        ("LockNotAvailable", "canceling statement due to lock timeout"),
    ],
)
def test_concurrency_faults_are_transient(exception, message):
    error = classify_fault(odoo_retries_exhausted(exception, message), context="ingest_batch")
    assert isinstance(error, TransientError), error
    assert "transient database conflict" in error.message
    assert message.splitlines()[0] in error.message


def test_a_concurrency_fault_is_retried_with_backoff_and_the_batch_lands():
    from fakeodoo import FakeDB, row_contract

    from rm_sync.readers import Record
    from rm_sync.sync import Backoff, Pusher
    from rm_sync.validation import validate

    db = FakeDB()
    faults = [
        odoo_retries_exhausted(
            "SerializationFailure", "could not serialize access due to concurrent update"
        ),
        odoo_retries_exhausted("LockNotAvailable", "canceling statement due to lock timeout"),
    ]

    class Client:
        calls = 0

        def ingest_batch(self, rows, *, source, dry_run):
            Client.calls += 1
            if faults:
                raise classify_fault(faults.pop(0), context="ingest_batch")
            return db.ingest(rows, source, dry_run)

    sleeps: list[float] = []
    contract = row_contract()
    pusher = Pusher(
        Client(),
        source="shop",
        contract=contract,
        backoff=Backoff(rng=lambda: 1.0),
        sleep=sleeps.append,
    )
    row = validate(
        Record(
            1, 2, {"order_id": "A1", "order_date": "2024-01-01", "customer_id": "C", "amount": "1"}
        ),
        pusher.mapper,
        contract,
    )
    assert [r["status"] for r in pusher.send([row])] == ["created"]
    assert Client.calls == 3 and pusher.report.retries == 2
    assert sleeps == [1.0, 2.0]  # exponential back-off between the tries


# -- redirects ----------------------------------------------------------------------------------


class Recorder(requests.adapters.BaseAdapter):
    """A transport adapter that records what is sent and answers a fixed response."""

    def __init__(self, status: int = 200, location: str | None = None) -> None:
        super().__init__()
        self.status, self.location = status, location
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        response = requests.Response()
        response.status_code = self.status
        response.url = request.url
        response.request = request
        if self.location:
            response.headers["Location"] = self.location
        response._content = xmlrpc.client.dumps((7,), methodresponse=True).encode()
        return response

    def close(self) -> None:
        pass


def client_over(session: requests.Session, url: str = "https://odoo.example") -> OdooClient:
    settings = Settings(url=url, db="prod", user="sync", password="s3cret-key")
    client = OdooClient(settings, transport=RequestsTransport(url, session=session))
    _CLIENTS.append(client)
    return client


def test_a_redirect_from_https_to_http_is_refused_before_the_password_leaves():
    session = requests.Session()
    secure = Recorder(308, "http://odoo.example/xmlrpc/2/common")
    clear = Recorder()
    session.mount("https://", secure)
    session.mount("http://", clear)
    with pytest.raises(ConfigError, match="which leaves https"):
        client_over(session).authenticate()
    assert len(secure.sent) == 1 and b"s3cret-key" in secure.sent[0].body
    assert clear.sent == []  # nothing, the password above all, went out in clear


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_host_is_refused(status):
    session = requests.Session()
    first = Recorder(status, "https://elsewhere.example/xmlrpc/2/common")
    session.mount("https://odoo.example", first)
    other = Recorder()
    session.mount("https://elsewhere.example", other)
    with pytest.raises(ConfigError, match="another host"):
        client_over(session).authenticate()
    assert other.sent == []


def test_a_redirect_on_the_same_host_over_https_is_followed():
    session = requests.Session()
    moved = Recorder(308, "/odoo/xmlrpc/2/common")
    session.mount("https://odoo.example/xmlrpc", moved)
    target = Recorder()
    session.mount("https://odoo.example/odoo", target)
    assert client_over(session).authenticate() == 7
    assert [r.url for r in target.sent] == ["https://odoo.example/odoo/xmlrpc/2/common"]
    assert b"s3cret-key" in target.sent[0].body


def test_a_redirect_loop_ends():
    session = requests.Session()
    session.mount("https://", Recorder(307, "https://odoo.example/xmlrpc/2/common"))
    with pytest.raises(ConfigError, match="more than 5 redirects"):
        client_over(session).version()


class Redirector:
    """A local HTTP server that answers every POST with a redirect to ``target``."""

    def __init__(self, status: int, target: str) -> None:
        self.hits = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                outer.hits += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(status)
                self.send_header("Location", target + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_local_server_redirecting_to_another_host_is_not_followed(fake_odoo):
    other_host = fake_odoo.url.replace("127.0.0.1", "localhost")
    redirector = Redirector(308, other_host)
    try:
        settings = Settings(
            url=redirector.url, db=fake_odoo.database, user="admin", password="admin"
        )
        with pytest.raises(ConfigError, match="another host"), OdooClient(settings) as client:
            client.authenticate()
        assert fake_odoo.object_calls == 0 and redirector.hits == 1

        same_host = Redirector(307, fake_odoo.url)  # another port of the same host
        try:
            settings.url = same_host.url
            with OdooClient(settings) as client:
                assert client.authenticate() == 2
        finally:
            same_host.close()
    finally:
        redirector.close()
