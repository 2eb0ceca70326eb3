"""Reads of the register that the rules and the features build on.

Selectors that return a person's record take the requesting user and go through the access
layer (``whereabouts.access``); the bulk readers here serve the sweep and reports, which
never show a person to anyone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q

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


def iter_cases(as_at: dt.date, *, chunk: int = 20000) -> Iterator[tuple[int, int | None, PersonCase]]:
    """Every person's case as at a date, in person id order, read in chunks of ids.

    Yields ``(person_id, offender_manager_id, case)``. Chunking by id range keeps memory flat
    on a national register and lets each query use the (person, effective_date) index.
    """
    bounds = Person.objects.order_by("pk").values_list("pk", flat=True)
    first = bounds.first()
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    if first is None or last is None:
        return
    low = first
    while low <= last:
        high = low + chunk - 1
        ids = (low, high)
        superseded = _superseded_ids(ids)
        in_range = Q(person_id__gte=low, person_id__lte=high)
        disposals: dict[int, list[LedgerDisposal]] = defaultdict(list)
        for pid, event_id, *fields in (
            Disposal.objects.filter(in_range)
            .order_by("person_id", "relevant_date", "id")
            .values_list("person_id", "event_id", "relevant_date", "kind", "months", "life",
                         "restriction_order")
            .iterator(chunk_size=10000)
        ):
            if event_id not in superseded:
                disposals[pid].append(LedgerDisposal(*fields))
        events: dict[int, list[LedgerEvent]] = defaultdict(list)
        for pid, pk, kind, when, nfa in (
            Event.objects.filter(in_range, kind__in=RULE_EVENT_KINDS, effective_date__lte=as_at)
            .order_by("person_id", "effective_date", "id")
            .values_list("person_id", "pk", "kind", "effective_date", "details__no_fixed_abode")
            .iterator(chunk_size=10000)
        ):
            if pk not in superseded:
                events[pid].append(LedgerEvent(kind, when, bool(nfa)))
        for pid, dob, manager in (
            Person.objects.filter(pk__gte=low, pk__lte=high)
            .order_by("pk")
            .values_list("pk", "date_of_birth", "offender_manager_id")
            .iterator(chunk_size=10000)
        ):
            yield pid, manager, build_case(date_of_birth=dob, as_at=as_at,
                                           disposals=disposals.get(pid, []),
                                           events=events.get(pid, []))
        low = high + 1
