"""Export and restore (docs/export.md): the round trip gives an identical file, the audit
chain verifies after it, derived data is worked out again, and a bad file changes nothing."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from whereabouts.access import audit
from whereabouts.access.models import AuditAction, AuditEntry, AuditListing, Erasure
from whereabouts.access.sharing import share_person
from whereabouts.api.tokens import create_token
from whereabouts.backup import tables
from whereabouts.backup.ledgerfile import (
    ExportFileError,
    export_ledger,
    not_empty,
    restore_ledger,
)
from whereabouts.cli.main import main
from whereabouts.compliance.models import ComplianceStatus, StatusPeriod, SweepRun, Task
from whereabouts.compliance.periods import refresh_status_periods, status_counts_as_at
from whereabouts.compliance.sweep import run_sweep
from whereabouts.imports.models import ImportedPerson, ImportRun
from whereabouts.linkage import duplicates
from whereabouts.linkage.models import Lead, LinkageModel, PartnerExtract, PartnerRecord
from whereabouts.register import services
from whereabouts.register.models import CirculationReceipt, Event, Person, SearchKey, Transfer
from whereabouts.register.services import AddressInput, DisposalInput
from whereabouts.register.transfers import open_transfer
from whereabouts.retention import services as retention
from whereabouts.risk.services import record_meeting
from whereabouts.visits.models import ForceVisitPolicy, VisitStatus
from whereabouts.visits.sweep import run_visit_sweep

from ..conftest import TODAY
from ..linkage.leadmaker import make_suggestion


def record(person: Any, kind: str, when: str, **kwargs: Any) -> Event:
    return services.event_record(person_id=person.pk, kind=kind, effective_date=when,
                                 today=TODAY, recorded_by=None, source="test", **kwargs)


@pytest.fixture
def ledger(make_user: Any, make_person: Any, officer: Any) -> dict[str, Any]:
    """A small register with a row of every table an export carries."""
    supervisor = make_user("sup.one", "supervisor")
    other = make_user("om.staffs", "offender_manager", force="staffordshire")
    admin = make_user("admin.one", "administrator", force=None)
    dpo = make_user("dpo.one", "auditor", force=None)

    ann = make_person(family_name="Aldous", given_names="Ann Marie")
    record(ann, "disposal", "2019-02-01", aliases=[("Smythe", "Annie", None, None)],
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=40,
                                  court="Birmingham Crown Court"))
    record(ann, "notification.initial", "2019-02-02",
           addresses=[AddressInput(kind="home", line1="1 High Street", town="Birmingham",
                                   postcode="B1 1AA")])
    wrong = record(ann, "notification.periodic", "2020-01-30")
    record(ann, "notification.periodic", "2020-01-29", supersedes=wrong.pk,
           reason="Wrong date entered")
    bob = make_person(family_name="Bexley", given_names="Bob")
    record(bob, "disposal", "2018-06-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=40))
    record(bob, "notification.initial", "2018-06-01")  # overdue since: a task
    open_transfer(person_id=bob.pk, to_force="staffordshire", actor=supervisor, today=TODAY,
                  note="Moving in with family")
    # Bob registered again as "Bobby": merged into Bob's record below.
    bobby = make_person(family_name="Bexley", given_names="Bobby")
    record(bobby, "disposal", "2018-06-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=40))
    cy = make_person(force="staffordshire", manager=other, family_name="Cole", given_names="Cy")
    record(cy, "disposal", "2021-03-01",
           disposal=DisposalInput(offence="SOA 2003 s.7", kind="caution"))
    audit.record(actor=other, action=AuditAction.CONSULTATION, person_id=cy.pk,
                 what="viewed the person's record")
    old = make_person(dob="1920-01-01", family_name="Old", given_names="Ada")
    Person.objects.filter(pk=old.pk).update(next_review=TODAY)
    retention.decide(person_id=old.pk, actor=dpo, today=TODAY, outcome="dispose",
                     reason="Aged 104; no policing purpose")
    retention.decide(person_id=ann.pk, actor=dpo, today=TODAY, outcome="retain",
                     reason="Still a risk", criteria=["serious_harm"],
                     next_review=dt.date(2034, 6, 1))
    audit.record(actor=officer, action=AuditAction.CONSULTATION, what="caseload",
                 listed=[ann.pk, bob.pk, old.pk])
    retention.erase_disposed(actor=dpo)
    share_person(person_id=ann.pk, agency="probation", since=TODAY,
                 until=TODAY + dt.timedelta(days=90), purpose="Joint supervision",
                 notes="", by=supervisor)
    create_token(username=officer.username, scopes=["people:read"], days=30, by=admin,
                 name="case app")
    CirculationReceipt.objects.create(circulation=Event.objects.filter(person=ann).first(),
                                      force_id="staffordshire", acknowledged_by=other,
                                      acknowledged_at=dt.datetime(2024, 5, 1, 9, 30,
                                                                  tzinfo=dt.UTC))
    ForceVisitPolicy.objects.create(force_id="west-midlands", preset="national_standard",
                                    high_months=2, set_by=supervisor,
                                    set_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    record_meeting(person_id=ann.pk, held_on="2024-05-01", level="2", chair="DI Hale",
                   decisions="Visit monthly; probation to check the hostel",
                   attendees=[{"agency": "police", "name": "DC One", "user": officer.username},
                              {"agency": "probation", "name": "Pat Probation"}],
                   actions=[{"description": "Unannounced visit", "owner_agency": "police",
                             "owner": officer.username, "due_on": "2024-05-20"}],
                   actor=supervisor, today=TODAY)
    run = ImportRun.objects.create(started_at=dt.datetime(2024, 4, 1, 9, tzinfo=dt.UTC),
                                   by=admin, file="extract.xlsx", source="import:extract.xlsx",
                                   people_created=1)
    ImportedPerson.objects.create(person=bob, run=run, reference=bob.reference, rows="ab12 cd34")
    at = dt.datetime(2024, 5, 2, 10, tzinfo=dt.UTC)
    extract = PartnerExtract.objects.create(
        agency="Housing", source_name="tenancies.csv", file_format="csv",
        mapping={"family_name": "Surname"}, imported_by=supervisor, imported_at=at,
        rows_read=1, rows_accepted=1)
    tenancy = PartnerRecord.objects.create(
        extract=extract, line=2, source_id="H-1", family_name="Aldous", given_names="Ann",
        date_of_birth=dt.date(1980, 1, 5), postcode="B2 2BB", date_from=dt.date(2024, 4, 1))
    model = LinkageModel.objects.create(
        extract=extract, engine="duckdb", splink_version="5.0.0",
        settings_json={"probability_two_random_records_match": 0.001}, trained_at=at,
        trained_by=supervisor, threshold=0.9, pairs_scored=10, leads_opened=1,
        threshold_changes=[{"by": supervisor.username, "at": at.isoformat(), "old": 0.95,
                            "new": 0.9, "reason": "Reviewed", "opened": 1, "withdrawn": 0}])
    Lead.objects.create(person=ann, record=tenancy, model=model, kind="undeclared_address",
                        match_probability=0.97, match_weight=5.1, matched_name="Ann ALDOUS",
                        explanation=[{"field": "date of birth", "says": "day and month swapped"}],
                        created_at=at, judgement="same", judged_by=supervisor, judged_at=at)
    suggestion = make_suggestion(bob, bobby)
    duplicates.merge(suggestion_id=suggestion.pk, survivor_id=bob.pk, reason="Same PNC ID",
                     actor=supervisor, session={}, today=TODAY)
    run_sweep(TODAY, workers=1)
    run_visit_sweep(TODAY)
    refresh_status_periods(rebuild=True, workers=1)
    return {"ann": ann, "bob": bob, "cy": cy, "officer": officer, "admin": admin,
            "other": other}


def empty_database() -> None:
    """What a new, migrated database holds: the reference tables and nothing else. (The
    test's transaction is rolled back afterwards.)"""
    labels = [*tables.DERIVED, *reversed(tables.EXPORTED), "sessions.session"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # past the audit log's guards, as a superuser
            cursor.execute("SET LOCAL session_replication_role = replica")
        for label in labels:
            if label not in tables.REFERENCE:
                cursor.execute(f"DELETE FROM {tables.model(label)._meta.db_table}")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert not_empty() == []


def derived_snapshot() -> dict[str, Any]:
    """The derived data and what is read from it, without the ids of the derived rows."""
    return {
        "statuses": sorted(ComplianceStatus.objects.values_list(
            "person_id", "compliance", "next_due_kind", "next_due_last_day", "valid_until"),
            key=repr),
        "periods": sorted(StatusPeriod.objects.values_list(
            "person_id", "force", "starts_on", "ends_on", "compliance")),
        "visits": sorted(VisitStatus.objects.values_list("person_id", "state", "due_by",
                                                         "as_at"), key=repr),
        "keys": sorted(SearchKey.objects.values_list("person_id", "alias_id", "kind", "token"),
                       key=repr),
        "figures": status_counts_as_at(TODAY, TODAY),
        "tasks": sorted(Task.objects.values_list("pk", "person_id", "state", "due_last_day")),
    }


def lines(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as f:
        return [json.loads(line) for line in f]


def test_every_table_is_exported_derived_or_deliberately_left_out():
    assert tables.unclassified() == []


def test_a_whole_export_restored_into_an_empty_database_exports_identically(ledger, tmp_path):
    before = derived_snapshot()
    assert before["statuses"] and before["periods"] and before["visits"] and before["tasks"]
    first = tmp_path / "first.jsonl.gz"
    report = export_ledger(first, actor=ledger["admin"])
    kinds = {row["table"] for row in lines(first)[1:-1]}
    assert kinds == set(tables.EXPORTED)  # the ledger has a row of every kind
    assert Erasure.objects.exists() and Transfer.objects.exists()
    assert Event.objects.filter(supersedes__isnull=False).exists()
    assert AuditListing.objects.exists()
    last_in_file = lines(first)[0]["audit"]["last_id"]
    entry = AuditEntry.objects.get(pk=report.audit_entry_id)
    assert entry.pk > last_in_file  # recorded after the file: not in it
    assert (entry.action, entry.actor_name) == ("disclosure", "admin.one")
    assert sorted(entry.listed_ids()) == sorted(Person.objects.values_list("pk", flat=True))

    empty_database()
    restored = restore_ledger(first)

    assert restored.as_at == TODAY
    assert audit.verify().ok
    assert AuditEntry.objects.order_by("-pk").values_list("pk", flat=True)[0] == last_in_file
    assert derived_snapshot() == before
    again = tmp_path / "again.jsonl.gz"
    export_ledger(again)
    differing = [pair for pair in zip(lines(first), lines(again), strict=False)
                 if pair[0] != pair[1]]
    assert differing[:2] == []  # shows the first differences, if any
    assert again.read_bytes() == first.read_bytes()
    # The sequences came across: a new person does not take an erased person's number.
    erased = Erasure.objects.get().person_id
    assert Person.objects.order_by("-pk")[0].pk < erased
    newcomer = services.person_register(
        force="west-midlands", family_name="New", given_names="Nia", date_of_birth="1990-01-01",
        sex="F", reference="T-NEW", today=TODAY, recorded_by=None, source="test")
    assert newcomer.pk > erased


def test_the_file_is_canonical_json_lines_with_a_checksum_of_what_comes_before_the_end(
        ledger, tmp_path):
    path = tmp_path / "export.jsonl"
    export_ledger(path)
    raw = path.read_bytes().splitlines(keepends=True)
    header, end = json.loads(raw[0]), json.loads(raw[-1])
    assert (header["format"], header["version"], header["scope"]) == (
        "whereabouts-export", 1, {"force": None})
    assert end["sha256"] == hashlib.sha256(b"".join(raw[:-1])).hexdigest()
    assert end["records"] == len(raw) - 2 == sum(n for _, n in header["tables"])
    for line in raw:
        value = json.loads(line)
        assert line == (json.dumps(value, sort_keys=True, separators=(",", ":"),
                                   ensure_ascii=False) + "\n").encode()
    order = [tables.EXPORTED.index(json.loads(line)["table"]) for line in raw[1:-1]]
    assert order == sorted(order)
    person = next(json.loads(line)["row"] for line in raw
                  if b'"table":"register.person"' in line)
    assert person["created_at"].endswith("+00:00") and person["date_of_birth"] == "1980-05-01"
    receipt = next(json.loads(line)["row"] for line in raw
                   if b'"table":"register.circulationreceipt"' in line)
    assert receipt["acknowledged_at"] == "2024-05-01T09:30:00+00:00"  # UTC, as written
    assert person["created_at"] == Person.objects.get(pk=person["id"]).created_at.astimezone(
        dt.UTC).isoformat()


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(ledger, tmp_path,
                                                                           capsys):
    path = tmp_path / "export.jsonl"
    export_ledger(path)
    people, entries = Person.objects.count(), AuditEntry.objects.count()
    assert main(["restore", str(path)]) == 1
    err = capsys.readouterr().err
    assert "the database is not empty" in err and "register.person" in err
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, entries)


def test_a_one_force_export_holds_only_that_forces_people_and_does_not_restore(
        ledger, tmp_path):
    path = tmp_path / "wm.jsonl"
    report = export_ledger(path, force="west-midlands")
    rows = lines(path)[1:-1]
    people = {r["row"]["id"] for r in rows if r["table"] == "register.person"}
    assert people == set(Person.objects.filter(force_id="west-midlands")
                         .values_list("pk", flat=True))
    assert ledger["cy"].pk not in people and report.people == len(people)
    assert {r["row"]["person_id"] for r in rows if r["table"] == "register.event"} <= people
    erasures = {r["row"]["person_id"] for r in rows if r["table"] == "access.erasure"}
    entries = [r["row"] for r in rows if r["table"] == "access.auditentry"]
    staff = {"om.one", "sup.one"}  # the force's staff: their every act is the force's to audit
    assert all(e["person_id"] in people | erasures or e["actor_name"] in staff
               or set(e["listed"].split()) & {str(p) for p in people} for e in entries)
    about_cy = [e for e in entries if e["person_id"] == ledger["cy"].pk]
    assert about_cy and all(e["actor_name"] in staff for e in about_cy)
    assert AuditEntry.objects.filter(person_id=ledger["cy"].pk).exclude(
        actor_name__in=staff).exists()  # Staffordshire's own looks at him are not in it
    users = {r["row"]["username"] for r in rows if r["table"] == "auth.user"}
    assert "om.one" in users
    assert "om.staffs" in users  # acknowledged a circulation of a West Midlands person
    assert lines(path)[0]["audit"]["whole_chain"] is False
    empty_database()
    with pytest.raises(ExportFileError, match="one-force export"):
        restore_ledger(path)
    assert not_empty() == []


def corrupt(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "checksum":
        path.write_bytes(data.replace(b'"family_name":"Aldous"', b'"family_name":"Aldows"'))
    elif how == "truncated":
        path.write_bytes(data[: len(data) * 2 // 3])
    elif how == "version":
        path.write_bytes(data.replace(b'"version":1', b'"version":7', 1))
    elif how == "not an export":
        path.write_bytes(b'{"hello":"world"}\n')
    elif how == "gzip cut short":
        path.write_bytes(gzip.compress(data, mtime=0)[:-40])


@pytest.mark.parametrize(("how", "message"), [
    ("checksum", "the checksum does not match"),
    ("truncated", "cut short"),
    ("version", "format version 7"),
    ("not an export", "not a whereabouts export"),
    ("gzip cut short", "compressed file is damaged or cut short"),
])
def test_a_damaged_file_is_refused_naming_the_problem_and_changes_nothing(
        make_person, tmp_path, how, message):
    record(make_person(family_name="Aldous"), "disposal", "2019-02-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="caution"))
    path = tmp_path / "export.jsonl"
    export_ledger(path)
    corrupt(path, how)
    empty_database()
    with pytest.raises(ExportFileError, match=message):
        restore_ledger(path)
    assert not_empty() == []


def test_a_bad_row_found_while_loading_rolls_everything_back(make_person, tmp_path):
    make_person(family_name="Aldous")
    path = tmp_path / "export.jsonl"
    export_ledger(path)
    raw = path.read_bytes().splitlines(keepends=True)
    body = raw[:-1]
    last = json.loads(body[-1])  # the last audit row, after the people and their ledgers
    last["row"]["colour"] = "blue"
    body[-1] = (json.dumps(last, sort_keys=True, separators=(",", ":")) + "\n").encode()
    data = b"".join(body)
    end = {"end": "whereabouts-export", "records": len(body) - 1,
           "sha256": hashlib.sha256(data).hexdigest()}
    path.write_bytes(data + (json.dumps(end) + "\n").encode())  # a checksum that matches
    empty_database()
    with pytest.raises(ExportFileError, match="fields \\['colour'\\]"):
        restore_ledger(path)
    assert not_empty() == []


def test_only_an_administrator_may_export_and_a_force_must_exist(ledger, tmp_path):
    with pytest.raises(PermissionDenied):
        export_ledger(tmp_path / "x.jsonl", actor=ledger["officer"])
    from whereabouts.register.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        export_ledger(tmp_path / "x.jsonl", force="atlantis")
    assert err.value.field == "force"
    assert not list(tmp_path.iterdir())  # nothing written, not even a partial file


def test_the_command_line_exports_and_names_the_audit_entry(ledger, tmp_path, capsys):
    path = tmp_path / "export.jsonl"
    assert main(["export", str(path), "--by", "admin.one"]) == 0
    out = capsys.readouterr().out
    assert "Exported the whole register" in out and "sha256" in out
    assert path.exists()
    assert main(["export", str(tmp_path / "y.jsonl"), "--by", "om.one"]) == 1
    assert "ledger.export" in capsys.readouterr().err
    assert SweepRun.objects.count() == 1
