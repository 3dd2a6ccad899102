"""Client-side validation and normalization of input rows.

This is format checking only (can the row be sent at all?), never business
rules: matching customers, upserting purchases and stages happen server-side.
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

from rm_sync.mapping import STANDARD_COLUMNS, ColumnMapper
from rm_sync.readers import Record

MAX_LENGTHS = {
    "order_id": 255,
    "customer_id": 255,
    "email": 254,
    "name": 1000,
    "channel": 255,
    "phone": 64,
    "vat": 64,
    "referred_by": 255,
}
MAX_AMOUNT = Decimal("1e12")
MIN_YEAR, MAX_YEAR = 1900, 2999

_UNDECODABLE = re.compile("[\udc80-\udcff]")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EMAIL = re.compile(
    r"^[^\s@<>(),;:\"\[\]\\]+@"
    r"(?:[^\s@<>(),;:\"\[\]\\.]+\.)+[^\s@<>(),;:\"\[\]\\.\d][^\s@<>(),;:\"\[\]\\.]*$"
)
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


def raw_values(values: dict[str, Any]) -> dict[str, str]:
    """String form of the standard columns, for a rejects file."""
    out: dict[str, str] = {}
    for column in STANDARD_COLUMNS:
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
    record: Record, mapper: ColumnMapper, options: Options | None = None
) -> ValidRow | RejectedRow:
    """Validate and normalize one input record."""
    options = options or Options()
    try:
        values = mapper.apply(record.values) if record.values else {}
    except Exception as exc:  # defensive: never let one record stop the run
        return RejectedRow(record.seq, record.line, "line", f"unreadable record: {exc}", {})
    raw = raw_values(values)
    if record.error is not None:
        field_name, reason = record.error
        return RejectedRow(
            record.seq, record.line, field_name or "line", reason or "unreadable record", raw
        )
    try:
        data = normalize(values, options)
    except Invalid as inv:
        return RejectedRow(record.seq, record.line, inv.field, inv.reason, raw)
    except Exception as exc:  # defensive: a bug here must not stop the good rows
        return RejectedRow(record.seq, record.line, "line", f"unexpected value: {exc!r}", raw)
    return ValidRow(record.seq, record.line, data, raw)


def normalize(values: dict[str, Any], options: Options) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column in STANDARD_COLUMNS:
        value = values.get(column)
        if value is None:
            continue
        if column in ("amount", "margin"):
            number = parse_amount(column, value)
            if number is not None:
                data[column] = number
            continue
        text = _text(column, value)
        if not text:
            continue
        if column == "order_date":
            data[column] = parse_date(column, text, options, allow_time=True)
        elif column == "birthday":
            data[column] = parse_date(column, text, options, allow_time=False)
        elif column == "email":
            data[column] = check_email(text)
        elif column == "currency":
            if not _CURRENCY.match(text):
                raise Invalid(column, f"not an ISO 4217 currency code: {text[:20]!r}")
            data[column] = text.upper()
        else:
            data[column] = text
    for column in ("order_id", "order_date", "amount"):
        if column not in data:
            raise Invalid(column, f"missing {column}")
    if not ("customer_id" in data or "email" in data or "vat" in data):
        raise Invalid("customer_id", "missing customer: a row needs customer_id, email or vat")
    return data


def _text(column: str, value: Any) -> str:
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
    limit = MAX_LENGTHS.get(column)
    if limit is not None and len(text) > limit:
        raise Invalid(column, f"too long: {len(text)} characters (at most {limit})")
    return text


def check_email(text: str) -> str:
    if len(text) > MAX_LENGTHS["email"]:
        raise Invalid("email", f"too long: {len(text)} characters (at most 254)")
    local, _, _domain = text.rpartition("@")
    if not _EMAIL.match(text) or len(local) > 64 or ".." in text:
        raise Invalid("email", f"invalid email address: {text[:80]!r}")
    return text


def parse_amount(column: str, value: Any) -> float | None:
    """Parse a money amount: numbers, or text with '.' or ',' decimals and thousands
    separators ("1.234,56", "1,234.56", "1 234,56", "12,5", "(12.50)", "12.50-")."""
    if isinstance(value, bool):
        raise Invalid(column, "expected a number, got a boolean")
    if isinstance(value, int):
        return _check_range(column, Decimal(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid(column, "not a finite number")
        return _check_range(column, Decimal(repr(value)))
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
    return _check_range(column, -number if negative else number)


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


def _check_range(column: str, number: Decimal) -> float:
    if not number.is_finite():
        raise Invalid(column, "not a finite number")
    if abs(number) >= MAX_AMOUNT:
        raise Invalid(column, f"out of range: {number} (at most {MAX_AMOUNT:.0e})")
    return float(number)


def parse_date(column: str, text: str, options: Options, *, allow_time: bool) -> str:
    """Return 'YYYY-MM-DD' or (order dates with a time) 'YYYY-MM-DD HH:MM:SS' in UTC."""
    try:
        value = _parse_date(text, options.date_format)
    except ValueError as exc:
        raise Invalid(column, f"not a valid date: {text[:40]!r} ({exc})") from None
    if value is None:
        expected = options.date_format or "YYYY-MM-DD[ HH:MM:SS], ISO 8601 or DD.MM.YYYY"
        raise Invalid(column, f"unparsable date: {text[:40]!r} (expected {expected})")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise Invalid(column, f"date out of range: {text[:40]!r}")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=options.timezone)
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
        if not allow_time:
            value = value.date()
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise Invalid(column, f"date out of range: {text[:40]!r}")
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
