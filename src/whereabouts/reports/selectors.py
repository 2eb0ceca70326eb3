"""Reading the ledger for the figures: one pass per kind of entry, for the whole nation.

Everything is read for all 43 forces whatever the scope, because ranks are national; the
result is kept in the process's cache under the date, the period and the ledger's highest
event id (the ledger is append-only, so any new entry changes it), so that asking again for
another force or region, or for the same date, costs nothing until the ledger moves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Max

from whereabouts.access import audit
from whereabouts.access.models import AuditAction
from whereabouts.compliance.periods import status_counts_as_at
from whereabouts.compliance.sweep import status_from_case
from whereabouts.missing.selectors import breach_figures, episodes_by_person
from whereabouts.register.models import Event, Force, Person
from whereabouts.register.selectors import iter_cases

from .figures import DUE_WITHIN_DAYS, NATION, Counts, ForceInfo, Scope, assemble, count_forces


def force_infos() -> list[ForceInfo]:
    return [ForceInfo(*row) for row in Force.objects.order_by("slug").values_list(
        "slug", "name", "region", "country", "population")]


def statuses_as_at(as_at: dt.date) -> list[tuple[str, str, dt.date | None]]:
    """``(force, compliance, next_due_last_day)`` for everyone, by the rules, as at a date.

    Worked out from each ledger (not the sweep's cache, which stands as at one date only).
    The figures read the stored status periods instead (``compliance.periods``); this is
    the slow, direct answer the tests hold them to.
    """
    force_of = dict(Person.objects.values_list("pk", "force_id"))
    out = []
    for pid, _, case in iter_cases(as_at):
        status = status_from_case(case, as_at)
        out.append((force_of[pid], status.compliance, status.next_due_last_day))
    return out


def force_counts(as_at: dt.date, first: dt.date) -> dict[str, Counts]:
    stamp = Event.objects.aggregate(last=Max("id"))["last"]
    key = f"figures:{as_at}:{first}:{stamp}"
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    counts = count_forces(
        force_infos(), as_at=as_at, first=first,
        episodes=episodes_by_person(as_at).values(),
        status_counts=status_counts_as_at(as_at, as_at + dt.timedelta(days=DUE_WITHIN_DAYS)),
        breaches=breach_figures(first, as_at),
    )
    cache.set(key, counts, timeout=24 * 3600)
    return counts


def start_of_year(as_at: dt.date) -> dt.date:
    return dt.date(as_at.year, 1, 1)


def management_figures(as_at: dt.date, *, scope: Scope = NATION, first: dt.date | None = None,
                       actor: Any = None, via: str = "") -> dict[str, Any]:
    """The exact figures for ``scope`` as at ``as_at``, period ``first``..``as_at`` (by default
    from 1 January). Exact figures are management information: each use is logged."""
    first = first or start_of_year(as_at)
    if first > as_at:
        raise ValueError("the period must not start after the date")
    report = assemble(as_at, first, force_infos(), force_counts(as_at, first), scope)
    audit.record(actor=actor, action=AuditAction.CONSULTATION,
                 what=f"management figures as at {as_at} for {scope.label}{via}")
    return report
