"""Why rows were rejected, in a few lines: the top reasons with counts and advice.

Reasons name the row's value ("salesperson: bob is not ..."); rows rejected for
the same rule are counted together by the reason with its values masked, and
shown with the first reason met as example.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

TOP = 5
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d[\d.,:-]*")
_VALUE_BEFORE = re.compile(r"^(\w+): \S+ (is|has|exists) ")

# One line of advice per field at fault (and a few specific rules first).
_SPECIFIC = (
    ("is not active", "Activate the currency in Odoo (Invoicing or Accounting > "
     "Configuration > Currencies), then push the rejects file again."),
    ("no exchange rate", "Add a rate of the currency dated on or before the orders "
     "(Currencies > Rates), then push the rejects file again."),
    ("is not a known currency", "Use ISO 4217 codes (EUR, USD, ...) or map the right column."),
    ("push the customer first", "Push the customers first (rm-sync push --kind customers, "
     "with the same --source) or an order of theirs, then push the rejects file again."),
    ("missing customer_id", "Each row needs the source's id of the customer (customer_id)."),
)  # fmt: skip
_BY_FIELD = {
    "currency": "Use an ISO 4217 code of a currency active in Odoo.",
    "salesperson": "Use the login or email of an active internal user of the company, "
    "or leave the column empty.",
    "order_date": "Check --date-format and --timezone, or correct the dates.",
    "birthday": "Check --date-format, or correct the dates.",
    "amount": "Amounts are numbers (12.50, 12,50, 1.234,56) from 0 up.",
    "margin": "Margins are numbers (12.50, 12,50, -3.10).",
    "refunded": "A refund is a number from 0 up to the order's amount.",
    "status": "Use done or cancelled (or leave the column empty).",
    "email": "Correct the address, or leave it empty when another key names the customer.",
    "customer_id": "Each row needs customer_id, email, vat or partner_ref.",
    "order_id": "Each row needs an order id.",
    "line": "The file is malformed here: check --delimiter, --encoding and --format.",
    "json": "The record is not valid JSON: check the export.",
    "score_id": "Each score needs the source's id of the score (score_id).",
    "score": "A score is a number on its scale (nps: 0 to 10, csat: 1 to 5).",
    "scale": "Use nps (0-10), csat (1-5), or leave the column empty for nps.",
    "date": "Check --date-format and --timezone, or correct the dates.",
    "tags": "Tags are names separated by commas, each up to 64 characters.",
}
_DEFAULT = "Correct the rows in the rejects file (--rejects) and push it again."


def advice(field_name: str, reason: str) -> str:
    for text, line in _SPECIFIC:
        if text in reason:
            return line
    return _BY_FIELD.get(field_name, _DEFAULT)


def reason_key(field_name: str, reason: str) -> str:
    masked = _VALUE_BEFORE.sub(r"\1: … \2 ", reason)
    masked = _NUMBER.sub("#", _QUOTED.sub("'…'", masked))
    return f"{field_name}\x00{masked}"


@dataclass
class Reasons:
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, field_name: str, reason: str) -> None:
        key = reason_key(field_name, reason)
        self.counts[key] += 1
        self.examples.setdefault(key, (field_name, reason))

    def top(self, n: int = TOP) -> list[dict[str, Any]]:
        out = []
        for key, count in self.counts.most_common(n):
            field_name, reason = self.examples[key]
            out.append(
                {
                    "field": field_name,
                    "reason": reason,
                    "count": count,
                    "advice": advice(field_name, reason),
                }
            )
        return out
