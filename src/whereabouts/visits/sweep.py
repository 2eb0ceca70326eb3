"""The daily visits sweep: when each person's next visit is due, and tasks for overdue ones.

Run by ``whereabouts sweep`` straight after the compliance sweep, whose status cache says who
is subject to the requirements (only they are visited). Like that sweep it writes only what
differs, in one transaction, so running it twice for one date changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction

from whereabouts.compliance.models import Compliance, ComplianceStatus, Task, TaskState
from whereabouts.register.models import Person

from .ledger import inputs_from
from .models import VisitState, VisitStatus
from .policy import NextVisit, next_visit_due
from .selectors import all_policies, policy_from, visit_entries_by_person

VISIT_TASK = "overdue_visit"
SUBJECT = (Compliance.COMPLIANT, Compliance.OVERDUE, Compliance.AWAY)


@dataclass(frozen=True)
class VisitSweepResult:
    as_at: dt.date
    people: int
    overdue: int
    tasks_opened: int
    tasks_closed: int


def _answers(person_ids: list[int] | None, as_at: dt.date
             ) -> dict[int, tuple[NextVisit, str, int | None]]:
    subject = ComplianceStatus.objects.filter(compliance__in=SUBJECT)
    if person_ids is not None:
        subject = subject.filter(person_id__in=person_ids)
    people = {pid: (force, manager) for pid, force, manager in subject.values_list(
        "person_id", "person__force_id", "person__offender_manager_id")}
    entries = visit_entries_by_person(list(people) if person_ids is not None else None, as_at)
    policies = all_policies()
    default = policy_from(None)
    answers = {}
    for pid, (force, manager) in people.items():
        inputs = inputs_from(entries.get(pid, ()), as_at)
        if inputs.start is None:
            continue
        answer = next_visit_due(policy=policies.get(force, default), as_at=as_at,
                                start=inputs.start, visits=inputs.visits,
                                risk_history=inputs.risk_history, plan=inputs.plan,
                                pauses=inputs.pauses, explain=False)
        answers[pid] = (answer, force, manager)
    return answers


_COLUMNS = ("person_id", "state", "due_by", "risk_level", "requirement", "as_at")


def _write_statuses(to_create: list[tuple[object, ...]],
                    to_update: list[tuple[object, ...]]) -> None:
    """Cache rows in plain SQL: the ORM's bulk methods build a model instance per row, which
    costs more than the policy itself on a national register (as in the compliance sweep).
    ``to_create`` rows are in ``_COLUMNS`` order; ``to_update`` rows end with the person."""
    table = VisitStatus._meta.db_table
    with connection.cursor() as cursor:
        if to_create:
            marks = ", ".join(["%s"] * len(_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({marks})", to_create)
        if to_update:
            assignments = ", ".join(f"{c} = %s" for c in _COLUMNS[1:])
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE person_id = %s",
                               to_update)


@transaction.atomic
def run_visit_sweep(as_at: dt.date, person_ids: list[int] | None = None) -> VisitSweepResult:
    """Work out everyone's next visit (or only ``person_ids``'), as at ``as_at``."""
    answers = _answers(person_ids, as_at)
    existing = VisitStatus.objects.all()
    tasks = Task.objects.filter(kind=VISIT_TASK)
    if person_ids is not None:
        existing = existing.filter(person_id__in=person_ids)
        tasks = tasks.filter(person_id__in=person_ids)
    cached = {pid: tuple(rest) for pid, *rest in existing.values_list(
        "person_id", "state", "due_by", "risk_level", "requirement")}
    to_create, to_update = [], []
    words: dict[object, str] = {}
    for pid, (answer, _, _) in answers.items():
        requirement = words.get(answer.requirement)
        if requirement is None:
            requirement = words[answer.requirement] = str(answer.requirement or "")[:80]
        values = (answer.state, answer.due_by, answer.risk_level, requirement)
        row = cached.get(pid)
        if row is None:
            to_create.append((pid, *values, as_at))
        elif row != values:
            to_update.append((*values, as_at, pid))
    gone = [pid for pid in cached if pid not in answers]
    VisitStatus.objects.filter(person_id__in=gone).delete()
    _write_statuses(to_create, to_update)
    overdue = {(pid, a.due_by): manager for pid, (a, _, manager) in answers.items()
               if a.state == VisitState.OVERDUE}
    known = set(tasks.values_list("person_id", "due_last_day"))
    new = [Task(person_id=pid, kind=VISIT_TASK, due_kind="visit", due_last_day=due,
                assigned_to_id=manager, state=TaskState.OPEN, opened_as_at=as_at,
                title=f"The home visit due by {due:%d %B %Y} has not been made")
           for (pid, due), manager in overdue.items() if (pid, due) not in known]
    Task.objects.bulk_create(new, batch_size=2000)
    done = [pk for pk, pid, due in tasks.filter(state=TaskState.OPEN)
            .values_list("pk", "person_id", "due_last_day") if (pid, due) not in overdue]
    for start in range(0, len(done), 5000):
        Task.objects.filter(pk__in=done[start:start + 5000]).update(
            state=TaskState.DONE, closed_as_at=as_at)
    return VisitSweepResult(as_at, len(answers), len(overdue), len(new), len(done))


def refresh_person(person: Person, as_at: dt.date) -> None:
    """After a visit, a risk level or a plan is recorded: bring this person's cache and tasks
    up to date at once, rather than at the next sweep."""
    run_visit_sweep(as_at, [person.pk])


@transaction.atomic
def rebuild_visit_cache(as_at: dt.date) -> int:
    """Everyone's next visit worked out again as at ``as_at``, writing only the cache (no
    task opened or closed): for a restore, whose tasks came with the file."""
    VisitStatus.objects.all().delete()
    rows = [(pid, answer.state, answer.due_by, answer.risk_level,
             str(answer.requirement or "")[:80], as_at)
            for pid, (answer, _, _) in _answers(None, as_at).items()]
    _write_statuses(rows, [])
    return len(rows)
