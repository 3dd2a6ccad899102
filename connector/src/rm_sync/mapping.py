"""Column mapping: input column names -> the standard columns.

A mapping file is a TOML file (top-level keys or a ``[columns]`` table) or a
JSON object::

    [columns]
    Bestellnummer = "order_id"
    Datum = "order_date"

JSON stays besides TOML (the one format of the config file) because mappings
are often written by the exporting system, and JSON is what rm-sync reads as
input anyway. INI mappings, read by earlier versions, get a message saying how
to convert them.

Mapping a column to an empty string drops it. Columns that are neither mapped
nor standard are ignored. Without a mapping, a header is matched to a standard
column ignoring case, spaces and punctuation ("Order ID" -> order_id,
"E-Mail" -> email).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rm_sync.config import load_toml
from rm_sync.errors import ConfigError

REQUIRED_COLUMNS = ("order_id", "order_date", "customer_id", "email", "name", "amount")
OPTIONAL_COLUMNS = (
    "currency",
    "margin",
    "channel",
    "phone",
    "vat",
    "birthday",
    "referred_by",
    "salesperson",
    "partner_ref",
    "refunded",
    "status",
)
STANDARD_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Columns that rm-sync itself writes into a rejects file; ignored on input so that a
# corrected rejects file can be pushed again as it is.
REJECTS_META_COLUMNS = ("line", "field", "reason", "file")


def normalize_header(name: str) -> str:
    """Case, spaces and punctuation do not matter: 'Order ID', 'order-id', 'E-Mail'."""
    return re.sub(r"[\W_]+", "", name.lower())


_STANDARD_BY_KEY = {normalize_header(c): c for c in STANDARD_COLUMNS}
_META_KEYS = {normalize_header(c) for c in REJECTS_META_COLUMNS}


class ColumnMapper:
    """Renames the keys of input records to standard columns (cached per header)."""

    def __init__(
        self,
        mapping: Mapping[str, str] | None = None,
        columns: tuple[str, ...] = STANDARD_COLUMNS,
    ) -> None:
        self.mapping: dict[str, str] = dict(mapping or {})
        # The standard columns of the kind pushed (orders by default).
        self.columns = columns
        self._standard_by_key = (
            _STANDARD_BY_KEY
            if columns is STANDARD_COLUMNS
            else {normalize_header(c): c for c in columns}
        )
        self._normalized = {normalize_header(k): v for k, v in self.mapping.items()}
        self._targets = {v for v in self.mapping.values() if v}
        self._cache: dict[str, str | None] = {}
        self.ignored: set[str] = set()

    @property
    def digest(self) -> str:
        """A fingerprint of the mapping (resume only continues under the same mapping)."""
        payload = json.dumps(sorted(self.mapping.items()), ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def target(self, column: str) -> str | None:
        try:
            return self._cache[column]
        except KeyError:
            pass
        result: str | None
        if column in self.mapping:
            result = self.mapping[column] or None
        else:
            normalized = normalize_header(column)
            if normalized in self._normalized:
                result = self._normalized[normalized] or None
            elif self._standard_by_key.get(normalized) not in (None, *self._targets):
                # A column named like a standard one is used unless the mapping
                # explicitly assigns that standard column to another input column.
                result = self._standard_by_key[normalized]
            else:
                result = None
                if normalized not in _META_KEYS and len(self.ignored) < 100:
                    self.ignored.add(column)
        if len(self._cache) < 10_000:  # JSON records may carry ever new keys: stay bounded
            self._cache[column] = result
        return result

    def apply(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Return {standard column: value}; when two inputs map to one column, the first
        non-empty value wins (explicitly mapped columns take precedence over
        columns that merely carry a standard name)."""
        out: dict[str, Any] = {}
        for key, value in values.items():
            if not isinstance(key, str):
                continue
            target = self.target(key)
            if target is None:
                continue
            if target not in out or _is_empty(out[target]):
                out[target] = value
        return out


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_mapping(
    mapping: Mapping[str, Any], where: str, columns: tuple[str, ...] = STANDARD_COLUMNS
) -> dict[str, str]:
    result: dict[str, str] = {}
    for source, target in mapping.items():
        if target is None:
            target = ""
        if not isinstance(target, str):
            raise ConfigError(f"{where}: the target of {source!r} must be a column name")
        target = target.strip()
        if target and target not in columns:
            raise ConfigError(
                f"{where}: {source!r} maps to unknown column {target!r} "
                f"(standard columns: {', '.join(columns)})"
            )
        result[str(source)] = target
    return result


def load_mapping(path: str | None, columns: tuple[str, ...] = STANDARD_COLUMNS) -> dict[str, str]:
    """Load a mapping file (TOML, or JSON by its extension .json) whose targets are
    ``columns`` (the standard columns of the kind pushed)."""
    if not path:
        return {}
    file = Path(path).expanduser()
    if not file.is_file():
        raise ConfigError(f"mapping file not found: {path}")
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: invalid JSON: {exc}") from exc
    else:
        data = load_toml(file)
        if "columns" in data and isinstance(data["columns"], dict):
            data = data["columns"]
        else:
            tables = [v for v in data.values() if isinstance(v, dict)]
            if len(tables) == 1 and len(data) == 1:
                data = tables[0]
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a mapping must be an object of input column -> column")
    return validate_mapping(data, path, columns)


def describe_unknown(columns: Iterable[str]) -> str:
    return ", ".join(sorted(columns))
