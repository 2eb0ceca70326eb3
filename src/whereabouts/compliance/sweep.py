"""The daily sweep: apply the rules to every ledger, refresh the status cache, open tasks.

It writes in one transaction, so an interruption leaves the previous state as it was, and it
writes only what differs, so running it twice for the same date changes nothing. On a large
register the reading and the rules run in two processes (one per core); the writing stays in
this one.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, connections, transaction
from django.utils import timezone

from whereabouts import rules
from whereabouts.register.case import PersonCase
from whereabouts.register.selectors import iter_cases, sql_date_as_text

from .models import Compliance, ComplianceStatus, SweepRun, Task, TaskState

OVERDUE_TASK = "overdue_notification"
DUE_LABELS = {"initial": "initial notification", "periodic": "periodic notification"}


class StatusValues(NamedTuple):
    """The cached fields of one person's status, in a form that compares cheaply.

    The date the cache stands as at is the latest :class:`SweepRun`'s, not a field of each
    row, so that a day on which nothing changed for someone rewrites nothing for them.
    """

    compliance: str
    indefinite: bool
    period_last_day: dt.date | None
    next_due_kind: str
    next_due_last_day: dt.date | None
    review_first_eligible: dt.date | None


FIELDS = StatusValues._fields


def status_from_case(person_case: PersonCase, as_at: dt.date) -> StatusValues:
    """What the cache should hold for one person: the single source of truth for the sweep."""
    if person_case.case is None:
        state = Compliance.DECEASED if person_case.state == "deceased" else Compliance.NOT_SUBJECT
        return StatusValues(state, False, None, "", None, None)
    answer = rules.evaluate(person_case.case)
    # While a period away is still open its end is unknown, so is the deadline after it: the
    # cache says what is owed but not by when, rather than a date that moves every day.
    provisional = person_case.open_away is not None and answer.compliance == Compliance.AWAY
    return StatusValues(
        answer.compliance,
        answer.indefinite,
        answer.last_day,
        answer.next_due_kind or "",
        None if provisional else answer.next_due_last_day,
        answer.review_first_eligible,
    )


def _existing_statuses() -> dict[int, StatusValues]:
    """The cache as it stands, read in plain SQL for speed (dates as ISO text on SQLite)."""
    dates = {"period_last_day", "next_due_last_day", "review_first_eligible"}
    columns = ", ".join(sql_date_as_text(f) if f in dates else f for f in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT person_id, {columns} FROM compliance_compliancestatus")
        rows = cursor.fetchall()
    date_positions = [i for i, f in enumerate(FIELDS) if f in dates]
    existing = {}
    for pid, *values in rows:
        for i in date_positions:
            if isinstance(values[i], str):
                values[i] = dt.date.fromisoformat(values[i])
        values[1] = bool(values[1])  # indefinite: 0/1 on SQLite
        existing[pid] = StatusValues(*values)
    return existing


STATUS_TABLE = ComplianceStatus._meta.db_table


def _write_statuses(
    to_create: list[tuple[int, StatusValues]], to_update: list[tuple[int, StatusValues]]
) -> None:
    """Insert and update cache rows in bulk: COPY on PostgreSQL, executemany on SQLite.

    The ORM's bulk methods build a model instance per row, which costs more than the rules on
    a national register; the cache has no behaviour of its own, so plain SQL loses nothing.
    """
    columns = ("person_id", *FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.connection.cursor()
            if to_create:
                with raw.copy(f"COPY {STATUS_TABLE} ({', '.join(columns)}) FROM STDIN") as copy:
                    for pid, values in to_create:
                        copy.write_row((pid, *values))
            if to_update:
                raw.execute(f"CREATE TEMP TABLE sweep_changes (LIKE {STATUS_TABLE}) ON COMMIT DROP")
                with raw.copy(f"COPY sweep_changes ({', '.join(columns)}) FROM STDIN") as copy:
                    for pid, values in to_update:
                        copy.write_row((pid, *values))
                assignments = ", ".join(f"{f} = c.{f}" for f in FIELDS)
                raw.execute(f"UPDATE {STATUS_TABLE} s SET {assignments} FROM sweep_changes c "
                            "WHERE s.person_id = c.person_id")
                raw.execute("DROP TABLE sweep_changes")
            return
        if to_create:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {STATUS_TABLE} ({', '.join(columns)}) VALUES ({marks})",
                [(pid, *values) for pid, values in to_create],
            )
        if to_update:
            assignments = ", ".join(f"{f} = %s" for f in FIELDS)
            cursor.executemany(
                f"UPDATE {STATUS_TABLE} SET {assignments} WHERE person_id = %s",
                [(*values, pid) for pid, values in to_update],
            )


@dataclass(frozen=True)
class SweepResult:
    as_at: dt.date
    people: int
    statuses_changed: int
    tasks_opened: int
    tasks_closed: int
    seconds: float


Computed = tuple[int, int | None, StatusValues]


def _compute_range(args: tuple[dt.date, int | None, int | None, int]) -> list[Computed]:
    as_at, first_id, last_id, chunk = args
    return [
        (pid, manager, status_from_case(person_case, as_at))
        for pid, manager, person_case in iter_cases(as_at, chunk=chunk, first_id=first_id,
                                                    last_id=last_id)
    ]


def _compute_in_worker(args: tuple[dt.date, int | None, int | None, int]) -> list[Computed]:
    """A worker's share; it closes its own connection so none outlives the pool."""
    try:
        return _compute_range(args)
    finally:
        connections.close_all()


