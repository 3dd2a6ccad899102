"""Client-side validation and normalization of input rows.

Normalising the formats of real exports is rm-sync's job (encodings, decimal
commas and thousands separators, date formats, time zones). What a row may hold
is the server's: the columns, their types and limits, the customer keys and the
date range come from the row contract the server publishes
(:class:`~rm_sync.contract.RowContract`), so a row is rejected here only for a
rule the server enforces too, or because it cannot be sent at all (undecodable
bytes, control characters XML-RPC cannot carry). Business rules (matching
customers, upserting purchases, stages) stay server-side.

Every input row ends as either a :class:`ValidRow` (normalized values, empty
ones omitted, ready for XML-RPC) or a :class:`RejectedRow` with the field and
the reason; no input makes :func:`validate` raise.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from rm_sync.contract import Column, RowContract
from rm_sync.mapping import STANDARD_COLUMNS, ColumnMapper
from rm_sync.readers import Record

_UNDECODABLE = re.compile("[\udc80-\udcff]")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_SLASH_YMD = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$")
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
_NUMBER_NOISE = str.maketrans("", "", " \u00a0\u202f'\u2019€$£¥")


@dataclass
class Options:
    """How to read values that are not self-describing."""

    date_format: str | None = None  # strptime format for order_date/birthday
    timezone: tzinfo = timezone.utc  # zone of naive date-times in the input
    encoding: str = "utf-8"  # for messages about undecodable bytes


@dataclass
class ValidRow:
    seq: int
    line: int
    data: dict[str, Any]
    raw: dict[str, str] = field(repr=False)


@dataclass
class RejectedRow:
    seq: int
    line: int
    field: str
    reason: str
    raw: dict[str, str] = field(repr=False)


class Invalid(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def raw_values(
    values: dict[str, Any], columns: tuple[str, ...] = STANDARD_COLUMNS
) -> dict[str, str]:
    """String form of the standard columns (of the kind pushed), for a rejects file."""
    out: dict[str, str] = {}
    for column in columns:
        value = values.get(column)
        if value is None:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (dict, list)):
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = str(value)
        out[column] = text
    return out


def validate(
    record: Record,
    mapper: ColumnMapper,
    contract: RowContract,
    options: Options | None = None,
) -> ValidRow | RejectedRow:
    """Validate and normalize one input record against the server's row contract."""
    options = options or Options()
    try:
        values = mapper.apply(record.values) if record.values else {}
    except Exception as exc:  # defensive: never let one record stop the run
        return RejectedRow(record.seq, record.line, "line", f"unreadable record: {exc}", {})
    raw = raw_values(values, mapper.columns)
    if record.error is not None:
        field_name, reason = record.error
        return RejectedRow(
            record.seq, record.line, field_name or "line", reason or "unreadable record", raw
        )
    try:
        data = normalize(values, contract, options)
    except Invalid as inv:
        return RejectedRow(record.seq, record.line, inv.field, inv.reason, raw)
    except Exception as exc:  # defensive: a bug here must not stop the good rows
        return RejectedRow(record.seq, record.line, "line", f"unexpected value: {exc!r}", raw)
    return ValidRow(record.seq, record.line, data, raw)


def normalize(values: dict[str, Any], contract: RowContract, options: Options) -> dict[str, Any]:
    """The row to send: the contract's columns, normalized; empty values left out.
    Columns the server does not read are not sent."""
    data: dict[str, Any] = {}
    for name, column in contract.columns.items():
        value = values.get(name)
        if value is None:
            continue
        normalized = _normalize_value(column, value, contract, options)
        if normalized is not None:
            data[name] = normalized
    for column in contract.columns.values():
        if column.required and column.name not in data:
            raise Invalid(column.name, f"missing {column.name}")
    keys = contract.customer_keys
    if keys and not any(key in data for key in keys):
        needs = f"{', '.join(keys[:-1])} or {keys[-1]}" if len(keys) > 1 else keys[0]
        raise Invalid(keys[0], f"missing customer: a row needs {needs}")
    return data


def _normalize_value(column: Column, value: Any, contract: RowContract, options: Options) -> Any:
    name = column.name
    if column.type == "number":
        return parse_amount(name, value, column)
    text = _text(name, value, column.max_length)
    if not text:
        return None
    if column.type in ("date", "datetime"):
        return parse_date(
            name, text, options, allow_time=column.type == "datetime", contract=contract
        )
    if column.type == "email":
        return check_email(text)
    if column.type == "currency":
        if not _CURRENCY.match(text):
            raise Invalid(name, f"not an ISO 4217 currency code: {text[:20]!r}")
        return text.upper()
    return text


