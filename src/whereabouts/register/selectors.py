"""Reads of the register that the rules and the features build on.

Selectors that return a person's record take the requesting user and go through the access
layer (``whereabouts.access``); the bulk readers here serve the sweep and reports, which
never show a person to anyone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection

from .case import RULE_EVENT_KINDS, LedgerDisposal, LedgerEvent, PersonCase, build_case
from .models import Disposal, Event, EventKind, Person


def _superseded_ids(person_ids: tuple[int, int] | None = None) -> set[int]:
    qs = Event.objects.filter(supersedes__isnull=False)
    if person_ids is not None:
        qs = qs.filter(person_id__gte=person_ids[0], person_id__lte=person_ids[1])
    return set(qs.values_list("supersedes_id", flat=True))


def live_events(person: Person) -> list[Event]:
    """A person's ledger as it now stands: superseded and withdrawn entries left out."""
    superseded = _superseded_ids((person.pk, person.pk))
    return [
        e
        for e in person.events.select_related("recorded_by").order_by("effective_date", "id")
        if e.pk not in superseded and e.kind != EventKind.VOID
    ]


def ledger_case(person: Person, as_at: dt.date) -> PersonCase:
    """The rules engine's case for one person as at a date."""
    superseded = _superseded_ids((person.pk, person.pk))
    disposals = [
        LedgerDisposal(d.relevant_date, d.kind, d.months, d.life, d.restriction_order)
        for d in Disposal.objects.filter(person=person).order_by("relevant_date", "id")
        if d.event_id not in superseded
    ]
    events = [
        LedgerEvent(kind, when, bool(nfa))
        for pk, kind, when, nfa in Event.objects.filter(person=person, kind__in=RULE_EVENT_KINDS)
        .order_by("effective_date", "id")
        .values_list("pk", "kind", "effective_date", "details__no_fixed_abode")
        if pk not in superseded
    ]
    return build_case(date_of_birth=person.date_of_birth, as_at=as_at, disposals=disposals,
                      events=events)


def sql_date_as_text(column: str) -> str:
    """A date column as ISO text on SQLite, skipping the driver's slow per-value converter."""
    return column if connection.vendor == "postgresql" else f"CAST({column} AS TEXT)"


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def iter_cases(
    as_at: dt.date,
    *,
    chunk: int = 20000,
    first_id: int | None = None,
    last_id: int | None = None,
    person_ids: Sequence[int] | None = None,
) -> Iterator[tuple[int, int | None, PersonCase]]:
    """Every person's case as at a date, in person id order, read in chunks of ids.

    Yields ``(person_id, offender_manager_id, case)``. Chunking by id range keeps memory flat
    on a national register and lets each query use the (person, effective_date) index. The
    queries are plain SQL because the ORM's per-value conversions cost more than the rules
    themselves on a national register (see docs/benchmarks.md); they read the same rows as
    :func:`ledger_case`, and a test checks that both give the same case.
    """
    iso = connection.vendor != "postgresql"  # dates arrive as ISO text from SQLite
    for ledger in iter_ledgers(as_at, chunk=chunk, first_id=first_id, last_id=last_id,
                               person_ids=person_ids):
        yield ledger.person_id, ledger.manager_id, build_case(
            date_of_birth=_as_date(ledger.date_of_birth), as_at=as_at,
            disposals=ledger.disposals, events=ledger.events, iso=iso)


class RawLedger(NamedTuple):
    """What the rules read of one person's ledger, as rows (dates as ISO text on SQLite)."""

    person_id: int
    manager_id: int | None
    date_of_birth: Any
    force_id: str
    disposals: list[tuple[Any, ...]]  # (relevant_date, kind, months, life, restriction_order)
    events: list[tuple[Any, ...]]  # (kind, effective_date, no_fixed_abode), by date then id


