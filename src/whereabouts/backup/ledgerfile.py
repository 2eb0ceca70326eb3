"""Export the register (whole, or one force's) to a file, and restore a whole export.

The file (docs/export.md) is JSON Lines, gzip'd when its name ends in ``.gz``: a header line,
one line per row in a fixed order (table order of :data:`tables.EXPORTED`, then primary key),
and an end line with the SHA-256 of every byte before it. Every line is canonical JSON
(sorted keys, no spaces, dates and times in ISO 8601, times in UTC), and nothing in the file
depends on when or by whom it was written, so the same database always gives the same bytes:
exporting, restoring into an empty database and exporting again gives an identical file.

An export is a disclosure of everyone in it: it is recorded in the audit log *after* the file
is written, so the file holds the log up to, not including, its own entry. A restore writes
no audit entry: the log it restores is the exporting database's, verbatim, and ``audit
verify`` passes on it; the next export from the restored database records itself as usual.

Restoring keeps every primary key (references and the audit log's person ids still match)
and each table's id sequence as the source had it (so the number of an erased person is never
given again). Rows are written as the demo loader writes them (``demo/load.py``): many rows
per ``INSERT`` on SQLite, ``COPY`` on PostgreSQL. Derived tables are then worked out again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gzip
import hashlib
import itertools
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q, QuerySet

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.demo.load import sqlite_indexes_dropped
from whereabouts.register.errors import InvalidInput

from . import tables

FORMAT = "whereabouts-export"
VERSION = 1
CHUNK = 5000
Progress = Callable[[str], None]


class ExportFileError(Exception):
    """A file that cannot be restored, or a database it cannot be restored into. The message
    names the problem; nothing has been changed."""


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# -- reading rows ----------------------------------------------------------------------------
_string = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False


def _canonical_json(value: Any) -> str:
    if isinstance(value, str):  # a JSON column read as its text
        value = json.loads(value)
    return _dumps(value)


_canonical_json_text = functools.lru_cache(maxsize=1 << 16)(_canonical_json)


def _time_text(value: Any) -> str:
    """A time as the database driver gives it, in ISO 8601 in UTC. SQLite keeps times as
    naive UTC (given back as text, or as a naive datetime by the converter Django registers);
    PostgreSQL gives an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def _value_encoder(kind: str) -> Callable[[Any], str]:
    """The canonical JSON text of a value of one column, as the database driver gives it
    (Django's converters are skipped: on a national register they cost more than the rest of
    the export). The output is exactly ``_dumps`` of the value Django would give; a test
    checks every line against that."""
    if kind == "DateField":
        return lambda v: "null" if v is None else (
            '"' + (v if isinstance(v, str) else v.isoformat()) + '"')
    if kind == "DateTimeField":
        return lambda v: "null" if v is None else '"' + _time_text(v) + '"'
    if kind == "JSONField":
        def encode_json(v: Any) -> str:
            if v is None:
                return "null"
            return _canonical_json_text(v) if isinstance(v, str) else _canonical_json(v)
        return encode_json
    if kind in ("BooleanField", "NullBooleanField"):
        return lambda v: "null" if v is None else ("true" if v else "false")
    if kind.endswith(("IntegerField", "AutoField")) or kind in ("ForeignKey", "OneToOneField"):
        return lambda v: "null" if v is None else (
            str(int(v)) if isinstance(v, int) else _dumps(v))
    if kind in ("CharField", "TextField", "SlugField", "EmailField"):
        return lambda v: "null" if v is None else _string(v)
    return _dumps


def _line_maker(label: str) -> tuple[list[str], Callable[[tuple[Any, ...]], str]]:
    """The columns to select for ``label``, and a function from a database row to its line:
    ``{"row":{...keys sorted...},"table":"<label>"}``, built from pieces."""
    model = tables.model(label)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    names = sorted(fields)
    kinds = []
    for name in names:
        field = fields[name]
        kind = field.get_internal_type()
        if field.is_relation:  # a reference: the type of what it points at
            kind = field.target_field.get_internal_type()
        kinds.append(kind)
    encoders = [_value_encoder(kind) for kind in kinds]
    keys = [_string(name) + ":" for name in names]
    tail = '},"table":' + _string(label) + "}"
    pairs = list(zip(keys, encoders, strict=True))

    def line(values: tuple[Any, ...]) -> str:
        return '{"row":{' + ",".join([key + enc(v) for (key, enc), v
                                      in zip(pairs, values, strict=True)]) + tail

    return names, line


