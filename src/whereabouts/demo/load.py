"""Turning generated people into table rows, and loading the rows fast.

Three parts, so that the slow pure-Python work and the database work can run side by side on
two cores:

- :class:`RowMaker` turns a :class:`~whereabouts.demo.generator.GenPerson` into row tuples for
  the five register tables, assigning ids itself (so that a disposal, address or alias points at
  its event without a round trip) and adapting dates the way Django would for the database;
- :func:`produce` runs the generator and the row maker, in a forked child process when the
  platform can fork, handing each force's rows to the parent through a pipe (falling back to
  the same work in-process);
- :class:`Loader` writes the rows: many rows per ``INSERT`` on SQLite (with the tables'
  secondary indexes dropped during a fresh load and created again from their own SQL at the
  end), ``COPY`` on PostgreSQL, whose id sequences it then moves past the ids given.

The child process never touches the database connection it inherits; it exits with
``os._exit`` (multiprocessing's fork start does so), so no connection is closed under the
parent's feet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import multiprocessing
import traceback
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections

from whereabouts.forking import can_fork, frozen_heap
from whereabouts.register.models import Address, Alias, Disposal, Event, Person, SearchKey
from whereabouts.register.search_keys import keys_for
from whereabouts.rules import retention

from .generator import GenPerson, generate
from .missing import MissingPlanEntry

SOURCE = "demo"
LONDON = zoneinfo.ZoneInfo("Europe/London")
ORDER = ("person", "event", "disposal", "address", "alias", "searchkey")
TABLES: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "person": (Person, ("id", "reference", "force_id", "offender_manager_id", "family_name",
                        "given_names", "date_of_birth", "sex", "pnc_id", "cro_number",
                        "ni_number", "passport_number", "created_at", "created_by_id",
                        "retention_group", "next_review")),
    "event": (Event, ("id", "person_id", "kind", "effective_date", "recorded_at",
                      "recorded_by_id", "source", "details", "supersedes_id", "reason")),
    "disposal": (Disposal, ("id", "event_id", "person_id", "relevant_date", "offence", "court",
                            "kind", "months", "life", "restriction_order", "suspended")),
    "address": (Address, ("id", "event_id", "person_id", "kind", "line1", "line2", "town",
                          "postcode", "from_date")),
    "alias": (Alias, ("id", "event_id", "person_id", "family_name", "given_names", "used_from",
                      "used_to")),
    # Derived, not part of the ledger: the same rows register.search_keys makes.
    "searchkey": (SearchKey, ("id", "person_id", "alias_id", "kind", "value", "token",
                              "metaphone", "nysiis", "soundex")),
}
Rows = dict[str, list[tuple[Any, ...]]]


def recorded_at(day: dt.date) -> dt.datetime:
    """When the demo says an entry was recorded: 10:00 in London on the day it took effect."""
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)


def check_columns() -> None:
    """Refuse to load if a register model has gained or lost a column since this was written."""
    for model, columns in TABLES.values():
        expected = {f.column for f in model._meta.concrete_fields}
        if expected != set(columns):
            raise RuntimeError(f"the demo loader is out of step with {model.__name__}: "
                               f"{sorted(expected ^ set(columns))}")


class RowMaker:
    """Row tuples for one person at a time, in the column order of :data:`TABLES`."""

    def __init__(self, first_ids: dict[str, int], manager_ids: dict[str, int | None], *,
                 source: str = SOURCE, recorded_by_id: int | None = None) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        self.source = source  # the ledger's ``source``: "demo", or "import:<file>"
        self.recorded_by_id = recorded_by_id
        self.postgres = connection.vendor == "postgresql"
        self.ops = connection.ops  # adapters only: they never query the database
        self.next_id = dict(first_ids)
        self.manager_ids = manager_ids
        self.rows: Rows = {t: [] for t in first_ids}
        self._dates: dict[dt.date, Any] = {}
        self._times: dict[dt.date, Any] = {}
        self._json: dict[tuple[tuple[str, Any], ...], str] = {}

    def take(self) -> Rows:
        rows, self.rows = self.rows, {t: [] for t in self.rows}
        return rows

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def date(self, value: dt.date | None) -> Any:
        if value is None or self.postgres:
            return value
        out = self._dates.get(value)
        if out is None:
            out = self._dates[value] = self.ops.adapt_datefield_value(value)
        return out

    def recorded(self, value: dt.date) -> Any:
        out = self._times.get(value)
        if out is None:
            stamp = recorded_at(value)
            out = stamp if self.postgres else self.ops.adapt_datetimefield_value(stamp)
            self._times[value] = out
        return out

    def details_json(self, details: dict[str, Any]) -> str:
        """``json.dumps(details)``, cached: most details repeat (outcomes, stations, ...)."""
        key = tuple(details.items())
        text = self._json.get(key)
        if text is None:
            text = self._json[key] = json.dumps(details)
        return text

    def person(self, person: GenPerson) -> None:
        pid = self._id("person")
        rows = self.rows
        # The registration is the first entry in the demo; an imported ledger may hold a
        # disposal from before it (a conviction that came before the register existed).
        registered = next((e.date for e in person.events if e.kind == "registered"),
                          person.events[0].date)
        by, source = self.recorded_by_id, self.source
        rows["person"].append((
            pid, person.reference, person.force, self.manager_ids[person.offender_manager],
            person.family_name, person.given_names, self.date(person.date_of_birth), person.sex,
            person.pnc_id, person.cro_number, person.ni_number, person.passport_number,
            self.recorded(registered), by, retention.GROUP_1,
            self.date(retention.latest_review(person.date_of_birth, registered))))
        events, disposals = rows["event"], rows["disposal"]
        addresses, aliases = rows["address"], rows["alias"]
        named: list[tuple[int, str, str]] = []
        eid = self.next_id["event"]
        date, recorded, details_json = self.date, self.recorded, self.details_json
        for event in person.events:
            when = date(event.date)
            events.append((eid, pid, event.kind, when, recorded(event.date), by, source,
                           details_json(event.details), None, ""))
            d = event.disposal
            if d is not None:
                disposals.append((self._id("disposal"), eid, pid, date(d.relevant_date),
                                  d.offence, d.court, d.kind, d.months, d.life,
                                  d.restriction_order, d.suspended))
            for a in event.addresses:
                addresses.append((self._id("address"), eid, pid, a.kind, a.line1, a.line2,
                                  a.town, a.postcode, when))
            for al in event.aliases:
                alias_id = self._id("alias")
                aliases.append((alias_id, eid, pid, al.family_name, al.given_names,
                                date(al.used_from), date(al.used_to)))
                named.append((alias_id, al.family_name, al.given_names))
            eid += 1
        self.next_id["event"] = eid
        keys = rows["searchkey"]
        for key in keys_for(family_name=person.family_name, given_names=person.given_names,
                            pnc_id=person.pnc_id, cro_number=person.cro_number,
                            ni_number=person.ni_number, passport_number=person.passport_number,
                            aliases=named, postcodes=[a.postcode for e in person.events
                                                      for a in e.addresses]):
            keys.append((self._id("searchkey"), pid, *key))


#: One force's worth: (slug, people, plan entries, rows per table).
Batch = tuple[str, int, list[MissingPlanEntry], Rows]


def _batches(seed: int, scale: float, maker: RowMaker) -> Iterator[Batch]:
    for batch in generate(seed, scale):
        for person in batch.people:
            maker.person(person)
        yield batch.target.slug, len(batch.people), batch.plan, maker.take()


def _child(sender: Any, make: Callable[[], Iterator[Any]]) -> None:
    try:
        for item in make():
            sender.send(("batch", item))
        sender.send(("done", None))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()


def in_child(make: Callable[[], Iterator[Any]], *, name: str, fork: bool = True
             ) -> Iterator[Any]:
    """What ``make()`` yields, made in a forked child process when the platform can fork
    (so that it runs beside the parent's writes), else in this one. The child sees the
    parent's memory as it was at the fork and never touches the database."""
    if not fork or not can_fork():
        yield from make()
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, make), name=name, daemon=True)
    with frozen_heap():
        child.start()
    sender.close()
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                raise RuntimeError(f"the {name} process stopped unexpectedly") from None
            if kind == "done":
                break
            if kind == "error":
                raise RuntimeError(f"the {name} process failed:\n{payload}")
            yield payload
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():  # pragma: no cover - only after an error in the parent
            child.terminate()
            child.join()


