"""The kinds of rows rm-sync pushes: orders (the default), customers and scores.

Each kind lands through its own server method of the addon, which answers per
row as ``relationship.purchase.ingest_batch`` does; the server names the
method and publishes the kind's row contract in ``ingest_info()["kinds"]``.
What rm-sync keeps per kind is only what it needs before it connects: the
standard columns (for ``--map`` and header matching) and the column whose id
names a row (for the duplicate rule and the rejects).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rm_sync.contract import RowContract
from rm_sync.errors import AuthError, ConfigError
from rm_sync.mapping import STANDARD_COLUMNS

CUSTOMER_COLUMNS = (
    "customer_id",
    "name",
    "email",
    "phone",
    "vat",
    "birthday",
    "partner_ref",
    "tags",
    "referred_by",
    "salesperson",
)
SCORE_COLUMNS = (
    "score_id",
    "customer_id",
    "email",
    "vat",
    "partner_ref",
    "date",
    "score",
    "scale",
    "comment",
)


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[str, ...]  # the standard columns of the kind
    id_column: str  # the id that names a row: the last row of an id in a file wins
    noun: str  # "order": a row names one

    @property
    def is_default(self) -> bool:
        return self.name == "orders"

    def state_source(self, source: str) -> str:
        """The name progress is kept under: orders under the source itself, other kinds
        beside it, so that one file pushed as two kinds keeps two progresses."""
        return source if self.is_default else f"{source} ({self.name})"


KINDS = {
    "orders": Kind("orders", STANDARD_COLUMNS, "order_id", "order"),
    "customers": Kind("customers", CUSTOMER_COLUMNS, "customer_id", "customer"),
    "scores": Kind("scores", SCORE_COLUMNS, "score_id", "score"),
}
DEFAULT_KIND = "orders"


def get_kind(name: str | None) -> Kind:
    try:
        return KINDS[name or DEFAULT_KIND]
    except KeyError:
        raise ConfigError(f"unknown --kind {name!r} (one of {', '.join(KINDS)})") from None


@dataclass(frozen=True)
class KindTarget:
    """Where the server lands a kind: its model and method, and its row contract."""

    model: str
    method: str
    contract: RowContract


def kind_target(info: Mapping[str, Any], kind: Kind) -> KindTarget | None:
    """The server's target of ``kind`` from an ``ingest_info`` answer; None for orders,
    which go to ``ingest_batch`` with the contract of ``row_contract``, as always.

    Raises ConfigError when the server does not take the kind, AuthError when the user
    may not send it."""
    if kind.is_default:
        return None
    kinds = info.get("kinds")
    if not isinstance(kinds, Mapping) or kind.name not in kinds:
        raise ConfigError(
            f"the addon relationship_marketing on this server does not take --kind "
            f"{kind.name} (version {info.get('addon_version') or '?'}): upgrade the addon"
        )
    spec = kinds[kind.name]
    if not isinstance(spec, Mapping) or not spec.get("model") or not spec.get("method"):
        raise ConfigError(f"unexpected answer from ingest_info for kind {kind.name}: {spec!r:.200}")
    if not spec.get("can_ingest", True):
        raise AuthError(f"user {info.get('user') or '?'} may not push {kind.name}")
    return KindTarget(
        model=str(spec["model"]),
        method=str(spec["method"]),
        contract=RowContract.parse(spec.get("row_contract")),
    )


class KindClient:
    """An Odoo client whose ``ingest_batch`` lands another kind than orders.

    The push engine (``sync.Pusher``) calls ``ingest_batch`` whatever the kind;
    this adapter sends the batch to the kind's server method, with the same
    arguments (rows, source, dry_run, run_key)."""

    def __init__(self, client: Any, target: KindTarget) -> None:
        self.client = client
        self.target = target

    @property
    def run_key(self) -> str | None:
        return getattr(self.client, "run_key", None)

    @run_key.setter
    def run_key(self, value: str | None) -> None:
        self.client.run_key = value

    def ingest_batch(
        self, rows: list[dict[str, Any]], *, source: str, dry_run: bool
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"source": source, "dry_run": bool(dry_run)}
        if self.run_key:
            kwargs["run_key"] = self.run_key
        return self.client.execute_kw(self.target.model, self.target.method, [rows], kwargs)

    def close(self) -> None:
        self.client.close()
