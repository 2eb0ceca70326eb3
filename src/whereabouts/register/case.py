"""Turning a person's ledger into the plain case the legislation engine reads.

The engine knows nothing of Django; this module is the one bridge. It works on plain tuples
so that the sweep can feed it rows straight from a bulk query, and a single page can feed it
one person's events: both take the same path, so they cannot disagree.

Conventions (documented in docs/register.md):
- only entries that took effect on or before ``as_at`` count, and a superseded or withdrawn
  entry never counts;
- a custody, hospital or abroad period starts on the start entry's date (the first whole day
  away) and the end entry's date is the first day back, so the rules' ``to`` is the day before;
- a period still open on ``as_at`` is treated as running to ``as_at``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from whereabouts import rules

from .events import AWAY_ENDS, AWAY_PAIRS, CLOCK_NOTIFICATIONS
from .models import EventKind

ONE_DAY = dt.timedelta(days=1)

#: The event kinds the engine needs; everything else in a ledger is for people, not rules.
RULE_EVENT_KINDS = frozenset(
    [*CLOCK_NOTIFICATIONS, *AWAY_PAIRS, *AWAY_ENDS, EventKind.DEATH]
)


class LedgerDisposal(NamedTuple):
    relevant_date: dt.date
    kind: str
    months: int | None
    life: bool
    restriction_order: bool


class LedgerEvent(NamedTuple):
    kind: str
    effective_date: dt.date
    no_fixed_abode: bool


class PersonCase(NamedTuple):
    """The engine's case, or why there is none (``deceased`` / ``not_subject``)."""

    case: rules.Case | None
    state: str  # "case", "deceased" or "not_subject"
    death_date: dt.date | None = None


def build_case(
    *,
    date_of_birth: dt.date,
    as_at: dt.date,
    disposals: Sequence[LedgerDisposal],
    events: Iterable[LedgerEvent],
) -> PersonCase:
    """The case as at ``as_at``; ``events`` must be live entries sorted by date then id."""
    counted = [d for d in disposals if d.relevant_date <= as_at]
    if not counted:
        return PersonCase(None, "not_subject")
    notifications: list[rules.Notification] = []
    away: list[rules.AwayPeriod] = []
    open_since: dict[str, dt.date] = {}
    for event in events:
        if event.effective_date > as_at:
            break
        kind = event.kind
        if kind in CLOCK_NOTIFICATIONS:
            notifications.append(
                rules.Notification(
                    date=event.effective_date,
                    kind=CLOCK_NOTIFICATIONS[kind],
                    no_fixed_abode=event.no_fixed_abode,
                )
            )
        elif kind in AWAY_PAIRS:
            open_since.setdefault(kind, event.effective_date)
        elif kind in AWAY_ENDS:
            start_kind = AWAY_ENDS[kind]
            start = open_since.pop(start_kind, None)
            if start is not None and event.effective_date > start:
                away.append(_away(start, event.effective_date - ONE_DAY, start_kind))
        elif kind == EventKind.DEATH:
            return PersonCase(None, "deceased", event.effective_date)
    for start_kind, start in open_since.items():
        away.append(_away(start, max(start, as_at), start_kind))
    away.sort(key=lambda a: (a.start, a.end))
    case = rules.Case(
        date_of_birth=date_of_birth,
        as_at=as_at,
        disposals=tuple(
            rules.Disposal(
                date=d.relevant_date,
                kind=d.kind,
                months=None if d.life and d.kind == "imprisonment" else d.months,
                life=d.life,
                restriction_order=d.restriction_order,
            )
            for d in counted
        ),
        away=tuple(away),
        notifications=tuple(notifications),
    )
    return PersonCase(case, "case")


def _away(start: dt.date, end: dt.date, start_kind: str) -> rules.AwayPeriod:
    return rules.AwayPeriod(start=start, end=end, reason=AWAY_PAIRS[start_kind][1])