def iter_ledgers(
    as_at: dt.date | None,
    *,
    chunk: int = 20000,
    first_id: int | None = None,
    last_id: int | None = None,
    person_ids: Sequence[int] | None = None,
) -> Iterator[RawLedger]:
    """The live entries the rules read, person by person in id order (see :func:`iter_cases`).

    ``as_at=None`` reads every entry whatever its date (for the status periods, which work
    out the case as at each date themselves).
    """
    if connection.vendor == "postgresql":
        nfa = "COALESCE((e.details->>'no_fixed_abode')::boolean, false)"
    else:
        # instr() first: most details have no such key, and json_extract is the slower test.
        nfa = ("CASE WHEN instr(e.details, 'no_fixed_abode') > 0 "
               "THEN COALESCE(json_extract(e.details, '$.no_fixed_abode'), 0) ELSE 0 END")
    text = sql_date_as_text
    kinds = sorted(RULE_EVENT_KINDS)
    kind_marks = ", ".join(["%s"] * len(kinds))
    until = "" if as_at is None else "AND e.effective_date <= %s "
    until_params = [] if as_at is None else [as_at]
    with connection.cursor() as cursor:
        for where, params in _chunks(cursor, chunk, first_id, last_id, person_ids):
            # Superseded entries are few: fetch their ids once and skip them here, which is
            # cheaper than asking the database to check every row.
            cursor.execute(
                "SELECT supersedes_id FROM register_event WHERE supersedes_id IS NOT NULL "
                f"AND person_id {where}",
                params,
            )
            superseded = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                f"SELECT d.person_id, d.event_id, {text('d.relevant_date')}, d.kind, d.months, "
                "d.life, d.restriction_order FROM register_disposal d "
                f"WHERE d.person_id {where} ORDER BY d.person_id, d.relevant_date, d.id",
                params,
            )
            disposals: dict[int, list[tuple]] = defaultdict(list)  # type: ignore[type-arg]
            for pid, event_id, when, kind, months, life, restricted in cursor.fetchall():
                if event_id not in superseded:
                    disposals[pid].append((when, kind, months, life, restricted))
            cursor.execute(
                f"SELECT e.person_id, e.id, e.kind, {text('e.effective_date')}, {nfa} "
                "FROM register_event e "
                f"WHERE e.person_id {where} AND e.kind IN ({kind_marks}) "
                f"{until}"
                "ORDER BY e.person_id, e.effective_date, e.id",
                [*params, *kinds, *until_params],
            )
            events: dict[int, list[tuple]] = defaultdict(list)  # type: ignore[type-arg]
            if superseded:
                for pid, event_id, kind, when, no_fixed_abode in cursor.fetchall():
                    if event_id not in superseded:
                        events[pid].append((kind, when, no_fixed_abode))
            else:
                for pid, _, kind, when, no_fixed_abode in cursor.fetchall():
                    events[pid].append((kind, when, no_fixed_abode))
            cursor.execute(
                f"SELECT id, {text('date_of_birth')}, offender_manager_id, force_id "
                f"FROM register_person WHERE id {where} ORDER BY id",
                params,
            )
            for pid, dob, manager, force in cursor.fetchall():
                yield RawLedger(pid, manager, dob, force, disposals.get(pid, []),
                                events.get(pid, []))


def _chunks(
    cursor: Any, chunk: int, first_id: int | None, last_id: int | None,
    person_ids: Sequence[int] | None,
) -> Iterator[tuple[str, list[int]]]:
    """SQL conditions on a person id, each covering one chunk of the people asked for."""
    if person_ids is not None:
        ids = sorted(person_ids)
        size = min(chunk, 5000)
        for start in range(0, len(ids), size):
            part = ids[start:start + size]
            yield f"IN ({', '.join(['%s'] * len(part))})", part
        return
    cursor.execute("SELECT MIN(id), MAX(id) FROM register_person")
    first, last = cursor.fetchone()
    if first is None:
        return
    first = max(first, first_id) if first_id is not None else first
    last = min(last, last_id) if last_id is not None else last
    low = first
    while low <= last:
        high = min(low + chunk - 1, last)
        yield "BETWEEN %s AND %s", [low, high]
        low = high + 1


#: s.86 and the Travel Regulations (SI 2004/1220 as amended): notice at least 7 days before
#: departure (late details at least 12 hours before, where 7 days was not possible).
TRAVEL_NOTICE_DAYS = 7


@dataclass(frozen=True)
class TravelNotice:
    notified_on: dt.date
    departure_date: dt.date
    return_date: dt.date | None
    destination: str
    itinerary: str = ""
    checks_done: str = ""
    country_informed: str = ""  # "yes", "no" or "" (not recorded)
    country_informed_on: dt.date | None = None

    @property
    def days_ahead(self) -> int:
        return (self.departure_date - self.notified_on).days

    @property
    def late(self) -> bool:
        """Notified less than 7 days before departure: flagged for the offender manager (it
        may still be lawful, if 7 days' notice was not reasonably practicable)."""
        return self.days_ahead < TRAVEL_NOTICE_DAYS


def travel_notices(events: Sequence[Event]) -> list[TravelNotice]:
    """The foreign travel notified, newest first, from a person's live entries."""
    notices = []
    for event in events:
        if event.kind == EventKind.NOTIFICATION_TRAVEL:
            back = event.details.get("return_date")
            informed = event.details.get("country_informed_on")
            notices.append(TravelNotice(
                event.effective_date, dt.date.fromisoformat(event.details["departure_date"]),
                dt.date.fromisoformat(back) if back else None,
                event.details.get("destination", ""), event.details.get("itinerary", ""),
                event.details.get("checks_done", ""), event.details.get("country_informed", ""),
                dt.date.fromisoformat(informed) if informed else None))
    return sorted(notices, key=lambda n: (n.notified_on, n.departure_date), reverse=True)
