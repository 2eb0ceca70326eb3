"""From a person's live ledger entries to what the visit policy reads (plain data only).

Shared by the sweep (which reads everyone's entries in bulk) and the person's page (which
reads one ledger), so both give the same answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from whereabouts.missing.episodes import episodes_from

from .policy import COUNTING_OUTCOMES, Interval, Plan, Requirement

ONE_DAY = dt.timedelta(days=1)
#: The ledger entries the visit policy reads.
KINDS = ("registered", "visit", "visit.plan", "risk.level", "custody.start", "custody.end",
         "hospital.start", "hospital.end", "abroad.start", "abroad.end", "missing.recorded",
         "missing.located")
_AWAY = {"custody.start": "custody.end", "hospital.start": "hospital.end",
         "abroad.start": "abroad.end"}

Entry = tuple[str, dt.date, dict[str, Any]]


@dataclass(frozen=True)
class VisitInputs:
    start: dt.date | None
    visits: list[dt.date]
    risk_history: list[tuple[dt.date, str]]
    plan: Plan | None
    pauses: list[tuple[dt.date, dt.date | None]]


def plan_from(details: dict[str, Any], on: dt.date) -> Plan:
    months, days = details.get("every_months") or 0, details.get("every_days") or 0
    requirement = (Requirement(Interval(months=months, days=days), details.get("contacts") or 1)
                   if months or days else None)
    return Plan(requirement, bool(details.get("reactive")), on)


def inputs_from(entries: Iterable[Entry], as_at: dt.date) -> VisitInputs:
    """``entries``: live entries ``(kind, effective_date, details)`` in date order."""
    start: dt.date | None = None
    visits, risk, pauses = [], [], []
    plan: Plan | None = None
    open_away: dict[str, dt.date] = {}
    missing: list[Entry] = []
    for kind, when, details in entries:
        if when > as_at:
            continue
        if start is None:
            start = when
        if kind == "visit" and details.get("outcome") in COUNTING_OUTCOMES:
            visits.append(when)
        elif kind == "risk.level":
            risk.append((when, details["level"]))
        elif kind == "visit.plan":
            plan = plan_from(details, when)
        elif kind in _AWAY:
            open_away.setdefault(kind, when)
        elif kind.endswith(".end"):
            began = open_away.pop(kind.replace(".end", ".start"), None)
            if began is not None and when > began:
                pauses.append((began, when - ONE_DAY))
        elif kind.startswith("missing."):
            missing.append((kind, when, details))
    pauses.extend((began, None) for began in open_away.values())
    for episode in episodes_from(missing):
        located = episode.located_on
        if located is None:
            pauses.append((episode.began_on, None))
        elif located > episode.began_on:
            pauses.append((episode.began_on, located - ONE_DAY))
    return VisitInputs(start, visits, risk, plan, pauses)
