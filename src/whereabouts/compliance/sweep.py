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
from whereabouts.forking import can_fork, frozen_heap
from whereabouts.register.case import RULE_EVENT_KINDS, PersonCase
from whereabouts.register.models import EventKind
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


FOREVER = dt.date(9999, 12, 31)
OPEN_ABSENCE_MARGIN = dt.timedelta(days=7)


def status_from_case(person_case: PersonCase, as_at: dt.date) -> StatusValues:
    """What the cache should hold for one person: the single source of truth for the sweep."""
    return status_and_validity(person_case, as_at)[0]


def status_and_validity(
    person_case: PersonCase, as_at: dt.date
) -> tuple[StatusValues, dt.date | None]:
    """The status, and the last date it still holds if nothing is added to the ledger.

    Only ``compliance`` depends on the date asked about, and it can change only where a
    deadline or the period passes, or an absence begins or ends; until the first of those
    the status stands. ``None`` means "work it out again every time".
    """
    if person_case.case is None:
        if person_case.state == "deceased":
            return StatusValues(Compliance.DECEASED, False, None, "", None, None), FOREVER
        if person_case.state == "merged":
            return StatusValues(Compliance.MERGED, False, None, "", None, None), FOREVER
        return StatusValues(Compliance.NOT_SUBJECT, False, None, "", None, None), None
    answer = rules.evaluate(person_case.case)
    return _status_values(person_case, answer), _valid_until(person_case, answer, as_at)


def answer_and_validity(
    person_case: PersonCase, as_at: dt.date, earlier: rules.Answer | None = None
) -> tuple[StatusValues, dt.date | None, rules.Answer | None]:
    """:func:`status_and_validity`, with the rules' answer (``None`` if there is no case).

    Given ``earlier``, the answer for the same case as at an earlier date, the case is not
    evaluated again: an answer holds for every date on which the case's facts are the same,
    and only its compliance compares the date asked about with the deadlines
    (:func:`rules.compliance_on`). The caller sees to it that the facts are the same: no
    entry the rules read between the two dates, and no absence open (an open absence runs
    to the date asked about, so the facts move with it; then the case is evaluated anyway).
    The answer given for a later date carries no case, so it has no explanation.
    """
    if person_case.case is None:
        values, valid_until = status_and_validity(person_case, as_at)
        return values, valid_until, None
    if earlier is None or person_case.open_away is not None:
        answer = rules.evaluate(person_case.case)
    else:
        answer = _answer_on(earlier, as_at)
    return _status_values(person_case, answer), _valid_until(person_case, answer, as_at), answer


def _answer_on(answer: rules.Answer, as_at: dt.date) -> rules.Answer:
    moved = object.__new__(type(answer))
    moved.__dict__.update(answer.__dict__)
    moved.__dict__.pop("explanation", None)  # a cached sentence list of the earlier date
    moved.__dict__.update(as_at=as_at, case=None,
                          compliance=rules.compliance_on(answer, as_at))
    return moved


def _valid_until(person_case: PersonCase, answer: rules.Answer, as_at: dt.date) -> dt.date:
    limits = [FOREVER]
    if answer.last_day is not None and as_at <= answer.last_day:
        limits.append(answer.last_day)  # ended from the day after
        if person_case.open_away is not None:
            # While an absence is open the rules see it end on the date asked about, so the
            # next deadline is a few days after that date; near the end of the period it
            # falls after the period and is no longer owed. Work such people out again
            # from a week before the end (a margin wider than any "within 3 days").
            limits.append(max(as_at, answer.last_day - OPEN_ABSENCE_MARGIN))
    if answer.compliance == Compliance.COMPLIANT and answer.next_due_last_day is not None:
        limits.append(answer.next_due_last_day)  # overdue from the day after
    # The ledger holds nothing after ``as_at`` here (the sweep re-works anyone whose does), so
    # the only absence that can matter is one that includes ``as_at``.
    for period in answer.away_periods:
        if person_case.open_away is not None and period.end == as_at:
            continue  # still open: away until an entry ends it, however long that is
        if period.start <= as_at <= period.end:
            limits.append(period.end)
    return min(limits)


