"""Sexual Harm Prevention Orders and Sexual Risk Orders, from the ledger.

An order is made (``order.made``: type, reference, court, prohibitions one per line, an end
date or indefinite), may be varied (``order.varied``: what it names replaces what was there)
and discharged (``order.discharged``). A breach of an order is a breach entry
(``breach.recorded`` with the offence ``breach_of_order`` and the order's reference), so the
breach figures count it and the warrant and outcome steps follow it.

:func:`orders_from` is pure: plain entries in, plain data out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

ORDER_KINDS = ("order.made", "order.varied", "order.discharged")
ORDER_NAMES = {"shpo": "Sexual Harm Prevention Order",
               "interim_shpo": "Interim Sexual Harm Prevention Order",
               "sro": "Sexual Risk Order", "interim_sro": "Interim Sexual Risk Order"}


def lines(text: str) -> tuple[str, ...]:
    """Prohibitions (or factors) as written, one per line, blank lines dropped."""
    return tuple(s.strip() for s in text.splitlines() if s.strip())


@dataclass(frozen=True)
class Order:
    order_type: str
    reference: str
    made_on: dt.date
    court: str
    prohibitions: tuple[str, ...]
    end_date: dt.date | None  # None: indefinite (until further order)
    discharged_on: dt.date | None = None
    varied_on: dt.date | None = None

    @property
    def name(self) -> str:
        return ORDER_NAMES.get(self.order_type, self.order_type)

    @property
    def indefinite(self) -> bool:
        return self.end_date is None

    def active_on(self, day: dt.date) -> bool:
        """In force from the day it was made to its end date (inclusive), unless discharged
        earlier (no longer in force from the day of the discharge)."""
        if day < self.made_on:
            return False
        if self.discharged_on is not None and day >= self.discharged_on:
            return False
        return self.end_date is None or day <= self.end_date


def reference_key(reference: str) -> str:
    return reference.strip().casefold()


def orders_from(entries: Iterable[tuple[str, dt.date, dict[str, Any]]]) -> list[Order]:
    """Orders from live entries ``(kind, effective_date, details)`` in date order. A variation
    or discharge naming no order made by its date is ignored (the services refuse them)."""
    found: dict[str, Order] = {}
    for kind, when, d in entries:
        key = reference_key(str(d.get("reference", "")))
        if kind == "order.made" and key not in found:
            found[key] = Order(d["order_type"], d["reference"].strip(), when, d.get("court", ""),
                               lines(d.get("prohibitions", "")), _end(d))
        elif kind == "order.varied" and key in found:
            order = found[key]
            changes: dict[str, Any] = {"varied_on": when}
            if d.get("prohibitions"):
                changes["prohibitions"] = lines(d["prohibitions"])
            if d.get("indefinite") or d.get("end_date"):
                changes["end_date"] = _end(d)
            found[key] = replace(order, **changes)
        elif kind == "order.discharged" and key in found:
            found[key] = replace(found[key], discharged_on=when)
    return list(found.values())


def _end(d: dict[str, Any]) -> dt.date | None:
    return None if d.get("indefinite") or not d.get("end_date") else dt.date.fromisoformat(
        d["end_date"])
