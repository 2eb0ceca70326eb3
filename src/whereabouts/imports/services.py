"""Importing a register extract: check every person's rows as the register's services would,
then write the people who pass in bulk, all in one transaction.

All or nothing per person: a person with any bad row is not imported, and every one of their
rows goes to the reject file, the bad ones with what is wrong (sheet, line, field, problem)
and the others with the bad row they wait on. Everyone else goes in. A dry run does all the
checks, writes the reject file and the counts, and changes nothing.

The checks are the services' own: ``checked_text``, ``parse_date``, ``validate_details``,
``check_disposal``, the address checks and ``check_sequence`` (an end of custody with no
start, anything after a death), on the person's whole ledger in date order. The rows are
then written the way the demo's are (``demo/load.py``: ids given in advance, many rows per
INSERT on SQLite, COPY on PostgreSQL), since a million entries one by one through the ORM
would take an hour. Running the same extract again creates nothing: each imported person
keeps the fingerprints of the rows that made them (``ImportedPerson``).

Afterwards the derived data (compliance statuses and overdue tasks, the status periods the
figures read, visit statuses) are worked out for the register as the sweep would, so that
caseloads and figures are right at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import json
import operator
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.demo.generator import GenAddress, GenAlias, GenDisposal, GenEvent, GenPerson
from whereabouts.demo.load import Loader, RowMaker, Rows, in_child
from whereabouts.register.errors import InvalidInput
from whereabouts.register.events import (
    AWAY_ENDS,
    AWAY_PAIRS,
    SCHEMAS,
    parse_date,
    validate_details,
)
from whereabouts.register.models import EventKind, Force, Person, Sex
from whereabouts.register.services import (
    AddressInput,
    DisposalInput,
    _check_addresses,
    check_disposal,
    check_sequence,
    checked_text,
)

from .extract import COLUMNS, SHEETS, Extract, Mapping, Sheet, load_mapping, read_extract
from .models import ImportedPerson, ImportRun

Progress = Callable[[str], None]

#: Kinds an extract's events sheet may not hold, and where that fact comes from instead.
NOT_IN_EVENTS = {
    EventKind.REGISTERED: "the registration comes from the people sheet (registered_on)",
    EventKind.DISPOSAL: "disposals come from the disposals sheet",
    EventKind.IDENTITY: "names and identifiers come from the people and aliases sheets",
    EventKind.ASSIGNMENT: "the offender manager comes from the people sheet "
                          "(offender_manager)",
    EventKind.VOID: "an import adds history; it does not withdraw entries",
    EventKind.TRANSFER_OPENED: "an import does not open, accept or cancel transfers",
    EventKind.TRANSFER_ACCEPTED: "an import does not open, accept or cancel transfers",
    EventKind.TRANSFER_CANCELLED: "an import does not open, accept or cancel transfers",
    EventKind.MERGED_INTO: "a merge of duplicate identities is decided on the register "
                           "(Duplicates), not imported",
    EventKind.MERGED_FROM: "a merge of duplicate identities is decided on the register "
                           "(Duplicates), not imported",
}
SEXES = frozenset(Sex.values)
#: The kinds :func:`check_sequence` has rules for (besides "nothing after a death").
SEQUENCED = frozenset({EventKind.DEATH, *AWAY_PAIRS, *AWAY_ENDS})
TRUE = frozenset({"true", "yes", "y", "1"})
FALSE = frozenset({"false", "no", "n", "0", ""})
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
#: Same-day order of a ledger: the registration, disposals, the manager and names, then the
#: events sheet in its own order.
RANK = {"registered": 0, "disposals": 1, "assignment": 2, "aliases": 2, "events": 3}
#: From how many people the rows are made in a second process while this one writes.
FORK_FROM = 5000
IMPORTED_TABLE = (ImportedPerson, ("id", "person_id", "run_id", "reference", "rows"))


@dataclass
class Rejected:
    sheet: str
    file: str
    line: int
    reference: str
    field: str
    reason: str
    row: dict[str, str]


@dataclass
class ImportReport:
    label: str
    dry_run: bool
    rows_read: Counter[str] = field(default_factory=Counter)
    people_created: int = 0
    events_created: int = 0
    rows_created: Counter[str] = field(default_factory=Counter)
    people_rejected: int = 0
    rows_rejected: int = 0
    people_already_present: int = 0
    rows_already_present: int = 0
    rejects_path: str = ""
    run_id: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)

    def summary(self) -> str:
        read = ", ".join(f"{self.rows_read[s]:,} {s}" for s in SHEETS if s in self.rows_read)
        verb = "would be created" if self.dry_run else "created"
        lines = [
            f"{'Dry run of' if self.dry_run else 'Import of'} {self.label}: rows read: {read}.",
            f"People {verb}: {self.people_created:,}, with {self.events_created:,} ledger "
            f"entries.",
            f"Already on the register from an earlier import: {self.people_already_present:,} "
            f"people ({self.rows_already_present:,} rows).",
            f"Rejected: {self.rows_rejected:,} rows ({self.people_rejected:,} people); "
            + (f"every one is in {self.rejects_path}." if self.rows_rejected
               else f"the reject file {self.rejects_path} is empty."),
        ]
        if self.dry_run:
            lines.append("Dry run: nothing was changed.")
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
        if timing:
            lines.append(f"Time: {timing}.")
        return "\n".join(lines)


class _Problem(Exception):
    def __init__(self, sheet: str, line: int, field: str, message: str) -> None:
        super().__init__(f"{sheet} line {line}: {field}: {message}")
        self.sheet, self.line, self.field, self.message = sheet, line, field, message


@dataclass
class _Context:
    today: dt.date
    mapping: Mapping
    forces: set[str]
    default_force: str
    only_force: str | None  # the actor's force, when they are not national
    users: dict[str, tuple[int, str | None]]  # active username -> (id, force)
    on_register: set[str]  # references on the register, not from an import
    imported: dict[str, tuple[set[str], str]]  # reference -> (row fingerprints, "import N")
    dates: dict[str, dt.date] = field(default_factory=dict)


class _Rows:
    """Reading one sheet's cells by our column names, with the mapping's coded values."""

    def __init__(self, sheet: Sheet, ctx: _Context) -> None:
        self.sheet = sheet
        self.name = sheet.name
        self.index = sheet.index
        self.values = ctx.mapping.values.get(sheet.name, {})
        self.ctx = ctx
        self._getters: dict[str, tuple[Any, Any, Callable[[list[str]], tuple[str, ...]]]] = {}

    def get(self, cells: list[str], column: str) -> str:
        i = self.index.get(column)
        value = cells[i] if i is not None else ""
        coded = self.values.get(column)
        if coded:
            value = coded.get(value, value)
        return value

    def detail_cells(self, cells: list[str], kind: str) -> list[tuple[str, str]]:
        """The events sheet's detail cells that are not empty: the kind's own fields first
        (most rows fill few of many columns, so the others are only checked to be empty)."""
        getters = self._getters.get(kind)
        if getters is None:
            schema = SCHEMAS.get(kind, {})
            own = [(n, i) for n, i in self.sheet.extra.items() if n in schema]
            rest = [(n, i) for n, i in self.sheet.extra.items() if n not in schema]
            getters = self._getters[kind] = (own, rest, _getter([i for _, i in rest]))
        own, rest, others = getters
        found = [(n, v) for n, i in own if (v := cells[i])]
        if rest and any(others(cells)):
            found += [(n, cells[i]) for n, i in rest if cells[i]]
        return found

    def label(self, column: str) -> str:
        """Our name for a column, with the extract's own if the mapping renames it."""
        theirs = self.ctx.mapping.column_name(self.name, column)
        return column if theirs == column else f"{column} (column {theirs!r})"


