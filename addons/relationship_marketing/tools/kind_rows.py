# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rows of the other kinds a connector sends besides orders: customers and
satisfaction scores.

Like :mod:`.purchase_rows` (whose checks of a single value they share), pure
functions: a row becomes a :class:`CustomerRow` or a :class:`ScoreRow`, or
raises :class:`~.purchase_rows.RowError` naming the field at fault. Each
kind's contract is published by ``ingest_info`` from the constants here.
"""

from dataclasses import dataclass
from datetime import date, datetime

from odoo.tools import email_normalize

from .purchase_rows import (
    FUTURE_SLACK,
    MAX_BATCH_ROWS,
    MAX_SOURCE_LENGTH,
    OLDEST_DATE,
    ROW_CONTRACT_VERSION,
    RowError,
    _date_value,
    _number,
    _text,
    newest_date,
    vat_key,
)
from .satisfaction_scales import SCALES, satisfaction_score, scale_code

# The columns of each kind, the kind of value each holds, and which are required.
CUSTOMER_COLUMN_TYPES = {
    "customer_id": "text",
    "name": "text",
    "email": "email",
    "phone": "text",
    "vat": "text",
    "birthday": "date",
    "partner_ref": "text",
    # Contact tags, by name, separated by commas.
    "tags": "text",
    "referred_by": "text",
    "salesperson": "text",
}
CUSTOMER_REQUIRED = ("customer_id",)
SCORE_COLUMN_TYPES = {
    "score_id": "text",
    "customer_id": "text",
    "email": "email",
    "vat": "text",
    "partner_ref": "text",
    "date": "datetime",
    "score": "number",
    # nps (0-10, the default) or csat (1-5); "0-10" and "1-5" say the same.
    "scale": "text",
    "comment": "text",
}
SCORE_REQUIRED = ("score_id", "date", "score")
# A score names its customer by one of these, matched as the orders' are.
CUSTOMER_KEYS = ("customer_id", "email", "vat", "partner_ref")
# Limits of the columns that orders do not have (the others share theirs).
TEXT_LIMITS = {
    "customer_id": 128,
    "name": 256,
    "email": 254,
    "phone": 64,
    "vat": 32,
    "partner_ref": 64,
    "referred_by": 254,
    "salesperson": 254,
    "tags": 1024,
    "score_id": 128,
    "scale": 16,
    "comment": 4000,
}
TAG_LENGTH = 64
# The widest scale: a score is checked against its own scale once parsed.
SCORE_LIMITS = (min(low for low, _high in SCALES.values()), max(h for _l, h in SCALES.values()))


def _contract(column_types, required, customer_keys, now):
    columns = {}
    for column, kind in column_types.items():
        spec = {"type": kind, "required": column in required}
        if column in TEXT_LIMITS:
            spec["max_length"] = TEXT_LIMITS[column]
        if column == "score":
            spec["minimum"], spec["maximum"] = SCORE_LIMITS
        columns[column] = spec
    return {
        "version": ROW_CONTRACT_VERSION,
        "columns": columns,
        "customer_keys": list(customer_keys),
        "oldest_date": OLDEST_DATE.isoformat(),
        "newest_date": newest_date(now).isoformat(),
        "max_batch_size": MAX_BATCH_ROWS,
        "max_source_length": MAX_SOURCE_LENGTH,
    }


def customer_contract(now=None):
    """What the server accepts in a customer row (same shape as the orders')."""
    # customer_id is required: it is what makes a customer row idempotent.
    return _contract(CUSTOMER_COLUMN_TYPES, CUSTOMER_REQUIRED, ("customer_id",), now)


def score_contract(now=None):
    """What the server accepts in a score row (same shape as the orders')."""
    return _contract(SCORE_COLUMN_TYPES, SCORE_REQUIRED, CUSTOMER_KEYS, now)


@dataclass(frozen=True)
class CustomerRow:
    """A contact from another system; read by the orders' customer matching,
    hence the same attribute names as a purchase row's customer part."""

    customer_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    vat: str | None = None
    birthday: date | None = None
    partner_ref: str | None = None
    tags: tuple = ()
    referred_by: str | None = None
    salesperson: str | None = None

    @property
    def vat_key(self):
        return vat_key(self.vat)


@dataclass(frozen=True)
class ScoreRow:
    score_id: str
    date: datetime
    score: float  # on the addon's 0-10 scale
    customer_id: str | None = None
    email: str | None = None
    vat: str | None = None
    partner_ref: str | None = None
    comment: str | None = None

    @property
    def vat_key(self):
        return vat_key(self.vat)


def _limited(row, field, required=False):
    return _text(row, field, required=required, limit=TEXT_LIMITS[field])


def _email(row):
    email = _limited(row, "email")
    if email:
        normalized = email_normalize(email)
        if not normalized:
            raise RowError("email", f"{email[:60]!r} is not a valid email address")
        return normalized
    return None


def _mapping(row):
    if not isinstance(row, dict):
        raise RowError("row", f"must be a mapping of columns, not {type(row).__name__}")
    return row


def parse_tags(text):
    """The tag names of a ``tags`` value: split on commas, stripped, each once."""
    names = []
    for name in (text or "").split(","):
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > TAG_LENGTH:
            raise RowError("tags", f"{name[:40]!r}... is longer than {TAG_LENGTH} characters")
        if name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return tuple(names)


def parse_customer_row(row, now=None):
    """Validate one customer row: a :class:`CustomerRow`, or RowError."""
    row = _mapping(row)
    newest = newest_date(now or datetime.utcnow())
    birthday = _date_value(row, "birthday")
    if birthday:
        birthday = birthday.date()
        if not OLDEST_DATE <= birthday <= newest:
            raise RowError("birthday", f"{birthday} is not a plausible birthday")
    return CustomerRow(
        customer_id=_limited(row, "customer_id", required=True),
        name=_limited(row, "name"),
        email=_email(row),
        phone=_limited(row, "phone"),
        vat=_limited(row, "vat"),
        birthday=birthday,
        partner_ref=_limited(row, "partner_ref"),
        tags=parse_tags(_limited(row, "tags")),
        referred_by=_limited(row, "referred_by"),
        salesperson=_limited(row, "salesperson"),
    )


def parse_score_row(row, now=None):
    """Validate one score row: a :class:`ScoreRow` on the addon's 0-10 scale, or RowError."""
    row = _mapping(row)
    now = now or datetime.utcnow()
    score_id = _limited(row, "score_id", required=True)
    when = _date_value(row, "date", required=True)
    if when.date() < OLDEST_DATE:
        raise RowError("date", f"{when.date()} is before {OLDEST_DATE}")
    if when > now + FUTURE_SLACK:
        raise RowError("date", f"{when} is in the future")
    scale_name = _limited(row, "scale") or "nps"
    scale = scale_code(scale_name)
    if scale is None:
        raise RowError(
            "scale", f"{scale_name!r} is not a known scale ({', '.join(SCALES)}, 0-10, 1-5)"
        )
    value = _number(row, "score", required=True, limits=SCORE_LIMITS)
    score = satisfaction_score(scale, value)
    if score is None:
        low, high = SCALES[scale]
        raise RowError("score", f"{value:g} is not on the {scale} scale ({low} to {high})")
    customer_id = _limited(row, "customer_id")
    email = _email(row)
    vat = _limited(row, "vat")
    partner_ref = _limited(row, "partner_ref")
    if not (customer_id or email or vat_key(vat) or partner_ref):
        raise RowError(
            "customer_id",
            "is required when neither email, vat nor partner_ref identifies the customer",
        )
    return ScoreRow(
        score_id=score_id,
        date=when,
        score=score,
        customer_id=customer_id,
        email=email,
        vat=vat,
        partner_ref=partner_ref,
        comment=_limited(row, "comment"),
    )
