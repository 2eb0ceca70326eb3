"""Reads for visits, risk and MAPPA. The caller has passed the access check for the person
(``access.policy``) or reads counts and lists the access layer already scoped."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from whereabouts.register.models import Event, EventKind, Person
from whereabouts.register.selectors import live_events, sql_date_as_text

from .ledger import KINDS, inputs_from
from .models import ForceVisitPolicy, VisitState, VisitStatus
from .policy import PRESETS, Interval, NextVisit, Policy, Requirement, next_visit_due

LEVEL_FIELDS = {"very_high": "very_high_months", "high": "high_months",
                "medium": "medium_months", "low": "low_months"}


def policy_from(row: ForceVisitPolicy | None) -> Policy:
    if row is None:
        return Policy(PRESETS[settings.WHEREABOUTS_VISIT_PRESET])
    overrides = {level: Requirement(Interval(months=getattr(row, name)))
                 for level, name in LEVEL_FIELDS.items() if getattr(row, name)}
    return Policy(PRESETS[row.preset], overrides)


def force_policy(force_id: str) -> Policy:
    return policy_from(ForceVisitPolicy.objects.filter(force_id=force_id).first())


def all_policies() -> dict[str, Policy]:
    return {row.force_id: policy_from(row) for row in ForceVisitPolicy.objects.all()}


def person_next_visit(person: Person, as_at: dt.date,
                      events: list[Event] | None = None) -> NextVisit | None:
    """When the person's next visit is due, worked out live from the ledger (as the sweep
    does); ``None`` if visiting has not begun."""
    entries = [(e.kind, e.effective_date, e.details)
               for e in (events if events is not None else live_events(person))
               if e.kind in KINDS]
    inputs = inputs_from(entries, as_at)
    if inputs.start is None:
        return None
    return next_visit_due(policy=force_policy(person.force_id), as_at=as_at, start=inputs.start,
                          visits=inputs.visits, risk_history=inputs.risk_history,
                          plan=inputs.plan, pauses=inputs.pauses)


@dataclass(frozen=True)
class Decision:
    """One dated risk level, MAPPA decision or visit plan, with who recorded it."""

    on: dt.date
    what: str
    by: str
    note: str


def _by(event: Event) -> str:
    user = event.recorded_by
    if user is None:
        return event.source
    return user.get_full_name() or user.get_username()


def _label(value: str) -> str:
    return value.replace("_", " ")


def describe(event: Event) -> str:
    d = event.details
    if event.kind == EventKind.RISK_LEVEL:
        return f"{_label(d['level']).capitalize()} risk of serious harm"
    if event.kind == EventKind.MAPPA:
        return f"MAPPA category {d['category']}, level {d['level']}"
    if d.get("reactive"):
        return "Reactive management: no routine visits"
    months, days = d.get("every_months") or 0, d.get("every_days") or 0
    return str(Requirement(Interval(months=months, days=days), d.get("contacts") or 1)
               ).capitalize()


def person_decisions(person: Person, events: list[Event] | None = None
                     ) -> dict[str, list[Decision]]:
    """Risk levels, MAPPA decisions and visit plans, newest first, from live entries."""
    found: dict[str, list[Decision]] = defaultdict(list)
    for event in reversed(events if events is not None else live_events(person)):
        if event.kind in (EventKind.RISK_LEVEL, EventKind.MAPPA, EventKind.VISIT_PLAN):
            found[event.kind].append(Decision(event.effective_date, describe(event),
                                              _by(event), event.details.get("note", "")))
    return {"risk": found[EventKind.RISK_LEVEL], "mappa": found[EventKind.MAPPA],
            "plan": found[EventKind.VISIT_PLAN]}


@dataclass(frozen=True)
class OverdueVisit:
    person: Person
    due_by: dt.date
    days: int
    risk_level: str
    requirement: str


@dataclass(frozen=True)
class OfficerBacklog:
    officer: str
    name: str
    visits: list[OverdueVisit]

    @property
    def oldest(self) -> int:
        return max(v.days for v in self.visits)


def overdue_by_officer(people: QuerySet[Person], as_at: dt.date) -> list[OfficerBacklog]:
    """Overdue visits among ``people``, grouped by offender manager, the longest backlog first
    (one query)."""
    rows = (VisitStatus.objects.filter(person__in=people, state=VisitState.OVERDUE)
            .select_related("person", "person__offender_manager")
            .order_by("due_by", "person__family_name", "person_id"))
    grouped: dict[str, list[OverdueVisit]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in rows:
        manager = row.person.offender_manager
        key = manager.get_username() if manager else ""
        names[key] = (manager.get_full_name() or key) if manager else "No offender manager"
        grouped[key].append(OverdueVisit(row.person, row.due_by, (as_at - row.due_by).days,
                                         row.risk_level, row.requirement))
    backlog = [OfficerBacklog(key, names[key], visits) for key, visits in grouped.items()]
    return sorted(backlog, key=lambda b: (-len(b.visits), -b.oldest, b.officer))


#: Entries whose whole details the policy reads (few); of the rest it reads one key.
_FULL_DETAILS = ("visit.plan", "missing.recorded")


def visit_entries_by_person(person_ids: list[int] | None, as_at: dt.date
                            ) -> dict[int, list[tuple[str, dt.date, dict]]]:
    """The live entries the policy reads, for these people (None: everyone), by person.

    Of a visit only the outcome and of a risk entry only the level are read (as text, in the
    database), which keeps the sweep's read cheap on a national register.
    """
    if person_ids is not None and not person_ids:
        return {}
    events = Event.objects.all()
    if person_ids is not None:
        events = events.filter(person_id__in=person_ids)
    superseded = set(events.filter(supersedes__isnull=False)
                     .values_list("supersedes_id", flat=True))
    full = {pk: details for pk, details in events.filter(
        kind__in=_FULL_DETAILS, effective_date__lte=as_at).values_list("pk", "details")}
    # Plain SQL: the ORM's per-value conversions cost more than the policy on a national
    # register (as in ``register.selectors.iter_cases``).
    if connection.vendor == "postgresql":
        outcome, level = "details->>'outcome'", "details->>'level'"
    else:
        outcome, level = "json_extract(details, '$.outcome')", "json_extract(details, '$.level')"
    kinds = ", ".join(["%s"] * len(KINDS))
    where, params = f"kind IN ({kinds}) AND effective_date <= %s", [*KINDS, as_at]
    if person_ids is not None:
        where += f" AND person_id IN ({', '.join(['%s'] * len(person_ids))})"
        params += person_ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, person_id, kind, {sql_date_as_text('effective_date')}, {outcome}, "
            f"{level} FROM register_event WHERE {where} ORDER BY person_id, effective_date, id",
            params)
        rows = cursor.fetchall()
    found: dict[int, list[tuple[str, dt.date, dict]]] = defaultdict(list)
    dates: dict[object, dt.date] = {}
    for pk, pid, kind, when, outcome_value, level_value in rows:
        if pk in superseded:
            continue
        day = dates.get(when)
        if day is None:
            day = dates[when] = when if isinstance(when, dt.date) else dt.date.fromisoformat(when)
        details = full.get(pk) or ({"outcome": outcome_value} if outcome_value else
                                   {"level": level_value} if level_value else {})
        found[pid].append((kind, day, details))
    return found
