# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Validation of the rows that external systems send to the ingestion method.

Pure functions, no database: each row either becomes a :class:`PurchaseRow` or
raises :class:`RowError` naming the field at fault. The standard columns are
the ones of the connector's input format (see DESIGN.md); unknown columns are
ignored so that sources can send more than we read.
"""

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from odoo.tools import email_normalize

# The row contract: what the server accepts, published to connectors by
# ``row_contract()`` (through ``ingest_info``) and enforced by ``parse_row``
# from the same constants, so that both sides cannot disagree.
ROW_CONTRACT_VERSION = 1
# A batch's query count is the same up to this size (Odoo prefetches and
# flushes 1,000 records at a time), and the company's ingestion lock is
# held briefly.
MAX_BATCH_ROWS = 1000
MAX_SOURCE_LENGTH = 64
# The answers of a row. ``superseded``: a later row of the same order in the
# batch replaces it (the last row of an order wins).
STATUSES = ("created", "updated", "unchanged", "superseded", "rejected")
# The standard columns and the kind of value each holds.
COLUMN_TYPES = {
    "order_id": "text",
    "order_date": "datetime",
    "customer_id": "text",
    "email": "email",
    "name": "text",
    "amount": "number",
    "currency": "currency",
    "margin": "number",
    "channel": "text",
    "phone": "text",
    "vat": "text",
    "birthday": "date",
    "referred_by": "text",
    # Login or email of the Odoo user who sold the order.
    "salesperson": "text",
    # Internal Reference of an Odoo contact (res.partner.ref).
    "partner_ref": "text",
    # Refunds and cancellations: the order as its source sees it now. The
    # part of the amount refunded so far (order currency), and the status
    # (``done``, the default, or ``cancelled``).
    "refunded": "number",
    "status": "text",
}
COLUMNS = tuple(COLUMN_TYPES)
REQUIRED_COLUMNS = ("order_id", "order_date", "amount")
# A row names its customer by at least one of these.
CUSTOMER_KEYS = ("customer_id", "email", "vat", "partner_ref")

# Longest accepted value per text column; longer values are rejected, never
# truncated, so that nothing lands different from what the source holds.
TEXT_LIMITS = {
    "order_id": 128,
    "customer_id": 128,
    "email": 254,
    "name": 256,
    "currency": 3,
    "channel": 64,
    "phone": 64,
    "vat": 32,
    "referred_by": 254,
    "salesperson": 254,
    "partner_ref": 64,
    "status": 16,
}
MAX_AMOUNT = 1e12
# Lowest and highest accepted value per number column (both included).
NUMBER_LIMITS = {
    "amount": (0, MAX_AMOUNT),
    "margin": (-MAX_AMOUNT, MAX_AMOUNT),
    "refunded": (0, MAX_AMOUNT),
}
# The values of the ``status`` column, and the state of the purchase each means.
ORDER_STATUSES = {
    "done": "done",
    "cancelled": "cancel",
    "canceled": "cancel",
    "cancel": "cancel",
}
# Dates before are rejected, and dates after the newest date: today, with a
# day of slack for sources that write local time ahead of UTC.
OLDEST_DATE = date(1900, 1, 1)
FUTURE_SLACK = timedelta(days=1)
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")


class RowError(ValueError):
    """A row that cannot land; ``field`` names the column at fault."""

    def __init__(self, field, reason):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = f"{field}: {reason}"


def newest_date(now=None):
    """The latest date a row may carry, as of ``now`` (UTC)."""
    return ((now or datetime.utcnow()) + FUTURE_SLACK).date()


def row_contract(now=None):
    """What the server accepts in a row, for connectors to check before sending.

    The limits are the very constants :func:`parse_row` enforces.
    """
    columns = {}
    for column, kind in COLUMN_TYPES.items():
        spec = {"type": kind, "required": column in REQUIRED_COLUMNS}
        if column in TEXT_LIMITS:
            spec["max_length"] = TEXT_LIMITS[column]
        if column in NUMBER_LIMITS:
            spec["minimum"], spec["maximum"] = NUMBER_LIMITS[column]
        columns[column] = spec
    return {
        "version": ROW_CONTRACT_VERSION,
        "columns": columns,
        "customer_keys": list(CUSTOMER_KEYS),
        "oldest_date": OLDEST_DATE.isoformat(),
        "newest_date": newest_date(now).isoformat(),
        "max_batch_size": MAX_BATCH_ROWS,
        "max_source_length": MAX_SOURCE_LENGTH,
    }


def _is_storable(text):
    """Whether PostgreSQL can store ``text``: UTF-8 encodable (no lone
    surrogate, which JSON can carry) and without NUL."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _as_text(value):
    """``value`` (text or integer) as text, or None for an integer too long to print."""
    try:
        return str(value)
    except ValueError:  # more digits than Python prints
        return None