def _scoped(label: str, force: str | None, users: set[int] | None) -> QuerySet[Any]:
    """The rows of ``label`` in the export: all of them, or those of one force's."""
    qs = tables.model(label)._default_manager.all()
    if force is None or label in tables.REFERENCE or label == "compliance.sweeprun":
        return qs
    people = Q(person__force_id=force)
    by_table: dict[str, Q] = {
        "register.person": Q(force_id=force),
        "register.circulationreceipt": Q(circulation__person__force_id=force),
        "access.erasure": Q(force_id=force),
        "visits.forcevisitpolicy": Q(force_id=force),
        "imports.importrun": Q(people__person__force_id=force),
        # Partner data: only the extracts, records and models behind the force's leads.
        "linkage.partnerextract": Q(records__leads__person__force_id=force),
        "linkage.partnerrecord": Q(leads__person__force_id=force),
        "linkage.linkagemodel": Q(leads__person__force_id=force),
        # Duplicate identities: the pairs of two of the force's people (a pair across forces
        # would point outside the file), and the runs behind them.
        "linkage.duplicatesuggestion": Q(person_a__force_id=force, person_b__force_id=force),
        "linkage.duplicaterun": Q(suggestions__person_a__force_id=force,
                                  suggestions__person_b__force_id=force),
    }
    if label in by_table:
        return qs.filter(by_table[label]).distinct()
    if label in ("auth.user", "otp_totp.totpdevice", "access.staffprofile", "api.apitoken"):
        assert users is not None
        key = "pk__in" if label == "auth.user" else "user_id__in"
        return qs.filter(**{key: sorted(users)})
    if label in ("access.auditentry", "access.auditlisting"):
        return qs.filter(**{("pk__in" if label == "access.auditentry" else "entry_id__in"):
                            _force_entries(force)})
    return qs.filter(people)


def _force_entries(force: str) -> QuerySet[Any]:
    """The audit entries that concern one force: about one of its people (present or erased),
    listing one of them, or made by one of its staff."""
    from whereabouts.access.models import AuditEntry, AuditListing, Erasure
    from whereabouts.register.models import Person

    people = Person.objects.filter(force_id=force).values("pk")
    erased = Erasure.objects.filter(force_id=force).values("person_id")
    listed = AuditListing.objects.filter(Q(person_id__in=people) | Q(person_id__in=erased))
    return AuditEntry.objects.filter(
        Q(person_id__in=people) | Q(person_id__in=erased) | Q(actor__staff__force_id=force)
        | Q(pk__in=listed.values("entry_id"))).values("pk")


def _force_users(force: str) -> set[int]:
    """A force's staff, and every user a row of its export points at."""
    from django.contrib.auth import get_user_model

    users = set(get_user_model().objects.filter(staff__force_id=force)
                .values_list("pk", flat=True))
    for label in tables.EXPORTED:
        if label in ("auth.user", "otp_totp.totpdevice", "access.staffprofile", "api.apitoken"):
            continue
        for name in tables.user_columns(label):
            users.update(v for v in _scoped(label, force, None).values_list(name, flat=True)
                         .distinct() if v is not None)
    from whereabouts.api.models import ApiToken

    for name in ("created_by_id", "revoked_by_id"):  # who made or revoked their tokens
        users.update(v for v in ApiToken.objects.filter(user_id__in=sorted(users))
                     .values_list(name, flat=True).distinct() if v is not None)
    return users


def _sequences(labels: list[str]) -> dict[str, int]:
    """The highest id each table's sequence has given (0: none yet)."""
    connection = connections[DEFAULT_DB_ALIAS]
    out: dict[str, int] = {}
    with connection.cursor() as cursor:
        for label in labels:
            if not tables.has_sequence(label):
                continue
            meta = tables.model(label)._meta
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)",
                               [meta.db_table, meta.pk.column])
                (name,) = cursor.fetchone()
                cursor.execute(f"SELECT last_value, is_called FROM {name}")
                last, called = cursor.fetchone()
                out[label] = int(last) if called else 0
            else:
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s",
                               [meta.db_table])
                row = cursor.fetchone()
                out[label] = int(row[0]) if row else 0
    return out


@dataclass
class ExportReport:
    path: Path
    force: str | None
    people: int
    records: int
    sha256: str
    counts: dict[str, int]
    audit_entry_id: int | None = None


