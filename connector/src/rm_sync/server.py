"""Connecting to Odoo: server version, login, addon, access rights and row contract."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from rm_sync.config import Settings, redact_url
from rm_sync.contract import RowContract
from rm_sync.errors import EXIT_OK, AuthError, ConfigError, RmSyncError
from rm_sync.kinds import get_kind, kind_target
from rm_sync.rpc import ADDON, OdooClient

Say = Callable[[str, str, bool], None]
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass
class Connection:
    client: OdooClient
    info: dict[str, Any]
    contract: RowContract


def connect(
    settings: Settings,
    report: Say | None = None,
    warn: Callable[[str], None] | None = None,
) -> Connection:
    """Connect, check the server version, authenticate, read ingest_info and its contract.

    ``report(label, text, ok)`` is called for each check passed. Raises the
    RmSyncError explaining the first problem.
    """
    settings.require_connection()
    say = report or (lambda label, text, ok: None)
    parts = urlsplit(settings.url or "")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS and warn is not None:
        warn(
            f"warning: {redact_url(settings.url or '')} is plain HTTP: the password or API key "
            "travels unencrypted; use https://"
        )
    if settings.insecure:
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    client = OdooClient(settings)
    try:
        info = _verify(client, settings, say)
        contract = RowContract.from_info(info)
        say("contract", f"row contract: {contract.summary()}", True)
    except BaseException:
        client.close()
        raise
    return Connection(client, info, contract)


def run_checks(
    settings: Settings, say: Say, warn: Callable[[str], None], kind: str | None = None
) -> dict[str, Any]:
    """The checks of ``rm-sync check``: their outcome, with the first problem's message.

    With ``kind`` other than orders, also that the server takes that kind, and its
    row contract."""
    try:
        row_kind = get_kind(kind)
        connection = connect(settings, say, warn)
        try:
            target = kind_target(connection.info, row_kind)
        finally:
            connection.client.close()
        if target is not None:
            say(
                "kind",
                f"{row_kind.name} land through {target.model}.{target.method}: "
                f"{target.contract.summary()}",
                True,
            )
    except RmSyncError as exc:
        return {"ok": False, "exit_code": exc.exit_code, "error": exc.message}
    return {"ok": True, "exit_code": EXIT_OK}


def _verify(client: OdooClient, settings: Settings, say: Say) -> dict[str, Any]:
    version = client.version()
    serie = str(version.get("server_serie") or version.get("server_version") or "?")
    info_list = version.get("server_version_info") or []
    major = info_list[0] if info_list else None
    if not (major == 18 or serie.startswith("18.") or serie.startswith("saas~18")):
        raise ConfigError(
            f"{redact_url(settings.url or '')} runs Odoo {serie}: rm-sync needs Odoo 18.0"
        )
    say("server", f"{redact_url(settings.url or '')} runs Odoo {serie}", True)
    uid = client.authenticate()
    say("login", f"{settings.user} on database {settings.db} (uid {uid})", True)
    info = client.ingest_info()
    if not isinstance(info, dict):
        raise ConfigError(f"unexpected answer from ingest_info: {info!r:.200}")
    say("addon", f"{ADDON} {info.get('addon_version', '?')} installed", True)
    if not info.get("can_ingest"):
        reason = info.get("reason") or "the user lacks the group 'Relationship: User'"
        raise AuthError(f"user {settings.user!r} may not push sales: {reason}")
    say(
        "access",
        f"{info.get('user') or settings.user} may push sales into company "
        f"{info.get('company') or '?'}",
        True,
    )
    return info