def _status_values(person_case: PersonCase, answer: rules.Answer) -> StatusValues:
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


class Cached(NamedTuple):
    values: StatusValues
    ledger_mark: int
    valid_until: dt.date | None


def _as_date(value: dt.date | str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _existing_statuses() -> dict[int, Cached]:
    """The cache as it stands, read in plain SQL for speed (dates as ISO text on SQLite)."""
    dates = {"period_last_day", "next_due_last_day", "review_first_eligible"}
    columns = ", ".join(sql_date_as_text(f) if f in dates else f for f in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT person_id, {columns}, ledger_mark, {sql_date_as_text('valid_until')} "
            f"FROM {STATUS_TABLE}"
        )
        rows = cursor.fetchall()
    date_positions = [i for i, f in enumerate(FIELDS) if f in dates]
    existing = {}
    for pid, *values, mark, valid_until in rows:
        for i in date_positions:
            values[i] = _as_date(values[i])
        values[1] = bool(values[1])  # indefinite: 0/1 on SQLite
        existing[pid] = Cached(StatusValues(*values), mark, _as_date(valid_until))
    return existing


#: Entries that can change what the rules answer: those they read, the disposals, the
#: identity (date of birth) and withdrawals. A visit or an assignment cannot.
MARK_KINDS = sorted(
    {*RULE_EVENT_KINDS, EventKind.DISPOSAL, EventKind.IDENTITY, EventKind.VOID}
)


def _ledger_marks() -> dict[int, tuple[int, dt.date]]:
    """Each person's highest id and latest date among entries that matter to the rules."""
    marks = ", ".join(["%s"] * len(MARK_KINDS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT person_id, MAX(id), {sql_date_as_text('MAX(effective_date)')} "
            f"FROM register_event WHERE kind IN ({marks}) GROUP BY person_id",
            [str(k) for k in MARK_KINDS],
        )
        return {pid: (mark, _as_date(latest)) for pid, mark, latest in cursor.fetchall()}


STATUS_TABLE = ComplianceStatus._meta.db_table


Row = tuple[int, StatusValues, int, dt.date | None]  # person, values, mark, valid until


def _write_statuses(to_create: list[Row], to_update: list[Row]) -> None:
    """Insert and update cache rows in bulk: COPY on PostgreSQL, executemany on SQLite.

    The ORM's bulk methods build a model instance per row, which costs more than the rules on
    a national register; the cache has no behaviour of its own, so plain SQL loses nothing.
    """
    columns = ("person_id", *FIELDS, "ledger_mark", "valid_until")
    stored = (*FIELDS, "ledger_mark", "valid_until")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.connection.cursor()
            if to_create:
                with raw.copy(f"COPY {STATUS_TABLE} ({', '.join(columns)}) FROM STDIN") as copy:
                    for pid, values, mark, until in to_create:
                        copy.write_row((pid, *values, mark, until))
            if to_update:
                raw.execute(f"CREATE TEMP TABLE sweep_changes (LIKE {STATUS_TABLE}) ON COMMIT DROP")
                with raw.copy(f"COPY sweep_changes ({', '.join(columns)}) FROM STDIN") as copy:
                    for pid, values, mark, until in to_update:
                        copy.write_row((pid, *values, mark, until))
                assignments = ", ".join(f"{f} = c.{f}" for f in stored)
                raw.execute(f"UPDATE {STATUS_TABLE} s SET {assignments} FROM sweep_changes c "
                            "WHERE s.person_id = c.person_id")
                raw.execute("DROP TABLE sweep_changes")
            return
        if to_create:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {STATUS_TABLE} ({', '.join(columns)}) VALUES ({marks})",
                [(pid, *values, mark, until) for pid, values, mark, until in to_create],
            )
        if to_update:
            assignments = ", ".join(f"{f} = %s" for f in stored)
            cursor.executemany(
                f"UPDATE {STATUS_TABLE} SET {assignments} WHERE person_id = %s",
                [(*values, mark, until, pid) for pid, values, mark, until in to_update],
            )


TASK_COLUMNS = ("person_id", "kind", "due_kind", "due_last_day", "assigned_to_id", "state",
                "opened_as_at", "title")


def _insert_tasks(rows: list[tuple[object, ...]]) -> None:
    """New tasks in bulk, in plain SQL like the statuses (a first sweep can open many)."""
    if not rows:
        return
    table = Task._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.connection.cursor().copy(
                f"COPY {table} ({', '.join(TASK_COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(TASK_COLUMNS))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(TASK_COLUMNS)}) VALUES ({marks})",
                           rows)


@dataclass(frozen=True)
class SweepResult:
    as_at: dt.date
    people: int
    statuses_changed: int
    tasks_opened: int
    tasks_closed: int
    seconds: float


Computed = tuple[int, int | None, StatusValues, dt.date | None]
Part = tuple[dt.date, int | None, int | None, int, list[int] | None]


def _compute_part(args: Part) -> list[Computed]:
    as_at, first_id, last_id, chunk, person_ids = args
    computed = []
    for pid, manager, person_case in iter_cases(as_at, chunk=chunk, first_id=first_id,
                                                last_id=last_id, person_ids=person_ids):
        values, valid_until = status_and_validity(person_case, as_at)
        computed.append((pid, manager, values, valid_until))
    return computed


def _compute_in_worker(args: Part) -> list[Computed]:
    """A worker's share; it closes its own connection so none outlives the pool."""
    try:
        return _compute_part(args)
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
    if not can_fork():
        return 1
    name = str(connection.settings_dict.get("NAME", ""))
    if connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
        return 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM register_person")
        (people,) = cursor.fetchone()
    return min(2, os.cpu_count() or 1) if people >= PARALLEL_FROM else 1


def compute_statuses(
    as_at: dt.date, *, chunk: int, workers: int, person_ids: list[int] | None = None
) -> list[Computed]:
    """The status of everyone (or of ``person_ids``) as at ``as_at``, in person id order.

    With several workers, the people are split in two and each part is read and evaluated in
    its own process (forked, after this process's connections are closed so none is shared).
    """
    if workers <= 1 or not can_fork():
        return _compute_part((as_at, None, None, chunk, person_ids))
    if person_ids is not None:
        ids = sorted(person_ids)
        step = len(ids) // workers + 1
        parts: list[Part] = [(as_at, None, None, chunk, ids[i * step:(i + 1) * step])
                             for i in range(workers)]
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT MIN(id), MAX(id) FROM register_person")
            first, last = cursor.fetchone()
        if first is None:
            return []
        step = (last - first) // workers + 1
        parts = [(as_at, first + i * step, min(first + (i + 1) * step - 1, last), chunk, None)
                 for i in range(workers)]
    connections.close_all()
    with frozen_heap(), multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_compute_in_worker, parts)
    return [row for part in results for row in part]