PARALLEL_FROM = 20_000  # people; below this, starting processes costs more than it saves


def _default_workers() -> int:
    """Two processes on a large register on a file or server database, else one.

    Workers read the ledger on their own connections, so the database must be one other
    processes can see (not SQLite in memory) and no transaction may be open here, or they
    would not see what it holds.
    """
    if connection.in_atomic_block or multiprocessing.get_start_method(True) == "spawn":
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    name = str(connection.settings_dict.get("NAME", ""))
    if connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
        return 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM register_person")
        (people,) = cursor.fetchone()
    return min(2, os.cpu_count() or 1) if people >= PARALLEL_FROM else 1


def compute_statuses(as_at: dt.date, *, chunk: int, workers: int) -> list[Computed]:
    """Every person's status as at ``as_at``, in person id order.

    With several workers, the id range is split and each part is read and evaluated in its own
    process (forked, after this process's connections are closed so none is shared).
    """
    if workers <= 1:
        return _compute_range((as_at, None, None, chunk))
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM register_person")
        first, last = cursor.fetchone()
    if first is None:
        return []
    step = (last - first) // workers + 1
    parts = [(as_at, first + i * step, min(first + (i + 1) * step - 1, last), chunk)
             for i in range(workers)]
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_compute_in_worker, parts)
    return [row for part in results for row in part]


def run_sweep(as_at: dt.date, *, chunk: int = 20000, workers: int | None = None) -> SweepResult:
    """Sweep every ledger as at ``as_at``; see the module docstring."""
    started = timezone.now()
    computed = compute_statuses(
        as_at, chunk=chunk, workers=_default_workers() if workers is None else workers
    )
    with transaction.atomic():
        existing = _existing_statuses()
        open_tasks: dict[tuple[int, str, dt.date], int] = {
            (pid, due_kind, due): pk
            for pk, pid, due_kind, due in Task.objects.filter(
                kind=OVERDUE_TASK, state=TaskState.OPEN
            ).values_list("pk", "person_id", "due_kind", "due_last_day")
        }
        known_tasks = set(
            Task.objects.filter(kind=OVERDUE_TASK).values_list("person_id", "due_kind",
                                                               "due_last_day")
        )
        to_create: list[tuple[int, StatusValues]] = []
        to_update: list[tuple[int, StatusValues]] = []
        new_tasks: list[Task] = []
        still_overdue: set[tuple[int, str, dt.date]] = set()
        people = 0
        for pid, manager, values in computed:
            people += 1
            old = existing.get(pid)
            if old != values:
                (to_create if old is None else to_update).append((pid, values))
            if values.compliance == Compliance.OVERDUE and values.next_due_last_day is not None:
                key = (pid, values.next_due_kind, values.next_due_last_day)
                still_overdue.add(key)
                if key not in known_tasks:
                    label = DUE_LABELS.get(values.next_due_kind, values.next_due_kind)
                    new_tasks.append(Task(
                        person_id=pid, kind=OVERDUE_TASK, due_kind=values.next_due_kind,
                        due_last_day=values.next_due_last_day, assigned_to_id=manager,
                        opened_as_at=as_at,
                        title=(f"The {label} due by {values.next_due_last_day:%d %B %Y} "
                               "was not made"),
                    ))
        _write_statuses(to_create, to_update)
        Task.objects.bulk_create(new_tasks, batch_size=5000)
        done = [pk for key, pk in open_tasks.items() if key not in still_overdue]
        for start in range(0, len(done), 5000):
            Task.objects.filter(pk__in=done[start:start + 5000]).update(
                state=TaskState.DONE, closed_as_at=as_at
            )
        finished = timezone.now()
        changed = len(to_create) + len(to_update)
        latest = SweepRun.objects.order_by("-id").values_list("as_at", flat=True).first()
        if changed or new_tasks or done or latest != as_at:
            SweepRun.objects.create(
                started_at=started, finished_at=finished, as_at=as_at, people=people,
                statuses_changed=changed, tasks_opened=len(new_tasks), tasks_closed=len(done),
            )
    return SweepResult(as_at, people, changed, len(new_tasks), len(done),
                       (finished - started).total_seconds())
