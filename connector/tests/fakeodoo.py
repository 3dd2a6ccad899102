"""A small stand-in for Odoo's XML-RPC API and the addon's ingestion method.

It follows the contract of ``relationship.purchase.ingest_batch`` closely
enough for unit tests (the real server is exercised by tests/e2e): purchases
are upserted per (source, order_id), the answer is per row, a batch is atomic,
``dry_run`` writes nothing. Faults can be planned per object call.
"""

from __future__ import annotations

import contextlib
import copy
import http.server
import socket
import threading
import time
import xmlrpc.client
from datetime import date, timedelta
from typing import Any

from rm_sync.contract import RowContract
from rm_sync.errors import ServerError, TransientError

VERSION = {
    "server_version": "18.0",
    "server_version_info": [18, 0, 0, "final", 0, ""],
    "server_serie": "18.0",
    "protocol_version": 1,
}


def _text(max_length: int, required: bool = False) -> dict[str, Any]:
    return {"type": "text", "required": required, "max_length": max_length}


# The row contract as the addon publishes it in ingest_info (tools/purchase_rows.py).
ROW_CONTRACT: dict[str, Any] = {
    "version": 1,
    "columns": {
        "order_id": _text(128, required=True),
        "order_date": {"type": "datetime", "required": True},
        "customer_id": _text(128),
        "email": {"type": "email", "required": False, "max_length": 254},
        "name": _text(256),
        "amount": {"type": "number", "required": True, "minimum": 0, "maximum": 1e12},
        "currency": {"type": "currency", "required": False, "max_length": 3},
        "margin": {"type": "number", "required": False, "minimum": -1e12, "maximum": 1e12},
        "channel": _text(64),
        "phone": _text(64),
        "vat": _text(32),
        "birthday": {"type": "date", "required": False},
        "referred_by": _text(254),
        "salesperson": _text(254),
        "partner_ref": _text(64),
        "refunded": {"type": "number", "required": False, "minimum": 0, "maximum": 1e12},
        "status": _text(16),
    },
    "customer_keys": ["customer_id", "email", "vat", "partner_ref"],
    "oldest_date": "1900-01-01",
    "newest_date": (date.today() + timedelta(days=1)).isoformat(),
    "max_batch_size": 1000,
    "max_source_length": 64,
}
# The other kinds' contracts, as the addon publishes them in ingest_info()["kinds"]
# (tools/kind_rows.py).
CUSTOMER_CONTRACT: dict[str, Any] = {
    **ROW_CONTRACT,
    "columns": {
        "customer_id": _text(128, required=True),
        "name": _text(256),
        "email": {"type": "email", "required": False, "max_length": 254},
        "phone": _text(64),
        "vat": _text(32),
        "birthday": {"type": "date", "required": False},
        "partner_ref": _text(64),
        "tags": _text(1024),
        "referred_by": _text(254),
        "salesperson": _text(254),
    },
    "customer_keys": ["customer_id"],
}
SCORE_CONTRACT: dict[str, Any] = {
    **ROW_CONTRACT,
    "columns": {
        "score_id": _text(128, required=True),
        "customer_id": _text(128),
        "email": {"type": "email", "required": False, "max_length": 254},
        "vat": _text(32),
        "partner_ref": _text(64),
        "date": {"type": "datetime", "required": True},
        "score": {"type": "number", "required": True, "minimum": 0, "maximum": 10},
        "scale": _text(16),
        "comment": _text(4000),
    },
}
# kind -> (model, method, id column, contract)
KIND_TARGETS = {
    "customers": ("res.partner", "ingest_customers", "customer_id", CUSTOMER_CONTRACT),
    "scores": ("relationship.satisfaction", "ingest_scores", "score_id", SCORE_CONTRACT),
}
# Currencies the fake server knows: another one is a rejection only the server can make.
CURRENCIES = ("EUR", "USD", "GBP", "CHF")


def row_contract(max_batch_size: int = 1000) -> RowContract:
    return RowContract.parse({**ROW_CONTRACT, "max_batch_size": max_batch_size})