def export_ledger(path: str | os.PathLike[str], *, actor: Any = None,
                  force: str | None = None) -> ExportReport:
    """Write the register (or ``force``'s part of it) to ``path``; see the module docstring.

    ``actor``: the user exporting (who must hold ``ledger.export``), or None for the operator
    at the server's command line. Recorded in the audit log, after the file is complete, as a
    disclosure of everyone in it.
    """
    from whereabouts.register.models import Force

    if actor is not None and not policy.may(actor, "ledger.export"):
        raise PermissionDenied("exporting the register needs the ledger.export permission")
    if force is not None and not Force.objects.filter(slug=force).exists():
        raise InvalidInput("force", f"no force with the slug {force!r}")
    for label in sorted(tables.UNUSED):
        if tables.model(label)._default_manager.exists():
            raise ExportFileError(f"{label} has rows, which an export does not carry; "
                                  "nothing was written")
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    connection = connections[DEFAULT_DB_ALIAS]
    outer = connection.in_atomic_block  # inside a caller's transaction: its snapshot
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and not outer:  # one snapshot of everything
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            report = _write(partial, target, force)
        # After the read: the entry is not in the file, and chains onto the log as it is now.
        entry = audit.record(
            actor=actor, action=AuditAction.DISCLOSURE,
            what=(f"Exported {'the whole register' if force is None else force} to a file: "
                  f"{report.people} people, {report.records} records, "
                  f"sha256 {report.sha256[:16]}"),
            listed=report.person_ids)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ExportReport(target, force, report.people, report.records, report.sha256,
                        report.counts, entry.pk)


@dataclass
class _Written:
    people: int
    records: int
    sha256: str
    counts: dict[str, int]
    person_ids: list[int] = field(default_factory=list)


class _HashingWriter:
    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.hash = hashlib.sha256()

    def line(self, text: str) -> None:
        data = (text + "\n").encode()
        self.hash.update(data)
        self.out.write(data)


def _write(partial: Path, target: Path, force: str | None) -> _Written:
    from whereabouts.access.models import AuditEntry
    from whereabouts.compliance.models import SweepRun

    users = _force_users(force) if force is not None else None
    querysets = {label: _scoped(label, force, users).order_by("pk")
                 for label in tables.EXPORTED}
    counts = {label: qs.count() for label, qs in querysets.items()}
    last = querysets["access.auditentry"].order_by("-pk").values_list("pk", "hash").first()
    as_at = SweepRun.objects.order_by("-id").values_list("as_at", flat=True).first()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "scope": {"force": force},
        "as_at": as_at.isoformat() if as_at else None,
        "tables": [[label, counts[label]] for label in tables.EXPORTED],
        "sequences": _sequences(list(tables.EXPORTED)),
        "audit": {"entries": counts["access.auditentry"],
                  "last_id": last[0] if last else None,
                  "last_hash": last[1] if last else None,
                  "whole_chain": force is None or not AuditEntry.objects.exclude(
                      pk__in=querysets["access.auditentry"].values("pk")).exists()},
    }
    person_ids: list[int] = []
    records = 0
    base = open(partial, "wb")  # noqa: SIM115 - closed below
    # No name and no time in a gzip header: the same content gives the same bytes.
    raw: IO[bytes] = (gzip.GzipFile(filename="", mode="wb", fileobj=base, mtime=0)
                      if target.name.endswith(".gz") else base)
    try:
        out = _HashingWriter(raw)
        out.line(_dumps(header))
        connection = connections[DEFAULT_DB_ALIAS]
        for label in tables.EXPORTED:
            names, make_line = _line_maker(label)
            pk_index = names.index(tables.model(label)._meta.pk.attname)
            sql, params = querysets[label].values_list(*names).query.sql_with_params()
            # A server-side cursor on PostgreSQL, so a national table is never all in memory.
            with connection.chunked_cursor() as cursor:
                cursor.execute(sql, params)
                while rows := cursor.fetchmany(CHUNK):
                    for values in rows:
                        if label == "register.person":
                            person_ids.append(values[pk_index])
                        out.line(make_line(values))
                    records += len(rows)
        digest = out.hash.hexdigest()
        raw.write((_dumps({"end": FORMAT, "records": records, "sha256": digest})
                   + "\n").encode())
    finally:
        raw.close()
        base.close()
    return _Written(len(person_ids), records, digest, counts, person_ids)


