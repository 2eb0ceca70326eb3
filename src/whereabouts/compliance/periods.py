"""Each person's status over time, kept as periods, so that figures as at any date are a count.

The rules answer for one date. The figures ask "how many were registered, overdue, due as
at D" for any D, which would otherwise mean putting every ledger through the rules as at D
(about 9 s on the national register). A person's status as at a date changes only on the
date of an entry the rules read (a disposal's relevant date, a notification, an absence
beginning or ending, a death) or where a deadline or the period passes, and
:func:`~whereabouts.compliance.sweep.status_and_validity` already says how long an answer
stands. So each ledger is walked once, from one such date to the next, and the answers are
stored as :class:`~whereabouts.compliance.models.StatusPeriod` rows.

The rows are derived data: they are rebuilt from the ledger when absent, and brought up to
date before each use for exactly the people with a new entry the rules read or a new
assignment (which can change their force, kept on each row so that counting needs no join);
the ledger is append-only, so "new" is "with an id above the stored mark", and a correction
or withdrawal is a new entry too. Every answer stored is the one the rules give as at that
date, so the count as at D equals putting every ledger through the rules as at D; a test
checks it on the demo for many dates.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from django.db import connection, connections, transaction
from django.utils import timezone

from whereabouts.forking import can_fork, frozen_heap
from whereabouts.register.case import PersonCase, build_case
from whereabouts.register.models import EventKind
from whereabouts.register.selectors import RawLedger, iter_ledgers
from whereabouts.register.transfers import force_stretches, handovers
from whereabouts.rules import Answer

from .models import Compliance, StatusPeriod, StatusPeriodsMark
from .sweep import FOREVER, MARK_KINDS, _default_workers, answer_and_validity

ONE_DAY = dt.timedelta(days=1)
#: The states in which a person counts as registered (notification period running, alive).
REGISTERED = frozenset({Compliance.COMPLIANT, Compliance.OVERDUE, Compliance.AWAY})
TABLE = StatusPeriod._meta.db_table


class Period(NamedTuple):
    starts_on: dt.date
    ends_on: dt.date  # inclusive; FOREVER while nothing is known to end it
    compliance: str
    next_due_last_day: dt.date | None


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def person_periods(ledger: RawLedger) -> list[Period]:
    """The registered stretches of one person's history, with the status in each.

    Between two dates on which the ledger has something for the rules, the case is the
    same; within that stretch the status is worked out again only where the last answer
    stops holding (its ``valid_until``). Adjacent stretches with the same answer are joined.
    """
    dob = _date(ledger.date_of_birth)
    # Dates turned into dates once here, not in every case built below.
    disposals = [(_date(d[0]), *d[1:]) for d in ledger.disposals]
    events = [(kind, _date(when), nfa) for kind, when, nfa in ledger.events]
    changes = sorted({d[0] for d in disposals} | {e[1] for e in events})
    out: list[Period] = []
    for i, start in enumerate(changes):
        last = changes[i + 1] - ONE_DAY if i + 1 < len(changes) else FOREVER
        day = start
        # The same facts all through the stretch: the case is built and evaluated once,
        # unless an absence is open (it runs to the date asked about, so it moves).
        case: PersonCase | None = None
        answer: Answer | None = None
        while day <= last:
            if answer is None or case is None or case.open_away is not None:
                case = build_case(date_of_birth=dob, as_at=day, disposals=disposals,
                                  events=events)
                answer = None
            values, valid_until, answer = answer_and_validity(case, day, answer)
            until = last if valid_until is None else min(valid_until, last)
            if values.compliance in REGISTERED:
                period = Period(day, until, values.compliance, values.next_due_last_day)
                previous = out[-1] if out else None
                if (previous is not None and previous.ends_on + ONE_DAY == day
                        and previous[2:] == period[2:]):
                    out[-1] = previous._replace(ends_on=until)
                else:
                    out.append(period)
            if until >= FOREVER:
                break
            day = until + ONE_DAY
    return out


Row = tuple[int, str, dt.date, dt.date, str, dt.date | None]


def _compute(args: tuple[int | None, int | None, Sequence[int] | None]) -> list[Row]:
    first_id, last_id, person_ids = args
    rows: list[Row] = []
    handed = handovers(person_ids)
    for ledger in iter_ledgers(None, first_id=first_id, last_id=last_id,
                               person_ids=person_ids):
        moves = handed.get(ledger.person_id)
        for p in person_periods(ledger):
            if not moves:
                rows.append((ledger.person_id, ledger.force_id, *p))
                continue
            # A person handed between forces counts for the force responsible on each date.
            for force, first, last in force_stretches(moves, p.starts_on, p.ends_on):
                rows.append((ledger.person_id, force, first, last, *p[2:]))
    return rows


def _compute_in_worker(args: tuple[int | None, int | None, Sequence[int] | None]) -> list[Row]:
    try:
        return _compute(args)
    finally:
        connections.close_all()


def compute_rows(person_ids: Sequence[int] | None, workers: int) -> list[Row]:
    """The periods of everyone (``None``) or of some people, in one or two processes."""
    if workers <= 1 or not can_fork() or (person_ids is not None and len(person_ids) < 1000):
        return _compute((None, None, person_ids))
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM register_person")
        first, last = cursor.fetchone()
    if first is None:
        return []
    if person_ids is not None:
        ids = sorted(person_ids)
        step = len(ids) // workers + 1
        parts: list[tuple[int | None, int | None, Sequence[int] | None]] = [
            (None, None, ids[i * step:(i + 1) * step]) for i in range(workers)]
    else:
        step = (last - first) // workers + 1
        parts = [(first + i * step, min(first + (i + 1) * step - 1, last), None)
                 for i in range(workers)]
    connections.close_all()
    with frozen_heap(), multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_compute_in_worker, parts)
    return [row for part in results for row in part]


COLUMNS = ("person_id", "force", "starts_on", "ends_on", "compliance", "next_due_last_day")
#: Entries after which a person's periods are worked out again: those the rules read (as
#: for the sweep) and assignments, which can move the person to another force.
REFRESH_KINDS = sorted({*MARK_KINDS, EventKind.ASSIGNMENT})


def _insert(rows: Iterable[Row]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.connection.cursor().copy(
                f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(COLUMNS))
        cursor.executemany(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({marks})",
                           list(rows))


def _highest_entry() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM register_event")
        (mark,) = cursor.fetchone()
    return mark or 0


def _people_with_entries_after(mark: int) -> list[int]:
    kinds = ", ".join(["%s"] * len(REFRESH_KINDS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT person_id FROM register_event WHERE id > %s AND kind IN ({kinds})",
            [mark, *[str(k) for k in REFRESH_KINDS]],
        )
        return [row[0] for row in cursor.fetchall()]


def _chunked(ids: Sequence[int], size: int = 5000) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


#: How long after a refresh its mark is trusted. Ids are handed out when a row is inserted,
#: not when its transaction commits, so on PostgreSQL an entry with a lower id can become
#: visible after one with a higher id has been read; every transaction that was open at a
#: refresh has ended (committed or not) well within this time, so entries above the mark of
#: the newest refresh at least this old are looked at again until a newer one settles.
SETTLE = dt.timedelta(minutes=10)


def refresh_status_periods(*, rebuild: bool = False, workers: int | None = None) -> int:
    """Bring the stored periods up to date with the ledger; returns how many people were
    worked out again.

    Everyone when nothing is stored yet (or ``rebuild``); otherwise only the people with an
    entry the rules read above the settled mark (see :data:`SETTLE`). It costs one indexed
    query when the ledger has not moved and the last refresh has settled.
    """
    now = timezone.now()
    marks = list(StatusPeriodsMark.objects.order_by("-built_at", "-id"))
    highest = _highest_entry()
    settled = next((m for m in marks if m.built_at <= now - SETTLE), None)
    if marks and not rebuild and marks[0].ledger_mark == highest and settled is marks[0]:
        return 0
    everyone = not marks or rebuild
    stale: list[int] | None = None
    if not everyone:
        lower = (settled or marks[-1]).ledger_mark
        stale = _people_with_entries_after(lower)
    if stale == [] and marks[0].ledger_mark == highest:
        return 0  # nothing new since the newest mark; it settles with time
    if workers is None:
        workers = _default_workers() if stale is None or len(stale) >= 20_000 else 1
    rows = compute_rows(stale, workers) if stale != [] else []
    with transaction.atomic():
        # Writers take turns on the marks (row locks on PostgreSQL; SQLite has one writer);
        # two refreshes at once write the same rows, since each works out whole people.
        list(StatusPeriodsMark.objects.select_for_update().values_list("pk", flat=True))
        if stale is None:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE}")
        else:
            for part in _chunked(stale):
                StatusPeriod.objects.filter(person_id__in=part).delete()
        _insert(rows)
        if stale is None:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {TABLE}")  # the planner's statistics, after a bulk load
        StatusPeriodsMark.objects.create(ledger_mark=highest, built_at=now)
        if stale is None:
            StatusPeriodsMark.objects.exclude(built_at=now, ledger_mark=highest).delete()
        elif settled is not None:
            StatusPeriodsMark.objects.filter(built_at__lt=settled.built_at).delete()
    return _count_people(stale)


def _count_people(stale: list[int] | None) -> int:
    if stale is not None:
        return len(stale)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM register_person")
        return int(cursor.fetchone()[0])


class StatusCount(NamedTuple):
    force: str
    compliance: str
    due_soon: bool  # compliant, and the next notification's last day within the window
    people: int


def status_counts_as_at(as_at: dt.date, due_by: dt.date) -> list[StatusCount]:
    """Registered people per force and state as at a date, from the stored periods.

    ``due_soon`` marks compliant people whose next notification's last day falls from
    ``as_at`` to ``due_by`` inclusive. A person counts under the force that manages them now.

    The periods covering a date are those starting on or before it and ending on or after
    it. Either condition alone is a range of one of the two covering indexes; for an early
    date few periods have started, for a late one few are still running. PostgreSQL's
    planner sees that from its histograms; SQLite's does not, so the shorter range is
    counted first (from the index alone) and named.
    """
    refresh_status_periods()
    index = ""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT COUNT(*) FROM {TABLE} INDEXED BY status_period_from "
                f"WHERE starts_on <= %s), (SELECT COUNT(*) FROM {TABLE} INDEXED BY "
                f"status_period_to WHERE ends_on >= %s)", [as_at, as_at])
            started, running = cursor.fetchone()
        index = "INDEXED BY " + ("status_period_from" if started <= running
                                 else "status_period_to")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.force, s.compliance, "
            f"CASE WHEN s.compliance = %s AND s.next_due_last_day >= %s "
            f"AND s.next_due_last_day <= %s THEN 1 ELSE 0 END AS due_soon, COUNT(*) "
            f"FROM {TABLE} s {index} WHERE s.ends_on >= %s AND s.starts_on <= %s "
            f"GROUP BY s.force, s.compliance, due_soon",
            [str(Compliance.COMPLIANT), as_at, due_by, as_at, as_at],
        )
        return [StatusCount(force, compliance, bool(due), int(n))
                for force, compliance, due, n in cursor.fetchall()]