class FakeDB:
    """In-memory purchases keyed by (source, order_id)."""

    def __init__(self) -> None:
        self.purchases: dict[tuple[str, str], dict[str, Any]] = {}
        self.calls: list[tuple[str, int, bool]] = []  # (source, rows, dry_run)
        self.lock = threading.Lock()
        self.max_batch_size = ROW_CONTRACT["max_batch_size"]
        self.store = True  # False: answer 'created' for every row and keep nothing
        self.records: dict[tuple[str, str, str], dict[str, Any]] = {}  # other kinds
        self.kind_calls: list[tuple[str, str, int, bool]] = []  # (kind, source, rows, dry_run)

    def ingest_kind(
        self, kind: str, rows: list[dict[str, Any]], source: str, dry_run: bool
    ) -> dict[str, Any]:
        """Customers and scores: upserted per (kind, source, id); the last row of an id
        in the batch wins. Server-side rejects: a score of a customer id that starts
        with UNKNOWN, a customer whose email ends in @invalid.test."""
        id_column = KIND_TARGETS[kind][2]
        with self.lock:
            self.kind_calls.append((kind, source, len(rows), dry_run))
            staged = dict(self.records)
            last = {row.get(id_column): index for index, row in enumerate(rows)}
            results: list[dict[str, Any]] = []
            for index, row in enumerate(rows):
                key = row.get(id_column)
                base = {"index": index, id_column: key, "field": False, "reason": False}
                if last[key] != index:
                    status = "unchanged" if rows[last[key]] == row else "superseded"
                    results.append({**base, "status": status})
                    continue
                field = reason = None
                if kind == "scores" and str(row.get("customer_id", "")).startswith("UNKNOWN"):
                    field, reason = "customer_id", "customer_id: no customer with this id"
                if kind == "customers" and str(row.get("email", "")).endswith("@invalid.test"):
                    field, reason = "email", "email: not a valid email address"
                if field:
                    results.append({**base, "status": "rejected", "field": field, "reason": reason})
                    continue
                old = staged.get((kind, source, key))
                status = "created" if old is None else "unchanged" if old == row else "updated"
                staged[(kind, source, key)] = dict(row)
                results.append({**base, "status": status})
            if not dry_run:
                self.records = staged
            counts = dict.fromkeys(("created", "updated", "unchanged", "superseded", "rejected"), 0)
            for r in results:
                counts[r["status"]] += 1
            return {"source": source, "dry_run": dry_run, "counts": counts, "results": results}

    def ingest(self, rows: list[dict[str, Any]], source: str, dry_run: bool) -> dict[str, Any]:
        with self.lock:
            if not self.store:
                results = [
                    {
                        "index": i,
                        "order_id": r.get("order_id"),
                        "status": "created",
                        "purchase_id": 1,
                        "partner_id": 1,
                        "field": False,
                        "reason": False,
                    }
                    for i, r in enumerate(rows)
                ]
                return {"source": source, "dry_run": dry_run, "counts": {}, "results": results}
            self.calls.append((source, len(rows), dry_run))
            if len(rows) > self.max_batch_size:
                raise xmlrpc.client.Fault(
                    2,
                    f"A batch holds at most {self.max_batch_size} rows; this one has {len(rows)}.",
                )
            if any(str(r.get("order_id", "")).startswith("POISON") for r in rows):
                raise xmlrpc.client.Fault(
                    1,
                    "Traceback (most recent call last):\n  File x\nValueError: poisoned row",
                )
            staged = dict(self.purchases)
            results = []
            seen: set[str] = set()
            for index, row in enumerate(rows):
                base = {"index": index, "order_id": row.get("order_id", False)}
                if row.get("amount", 0) < 0:
                    results.append(
                        {
                            **base,
                            "status": "rejected",
                            "purchase_id": False,
                            "partner_id": False,
                            "field": "amount",
                            "reason": "amount: must not be below 0",
                        }
                    )
                    continue
                if row.get("currency", "EUR") not in CURRENCIES:
                    results.append(
                        {
                            **base,
                            "status": "rejected",
                            "purchase_id": False,
                            "partner_id": False,
                            "field": "currency",
                            "reason": f"currency: unknown currency {row['currency']!r}",
                        }
                    )
                    continue
                if row["order_id"] in seen:
                    results.append(
                        {
                            **base,
                            "status": "rejected",
                            "purchase_id": False,
                            "partner_id": False,
                            "field": "order_id",
                            "reason": "order_id: already in this batch",
                        }
                    )
                    continue
                seen.add(row["order_id"])
                key = (source, row["order_id"])
                old = staged.get(key)
                if old is None:
                    status = "created"
                elif old == row:
                    status = "unchanged"
                else:
                    status = "updated"
                staged[key] = dict(row)
                results.append(
                    {
                        **base,
                        "status": status,
                        "purchase_id": len(staged),
                        "partner_id": 1,
                        "field": False,
                        "reason": False,
                    }
                )
            if not dry_run:
                self.purchases = staged
            counts = dict.fromkeys(("created", "updated", "unchanged", "rejected"), 0)
            for r in results:
                counts[r["status"]] += 1
            return {"source": source, "dry_run": dry_run, "counts": counts, "results": results}

    def snapshot(self) -> dict[tuple[str, str], dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(self.purchases)


class FakeClient:
    """In-process client for Pusher tests: ``plan`` lists what the next calls do.

    Actions: None (normal), 'transient' (fails before reaching the server),
    'lost' (the batch commits but the answer is lost: a timeout), 'server'
    (a non-transient server fault).
    """

    def __init__(self, db: FakeDB | None = None, plan: list[str | None] | None = None) -> None:
        self.db = db or FakeDB()
        self.plan = list(plan or [])
        self.calls: list[tuple[int, bool]] = []

    def ingest_batch(
        self, rows: list[dict[str, Any]], *, source: str, dry_run: bool
    ) -> dict[str, Any]:
        self.calls.append((len(rows), dry_run))
        action = self.plan.pop(0) if self.plan else None
        if action == "transient":
            raise TransientError("connection refused", maybe_sent=False)
        if action == "server":
            raise ServerError("server error: boom")
        try:
            answer = self.db.ingest(rows, source, dry_run)
        except xmlrpc.client.Fault as fault:
            raise ServerError(f"server error: {fault.faultString}") from fault
        if action == "lost":
            raise TransientError("no answer within 1 s", maybe_sent=True)
        return answer


class FakeOdooServer:
    """An HTTP XML-RPC server on 127.0.0.1 imitating Odoo + the addon.

    ``plan`` holds actions for the next ``execute_kw`` calls: None, 'http500',
    'http503', 'serialize' (a serialization-failure fault), 'slow:SECONDS' (process,
    then wait before answering), 'drop' (process, then close the connection
    without answering), 'access' (AccessError fault).
    """

    def __init__(self) -> None:
        self.db = FakeDB()
        self.users = {"admin": ("admin", 2, True), "norights": ("pw", 7, False)}
        self.database = "testdb"
        self.addon_installed = True
        self.kinds = True  # False: an addon older than the other kinds
        self.plan: list[str | None] = []
        self.delay = 0.0  # seconds to wait in every ingest_batch (for kill tests)
        self.object_calls = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                server.handle(self, body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> FakeOdooServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- request handling ---------------------------------------------------------------------

    def _send(self, handler: Any, payload: bytes, status: int = 200) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "text/xml")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _reply(self, handler: Any, value: Any) -> None:
        if isinstance(value, xmlrpc.client.Fault):
            payload = xmlrpc.client.dumps(value, allow_none=False)
        else:
            payload = xmlrpc.client.dumps((value,), methodresponse=True, allow_none=False)
        self._send(handler, payload.encode("utf-8"))

    def handle(self, handler: Any, body: bytes) -> None:
        if not self.db.store and b"<string>ingest_batch</string>" in body:
            # Fast path for memory tests: count the rows (one struct each, plus the kwargs
            # struct) instead of parsing them, and answer from a cache.
            self._send(handler, self._created_answer(body.count(b"<struct>") - 1))
            return
        params, method = xmlrpc.client.loads(body)
        if handler.path == "/xmlrpc/2/common":
            self._reply(handler, self.common(method, params))
            return
        if handler.path != "/xmlrpc/2/object":
            self._send(handler, b"not found", 404)
            return
        self.object_calls += 1
        action = self.plan.pop(0) if self.plan else None
        if action == "http500":
            self._send(handler, b"<html>Internal Server Error</html>", 500)
            return
        if action == "http503":
            self._send(handler, b"<html>Service Unavailable</html>", 503)
            return
        if action == "serialize":
            self._reply(
                handler,
                xmlrpc.client.Fault(
                    1,
                    "Traceback (most recent call last):\npsycopg2.errors.SerializationFailure: "
                    "could not serialize access due to concurrent update",
                ),
            )
            return
        if action == "access":
            self._reply(
                handler,
                xmlrpc.client.Fault(4, "You are not allowed to send purchases."),
            )
            return
        try:
            result: Any = self.execute_kw(*params)
        except xmlrpc.client.Fault as fault:
            result = fault
        if action and action.startswith("slow:"):
            time.sleep(float(action.split(":", 1)[1]))
        if action == "drop":
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        with contextlib.suppress(OSError):  # the client may have given up waiting
            self._reply(handler, result)

    def _created_answer(self, n: int) -> bytes:
        cache = self.__dict__.setdefault("_answers", {})
        if n not in cache:
            answer = self.db.ingest([{"order_id": str(i)} for i in range(n)], "x", False)
            cache[n] = xmlrpc.client.dumps((answer,), methodresponse=True).encode()
        return cache[n]

    def common(self, method: str, params: tuple[Any, ...]) -> Any:
        if method == "version":
            return VERSION
        if method == "authenticate":
            db, login, password, _env = params
            if db != self.database:
                return xmlrpc.client.Fault(
                    1, f'psycopg2.OperationalError: FATAL:  database "{db}" does not exist'
                )
            user = self.users.get(login)
            if user and user[0] == password:
                return user[1]
            return False
        return xmlrpc.client.Fault(1, f"Method not found: {method}")

    def execute_kw(
        self,
        db: str,
        uid: int,
        password: str,
        model: str,
        method: str,
        args: list[Any],
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        kwargs = kwargs or {}
        user = next((u for u in self.users.values() if u[1] == uid), None)
        if db != self.database or user is None or user[0] != password:
            raise xmlrpc.client.Fault(3, "Access Denied")
        kind_of = {(m, f): kind for kind, (m, f, _id, _c) in KIND_TARGETS.items()}
        if self.kinds and (model, method) in kind_of:
            if not user[2]:
                raise xmlrpc.client.Fault(4, "You are not allowed to send customers.")
            kind = kind_of[model, method]
            return self.db.ingest_kind(
                kind, args[0], kwargs["source"], kwargs.get("dry_run", False)
            )
        if model != "relationship.purchase" or not self.addon_installed:
            raise xmlrpc.client.Fault(2, f"Object {model} doesn't exist")
        login = next(k for k, u in self.users.items() if u[1] == uid)
        if method == "ingest_info":
            kinds = {
                kind: {
                    "model": model,
                    "method": method,
                    "id_column": id_column,
                    "row_contract": contract,
                    "can_ingest": user[2],
                }
                for kind, (model, method, id_column, contract) in KIND_TARGETS.items()
            }
            return {
                **({"kinds": kinds} if self.kinds else {}),
                "addon_version": "18.0.1.0.0",
                "max_batch_size": self.db.max_batch_size,
                "row_contract": {**ROW_CONTRACT, "max_batch_size": self.db.max_batch_size},
                "can_ingest": user[2],
                "user": login,
                "company": "YourCompany",
                "reason": False if user[2] else "User is not in the group 'Relationship: User'.",
            }
        if method == "ingest_batch":
            if not user[2]:
                raise xmlrpc.client.Fault(
                    4,
                    "You are not allowed to send purchases: the group 'Relationship: User' "
                    "is required.",
                )
            if self.delay:
                time.sleep(self.delay)
            return self.db.ingest(args[0], kwargs["source"], kwargs.get("dry_run", False))
        raise xmlrpc.client.Fault(1, f"AttributeError: no method {method}")