# -- reading a file --------------------------------------------------------------------------
def _open_in(path: Path) -> IO[bytes]:
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    raw.seek(0)
    return raw


def _lines(path: Path) -> Iterator[bytes]:
    try:
        with _open_in(path) as f:
            yield from f
    except (EOFError, gzip.BadGzipFile, OSError) as exc:
        raise ExportFileError(f"{path}: the compressed file is damaged or cut short ({exc})"
                              ) from None


@dataclass(frozen=True)
class CheckedFile:
    header: dict[str, Any]
    records: int
    sha256: str


def _parse_header(path: Path, first: bytes) -> dict[str, Any]:
    try:
        header = json.loads(first)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ExportFileError(f"{path}: not a whereabouts export (its first line is not a "
                              f"{FORMAT} header)")
    if header.get("version") != VERSION:
        raise ExportFileError(f"{path}: format version {header.get('version')!r}, which this "
                              f"whereabouts cannot read (it reads version {VERSION})")
    return header


def check_file(path: str | os.PathLike[str]) -> CheckedFile:
    """Read the whole file once without touching the database: the header, the end line,
    the count of records and the checksum. Raises :class:`ExportFileError` naming the
    problem."""
    path = Path(path)
    if not path.is_file():
        raise ExportFileError(f"{path}: no such file")
    digest = hashlib.sha256()
    header: dict[str, Any] | None = None
    previous: bytes | None = None
    count = 0
    for line in _lines(path):
        if header is None:
            header = _parse_header(path, line)
        if previous is not None:
            digest.update(previous)
            count += 1
        previous = line
    if header is None:
        raise ExportFileError(f"{path}: the file is empty")
    try:
        end = json.loads(previous) if previous is not None and previous.endswith(b"\n") else None
    except ValueError:
        end = None
    if not isinstance(end, dict) or end.get("end") != FORMAT:
        raise ExportFileError(f"{path}: the file is cut short: its last line is not the end "
                              "line (copy the whole file again)")
    records = count - 1  # less the header
    if end.get("records") != records:
        raise ExportFileError(f"{path}: the end line says {end.get('records')} records but "
                              f"the file holds {records}")
    if end.get("sha256") != digest.hexdigest():
        raise ExportFileError(f"{path}: the checksum does not match: the file was changed or "
                              "damaged after it was written")
    declared = sum(n for _, n in header.get("tables", []))
    if declared != records:
        raise ExportFileError(f"{path}: the header counts {declared} records but the file "
                              f"holds {records}")
    return CheckedFile(header, records, digest.hexdigest())


# -- restoring -------------------------------------------------------------------------------
def not_empty() -> list[str]:
    """The tables that stop a restore: any but the reference tables holding a row."""
    labels = [label for label in tables.EXPORTED if label not in tables.REFERENCE]
    return [label for label in [*labels, *tables.DERIVED]
            if tables.model(label)._default_manager.exists()]


@dataclass
class RestoreReport:
    records: int
    sha256: str
    counts: dict[str, int]
    as_at: dt.date | None
    derived: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # check, load, derived


def restore_ledger(path: str | os.PathLike[str], *,
                   progress: Progress = lambda _: None) -> RestoreReport:
    """Restore a whole export into an empty (migrated) database, then work out the derived
    tables again. Refuses, changing nothing, a damaged file, a one-force export, or a
    database holding anything but the reference tables."""
    path = Path(path)
    started = time.perf_counter()
    checked = check_file(path)
    checked_at = time.perf_counter()
    header = checked.header
    if header.get("scope", {}).get("force") is not None:
        raise ExportFileError(
            f"{path}: a one-force export ({header['scope']['force']}) does not restore: its "
            "audit entries are a selection of the source's chain, which 'audit verify' could "
            "not check in a new database (docs/export.md); nothing was changed")
    busy = not_empty()
    if busy:
        raise ExportFileError(
            "the database is not empty (it has rows in " + ", ".join(busy) + "): restore "
            "only into a new, migrated database; nothing was changed")
    progress(f"{path}: {checked.records:,} records, checksum good")
    with transaction.atomic():
        writer = _RowWriter()
        with writer.indexes_dropped():
            counts = writer.load(path, header)
        writer.set_sequences(header.get("sequences", {}))
    loaded_at = time.perf_counter()
    as_at = dt.date.fromisoformat(header["as_at"]) if header.get("as_at") else None
    report = RestoreReport(checked.records, checked.sha256, counts, as_at)
    progress(f"records restored in {loaded_at - checked_at:.1f} s; working out the derived "
             "tables again")
    report.derived = rebuild_derived(as_at, progress=progress)
    report.seconds = {"check": checked_at - started, "load": loaded_at - checked_at,
                      "derived": time.perf_counter() - loaded_at}
    return report