def parse_source(source):
    """The name of a batch's source system, stripped.

    :raises RowError: on field ``source`` when it cannot be one
    """
    if not isinstance(source, str):
        raise RowError("source", f"must be text, not {type(source).__name__}")
    source = source.strip()
    if not source or len(source) > MAX_SOURCE_LENGTH:
        raise RowError("source", f"must be a name of 1 to {MAX_SOURCE_LENGTH} characters")
    if not _is_storable(source):
        raise RowError("source", "contains a NUL character or invalid Unicode")
    return source


def order_label(row):
    """The order id of a row, to name it in an answer, even a rejected one.

    Shortened, and with what JSON cannot encode replaced, so that the answer
    itself can always be sent.
    """
    value = row.get("order_id") if isinstance(row, dict) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return False
    text = _as_text(value)
    if text is None:
        return False
    text = text[: TEXT_LIMITS["order_id"]]
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


@dataclass(frozen=True)
class PurchaseRow:
    order_id: str
    order_date: datetime
    amount: float
    customer_id: str | None = None
    email: str | None = None
    name: str | None = None
    currency: str | None = None
    margin: float | None = None
    channel: str | None = None
    phone: str | None = None
    vat: str | None = None
    birthday: date | None = None
    referred_by: str | None = None
    salesperson: str | None = None
    partner_ref: str | None = None
    refunded: float | None = None
    state: str = "done"

    @property
    def vat_key(self):
        return vat_key(self.vat)


def raw_order_id(row):
    """The order id of a row as sent, or None when it cannot be one."""
    value = row.get("order_id") if isinstance(row, dict) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = (_as_text(value) or "").strip()
    if not text or len(text) > TEXT_LIMITS["order_id"] or not _is_storable(text):
        return None
    return text


def row_fingerprint(row):
    """A digest of the standard columns of a row, exactly as sent.

    A row whose digest equals the one stored with its purchase is the same
    row as last time: it can be answered ``unchanged`` without being parsed
    or matched again. Returns None for what cannot be digested.
    """
    if not isinstance(row, dict):
        return None
    values = {key: row[key] for key in COLUMNS if row.get(key) not in (None, "", False)}
    try:
        payload = json.dumps(values, sort_keys=True, default=repr)
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def vat_key(vat):
    """Comparable form of a VAT number: letters and digits, upper case."""
    if not vat:
        return False
    return re.sub(r"[^0-9A-Z]", "", vat.upper()) or False


