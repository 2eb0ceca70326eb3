"""What an offender manager has on, and how a supervisor's team is loaded.

Reads only what the access layer lets the user see; counts come from the status cache the
nightly sweep keeps (compliance, and when each visit is due), the open whereabouts-check tasks
and the missing entries in the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from whereabouts.compliance.models import Compliance, Task, TaskState
from whereabouts.missing.selectors import episodes_by_person
from whereabouts.missing.services import CHECK_TASK
from whereabouts.register.models import Person
from whereabouts.visits.models import VisitState

#: The caseload filters: key -> label.
SHOW = {
    "": "Everyone",
    "overdue": "Overdue",
    "week": "Due within 7 days",
    "visit": "Visit overdue",
    "check": "Whereabouts check open",
    "missing": "Missing",
}


def missing_now(person_ids: set[int] | None, as_at: dt.date) -> set[int]:
    """Of these people (None: everyone), those with an episode open as at the date."""
    return {pid for pid, (_, episodes) in episodes_by_person(as_at, person_ids).items()
            if any(e.open_on(as_at) for e in episodes)}


def checks_open(people: QuerySet[Person]) -> set[int]:
    return set(Task.objects.filter(person__in=people, kind=CHECK_TASK, state=TaskState.OPEN)
               .values_list("person_id", flat=True))


@dataclass(frozen=True)
class Row:
    person: Person
    overdue: bool
    due_this_week: bool
    check_open: bool
    missing: bool
    visit_overdue: bool = False

    @property
    def status(self) -> object:
        return getattr(self.person, "compliance_status", None)

    @property
    def visit(self) -> object:
        return getattr(self.person, "visit_status", None)


def _due_this_week(person: Person, as_at: dt.date) -> bool:
    status = getattr(person, "compliance_status", None)
    return bool(status and status.compliance == Compliance.COMPLIANT and status.next_due_last_day
                and as_at <= status.next_due_last_day <= as_at + dt.timedelta(days=7))


def rows(people: QuerySet[Person], as_at: dt.date) -> list[Row]:
    """One row per person, with what needs doing (a fixed number of queries)."""
    listed = list(people.select_related("compliance_status", "offender_manager",
                                        "visit_status"))
    ids = {p.pk for p in listed}
    checks = checks_open(people)
    missing = missing_now(ids, as_at)
    return [Row(p, bool(getattr(p, "compliance_status", None)
                        and p.compliance_status.compliance == Compliance.OVERDUE),
                _due_this_week(p, as_at), p.pk in checks, p.pk in missing,
                _visit_overdue(p)) for p in listed]


def _visit_overdue(person: Person) -> bool:
    status = getattr(person, "visit_status", None)
    return bool(status and status.state == VisitState.OVERDUE)


def chosen(all_rows: list[Row], show: str) -> list[Row]:
    test = {"overdue": lambda r: r.overdue, "week": lambda r: r.due_this_week,
            "visit": lambda r: r.visit_overdue,
            "check": lambda r: r.check_open, "missing": lambda r: r.missing}.get(show)
    return [r for r in all_rows if test is None or test(r)]


def counts(all_rows: list[Row]) -> dict[str, int]:
    return {"": len(all_rows), "overdue": sum(r.overdue for r in all_rows),
            "week": sum(r.due_this_week for r in all_rows),
            "visit": sum(r.visit_overdue for r in all_rows),
            "check": sum(r.check_open for r in all_rows),
            "missing": sum(r.missing for r in all_rows)}


@dataclass(frozen=True)
class TeamRow:
    officer: str
    name: str
    people: int
    overdue: int
    due_this_week: int
    checks: int
    missing: int
    visits_overdue: int = 0

    @property
    def overloaded(self) -> bool:
        return self.people > settings.WHEREABOUTS_CASELOAD_LIMIT


def team(people: QuerySet[Person], as_at: dt.date) -> list[TeamRow]:
    """Per offender manager in the force: their caseload and what is overdue or open.

    Counted in the database (a force has thousands of people); busiest first, so an
    overloaded officer is at the top.
    """
    week = (as_at, as_at + dt.timedelta(days=7))
    per_officer = (
        people.order_by().values("offender_manager__username", "offender_manager__first_name",
                                 "offender_manager__last_name")
        .annotate(n=Count("pk"),
                  overdue=Count("pk", filter=Q(compliance_status__compliance=Compliance.OVERDUE)),
                  week=Count("pk", filter=Q(compliance_status__compliance=Compliance.COMPLIANT,
                                            compliance_status__next_due_last_day__range=week)),
                  visits=Count("pk", filter=Q(visit_status__state=VisitState.OVERDUE)))
    )
    checks = Counter(Task.objects.filter(person__in=people, kind=CHECK_TASK,
                                         state=TaskState.OPEN)
                     .values_list("person__offender_manager__username", flat=True))
    missing_ids = missing_now(None, as_at)
    missing = Counter(people.filter(pk__in=missing_ids)
                      .values_list("offender_manager__username", flat=True))
    result = []
    for row in per_officer:
        key = row["offender_manager__username"] or ""
        name = " ".join(filter(None, (row["offender_manager__first_name"],
                                      row["offender_manager__last_name"]))) or key
        result.append(TeamRow(key, name if key else "No offender manager", row["n"],
                              row["overdue"], row["week"], checks[key or None],
                              missing[key or None], row["visits"]))
    return sorted(result, key=lambda r: (-r.people, -r.overdue, r.officer))
