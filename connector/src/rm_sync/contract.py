"""The row contract: what the server accepts, as it publishes it in ``ingest_info``.

The addon answers ``ingest_info()["row_contract"]`` with its columns (type, required,
limits), the keys that identify a customer, the accepted date range, the batch cap
and the longest source name. rm-sync checks rows against THAT before sending them,
so that it never rejects a row Odoo would take, nor accepts one Odoo must refuse
for a limit both know; the formats of real exports (encodings, decimal commas,
date formats, time zones) stay rm-sync's to normalise.

An addon that publishes no contract (older than this connector) is refused with a
clear message rather than checked against limits copied here, which would drift.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rm_sync.errors import ConfigError

CONTRACT_VERSION = 1
COLUMN_TYPES = ("text", "number", "date", "datetime", "email", "currency")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class RowContract:
    columns: dict[str, Column]
    customer_keys: tuple[str, ...]
    oldest_date: date
    newest_date: date | None
    max_batch_size: int
    max_source_length: int

    @classmethod
    def from_info(cls, info: Mapping[str, Any]) -> RowContract:
        """The contract of an ``ingest_info`` answer; ConfigError when there is none."""
        data = info.get("row_contract")
        if not data:
            raise ConfigError(
                "the addon relationship_marketing on this server publishes no row contract "
                f"(version {info.get('addon_version') or '?'} is older than this rm-sync): "
                "upgrade the addon"
            )
        return cls.parse(data)

    @classmethod
    def parse(cls, data: Any) -> RowContract:
        if not isinstance(data, Mapping):
            raise _bad(f"expected a mapping, got {type(data).__name__}")
        if data.get("version") != CONTRACT_VERSION:
            raise ConfigError(
                f"the server publishes row contract version {data.get('version')!r}; this "
                f"rm-sync understands version {CONTRACT_VERSION}: upgrade rm-sync"
            )
        columns_data = data.get("columns")
        if not isinstance(columns_data, Mapping) or not columns_data:
            raise _bad("no columns")
        columns = {str(name): _column(str(name), spec) for name, spec in columns_data.items()}
        keys = data.get("customer_keys") or ()
        if not isinstance(keys, list | tuple) or not all(k in columns for k in keys):
            raise _bad(f"customer_keys {keys!r} are not columns")
        return cls(
            columns=columns,
            customer_keys=tuple(keys),
            oldest_date=_date(data.get("oldest_date"), "oldest_date") or date.min,
            newest_date=_date(data.get("newest_date"), "newest_date"),
            max_batch_size=_positive_int(data.get("max_batch_size"), "max_batch_size"),
            max_source_length=_positive_int(data.get("max_source_length"), "max_source_length"),
        )

    def summary(self) -> str:
        """One line for ``rm-sync check``."""
        newest = self.newest_date.isoformat() if self.newest_date else "any later date"
        required = ", ".join(c.name for c in self.columns.values() if c.required)
        return (
            f"{len(self.columns)} columns (required: {required}; a customer by "
            f"{' or '.join(self.customer_keys)}), dates {self.oldest_date} to {newest}, "
            f"batches up to {self.max_batch_size:,} rows"
        )


def _bad(reason: str) -> ConfigError:
    return ConfigError(f"unexpected row contract from the server: {reason}")


def _column(name: str, spec: Any) -> Column:
    if not isinstance(spec, Mapping) or spec.get("type") not in COLUMN_TYPES:
        raise _bad(f"column {name!r} has no known type ({', '.join(COLUMN_TYPES)})")
    max_length = spec.get("max_length")
    if max_length is not None:
        max_length = _positive_int(max_length, f"{name}.max_length")
    return Column(
        name=name,
        type=spec["type"],
        required=bool(spec.get("required")),
        max_length=max_length,
        minimum=_number(spec.get("minimum"), f"{name}.minimum"),
        maximum=_number(spec.get("maximum"), f"{name}.maximum"),
    )


def _positive_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _bad(f"{what} must be a positive integer, not {value!r}")
    return value


def _number(value: Any, what: str) -> float | None:
    if value is None or value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"{what} must be a number, not {value!r}")
    return float(value)


def _date(value: Any, what: str) -> date | None:
    if value is None or value is False:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _bad(f"{what} must be an ISO date, not {value!r}") from None