def produce(seed: int, scale: float, maker: RowMaker, *, fork: bool = True) -> Iterator[Batch]:
    """Each force's rows in forces.csv order; generated in a forked child when possible."""
    yield from in_child(lambda: _batches(seed, scale, maker), name="demo generator", fork=fork)


@contextlib.contextmanager
def sqlite_indexes_dropped(connection: Any, table_names: list[str]) -> Iterator[None]:
    """SQLite: the tables' secondary indexes dropped for a bulk load and created again from
    their own saved SQL at the end (in the caller's transaction); building an index once is
    much cheaper than keeping it up to date row by row."""
    marks = ", ".join(["%s"] * len(table_names))
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                       f"sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name", table_names)
        saved = cursor.fetchall()
        for name, _ in saved:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in saved:
            cursor.execute(sql)


class Loader:
    """Writes row batches into the register tables inside the caller's transaction."""

    def __init__(self, extra: dict[str, tuple[type[Any], tuple[str, ...]]] | None = None,
                 *, reserve: dict[str, int] | None = None) -> None:
        """``extra``: more tables written after the register's, as table -> (model, columns)
        (the import writes its record of each person this way).

        ``reserve`` (table -> how many rows), for a register in use: on PostgreSQL the ids of
        those tables (the ones other rows point at) are taken from their sequences, so that
        no one else can be given them, and the other tables' rows get theirs from the
        sequence as they go in. It needs only the application role's privileges (no LOCK,
        no setval). SQLite's writers take turns, so the highest id in use is enough there.
        """
        check_columns()
        self.tables = {**TABLES, **(extra or {})}
        self.order = (*ORDER, *(extra or {}))
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.connection.ensure_connection()
        self.postgres = self.connection.vendor == "postgresql"
        self.ops = self.connection.ops
        self.counts: Counter[str] = Counter()
        self.first_ids = {t: self._max_id(model) + 1 for t, (model, _) in self.tables.items()}
        self.reserved: set[str] | None = None
        if self.postgres and reserve is not None:
            for table, count in reserve.items():
                self.first_ids[table] = self._reserve(table, count)
            self.reserved = set(reserve)
        self.max_params = 999
        if not self.postgres:
            import sqlite3

            self.max_params = self.connection.connection.getlimit(
                sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self._sql: dict[tuple[str, int], str] = {}

    def _reserve(self, table: str, count: int) -> int:
        """The first of ``count`` consecutive ids taken from the table's sequence."""
        name = self.tables[table][0]._meta.db_table
        with self.connection.cursor() as cursor:
            for _ in range(5):  # another writer may take one between ours; try again
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                               "FROM generate_series(1, %s)", [name, count])
                ids = [row[0] for row in cursor.fetchall()]
                if not ids or max(ids) - min(ids) + 1 == count:
                    return min(ids, default=1)
        raise RuntimeError(f"could not take {count} consecutive ids for {name}: the table is "
                           "being written to; try again")

    @staticmethod
    def _max_id(model: type[Any]) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return int(last or 0)

    @property
    def empty(self) -> bool:
        return all(first == 1 for first in self.first_ids.values())

    def write(self, rows: Rows) -> None:
        for table in self.order:  # parents first
            if rows.get(table):
                self._write(table, rows[table])
                self.counts[table] += len(rows[table])

    def _insert_sql(self, table: str, count: int) -> str:
        sql = self._sql.get((table, count))
        if sql is None:
            model, columns = self.tables[table]
            one = "(" + ", ".join(["?"] * len(columns)) + ")"
            sql = (f"INSERT INTO {self.ops.quote_name(model._meta.db_table)} "
                   f"({', '.join(self.ops.quote_name(c) for c in columns)}) VALUES "
                   + ", ".join([one] * count))
            self._sql[(table, count)] = sql
        return sql

    def _write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        model, columns = self.tables[table]
        raw = self.connection.connection  # the DB-API connection, in Django's transaction
        if self.postgres:
            name = self.ops.quote_name(model._meta.db_table)
            # With ids reserved, the other tables' ids come from their sequences (id first).
            own_ids = self.reserved is not None and table not in self.reserved
            cols = ", ".join(self.ops.quote_name(c) for c in columns[1 if own_ids else 0:])
            with raw.cursor() as cursor, cursor.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                if own_ids:
                    for row in rows:
                        copy.write_row(row[1:])
                else:
                    for row in rows:
                        copy.write_row(row)
            return
        # Many rows per INSERT: far fewer statements than executemany, and faster.
        per = max(1, min(500, self.max_params // len(columns)))
        chain = itertools.chain.from_iterable
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            raw.execute(self._insert_sql(table, len(chunk)), list(chain(chunk)))

    @contextlib.contextmanager
    def fast_load(self) -> Iterator[None]:
        """On an empty SQLite register, drop the ledger tables' secondary indexes for the load
        and create them again, from their own saved SQL, at the end (in the same transaction):
        building an index once is much cheaper than keeping it up to date row by row."""
        if self.postgres or not self.empty:
            yield
            return
        with sqlite_indexes_dropped(self.connection,
                                    [model._meta.db_table for model, _ in self.tables.values()]):
            yield

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given here (not needed when they
        were reserved from the sequences)."""
        if self.postgres and self.reserved is None:
            models = [model for model, _ in self.tables.values()]
            with self.connection.cursor() as cursor:
                for sql in self.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)

    def table_names(self) -> list[str]:
        return [model._meta.db_table for model, _ in self.tables.values()]
