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
from whereabouts.missing.selectors import (
    BUCKETS,
    breach_figures,
    episodes_by_person,
    time_to_notice_and_locate,
)
from whereabouts.register.models import Event, Force, Person
from whereabouts.register.selectors import iter_cases
from whereabouts.register.transfers import forces_as_at

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
    force_of.update(forces_as_at(as_at))  # where each was on the date, if handed over since
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


#: The charts' "time to locate" looks back this far from the date.
LOCATE_YEARS = 5
#: Month ends in the "missing over time" chart.
SERIES_MONTHS = 24


def locate_period(as_at: dt.date) -> dt.date:
    """The first day of the five years to ``as_at`` (a 29 February start moves to 1 March)."""
    try:
        start = as_at.replace(year=as_at.year - LOCATE_YEARS)
    except ValueError:
        start = dt.date(as_at.year - LOCATE_YEARS, 3, 1)
    return start + dt.timedelta(days=1)


def missing_by_date(as_at: dt.date, dates: list[dt.date]) -> dict[str, list[int]]:
    """Open episodes per force as at each of ``dates`` (none after ``as_at``), from the
    ledger as it stood on ``as_at``."""
    if any(day > as_at for day in dates):
        raise ValueError("no date may be after the as-at date")
    out = {slug: [0] * len(dates) for slug in Force.objects.values_list("slug", flat=True)}
    for force, episodes in episodes_by_person(as_at).values():
        row = out[force]
        for episode in episodes:
            for i, day in enumerate(dates):
                row[i] += episode.open_on(day)
    return out


def located_by_time(first: dt.date, as_at: dt.date) -> dict[str, tuple[int, ...]]:
    """Episodes located in ``first``..``as_at`` per force, by days from recorded missing to
    located, in the ranges of ``missing.selectors.BUCKETS``."""
    return {force: locate.buckets
            for force, (_, locate) in time_to_notice_and_locate(first, as_at).items()}


def page_charts(as_at: dt.date, report: dict[str, Any]) -> list[Any]:
    """The figures page's charts for the forces of ``report`` (exact figures: shown only to
    those entitled to the report, and read with it)."""
    from .charts import bar_chart, line_chart, month_ends

    forces = sorted(report["forces"], key=lambda f: f["name"])
    area = report["scope"].removeprefix("region ").removeprefix("force ")
    dates = month_ends(as_at, SERIES_MONTHS)
    series = missing_by_date(as_at, dates)
    over_time = line_chart(
        "chart-over-time", f"Missing at each month end to {as_at:%-d %B %Y}, by force",
        f"Open missing episodes in each force of {area} at the end of each of the "
        f"{SERIES_MONTHS} months to {as_at:%-d %B %Y}, one line per force.",
        dates, [(f["name"], series[f["force"]]) for f in forces])
    first = locate_period(as_at)
    located = located_by_time(first, as_at)
    totals = [sum(located[f["force"]][i] for f in forces) for i in range(len(BUCKETS))]
    to_locate = bar_chart(
        "chart-time-to-locate", f"Time to locate, {first:%-d %B %Y} to {as_at:%-d %B %Y}",
        f"Missing episodes in {area} closed by a locate in the five years to "
        f"{as_at:%-d %B %Y}, by days from being recorded missing to being located.",
        [(label, n) for (label, _), n in zip(BUCKETS, totals, strict=True)],
        label_heading="Time from recorded missing to located", value_heading="Located")
    side_by_side = bar_chart(
        "chart-forces", f"Missing as at {as_at:%-d %B %Y}, by force",
        f"Open missing episodes as at {as_at:%-d %B %Y} in each force of {area}, "
        "side by side.",
        [(f["name"], f["missing"]) for f in report["forces"]],
        label_heading="Force", value_heading="Missing")
    return [side_by_side, over_time, to_locate]