def rebuild_derived(as_at: dt.date | None, *,
                    progress: Progress = lambda _: None) -> dict[str, int]:
    """The derived tables, from the records: search keys; with a sweep date, the status and
    visit caches as at that date and the status periods. No task is opened or closed."""
    from whereabouts.register.search_keys import rebuild_all

    out: dict[str, int] = {}

    def step(name: str, work: Callable[[], int]) -> None:
        started = time.perf_counter()
        out[name] = work()
        progress(f"  {out[name]:,} {name} ({time.perf_counter() - started:.1f} s)")

    def keys() -> int:
        with transaction.atomic():
            return rebuild_all()

    step("search keys", keys)
    if as_at is not None:
        from whereabouts.compliance.periods import refresh_status_periods
        from whereabouts.compliance.sweep import rebuild_status_cache
        from whereabouts.visits.sweep import rebuild_visit_cache

        step("statuses", lambda: rebuild_status_cache(as_at))
        step("people's status periods", lambda: refresh_status_periods(rebuild=True))
        step("visit statuses", lambda: rebuild_visit_cache(as_at))
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return out


def _decoder(kind: str, sqlite_ops: Any) -> Callable[[Any], Any] | None:
    """From the file's value to what the database driver takes. Dates and times repeat a
    great deal in a register (every entry recorded on a day at the same hour, in the demo):
    each text is worked out once."""
    if kind == "DateField":
        parse_date: Callable[[str], Any] = dt.date.fromisoformat
        if sqlite_ops is not None:
            def parse_date(v: str) -> Any:
                return sqlite_ops.adapt_datefield_value(dt.date.fromisoformat(v))
        cached_date = functools.lru_cache(maxsize=1 << 16)(parse_date)
        return lambda v: None if v is None else cached_date(v)
    if kind == "DateTimeField":
        parse_time: Callable[[str], Any] = dt.datetime.fromisoformat
        if sqlite_ops is not None:
            def parse_time(v: str) -> Any:
                return sqlite_ops.adapt_datetimefield_value(dt.datetime.fromisoformat(v))
        cached_time = functools.lru_cache(maxsize=1 << 16)(parse_time)
        return lambda v: None if v is None else cached_time(v)
    if kind == "JSONField":
        return json.dumps
    return None


