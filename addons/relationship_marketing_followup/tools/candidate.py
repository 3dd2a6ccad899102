# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class Candidate:
    """An occurrence of a rule for a customer, before it exists.

    ``key`` identifies the occurrence among those of the same rule and
    customer (``birthday:2026-05-04``, ``purchase:2026-03-01``, ...): the
    database holds each (rule, customer, key) once, which is what makes every
    follow-up happen exactly once.
    """

    rule: Any
    partner: Any
    key: str
    date_due: date
    date_create: date
    origin: str = ""
    values: dict = field(default_factory=dict)
    manual: bool = False