def _getter(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The cells at ``positions`` as a tuple, in one C call."""
    if not positions:
        return lambda cells: ()
    if len(positions) == 1:
        return lambda cells: (cells[positions[0]],)
    return operator.itemgetter(*positions)


def _date(ctx: _Context, text: str, field: str, *, required: bool = True) -> dt.date | None:
    if not text:
        if required:
            raise InvalidInput(field, "is required")
        return None
    got = ctx.dates.get(text)
    if got is not None:
        return got
    fmt = ctx.mapping.date_format
    if fmt and not ISO_DATE.match(text):
        try:
            got = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            raise InvalidInput(field, f"must be a date written {fmt}, not {text!r}") from None
    else:
        got = parse_date(text, field)
    ctx.dates[text] = got
    return got


def _bool(text: str, field: str) -> bool:
    low = text.lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise InvalidInput(field, f"must be true or false (yes/no), not {text!r}")


def _int(text: str, field: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(field, f"must be a whole number, not {text!r}") from None


def _in_range(ctx: _Context, when: dt.date, field: str, dob: dt.date,
              registered: dt.date | None) -> None:
    if when < dob:
        raise InvalidInput(field, f"{when} is before the date of birth")
    if when > ctx.today:
        raise InvalidInput(field, f"{when} is in the future")
    if registered is not None and when < registered:
        raise InvalidInput(field, f"{when} is before the registration on {registered}")


def _field_of(error: InvalidInput, rows: _Rows) -> str:
    """The column an error from a service is about (``disposal.months`` -> ``months``)."""
    name = error.field
    for prefix in ("disposal.", "addresses[0]."):
        if name.startswith(prefix):
            name = name[len(prefix):]
    if name in rows.index or name in COLUMNS[rows.name]:
        return rows.label(name)
    return name


def fingerprint(sheet: Sheet, cells: list[str]) -> str:
    """The row's content, whatever the column order or names: a re-run finds it again."""
    values = sheet.cells_in_order(cells)
    # The names of the cells that are not empty, then their values: the same whatever the
    # order of the columns, their names in the extract or any empty column added.
    text = "\x1f".join((sheet.name, *compress(sheet.names, values), "",
                        *filter(None, values)))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


class _Person:
    """One reference's rows from every sheet, checked into a ledger or into problems."""

    def __init__(self, reference: str) -> None:
        self.reference = reference
        self.rows: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
        self.problems: list[_Problem] = []

    def all_rows(self) -> list[tuple[str, int, list[str]]]:
        return [(s, line, cells) for s in SHEETS for line, cells in self.rows.get(s, [])]


def _check_person(p: _Person, readers: dict[str, _Rows], ctx: _Context,
                  ) -> GenPerson | None:
    """The person's ledger, or ``None`` with ``p.problems`` saying why not."""
    people = p.rows.get("people", [])
    if len(people) != 1:
        for sheet, line, _ in p.all_rows():
            if not people:
                p.problems.append(_Problem(sheet, line, readers[sheet].label("reference"),
                                           f"no row of the people sheet has the reference "
                                           f"{p.reference!r}"))
            elif sheet == "people":
                lines = ", ".join(str(n) for n, _ in people)
                p.problems.append(_Problem(sheet, line, readers[sheet].label("reference"),
                                           f"{p.reference!r} is on more than one row of the "
                                           f"people sheet (lines {lines})"))
        return None
    line, cells = people[0]
    r = readers["people"]
    try:
        person, registered = _check_identity(p.reference, cells, r, ctx)
    except InvalidInput as error:
        p.problems.append(_Problem("people", line, _field_of(error, r), error.message))
        return None
    # (date, rank, sheet line, GenEvent) for every ledger entry.
    entries: list[tuple[dt.date, int, int, GenEvent]] = [
        (registered, 0, line, GenEvent("registered", registered, {}))]
    if person.offender_manager:
        entries.append((registered, RANK["assignment"], line, GenEvent(
            "assignment", registered, {"offender_manager": person.offender_manager,
                                       "force": person.force})))
    dob = person.date_of_birth
    _check_disposals(p, readers, ctx, dob, entries)
    _check_aliases(p, readers, ctx, dob, registered, entries)
    notifications = _check_events(p, readers, ctx, dob, registered, entries)
    _check_address_rows(p, readers, ctx, notifications)
    if p.problems:
        return None
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    ledger: list[tuple[str, dt.date]] = []
    died = False
    for when, rank, at, event in entries:
        # check_sequence only looks back for a death, or at a custody, hospital or abroad
        # period: the other entries, before any death, pass it (and cost a long ledger a
        # look at every entry before them).
        if rank > 0 and (died or event.kind in SEQUENCED):
            try:
                check_sequence(ledger, event.kind, when)
            except InvalidInput as error:
                sheet = {1: "disposals", 3: "events"}.get(rank, "aliases")
                if rank == 2 and event.kind == "assignment":
                    sheet = "people"
                p.problems.append(_Problem(sheet, at, _field_of(error, readers[sheet]),
                                           error.message))
                continue
        ledger.append((event.kind, when))
        person.events.append(event)
        died = died or event.kind == EventKind.DEATH
    return None if p.problems else person


def _check_identity(reference: str, cells: list[str], r: _Rows, ctx: _Context
                    ) -> tuple[GenPerson, dt.date]:
    reference = checked_text(reference, "reference", max_length=20)
    force = r.get(cells, "force") or ctx.default_force
    if not force:
        raise InvalidInput("force", "is required (or give the import a force)")
    if force not in ctx.forces:
        raise InvalidInput("force", f"no force has the slug {force!r}")
    if ctx.only_force is not None and force != ctx.only_force:
        raise InvalidInput("force", f"{force!r}: the person importing may import people of "
                                    f"{ctx.only_force!r} only")
    if ctx.default_force and force != ctx.default_force:
        raise InvalidInput("force", f"{force!r}: this import is for {ctx.default_force!r}")
    dob = _date(ctx, r.get(cells, "date_of_birth"), "date_of_birth")
    assert dob is not None
    if dob > ctx.today:
        raise InvalidInput("date_of_birth", "is in the future")
    sex = r.get(cells, "sex")
    if sex not in SEXES:
        raise InvalidInput("sex", f"must be one of {', '.join(Sex.values)}, not {sex!r}")
    registered = _date(ctx, r.get(cells, "registered_on"), "registered_on")
    assert registered is not None
    _in_range(ctx, registered, "registered_on", dob, None)
    manager = r.get(cells, "offender_manager")
    if manager:
        user = ctx.users.get(manager)
        if user is None:
            raise InvalidInput("offender_manager", f"no active user {manager!r}")
        if user[1] != force:
            raise InvalidInput("offender_manager", f"{manager!r} is not an officer of {force!r}")
    person = GenPerson(
        reference=reference, force=force,
        family_name=checked_text(r.get(cells, "family_name"), "family_name", max_length=100),
        given_names=checked_text(r.get(cells, "given_names"), "given_names"),
        date_of_birth=dob, sex=sex,
        pnc_id=checked_text(r.get(cells, "pnc_id"), "pnc_id", required=False, max_length=20),
        cro_number=checked_text(r.get(cells, "cro_number"), "cro_number", required=False,
                                max_length=20),
        ni_number=checked_text(r.get(cells, "ni_number"), "ni_number", required=False,
                               max_length=13),
        passport_number=checked_text(r.get(cells, "passport_number"), "passport_number",
                                     required=False, max_length=20),
        risk_level="", offender_manager=manager)
    return person, registered


def _check_disposals(p: _Person, readers: dict[str, _Rows], ctx: _Context, dob: dt.date,
                     entries: list[tuple[dt.date, int, int, GenEvent]]) -> None:
    r = readers.get("disposals")
    for line, cells in p.rows.get("disposals", []):
        assert r is not None
        try:
            when = _date(ctx, r.get(cells, "relevant_date"), "relevant_date")
            assert when is not None
            # A conviction may come before the registration; never before birth or after today.
            _in_range(ctx, when, "relevant_date", dob, None)
            disposal = check_disposal(DisposalInput(
                offence=r.get(cells, "offence"), kind=r.get(cells, "kind"),
                court=checked_text(r.get(cells, "court"), "court", required=False,
                                   max_length=120),
                months=_int(r.get(cells, "months"), "months"),
                life=_bool(r.get(cells, "life"), "life"),
                restriction_order=_bool(r.get(cells, "restriction_order"), "restriction_order"),
                suspended=_bool(r.get(cells, "suspended"), "suspended")))
            note = r.get(cells, "note")
            details = validate_details(EventKind.DISPOSAL, {"note": note} if note else {})
        except InvalidInput as error:
            p.problems.append(_Problem("disposals", line, _field_of(error, r), error.message))
            continue
        entries.append((when, RANK["disposals"], line, GenEvent(
            "disposal", when, details, disposal=GenDisposal(
                relevant_date=when, offence=disposal.offence.strip(), court=disposal.court,
                kind=disposal.kind, months=disposal.months, life=disposal.life,
                restriction_order=disposal.restriction_order, suspended=disposal.suspended))))


def _check_aliases(p: _Person, readers: dict[str, _Rows], ctx: _Context, dob: dt.date,
                   registered: dt.date, entries: list[tuple[dt.date, int, int, GenEvent]]
                   ) -> None:
    r = readers.get("aliases")
    by_day: dict[dt.date, tuple[int, list[GenAlias]]] = {}
    for line, cells in p.rows.get("aliases", []):
        assert r is not None
        try:
            family = checked_text(r.get(cells, "family_name"), "family_name", max_length=100)
            given = checked_text(r.get(cells, "given_names"), "given_names")
            used_from = _date(ctx, r.get(cells, "used_from"), "used_from", required=False)
            used_to = _date(ctx, r.get(cells, "used_to"), "used_to", required=False)
            when = _date(ctx, r.get(cells, "recorded_on"), "recorded_on", required=False)
            when = when or registered
            _in_range(ctx, when, "recorded_on", dob, registered)
        except InvalidInput as error:
            p.problems.append(_Problem("aliases", line, _field_of(error, r), error.message))
            continue
        first_line, names = by_day.setdefault(when, (line, []))
        names.append(GenAlias(family, given, used_from, used_to))
    for when, (line, names) in by_day.items():
        entries.append((when, RANK["aliases"], line,
                        GenEvent("identity", when, {}, aliases=tuple(names))))


def _details(r: _Rows, cells: list[str], kind: str, ctx: _Context) -> dict[str, Any]:
    """The event's details: the ``details`` column (a JSON object) and one column per field,
    each cell turned into its field's type."""
    details: dict[str, Any] = {}
    text = r.get(cells, "details")
    if text:
        try:
            details = json.loads(text)
        except ValueError:
            raise InvalidInput("details", "must be a JSON object, e.g. {\"station\": "
                                          "\"Lloyd House\"}") from None
        if not isinstance(details, dict):
            raise InvalidInput("details", "must be a JSON object")
    schema = SCHEMAS.get(kind, {})
    for name, value in r.detail_cells(cells, kind):
        coded = r.values.get(name)
        if coded:
            value = coded.get(value, value)
        if not value:
            continue
        if name in details:
            raise InvalidInput(name, "is given twice: as a column and in details")
        spec = schema.get(name)
        converted: Any = value
        if spec is not None:
            if spec.type is bool:
                converted = _bool(value, f"details.{name}")
            elif spec.type is int:
                converted = _int(value, f"details.{name}")
            elif spec.type is dt.date:
                day = _date(ctx, value, f"details.{name}")
                converted = day.isoformat() if day else ""
        details[name] = converted
    return details


def _check_events(p: _Person, readers: dict[str, _Rows], ctx: _Context, dob: dt.date,
                  registered: dt.date, entries: list[tuple[dt.date, int, int, GenEvent]]
                  ) -> dict[dt.date, GenEvent]:
    """Check the events sheet's rows; returns the first notification on each date, which
    the addresses of that date are given in."""
    r = readers.get("events")
    notifications: dict[dt.date, GenEvent] = {}
    for line, cells in p.rows.get("events", []):
        assert r is not None
        try:
            kind = r.get(cells, "kind")
            if kind in NOT_IN_EVENTS:
                raise InvalidInput("kind", f"{kind!r}: {NOT_IN_EVENTS[kind]}")
            details = validate_details(kind, _details(r, cells, kind, ctx))
            when = _date(ctx, r.get(cells, "effective_date"), "effective_date")
            assert when is not None
            _in_range(ctx, when, "effective_date", dob, registered)
        except InvalidInput as error:
            p.problems.append(_Problem("events", line, _field_of(error, r), error.message))
            continue
        event = GenEvent(kind, when, details)
        entries.append((when, RANK["events"], line, event))
        if kind.startswith("notification."):
            notifications.setdefault(when, event)
    return notifications


def _check_address_rows(p: _Person, readers: dict[str, _Rows], ctx: _Context,
                        notifications: dict[dt.date, GenEvent]) -> None:
    r = readers.get("addresses")
    for line, cells in p.rows.get("addresses", []):
        assert r is not None
        try:
            when = _date(ctx, r.get(cells, "notified_on"), "notified_on")
            assert when is not None
            address = AddressInput(kind=r.get(cells, "kind") or "home",
                                   line1=r.get(cells, "line1"), town=r.get(cells, "town"),
                                   line2=r.get(cells, "line2"), postcode=r.get(cells, "postcode"))
            _check_addresses([address])
            event = notifications.get(when)
            if event is None:
                raise InvalidInput("notified_on", f"no notification on {when} in the events "
                                                  "sheet to give this address in")
        except InvalidInput as error:
            p.problems.append(_Problem("addresses", line, _field_of(error, r), error.message))
            continue
        event.addresses = (*event.addresses, GenAddress(
            kind=address.kind, line1=address.line1.strip(), town=address.town.strip(),
            postcode=address.postcode.strip(), line2=address.line2.strip()))


# -- the run -----------------------------------------------------------------------------------
def _context(actor: AbstractBaseUser | None, force: str | None, mapping: Mapping,
             today: dt.date, references: set[str]) -> _Context:
    forces = set(Force.objects.values_list("slug", flat=True))
    only_force = None
    if actor is not None:
        profile = policy.profile_of(actor)
        only_force = profile.force_id if profile is not None else None
    if force and force not in forces:
        raise InvalidInput("force", f"no force has the slug {force!r}")
    if force and only_force is not None and force != only_force:
        raise InvalidInput("force", f"the person importing may import people of "
                                    f"{only_force!r} only")
    users = {name: (pk, f) for name, pk, f in get_user_model().objects.filter(
        is_active=True).values_list("username", "pk", "staff__force_id")}
    imported: dict[str, tuple[set[str], str]] = {}
    on_register: set[str] = set()
    refs = sorted(references)
    for start in range(0, len(refs), 5000):
        part = refs[start:start + 5000]
        for ref, rows, run, file in ImportedPerson.objects.filter(reference__in=part) \
                .values_list("reference", "rows", "run_id", "run__file"):
            imported[ref] = (set(rows.split()), f"import {run} of {file}")
        on_register.update(Person.objects.filter(reference__in=part)
                           .values_list("reference", flat=True))
    on_register -= set(imported)
    return _Context(today=today, mapping=mapping, forces=forces,
                    default_force=force or only_force or "", only_force=only_force, users=users,
                    on_register=on_register, imported=imported)


def _group(extract: Extract, report: ImportReport) -> tuple[dict[str, _Person], list[Rejected]]:
    people: dict[str, _Person] = {}
    no_reference: list[Rejected] = []
    for name in SHEETS:
        sheet = extract.sheets.get(name)
        if sheet is None:
            continue
        report.rows_read[name] = len(sheet.rows)
        i = sheet.index["reference"]
        for line, cells in sheet.rows:
            ref = cells[i]
            if not ref:
                no_reference.append(Rejected(name, sheet.file, line, "", "reference",
                                             "is required", sheet.raw(cells)))
                continue
            person = people.get(ref)
            if person is None:
                person = people[ref] = _Person(ref)
            person.rows[name].append((line, cells))
    return people, no_reference


def _reject_person(p: _Person, extract: Extract, out: list[Rejected]) -> None:
    first = min(p.problems, key=lambda q: (SHEETS.index(q.sheet), q.line))
    bad = {(q.sheet, q.line): q for q in p.problems}
    for sheet, line, cells in p.all_rows():
        s = extract.sheets[sheet]
        q = bad.get((sheet, line))
        if q is not None:
            out.append(Rejected(sheet, s.file, line, p.reference, q.field, q.message,
                                s.raw(cells)))
        else:
            out.append(Rejected(sheet, s.file, line, p.reference, "",
                                f"not imported: {p.reference} has a rejected row ({first})",
                                s.raw(cells)))


def write_rejects(path: str | Path, rejected: Sequence[Rejected]) -> None:
    """The reject file: a CSV, one line per rejected row, with the row as it was (JSON)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["file", "sheet", "line", "reference", "field", "reason", "row"])
        for r in sorted(rejected, key=lambda r: (SHEETS.index(r.sheet), r.line)):
            writer.writerow([r.file, r.sheet, r.line, r.reference, r.field, r.reason,
                             json.dumps(r.row, ensure_ascii=False)])


def default_rejects_path(paths: Sequence[str | Path]) -> Path:
    first = Path(paths[0])
    return first.with_name(first.name.rstrip("/") + ".rejects.csv")


def import_register(
    *,
    paths: Sequence[str | Path],
    actor: AbstractBaseUser | None,
    today: dt.date,
    mapping: str | Path | Mapping | None = None,
    force: str | None = None,
    dry_run: bool = False,
    rejects: str | Path | None = None,
    derive: bool = True,
    progress: Progress = lambda _: None,
) -> ImportReport:
    """Import a register extract; see the module docstring and docs/import.md.

    ``actor`` must hold ``register.import`` (``None`` only for the system itself, as in the
    benchmark). ``force``: the extract's force; rows naming no force get it, rows naming
    another are rejected. A refused extract (a sheet or column missing, a bad mapping)
    raises :class:`InvalidInput` and changes nothing.
    """
    if actor is not None and not policy.may(actor, "register.import"):
        raise InvalidInput("by", f"{actor.get_username()!r} may not import a register extract")
    # Millions of small lists and tuples, none of them in a cycle: the cyclic garbage
    # collector would walk them all again and again as they pile up.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = _import(paths=paths, actor=actor, today=today, mapping=mapping, force=force,
                         dry_run=dry_run, rejects=rejects, progress=progress)
    finally:
        if collecting:
            gc.enable()
    if derive and not dry_run and report.people_created:
        # After the extract's rows and people are freed: the workers that work the derived
        # data out are forked from this process, and the fewer objects it holds the better.
        gc.collect()
        clock = time.perf_counter()
        report.seconds.update(derive_after_import(today))
        report.seconds["derive"] = time.perf_counter() - clock
        progress(f"  statuses, periods and visits worked out ({report.seconds['derive']:.1f} s)")
    return report


def _import(*, paths: Sequence[str | Path], actor: AbstractBaseUser | None, today: dt.date,
            mapping: str | Path | Mapping | None, force: str | None, dry_run: bool,
            rejects: str | Path | None, progress: Progress) -> ImportReport:
    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    extract = read_extract(paths, mapping)
    report = ImportReport(label=extract.label, dry_run=dry_run)
    report.rejects_path = str(rejects or default_rejects_path(paths))
    people, rejected = _group(extract, report)
    seconds["read"] = time.perf_counter() - clock
    progress(f"  read {sum(report.rows_read.values()):,} rows ({seconds['read']:.1f} s)")
    clock = time.perf_counter()
    ctx = _context(actor, force, mapping, today, set(people))
    readers = {name: _Rows(sheet, ctx) for name, sheet in extract.sheets.items()}
    accepted: list[tuple[GenPerson, str]] = []
    for ref, p in people.items():
        if ref in ctx.on_register:
            for sheet, line, cells in p.all_rows():
                s = extract.sheets[sheet]
                rejected.append(Rejected(sheet, s.file, line, ref, readers[sheet].label(
                    "reference"), f"{ref!r} is already on the register (not from an import); "
                                  "an import never changes a record already there",
                    s.raw(cells)))
            report.people_rejected += 1
            continue
        earlier = ctx.imported.get(ref)
        if earlier is not None:
            known, which = earlier
            fresh = False
            for sheet, line, cells in p.all_rows():
                s = extract.sheets[sheet]
                if fingerprint(s, cells) in known:
                    report.rows_already_present += 1
                else:
                    fresh = True
                    rejected.append(Rejected(
                        sheet, s.file, line, ref, "", f"{ref} was put on the register by "
                        f"{which}, which had no such row; an import never changes a record "
                        "already there: record it on the person's page", s.raw(cells)))
            if fresh:
                report.people_rejected += 1
            else:
                report.people_already_present += 1
            continue
        person = _check_person(p, readers, ctx)
        if person is None:
            _reject_person(p, extract, rejected)
            report.people_rejected += 1
            continue
        rows = " ".join(fingerprint(extract.sheets[s], cells) for s, _, cells in p.all_rows())
        accepted.append((person, rows))
        report.events_created += len(person.events)
    report.people_created = len(accepted)
    report.rows_rejected = len(rejected)
    report.rejected = rejected
    seconds["check"] = time.perf_counter() - clock
    progress(f"  checked {len(people):,} people: {len(accepted):,} to import, "
             f"{report.people_rejected:,} rejected ({seconds['check']:.1f} s)")
    write_rejects(report.rejects_path, rejected)
    if not dry_run and accepted:
        clock = time.perf_counter()
        report.run_id = _write(accepted, report, ctx, actor, extract.label)
        seconds["write"] = time.perf_counter() - clock
        progress(f"  written ({seconds['write']:.1f} s)")
    report.seconds = seconds
    return report


def _write(accepted: list[tuple[GenPerson, str]], report: ImportReport, ctx: _Context,
           actor: AbstractBaseUser | None, label: str) -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    source = f"import:{label}"[:60]
    by = actor.pk if actor is not None else None
    managers: dict[str, int | None] = {"": None}
    managers.update({name: pk for name, (pk, _) in ctx.users.items()})
    # As the demo build: SQLite checks the foreign keys once at the end, not row by row.
    unchecked = connection.vendor == "sqlite" and connection.disable_constraint_checking()
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(started_at=timezone.now(), by=actor, file=label,
                                           source=source)
            # The ids other rows point at are taken in advance (from the sequences, on
            # PostgreSQL), so the register stays open to other writers meanwhile.
            reserve = {"person": len(accepted),
                       "event": sum(len(p.events) for p, _ in accepted),
                       "alias": sum(len(e.aliases) for p, _ in accepted for e in p.events)}
            loader = Loader(extra={"imported": IMPORTED_TABLE}, reserve=reserve)
            maker = RowMaker(loader.first_ids, managers, source=source, recorded_by_id=by)

            def batches() -> Iterator[Rows]:
                for start in range(0, len(accepted), 2000):
                    for person, rows in accepted[start:start + 2000]:
                        pid = maker.next_id["person"]
                        maker.person(person)
                        maker.rows["imported"].append(
                            (maker._id("imported"), pid, run.pk, person.reference, rows))
                    yield maker.take()

            with loader.fast_load():
                # The rows are made in a second process while this one writes (as the demo
                # build does), when there are enough to be worth it.
                for rows in in_child(batches, name="import rows",
                                     fork=len(accepted) >= FORK_FROM):
                    loader.write(rows)
            loader.finish()
            if unchecked:
                connection.check_constraints(table_names=loader.table_names())
            report.rows_created.update({t: loader.counts[t] for t in
                                        ("person", "event", "disposal", "address", "alias")})
            ImportRun.objects.filter(pk=run.pk).update(
                finished_at=timezone.now(), people_created=loader.counts["person"],
                events_created=loader.counts["event"], rows_rejected=report.rows_rejected,
                rows_already_present=report.rows_already_present)
            audit.record(actor=actor, action=AuditAction.COLLECTION,
                         what=f"import {run.pk} of {label}: {loader.counts['person']} people, "
                              f"{loader.counts['event']} ledger entries")
    finally:
        if unchecked:
            connection.enable_constraint_checking()
    return int(run.pk)


def derive_after_import(today: dt.date) -> dict[str, float]:
    """What the sweep keeps, for the new people: compliance statuses and overdue tasks, the
    status periods the figures read, visit statuses and tasks. Returns the seconds each took
    (``derive.sweep``, ``derive.periods``, ``derive.visits``)."""
    from whereabouts.compliance.periods import refresh_status_periods
    from whereabouts.compliance.sweep import run_sweep
    from whereabouts.visits.sweep import run_visit_sweep

    seconds = {}
    for name, work in (("sweep", lambda: run_sweep(today)),  # the imported people, again
                       ("periods", refresh_status_periods),
                       ("visits", lambda: run_visit_sweep(today))):
        clock = time.perf_counter()
        work()
        seconds[f"derive.{name}"] = time.perf_counter() - clock
    return seconds


__all__ = ["ImportReport", "Rejected", "default_rejects_path", "derive_after_import",
           "fingerprint", "import_register", "write_rejects"]