class _RowWriter:
    """Writes rows as ``demo.load.Loader`` does, for any exported table."""

    def __init__(self) -> None:
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.connection.ensure_connection()
        self.postgres = self.connection.vendor == "postgresql"
        self.ops = self.connection.ops
        self.max_params = 999
        if not self.postgres:
            import sqlite3

            self.max_params = self.connection.connection.getlimit(
                sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)

    @contextlib.contextmanager
    def indexes_dropped(self) -> Iterator[None]:
        """On SQLite, drop the restored tables' secondary indexes for the load and create them
        again from their own saved SQL at the end, in the same transaction (as
        ``demo.load.Loader.fast_load``): the tables are empty, and building an index once is
        much cheaper than keeping it up to date row by row."""
        if self.postgres:
            yield
            return
        names = [tables.model(label)._meta.db_table for label in tables.EXPORTED
                 if label not in tables.REFERENCE]
        with sqlite_indexes_dropped(self.connection, names):
            yield

    def load(self, path: Path, header: dict[str, Any]) -> dict[str, int]:
        order = {label: i for i, label in enumerate(tables.EXPORTED)}
        declared = {label: n for label, n in header["tables"]}
        unknown = set(declared) - set(order)
        if unknown:
            raise ExportFileError(f"{path}: the header names tables this version does not "
                                  f"know: {', '.join(sorted(unknown))}")
        counts: Counter[str] = Counter()
        current: str | None = None
        names: list[str] = []
        decoders: list[tuple[int, Callable[[Any], Any]]] = []
        batch: list[list[Any]] = []
        reference: dict[str, list[dict[str, Any]]] = {label: [] for label in tables.REFERENCE}
        lines = _lines(path)
        next(lines)  # the header, checked already
        for number, line in enumerate(lines, start=2):
            try:
                record = json.loads(line)
            except ValueError:
                raise ExportFileError(f"{path}, line {number}: not JSON") from None
            if not isinstance(record, dict):
                raise ExportFileError(f"{path}, line {number}: not a record")
            if "end" in record and "table" not in record:
                break
            label, row = record.get("table"), record.get("row")
            if label not in order or not isinstance(row, dict):
                raise ExportFileError(f"{path}, line {number}: no known table and row")
            if label != current:
                if current is not None and order[label] < order[current]:
                    raise ExportFileError(f"{path}, line {number}: {label} rows after "
                                          f"{current} rows, out of the format's order")
                self._flush(current, names, batch)
                batch = []
                current = label
                cols = tables.columns(label)
                names = [c[0] for c in cols]
                sqlite_ops = None if self.postgres else self.ops
                decoders = [(i, d) for i, c in enumerate(cols)
                            if (d := _decoder(c[2], sqlite_ops))]
            if set(row) != set(names):
                raise ExportFileError(
                    f"{path}, line {number}: a {label} row with fields "
                    f"{sorted(set(row) ^ set(names))} different from this version's")
            counts[label] += 1
            if label in tables.REFERENCE:
                reference[label].append(row)
                continue
            values = [row[n] for n in names]
            try:
                for i, decode in decoders:
                    values[i] = decode(values[i])
            except (TypeError, ValueError) as exc:
                raise ExportFileError(f"{path}, line {number}: a {label} value is not "
                                      f"readable ({exc})") from None
            batch.append(values)
            if len(batch) >= CHUNK:
                self._flush(current, names, batch)
                batch = []
        self._flush(current, names, batch)
        for label, n in declared.items():
            if counts[label] != n:
                raise ExportFileError(f"{path}: {n} {label} rows declared, {counts[label]} "
                                      "found")
        self._reference(reference)
        return dict(counts)

    def _reference(self, reference: dict[str, list[dict[str, Any]]]) -> None:
        """Bring the reference tables into line with the file (the database has them from its
        migrations; nothing points at them yet)."""
        from whereabouts.register.models import Force, PostcodeDistrict

        have = {f["slug"]: f for f in Force.objects.values()}
        for row in reference["register.force"]:
            if have.get(row["slug"]) != row:
                Force.objects.update_or_create(slug=row["slug"], defaults=row)
        wanted = {(r["district"], r["force_id"]) for r in reference["register.postcodedistrict"]}
        if set(PostcodeDistrict.objects.values_list("district", "force_id")) != wanted:
            PostcodeDistrict.objects.all().delete()
            PostcodeDistrict.objects.bulk_create(
                [PostcodeDistrict(district=d, force_id=f) for d, f in sorted(wanted)],
                batch_size=500)

    def _flush(self, label: str | None, names: list[str], rows: list[list[Any]]) -> None:
        if label is None or not rows or label in tables.REFERENCE:
            return
        model = tables.model(label)
        by_name = {c[0]: c[1] for c in tables.columns(label)}
        quote = self.ops.quote_name
        table = quote(model._meta.db_table)
        cols = ", ".join(quote(by_name[n]) for n in names)
        raw = self.connection.connection
        if self.postgres:
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        per = max(1, min(500, self.max_params // len(names)))
        one = "(" + ", ".join(["?"] * len(names)) + ")"
        chain = itertools.chain.from_iterable
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            raw.execute(f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([one] * len(chunk)),
                        list(chain(chunk)))

    def set_sequences(self, sequences: dict[str, int]) -> None:
        """Each id sequence as the source had it: never below the highest id restored."""
        with self.connection.cursor() as cursor:
            if self.postgres:  # first past the ids given, then to the source's value
                models = [tables.model(label) for label in tables.EXPORTED]
                for sql in self.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
            for label, value in sorted(sequences.items()):
                if label not in tables.EXPORTED or not tables.has_sequence(label):
                    continue
                meta = tables.model(label)._meta
                cursor.execute(f"SELECT MAX({self.ops.quote_name(meta.pk.column)}) "
                               f"FROM {self.ops.quote_name(meta.db_table)}")
                highest = cursor.fetchone()[0] or 0
                if value < highest:
                    raise ExportFileError(f"the file's {label} sequence ({value}) is below its "
                                          f"highest id ({highest})")
                if value == 0:
                    continue
                if self.postgres:
                    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, true)",
                                   [meta.db_table, meta.pk.column, value])
                else:
                    cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s",
                                   [meta.db_table])
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                                   [meta.db_table, value])