def _text(row, field, required=False, limit=None):
    value = row.get(field)
    if value is None or value is False or value == "":
        if required:
            raise RowError(field, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowError(field, f"must be text, not {type(value).__name__}")
    limit = limit or TEXT_LIMITS[field]
    text = _as_text(value)
    if text is None:
        raise RowError(field, f"is longer than {limit} characters")
    value = text.strip()
    if not value:
        if required:
            raise RowError(field, "is required")
        return None
    if "\x00" in value:
        raise RowError(field, "contains a NUL character")
    if not _is_storable(value):
        raise RowError(field, "is not valid Unicode text (it holds a lone surrogate)")
    if len(value) > limit:
        raise RowError(field, f"is longer than {limit} characters ({len(value)})")
    return value


def _number(row, field, required=False, limits=None):
    value = row.get(field)
    if value is None or value is False or value == "":
        if required:
            raise RowError(field, "is required")
        return None
    if isinstance(value, bool):
        raise RowError(field, "must be a number, not a boolean")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 32:
            raise RowError(field, "is not a number")
        try:
            value = float(text)
        except ValueError:
            raise RowError(field, f"{text!r} is not a number") from None
    elif isinstance(value, int | float):
        try:
            value = float(value)
        except OverflowError:  # an integer beyond any float
            raise RowError(
                field, f"is out of range (at most {(limits or NUMBER_LIMITS[field])[1]:.0e})"
            ) from None
    else:
        raise RowError(field, f"must be a number, not {type(value).__name__}")
    if not math.isfinite(value):
        raise RowError(field, "must be a finite number")
    minimum, maximum = limits or NUMBER_LIMITS[field]
    if value > maximum:
        raise RowError(field, f"is out of range (at most {maximum:g})")
    if value < minimum:
        raise RowError(field, f"must not be below {minimum:g}")
    return value


def _parse_datetime(field, text):
    text = text.strip()
    if len(text) == 10:
        try:
            return datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            raise RowError(field, f"{text!r} is not a date (YYYY-MM-DD)") from None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
        for fmt in _DATETIME_FORMATS:
            try:
                parsed = datetime.strptime(text[:19], fmt)
                break
            except ValueError:
                continue
        if parsed is None:
            raise RowError(
                field, f"{text[:40]!r} is not a date or date and time (ISO 8601)"
            ) from None
    return _naive_utc(field, parsed)


def _naive_utc(field, value):
    """``value`` as Odoo stores it: naive, in UTC, to the second."""
    if value.tzinfo is not None:
        try:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # an offset that moves it out of the calendar
            raise RowError(field, f"{value.isoformat()} is out of range") from None
    return value.replace(microsecond=0)


def _date_value(row, field, required=False):
    value = row.get(field)
    if value is None or value is False or value == "":
        if required:
            raise RowError(field, "is required")
        return None
    if isinstance(value, datetime):
        return _naive_utc(field, value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise RowError(field, f"must be a date as text, not {type(value).__name__}")
    if len(value) > 40:
        raise RowError(field, "is not a date")
    return _parse_datetime(field, value)


def parse_row(row, now=None):
    """Validate one incoming row and return a :class:`PurchaseRow`.

    :param row: a mapping of the standard columns
    :param now: the current UTC datetime (for the "not in the future" check)
    :raises RowError: with the field at fault
    """
    if not isinstance(row, dict):
        raise RowError("row", f"must be a mapping of columns, not {type(row).__name__}")
    now = now or datetime.utcnow()
    newest = newest_date(now)
    order_id = _text(row, "order_id", required=True)
    order_date = _date_value(row, "order_date", required=True)
    if order_date.date() < OLDEST_DATE:
        raise RowError("order_date", f"{order_date.date()} is before {OLDEST_DATE}")
    if order_date.date() > newest:
        raise RowError("order_date", f"{order_date} is in the future (after {newest})")
    amount = _number(row, "amount", required=True)
    margin = _number(row, "margin")
    customer_id = _text(row, "customer_id")
    email = _text(row, "email")
    if email:
        normalized = email_normalize(email)
        if not normalized:
            raise RowError("email", f"{email[:60]!r} is not a valid email address")
        email = normalized
    vat = _text(row, "vat")
    partner_ref = _text(row, "partner_ref")
    # CUSTOMER_KEYS: a row names its customer.
    if not (customer_id or email or vat_key(vat) or partner_ref):
        raise RowError(
            "customer_id",
            "is required when neither email, vat nor partner_ref identifies the customer",
        )
    currency = _text(row, "currency")
    if currency:
        currency = currency.upper()
        if not CURRENCY_CODE.match(currency):
            raise RowError("currency", f"{currency!r} is not an ISO 4217 code")
    refunded = _number(row, "refunded")
    if refunded and refunded > amount:
        raise RowError(
            "refunded", f"{refunded:g} is more than the amount of the order ({amount:g})"
        )
    status = _text(row, "status")
    state = ORDER_STATUSES.get((status or "done").lower())
    if state is None:
        raise RowError("status", f"{status!r} is not 'done' or 'cancelled'")
    birthday = _date_value(row, "birthday")
    if birthday:
        birthday = birthday.date()
        if not OLDEST_DATE <= birthday <= newest:
            raise RowError("birthday", f"{birthday} is not a plausible birthday")
    return PurchaseRow(
        order_id=order_id,
        order_date=order_date,
        amount=amount,
        customer_id=customer_id,
        email=email,
        name=_text(row, "name"),
        currency=currency,
        margin=margin,
        channel=_text(row, "channel"),
        phone=_text(row, "phone"),
        vat=vat,
        birthday=birthday,
        referred_by=_text(row, "referred_by"),
        salesperson=_text(row, "salesperson"),
        partner_ref=partner_ref,
        refunded=refunded,
        state=state,
    )
