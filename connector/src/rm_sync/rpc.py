"""XML-RPC client for Odoo over a ``requests`` transport, with error classification.

Only the stdlib ``xmlrpc.client`` marshalling is used; HTTP goes through a
``requests.Session`` (keep-alive, TLS verification, timeouts). Every failure is
turned into one of the exceptions of :mod:`rm_sync.errors`:

* ``AuthError`` (exit 3): wrong credentials, AccessDenied/AccessError faults,
  HTTP 401/403;
* ``TransientError``: connection errors, timeouts, HTTP 5xx, PostgreSQL
  serialization failures and deadlocks surfacing as faults;
* ``ConfigError`` (exit 2): TLS verification failures, unknown database, no
  XML-RPC endpoint at the URL, addon not installed, a redirect that leaves https
  or the host (redirects are followed only on the same host, never from https to
  http, since each hop re-sends the password);
* ``ServerError``: any other fault.
"""

from __future__ import annotations

import re
import xmlrpc.client
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.parsers.expat import ExpatError

import requests

from rm_sync import __version__
from rm_sync.config import Settings, redact_url
from rm_sync.errors import AuthError, ConfigError, ServerError, TransientError

MODEL = "relationship.purchase"
ADDON = "relationship_marketing"

# PostgreSQL's concurrency failures as they reach the client once Odoo's own retries
# (odoo.service.model.retrying: SerializationFailure, DeadlockDetected, LockNotAvailable)
# ran out: a later try of the same batch succeeds.
TRANSIENT_FAULT_PATTERNS = (
    "could not serialize access",
    "concurrent update",
    "deadlock detected",
    "could not obtain lock",
    "lock not available",
    "due to lock timeout",
    "serializationfailure",
    "deadlockdetected",
    "locknotavailable",
    "transactionrollbackerror",
    "concurrency failure",
    "concurrency error",
)
MAX_REDIRECTS = 5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_EXCEPTION_LINE = re.compile(r"^(?!(?:DETAIL|HINT|CONTEXT|QUERY|LINE \d+):)[A-Za-z_][\w.]*: ")
NOT_SENT_MARKERS = (
    "NewConnectionError",
    "Connection refused",
    "Name or service not known",
    "nodename nor servname",
    "Temporary failure in name resolution",
    "No route to host",
)
ACCESS_FAULT_PATTERNS = ("accesserror", "you are not allowed", "access denied", "accessdenied")


def connection_reason(exc: BaseException) -> str:
    """A short reason for a connection error ('Connection refused', 'Connection reset')."""
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if match:
        return match.group(1).strip()
    for marker in ("RemoteDisconnected", "Connection aborted", "Connection reset"):
        if marker in text:
            return "the server closed the connection without answering"
    return text[:200]


def fault_summary(fault: xmlrpc.client.Fault) -> str:
    """The useful part of a fault: the message, or the last line of a traceback."""
    text = str(fault.faultString or "").strip()
    if "Traceback (most recent call last)" in text:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # The exception line, with what follows it (PostgreSQL's DETAIL and HINT lines).
        start = max(
            (i for i, line in enumerate(lines) if _EXCEPTION_LINE.match(line)),
            default=len(lines) - 1,
        )
        text = " ".join(lines[start:]) if lines else text
    text = re.sub(r"^warning -- ", "", text)
    return text[:2000]


def classify_fault(fault: xmlrpc.client.Fault, *, context: str = "") -> Exception:
    """Map an XML-RPC fault to the exception to raise."""
    text = str(fault.faultString or "")
    lower = text.lower()
    summary = fault_summary(fault)
    prefix = f"{context}: " if context else ""
    if any(p in lower for p in TRANSIENT_FAULT_PATTERNS):
        return TransientError(f"{prefix}transient database conflict: {summary}")
    if fault.faultCode in (3, 4, "AccessDenied") or any(p in lower for p in ACCESS_FAULT_PATTERNS):
        return AuthError(f"{prefix}access denied: {summary}")
    return ServerError(f"{prefix}server error: {summary}", fault_code=fault.faultCode)


