"""ARMS assessments overdue: a task for the offender manager from the day after the next
assessment was due, closed when a later assessment is recorded (or the person is no longer
subject to the requirements). Run by ``whereabouts sweep`` after the visits sweep; like it,
it writes only what differs, so running it twice for a date changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from whereabouts.compliance.models import ComplianceStatus, Task, TaskState
from whereabouts.register.models import Event
from whereabouts.visits.sweep import SUBJECT

from .arms import ARMS_KIND, ARMS_TASK


@dataclass(frozen=True)
class ArmsSweepResult:
    overdue: int
    tasks_opened: int
    tasks_closed: int


def latest_next_due(person_ids: list[int] | None) -> dict[int, dt.date]:
    """Each person's next ARMS assessment due date, from their latest live assessment."""
    events = Event.objects.filter(kind=ARMS_KIND)
    if person_ids is not None:
        events = events.filter(person_id__in=person_ids)
    superseded = set(Event.objects.filter(supersedes__kind=ARMS_KIND)
                     .values_list("supersedes_id", flat=True))
    due: dict[int, dt.date] = {}
    for pk, pid, details in events.order_by("effective_date", "id").values_list(
            "pk", "person_id", "details"):
        if pk not in superseded:
            due[pid] = dt.date.fromisoformat(details["next_due"])
    return due


@transaction.atomic
def run_arms_sweep(as_at: dt.date, person_ids: list[int] | None = None) -> ArmsSweepResult:
    due = latest_next_due(person_ids)
    subject = ComplianceStatus.objects.filter(person_id__in=list(due),
                                              compliance__in=SUBJECT)
    managers = dict(subject.values_list("person_id", "person__offender_manager_id"))
    overdue = {(pid, day) for pid, day in due.items() if pid in managers and as_at > day}
    tasks = Task.objects.filter(kind=ARMS_TASK)
    if person_ids is not None:
        tasks = tasks.filter(person_id__in=person_ids)
    known = set(tasks.values_list("person_id", "due_last_day"))
    new = [Task(person_id=pid, kind=ARMS_TASK, due_kind="arms", due_last_day=day,
                assigned_to_id=managers[pid], state=TaskState.OPEN, opened_as_at=as_at,
                title=f"The ARMS assessment due by {day:%d %B %Y} has not been recorded")
           for pid, day in sorted(overdue) if (pid, day) not in known]
    Task.objects.bulk_create(new)
    done = [pk for pk, pid, day in tasks.filter(state=TaskState.OPEN)
            .values_list("pk", "person_id", "due_last_day") if (pid, day) not in overdue]
    Task.objects.filter(pk__in=done).update(state=TaskState.DONE, closed_as_at=as_at)
    return ArmsSweepResult(len(overdue), len(new), len(done))