def _text(column: str, value: Any, max_length: int | None = None) -> str:
    if isinstance(value, (bool, dict, list)):
        raise Invalid(column, f"expected text, got {type(value).__name__}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid(column, "expected text, got a non-finite number")
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise Invalid(column, f"expected text, got {type(value).__name__}")
    if _UNDECODABLE.search(text):
        raise Invalid(column, "undecodable bytes (the input is not valid text in its encoding)")
    if _INVALID_XML.search(text):
        raise Invalid(column, "contains control characters")
    if max_length is not None and len(text) > max_length:
        raise Invalid(column, f"too long: {len(text)} characters (at most {max_length})")
    return text


def check_email(text: str) -> str:
    """Only what no server accepts either: an address without '@'. The server
    normalises and checks the address itself (e.g. 'Jane <jane@example.com>')."""
    if "@" not in text:
        raise Invalid("email", f"invalid email address: {text[:80]!r}")
    return text


def parse_amount(column: str, value: Any, spec: Column | None = None) -> float | None:
    """Parse a money amount: numbers, or text with '.' or ',' decimals and thousands
    separators ("1.234,56", "1,234.56", "1 234,56", "12,5", "(12.50)", "12.50-");
    ``spec`` (the contract's column) gives the accepted range."""
    if isinstance(value, bool):
        raise Invalid(column, "expected a number, got a boolean")
    if isinstance(value, int):
        return _check_range(column, Decimal(value), spec)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid(column, "not a finite number")
        return _check_range(column, Decimal(repr(value)), spec)
    if not isinstance(value, str):
        raise Invalid(column, f"expected a number, got {type(value).__name__}")
    text = value.strip()
    if not text:
        return None
    if _UNDECODABLE.search(text):
        raise Invalid(column, "undecodable bytes (the input is not valid text in its encoding)")
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity", "snan"):
        raise Invalid(column, f"not a finite number: {text!r}")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    elif text.endswith("-") and not text.startswith("-"):
        negative, text = True, text[:-1]
    text = _plain_decimal(text.translate(_NUMBER_NOISE))
    if not _NUMBER.match(text):
        raise Invalid(column, f"not a number: {value.strip()[:40]!r}")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Invalid(column, f"not a number: {value.strip()[:40]!r}") from None
    return _check_range(column, -number if negative else number, spec)


def _plain_decimal(text: str) -> str:
    """Rewrite decimal commas and thousands separators to a plain '1234.56'."""
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")  # 1.234,56
        return text.replace(",", "")  # 1,234.56
    if text.count(",") == 1:
        return text.replace(",", ".")  # 12,50 (decimal comma)
    if text.count(",") > 1:
        return text.replace(",", "")  # 1,234,567
    if text.count(".") > 1:
        return text.replace(".", "")  # 1.234.567
    return text


def _check_range(column: str, number: Decimal, spec: Column | None) -> float:
    value = float(number) if number.is_finite() else math.inf
    if not math.isfinite(value):  # e.g. 10**400: no float holds it
        raise Invalid(column, "out of range: not a finite number")
    if spec is not None and spec.maximum is not None and value > spec.maximum:
        raise Invalid(column, f"out of range: {number} (at most {spec.maximum:g})")
    if spec is not None and spec.minimum is not None and value < spec.minimum:
        raise Invalid(column, f"out of range: {number} (at least {spec.minimum:g})")
    return value


def parse_date(
    column: str,
    text: str,
    options: Options,
    *,
    allow_time: bool,
    contract: RowContract | None = None,
) -> str:
    """Return 'YYYY-MM-DD' or (order dates with a time) 'YYYY-MM-DD HH:MM:SS' in UTC,
    within the contract's date range."""
    try:
        value = _parse_date(text, options.date_format)
    except ValueError as exc:
        raise Invalid(column, f"not a valid date: {text[:40]!r} ({exc})") from None
    if value is None:
        expected = options.date_format or "YYYY-MM-DD[ HH:MM:SS], ISO 8601 or DD.MM.YYYY"
        raise Invalid(column, f"unparsable date: {text[:40]!r} (expected {expected})")
    if isinstance(value, datetime):
        try:
            if value.tzinfo is None:
                value = value.replace(tzinfo=options.timezone)
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        except (OverflowError, ValueError):  # an offset past year 1 or 9999
            raise Invalid(column, f"date out of range: {text[:40]!r}") from None
        if not allow_time:
            value = value.date()
    day = value.date() if isinstance(value, datetime) else value
    if contract is not None and (
        day < contract.oldest_date or (contract.newest_date and day > contract.newest_date)
    ):
        newest = contract.newest_date or "any later date"
        raise Invalid(
            column, f"date out of range: {text[:40]!r} (from {contract.oldest_date} to {newest})"
        )
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.strftime("%Y-%m-%d")


def _parse_date(text: str, date_format: str | None) -> date | datetime | None:
    if date_format:
        try:
            parsed = datetime.strptime(text, date_format)
        except ValueError:
            return None
        if not any(code in date_format for code in ("%H", "%I", "%M", "%S", "%c", "%X")):
            return parsed.date()
        return parsed
    m = _ISO_DATE.match(text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = _ISO_DATETIME.match(text)
    if m:
        micro = int((m[7] or "0").ljust(6, "0"))
        tz: tzinfo | None = None
        if m[8]:
            tz = _offset(m[8])
        return datetime(
            int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), micro, tz
        )
    m = _SLASH_YMD.match(text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = _DOTTED.match(text)
    if m:
        if m[4] is None:
            return date(int(m[3]), int(m[2]), int(m[1]))
        return datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]), int(m[6] or 0))
    return None


def _offset(text: str) -> tzinfo:
    if text.upper() == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError("invalid UTC offset")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