class RequestsTransport(xmlrpc.client.Transport):
    """An ``xmlrpc.client`` transport that sends requests with ``requests``."""

    def __init__(
        self,
        base_url: str,
        *,
        verify: bool | str = True,
        timeout: float = 300.0,
        connect_timeout: float = 15.0,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(use_datetime=False, use_builtin_types=False)
        self.base_url = base_url.rstrip("/")
        self.verify = verify
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.session = session or requests.Session()
        self.session.headers.update(
            {"Content-Type": "text/xml; charset=utf-8", "User-Agent": f"rm-sync/{__version__}"}
        )

    def close(self) -> None:
        self.session.close()

    def request(
        self, host: str, handler: str, request_body: bytes, verbose: bool = False
    ) -> tuple[Any, ...]:
        url = self.base_url + handler
        shown = redact_url(url)
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._post(url, request_body)
            location = (
                response.headers.get("location")
                if response.status_code in REDIRECT_STATUSES
                else None
            )
            if not location:
                break
            # Followed here, not by requests: each hop re-sends the body, password included.
            url = self._redirect_target(url, location, response.status_code)
            response.close()
        else:
            raise ConfigError(f"more than {MAX_REDIRECTS} redirects from {shown}")
        return self._parse(response, redact_url(url))

    def _redirect_target(self, url: str, location: str, status: int) -> str:
        """Where a redirect leads, if rm-sync may follow it: on the same host, and never
        from https to http (a redirect that leaves TLS would send the password in clear)."""
        target = urljoin(url, location)
        here, there = urlsplit(url), urlsplit(target)
        shown = f"{redact_url(url)} redirects (HTTP {status}) to {redact_url(target)}"
        if there.scheme not in ("http", "https") or (
            here.scheme == "https" and there.scheme != "https"
        ):
            raise ConfigError(
                f"{shown}, which leaves https: rm-sync does not follow it, since that would "
                "send the password unencrypted; check the Odoo URL and the proxy in front of it"
            )
        if (there.hostname or "").lower() != (here.hostname or "").lower():
            raise ConfigError(
                f"{shown}, another host: rm-sync sends the password to the configured host "
                "only; set the Odoo URL to the address Odoo answers at"
            )
        return target

    def _post(self, url: str, request_body: bytes) -> requests.Response:
        shown = redact_url(url)
        try:
            return self.session.post(
                url,
                data=request_body,
                timeout=(self.connect_timeout, self.timeout),
                verify=self.verify,
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise ConfigError(
                f"TLS error talking to {shown}: {exc}. Use --ca-bundle FILE for a private CA, "
                "or --insecure to skip verification (not recommended)"
            ) from exc
        except requests.exceptions.ConnectTimeout as exc:
            raise TransientError(f"timed out connecting to {shown}", maybe_sent=False) from exc
        except requests.exceptions.ReadTimeout as exc:
            raise TransientError(
                f"no answer from {shown} within {self.timeout:g} s", maybe_sent=True
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            text = str(exc)
            not_sent = any(marker in text for marker in NOT_SENT_MARKERS)
            raise TransientError(
                f"connection error with {shown}: {connection_reason(exc)}",
                maybe_sent=not not_sent,
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise TransientError(f"HTTP error with {shown}: {exc}", maybe_sent=True) from exc

    def _parse(self, response: requests.Response, shown: str) -> tuple[Any, ...]:
        status = response.status_code
        if status >= 500:
            raise TransientError(f"HTTP {status} from {shown}", maybe_sent=status not in (503,))
        if status in (401, 403):
            raise AuthError(f"HTTP {status} from {shown}: access denied by the web server")
        if status == 404:
            raise ConfigError(f"no XML-RPC endpoint at {shown} (HTTP 404): check the Odoo URL")
        if status != 200:
            raise ConfigError(f"unexpected HTTP {status} from {shown}")
        parser, unmarshaller = self.getparser()
        try:
            parser.feed(response.content)
            parser.close()
            return unmarshaller.close()
        except ExpatError as exc:
            snippet = response.text[:80].replace("\n", " ")
            raise ConfigError(
                f"{shown} did not answer XML-RPC (got {snippet!r}...): check the Odoo URL"
            ) from exc
        except xmlrpc.client.ResponseError as exc:
            snippet = response.text[:80].replace("\n", " ")
            raise ConfigError(
                f"{shown} did not answer XML-RPC (got {snippet!r}...): check the Odoo URL"
            ) from exc


class OdooClient:
    """Thin wrapper over Odoo's ``common`` and ``object`` XML-RPC services."""

    def __init__(self, settings: Settings, transport: xmlrpc.client.Transport | None = None):
        self.settings = settings
        url = settings.url or ""
        self.transport = transport or RequestsTransport(
            url, verify=settings.verify, timeout=settings.timeout
        )
        # The host part of these URLs is unused: the transport posts to base_url + handler.
        self._common = xmlrpc.client.ServerProxy(
            "http://odoo/xmlrpc/2/common", transport=self.transport, allow_none=False
        )
        self._object = xmlrpc.client.ServerProxy(
            "http://odoo/xmlrpc/2/object", transport=self.transport, allow_none=False
        )
        self.uid: int | None = None
        # Set by the push engine: the batches that send it land on one sync run in Odoo.
        self.run_key: str | None = None

    def close(self) -> None:
        """Close the HTTP connections (keep-alive) of this client."""
        close = getattr(self.transport, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> OdooClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- common service ---------------------------------------------------------------------

    def version(self) -> dict[str, Any]:
        try:
            return self._common.version()
        except xmlrpc.client.Fault as fault:
            raise classify_fault(fault, context="version()") from fault

    def authenticate(self) -> int:
        s = self.settings
        try:
            uid = self._common.authenticate(s.db, s.user, s.password, {})
        except xmlrpc.client.Fault as fault:
            text = str(fault.faultString)
            if "does not exist" in text and "database" in text.lower():
                raise ConfigError(f"database {s.db!r} does not exist on {s.url}") from fault
            if "not allowed" in text.lower() and "database" in text.lower():
                raise ConfigError(
                    f"database {s.db!r} is not served at {s.url} (dbfilter?)"
                ) from fault
            raise classify_fault(fault, context="authenticate") from fault
        if not uid:
            raise AuthError(
                f"authentication failed for user {s.user!r} on database {s.db!r}: "
                "wrong login, password or API key"
            )
        self.uid = int(uid)
        return self.uid

    # -- object service ---------------------------------------------------------------------

    def execute_kw(
        self, model: str, method: str, args: list[Any], kwargs: dict[str, Any] | None = None
    ) -> Any:
        if self.uid is None:
            self.authenticate()
        s = self.settings
        try:
            return self._object.execute_kw(
                s.db, self.uid, s.password, model, method, args, kwargs or {}
            )
        except xmlrpc.client.Fault as fault:
            text = str(fault.faultString)
            if model in text and "doesn't exist" in text:
                raise ConfigError(
                    f"addon {ADDON} is not installed on database {s.db!r} "
                    f"(model {model} does not exist)"
                ) from fault
            raise classify_fault(fault, context=f"{model}.{method}") from fault

    def ingest_info(self) -> dict[str, Any]:
        return self.execute_kw(MODEL, "ingest_info", [])

    def ingest_batch(
        self, rows: list[dict[str, Any]], *, source: str, dry_run: bool
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"source": source, "dry_run": bool(dry_run)}
        if self.run_key:
            kwargs["run_key"] = self.run_key
        return self.execute_kw(MODEL, "ingest_batch", [rows], kwargs)