def _stale_people(
    as_at: dt.date,
    previous_as_at: dt.date | None,
    existing: dict[int, Cached],
    marks: dict[int, tuple[int, dt.date]],
) -> list[int] | None:
    """Who must be worked out again; ``None`` for everyone.

    A cached status stands when the ledger has no new entry since it was worked out, the
    date has moved forward but not past the status's ``valid_until``, and no entry takes
    effect after the date (as when sweeping as at a past date).
    """
    if previous_as_at is None or as_at < previous_as_at or not existing:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM register_person")
        everyone = [row[0] for row in cursor.fetchall()]
    stale = []
    for pid in everyone:
        cached = existing.get(pid)
        mark, latest = marks.get(pid, (0, None))
        if (
            cached is None
            or cached.ledger_mark != mark
            or cached.valid_until is None
            or as_at > cached.valid_until
            or (latest is not None and latest > as_at)
        ):
            stale.append(pid)
    return None if len(stale) > len(everyone) // 2 else stale


def run_sweep(
    as_at: dt.date, *, chunk: int = 20000, workers: int | None = None, full: bool = False
) -> SweepResult:
    """Sweep every ledger as at ``as_at``; see the module docstring.

    Only people whose status may have changed are worked out again (see
    :func:`_stale_people`); ``full=True`` works out everyone, as the first sweep does.
    """
    started = timezone.now()
    # The marks are read before the ledger, so an entry added meanwhile shows as new next time.
    marks = _ledger_marks()
    existing = _existing_statuses()
    previous_as_at = SweepRun.objects.order_by("-id").values_list("as_at", flat=True).first()
    stale = None if full else _stale_people(as_at, previous_as_at, existing, marks)
    if workers is None:
        workers = _default_workers() if stale is None or len(stale) >= PARALLEL_FROM else 1
    computed = compute_statuses(as_at, chunk=chunk, workers=workers, person_ids=stale)
    with transaction.atomic():
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
        to_create: list[Row] = []
        to_update: list[Row] = []
        new_tasks: list[tuple[object, ...]] = []
        still_overdue: set[tuple[int, str, dt.date]] = set()
        worked_out = set()
        for pid, manager, values, valid_until in computed:
            worked_out.add(pid)
            mark = marks.get(pid, (0, None))[0]
            cached = existing.get(pid)
            row = (pid, values, mark, valid_until)
            if cached is None:
                to_create.append(row)
            elif cached != (values, mark, valid_until):
                to_update.append(row)
            if values.compliance == Compliance.OVERDUE and values.next_due_last_day is not None:
                key = (pid, values.next_due_kind, values.next_due_last_day)
                still_overdue.add(key)
                if key not in known_tasks:
                    label = DUE_LABELS.get(values.next_due_kind, values.next_due_kind)
                    new_tasks.append((
                        pid, OVERDUE_TASK, values.next_due_kind, values.next_due_last_day,
                        manager, TaskState.OPEN, as_at,
                        f"The {label} due by {values.next_due_last_day:%d %B %Y} was not made",
                    ))
        for pid, cached in existing.items():  # those not worked out again stand as they were
            if pid not in worked_out and cached.values.compliance == Compliance.OVERDUE:
                values = cached.values
                still_overdue.add((pid, values.next_due_kind, values.next_due_last_day))
        people = len(worked_out | existing.keys())
        _write_statuses(to_create, to_update)
        _insert_tasks(new_tasks)
        done = [pk for key, pk in open_tasks.items() if key not in still_overdue]
        for start in range(0, len(done), 5000):
            Task.objects.filter(pk__in=done[start:start + 5000]).update(
                state=TaskState.DONE, closed_as_at=as_at
            )
        finished = timezone.now()
        changed = sum(1 for row in to_update if existing[row[0]].values != row[1])
        changed += len(to_create)
        if changed or new_tasks or done or previous_as_at != as_at:
            SweepRun.objects.create(
                started_at=started, finished_at=finished, as_at=as_at, people=people,
                statuses_changed=changed, tasks_opened=len(new_tasks), tasks_closed=len(done),
            )
    return SweepResult(as_at, people, changed, len(new_tasks), len(done),
                       (finished - started).total_seconds())


def rebuild_status_cache(as_at: dt.date, *, workers: int | None = None) -> int:
    """Work every status out again as at ``as_at``, writing only the cache: no task is opened
    or closed and no :class:`SweepRun` is recorded. For a restore (``whereabouts.backup``),
    whose tasks and sweep runs came with the file, as records; the cache did not, being
    derived. Returns the number of people."""
    marks = _ledger_marks()
    if workers is None:
        workers = _default_workers()
    computed = compute_statuses(as_at, chunk=20000, workers=workers)
    with transaction.atomic():
        ComplianceStatus.objects.all().delete()
        _write_statuses([(pid, values, marks.get(pid, (0, None))[0], valid_until)
                         for pid, _manager, values, valid_until in computed], [])
    return len(computed)
