"""Bulk import of a register extract: every row either in, or in the reject file with why."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY
from whereabouts.access.models import AuditEntry
from whereabouts.compliance.models import ComplianceStatus
from whereabouts.imports.models import ImportedPerson, ImportRun
from whereabouts.imports.services import import_register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Address, Alias, Disposal, Event, Person, SearchKey

Rows = dict[str, list[dict[str, str]]]


def good_extract() -> Rows:
    """Two synthetic people of West Midlands: WM-1 with a full history, WM-2 a short one."""
    return {
        "people": [
            {"reference": "WM-1", "force": "west-midlands", "family_name": "Quillfeather",
             "given_names": "Ambrose", "date_of_birth": "1980-05-01", "sex": "M",
             "pnc_id": "", "registered_on": "2020-01-10", "offender_manager": "om.one"},
            {"reference": "WM-2", "force": "west-midlands", "family_name": "Tamberlain",
             "given_names": "Odile", "date_of_birth": "1975-02-03", "sex": "F",
             "pnc_id": "", "registered_on": "2021-03-01", "offender_manager": ""},
        ],
        "aliases": [
            {"reference": "WM-1", "family_name": "Quilfeather", "given_names": "Ambrose",
             "used_from": "", "used_to": ""},
        ],
        "disposals": [
            {"reference": "WM-1", "relevant_date": "2020-01-10", "offence": "SOA 2003 s.3",
             "kind": "imprisonment", "months": "6", "court": "Birmingham Crown Court",
             "life": "", "suspended": "yes"},
            {"reference": "WM-2", "relevant_date": "2021-03-01", "offence": "SOA 2003 s.7",
             "kind": "caution", "months": "", "court": "", "life": "", "suspended": ""},
        ],
        "events": [
            {"reference": "WM-1", "kind": "notification.initial", "effective_date": "2020-01-12",
             "station": "Lloyd House", "outcome": ""},
            {"reference": "WM-1", "kind": "custody.start", "effective_date": "2020-06-01",
             "station": "", "outcome": ""},
            {"reference": "WM-1", "kind": "custody.end", "effective_date": "2020-07-01",
             "station": "", "outcome": ""},
            {"reference": "WM-1", "kind": "visit", "effective_date": "2021-03-01",
             "station": "", "outcome": "seen_at_home"},
            {"reference": "WM-2", "kind": "notification.initial", "effective_date": "2021-03-02",
             "station": "", "outcome": ""},
        ],
        "addresses": [
            {"reference": "WM-1", "notified_on": "2020-01-12", "kind": "home",
             "line1": "1 Synthetic Road", "town": "Birmingham", "postcode": "B1 1AA"},
            {"reference": "WM-2", "notified_on": "2021-03-02", "kind": "home",
             "line1": "2 Invented Lane", "town": "Coventry", "postcode": "CV1 2AB"},
        ],
    }


def write_csvs(folder: Path, rows: Rows) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for sheet, table in rows.items():
        header = list(dict.fromkeys(k for row in table for k in row))
        with (folder / f"{sheet}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            writer.writeheader()
            writer.writerows(table)
    return folder


def write_xlsx(path: Path, rows: Rows) -> Path:
    """The same rows in a workbook, with dates as date cells and numbers as numbers."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, table in rows.items():
        ws = book.create_sheet(sheet)
        header = list(dict.fromkeys(k for row in table for k in row))
        ws.append(header)
        for row in table:
            cells: list[Any] = []
            for name in header:
                value = row.get(name, "")
                if len(value) == 10 and value[4] == "-" and value[:4].isdigit():
                    cells.append(dt.date.fromisoformat(value))
                elif value.isdigit() and name == "months":
                    cells.append(int(value))
                else:
                    cells.append(value or None)
            ws.append(cells)
    book.save(path)
    return path


def read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def admin(make_user: Any, officer: Any) -> Any:
    return make_user("admin.one", "administrator", force=None)


def run(paths: list[Path], actor: Any, **kwargs: Any) -> Any:
    return import_register(paths=paths, actor=actor, today=TODAY, **kwargs)


def test_a_good_extract_imports_every_person_with_their_whole_ledger(tmp_path, admin, officer):
    folder = write_csvs(tmp_path / "extract", good_extract())
    report = run([folder], admin)
    assert (report.people_created, report.rows_rejected) == (2, 0)
    one = Person.objects.get(reference="WM-1")
    assert (one.family_name, one.force_id, one.offender_manager) == (
        "Quillfeather", "west-midlands", officer)
    assert one.created_by == admin
    kinds = list(one.events.order_by("effective_date", "id").values_list("kind", flat=True))
    assert kinds == ["registered", "disposal", "assignment", "identity", "notification.initial",
                     "custody.start", "custody.end", "visit"]
    assert set(Event.objects.filter(person=one).values_list("source", "recorded_by")) == {
        ("import:extract", admin.pk)}
    disposal = Disposal.objects.get(person=one)
    assert (disposal.kind, disposal.months, disposal.suspended) == ("imprisonment", 6, True)
    assert Address.objects.get(person=one).event.kind == "notification.initial"
    assert Alias.objects.get(person=one).family_name == "Quilfeather"
    assert Event.objects.get(person=one, kind="visit").details == {"outcome": "seen_at_home"}
    assert SearchKey.objects.filter(person=one, token="QUILFEATHER").exists()
    assert report.events_created == Event.objects.count()
    run_row = ImportRun.objects.get()
    assert (run_row.by, run_row.people_created, run_row.source) == (admin, 2, "import:extract")
    assert AuditEntry.objects.filter(actor=admin, what__startswith="import ").count() == 1
    assert read_rejects(tmp_path / "extract.rejects.csv") == []


def test_imported_people_have_their_statuses_worked_out_and_show_on_the_caseload(
        tmp_path, admin, officer, client, settings):
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    run([write_csvs(tmp_path / "x", good_extract())], admin)
    one = Person.objects.get(reference="WM-1")
    assert ComplianceStatus.objects.filter(person__reference__in=["WM-1", "WM-2"]).count() == 2
    # The last notification was in January 2020, a year before the visit: overdue since.
    assert ComplianceStatus.objects.get(person=one).compliance == "overdue"
    from whereabouts.compliance.models import StatusPeriod

    assert StatusPeriod.objects.filter(person=one).exists()
    client.force_login(officer)
    page = client.get("/people/").content.decode()
    assert f"/people/{one.pk}/" in page  # on om.one's caseload
    found = client.get("/search/", {"name": "Quilfeather"}).content.decode()  # the alias
    assert f"/people/{one.pk}/" in found


def mutate(change: str) -> Rows:
    """The good extract with one change to WM-1's rows."""
    rows = good_extract()
    wm1_event = rows["events"][1]  # custody.start on 2020-06-01
    if change == "no family name":
        rows["people"][0]["family_name"] = ""
    elif change == "bad date of birth":
        rows["people"][0]["date_of_birth"] = "1980-02-31"
    elif change == "unknown kind":
        wm1_event["kind"] = "notification.telepathic"
    elif change == "before registration":
        wm1_event["effective_date"] = "2019-12-01"
    elif change == "unknown force":
        rows["people"][0]["force"] = "gotham"
    elif change == "duplicate reference":
        rows["people"].append(dict(rows["people"][0], given_names="Other"))
    elif change == "no months":
        rows["disposals"][0]["months"] = ""
    elif change == "end without start":
        rows["events"][2]["kind"] = "hospital.end"
    elif change == "bad outcome":
        rows["events"][3]["outcome"] = "waved_through_window"
    elif change == "address without notification":
        rows["addresses"][0]["notified_on"] = "2020-01-13"
    elif change == "after death":
        rows["events"].append({"reference": "WM-1", "kind": "death",
                               "effective_date": "2020-05-01", "station": "", "outcome": ""})
    elif change == "future registration":
        rows["people"][0]["registered_on"] = "2025-01-01"
    elif change == "manager of another force":
        rows["people"][0]["offender_manager"] = "om.mercia"
    elif change == "transfer kind":
        wm1_event["kind"] = "transfer.opened"
    elif change == "merge kind":
        wm1_event["kind"] = "merged.into"
    else:  # pragma: no cover
        raise AssertionError(change)
    return rows


BAD_ROWS = [
    # (change, sheet, line of the (first) bad row, field, words in the reason)
    ("no family name", "people", 2, "family_name", "is required"),
    ("bad date of birth", "people", 2, "date_of_birth", "is not a real date"),
    ("unknown kind", "events", 3, "kind", "unknown kind 'notification.telepathic'"),
    ("before registration", "events", 3, "effective_date", "before the registration on 2020-01-10"),
    ("unknown force", "people", 2, "force", "no force has the slug 'gotham'"),
    ("duplicate reference", "people", 2, "reference", "on more than one row"),
    ("no months", "disposals", 2, "months", "is required for imprisonment"),
    ("end without start", "events", 4, "effective_date", "no hospital period is open"),
    ("bad outcome", "events", 5, "details.outcome", "must be one of"),
    ("address without notification", "addresses", 2, "notified_on", "no notification on"),
    ("after death", "events", 3, "effective_date", "after the person's death on 2020-05-01"),
    ("future registration", "people", 2, "registered_on", "is in the future"),
    ("manager of another force", "people", 2, "offender_manager", "not an officer of"),
    ("transfer kind", "events", 3, "kind", "does not open, accept or cancel transfers"),
    ("merge kind", "events", 3, "kind", "merge of duplicate identities is decided on the "
                                        "register"),
]


@pytest.mark.parametrize(
    ("change", "sheet", "line", "field", "words"), BAD_ROWS,
    ids=[f"a person with {c} is rejected whole and the reject file says where and why"
         for c, *_ in BAD_ROWS])
def test_a_bad_row_rejects_its_person_whole_and_lands_in_the_reject_file(
        tmp_path, admin, make_user, change, sheet, line, field, words):
    make_user("om.mercia", "offender_manager", force="west-mercia")
    report = run([write_csvs(tmp_path / "x", mutate(change))], admin)
    assert not Person.objects.filter(reference="WM-1").exists()
    assert Person.objects.filter(reference="WM-2").exists()  # the others go in
    rejects = read_rejects(tmp_path / "x.rejects.csv")
    assert {r["reference"] for r in rejects} == {"WM-1"}
    bad = [r for r in rejects if r["field"]]
    assert [(r["sheet"], int(r["line"]), r["field"]) for r in bad][0] == (sheet, line, field)
    assert words in bad[0]["reason"]
    assert all(r["reason"] and not r["reason"].startswith("not imported") for r in bad)
    assert bad[0]["file"].endswith(f"{sheet}.csv")
    # Every other row of the person is kept too, saying which row it waits on.
    wm1_rows = sum(1 for s in mutate(change).values() for r in s if r["reference"] == "WM-1")
    assert len(rejects) == wm1_rows == report.rows_rejected
    assert all(f"{sheet} line {line}" in r["reason"] for r in rejects if not r["field"])
    assert json.loads(bad[0]["row"])["reference"] == "WM-1"
    assert report.people_rejected == 1


def test_a_row_whose_reference_has_no_person_is_rejected(tmp_path, admin):
    rows = good_extract()
    rows["events"].append({"reference": "WM-9", "kind": "visit", "effective_date": "2021-01-01",
                           "station": "", "outcome": "no_reply"})
    report = run([write_csvs(tmp_path / "x", rows)], admin)
    assert report.people_created == 2
    (reject,) = read_rejects(tmp_path / "x.rejects.csv")
    assert (reject["sheet"], reject["line"], reject["field"]) == ("events", "7", "reference")
    assert "no row of the people sheet" in reject["reason"]


def test_a_dry_run_reports_the_same_counts_and_changes_nothing(tmp_path, admin):
    folder = write_csvs(tmp_path / "x", mutate("bad outcome"))
    audit_before = AuditEntry.objects.count()
    dry = run([folder], admin, dry_run=True)
    assert (dry.people_created, dry.people_rejected, dry.rows_rejected) == (1, 1, 8)
    assert dry.events_created == 3  # WM-2: registered, disposal, notification (+ its address)
    assert not Person.objects.exists() and not Event.objects.exists()
    assert not ImportRun.objects.exists() and AuditEntry.objects.count() == audit_before
    assert len(read_rejects(tmp_path / "x.rejects.csv")) == 8
    assert "Dry run: nothing was changed." in dry.summary()
    real = run([folder], admin)
    assert (real.people_created, real.events_created, real.rows_rejected) == (1, 3, 8)


def test_running_the_same_extract_again_creates_nothing_new(tmp_path, admin):
    folder = write_csvs(tmp_path / "x", good_extract())
    run([folder], admin)
    counts = (Person.objects.count(), Event.objects.count(), Address.objects.count())
    again = run([folder], admin)
    assert (again.people_created, again.rows_rejected) == (0, 0)
    assert again.people_already_present == 2
    assert again.rows_already_present == sum(len(t) for t in good_extract().values())
    assert (Person.objects.count(), Event.objects.count(), Address.objects.count()) == counts
    assert ImportRun.objects.count() == 1


def test_a_changed_row_for_a_person_already_imported_is_rejected_not_duplicated(tmp_path, admin):
    run([write_csvs(tmp_path / "x", good_extract())], admin)
    events = Event.objects.count()
    rows = good_extract()
    rows["events"][3]["outcome"] = "no_reply"  # the visit, changed in the source system
    again = run([write_csvs(tmp_path / "y", rows)], admin)
    assert Event.objects.count() == events
    (reject,) = read_rejects(tmp_path / "y.rejects.csv")
    assert (reject["sheet"], reject["line"], reject["reference"]) == ("events", "5", "WM-1")
    assert "WM-1 was put on the register by import" in reject["reason"]
    assert again.rows_already_present == sum(len(t) for t in rows.values()) - 1


def test_a_reference_already_on_the_register_is_rejected(tmp_path, admin, make_person):
    typed = make_person()
    rows = good_extract()
    rows["people"][0]["reference"] = typed.reference
    for sheet in ("aliases", "disposals", "events", "addresses"):
        for row in rows[sheet]:
            if row["reference"] == "WM-1":
                row["reference"] = typed.reference
    report = run([write_csvs(tmp_path / "x", rows)], admin)
    assert report.people_created == 1
    rejects = read_rejects(tmp_path / "x.rejects.csv")
    assert len(rejects) == 8 and all("already on the register" in r["reason"] for r in rejects)
    assert typed.events.count() == 2  # registered, assignment: untouched


def test_the_same_extract_as_xlsx_and_as_csv_is_the_same_import(tmp_path, admin):
    book = write_xlsx(tmp_path / "extract.xlsx", good_extract())
    report = run([book], admin)
    assert (report.people_created, report.rows_rejected) == (2, 0)
    disposal = Disposal.objects.get(person__reference="WM-1")
    assert (disposal.relevant_date, disposal.months) == (dt.date(2020, 1, 10), 6)
    again = run([write_csvs(tmp_path / "x", good_extract())], admin)
    assert (again.people_already_present, again.rows_rejected) == (2, 0)


def test_a_mapping_file_renames_columns_translates_codes_and_reads_dates(tmp_path, admin):
    rows = good_extract()
    for row in rows["people"]:
        row["URN"] = row.pop("reference")
        row["sex"] = {"M": "Male", "F": "Female"}[row["sex"]]
        day = dt.date.fromisoformat(row.pop("date_of_birth"))
        row["DOB"] = day.strftime("%d/%m/%Y")
    folder = write_csvs(tmp_path / "x", rows)
    (folder / "people.csv").rename(folder / "nominals.csv")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('date_format = "%d/%m/%Y"\n[sheets]\npeople = "nominals"\n'
                       '[columns.people]\nreference = "URN"\ndate_of_birth = "DOB"\n'
                       '[values.people.sex]\nMale = "M"\nFemale = "F"\n')
    report = run([folder], admin, mapping=mapping)
    assert (report.people_created, report.rows_rejected) == (2, 0)
    assert Person.objects.get(reference="WM-2").date_of_birth == dt.date(1975, 2, 3)


@pytest.mark.parametrize(("problem", "field"), [
    ("people", "people.sex"), ("events", "events.kind")],
    ids=["a people sheet without a sex column refuses the whole extract",
         "an events sheet without a kind column refuses the whole extract"])
def test_a_missing_column_refuses_the_whole_extract_and_changes_nothing(
        tmp_path, admin, problem, field):
    rows = good_extract()
    drop = {"people": "sex", "events": "kind"}[problem]
    for row in rows[problem]:
        del row[drop]
    with pytest.raises(InvalidInput) as error:
        run([write_csvs(tmp_path / "x", rows)], admin)
    assert error.value.field == field
    assert not Person.objects.exists()


def test_an_unknown_column_refuses_the_whole_extract(tmp_path, admin):
    rows = good_extract()
    rows["people"][0]["familyname"] = "typo"
    with pytest.raises(InvalidInput, match="'familyname' is not a column of people"):
        run([write_csvs(tmp_path / "x", rows)], admin)
    assert not Person.objects.exists()


@pytest.mark.parametrize(("role", "force", "allowed"), [
    ("administrator", None, True),
    ("senior_officer", "west-midlands", True),
    ("supervisor", "west-midlands", False),
    ("offender_manager", "west-midlands", False),
    ("analyst", None, False),
], ids=["a national administrator may import",
        "a senior officer may import people of their force",
        "a supervisor may not import",
        "an offender manager may not import",
        "an analyst may not import"])
def test_who_may_import(tmp_path, make_user, officer, role, force, allowed):
    user = make_user("importer", role, force=force)
    folder = write_csvs(tmp_path / "x", good_extract())
    if allowed:
        assert run([folder], user).people_created == 2
    else:
        with pytest.raises(InvalidInput, match="may not import"):
            run([folder], user)
        assert not Person.objects.exists()


def test_a_senior_officer_may_not_import_people_of_another_force(tmp_path, make_user, officer):
    senior = make_user("senior.mercia", "senior_officer", force="west-mercia")
    report = run([write_csvs(tmp_path / "x", good_extract())], senior)
    assert report.people_created == 0 and report.people_rejected == 2
    rejects = read_rejects(tmp_path / "x.rejects.csv")
    assert {r["reason"] for r in rejects if r["field"] == "force"} == {
        "'west-midlands': the person importing may import people of 'west-mercia' only"}


def test_the_command_imports_and_prints_the_counts(tmp_path, admin, capsys):
    from whereabouts.cli.main import main

    folder = write_csvs(tmp_path / "x", mutate("no months"))
    rejects = tmp_path / "out" / "rejects.csv"
    rejects.parent.mkdir()
    code = main(["import", "register", str(folder), "--by", "admin.one", "--as-at",
                 TODAY.isoformat(), "--rejects", str(rejects)])
    out = capsys.readouterr().out
    assert code == 0
    assert "People created: 1" in out and "Rejected: 8 rows (1 people)" in out
    assert len(read_rejects(rejects)) == 8
    assert ImportedPerson.objects.get().reference == "WM-2"


def test_an_imported_ledger_replays_through_the_services_with_the_same_status(tmp_path, admin,
                                                                              officer):
    from whereabouts.compliance.sweep import status_from_case
    from whereabouts.register import services
    from whereabouts.register.selectors import ledger_case, live_events
    from whereabouts.register.services import AddressInput, DisposalInput

    run([write_csvs(tmp_path / "x", good_extract())], admin)
    one = Person.objects.get(reference="WM-1")
    copy = services.person_register(
        force=one.force_id, family_name=one.family_name, given_names=one.given_names,
        date_of_birth=one.date_of_birth, sex=one.sex, reference="COPY-1", today=TODAY,
        recorded_by=admin, source="test")
    for event in live_events(one):
        if event.kind == "registered":
            continue
        d = getattr(event, "disposal", None) if event.kind == "disposal" else None
        services.event_record(
            person_id=copy.pk, kind=event.kind, effective_date=event.effective_date,
            today=TODAY, recorded_by=admin, source="test", details=event.details,
            disposal=None if d is None else DisposalInput(
                offence=d.offence, kind=d.kind, court=d.court, months=d.months, life=d.life,
                restriction_order=d.restriction_order, suspended=d.suspended),
            addresses=[AddressInput(kind=a.kind, line1=a.line1, town=a.town, line2=a.line2,
                                    postcode=a.postcode) for a in event.addresses.all()],
            aliases=[(a.family_name, a.given_names, a.used_from, a.used_to)
                     for a in event.aliases.all()])
    assert len(live_events(copy)) == len(live_events(one))
    for as_at in (dt.date(2020, 3, 1), dt.date(2020, 6, 15), TODAY):
        assert status_from_case(ledger_case(copy, as_at), as_at) == \
            status_from_case(ledger_case(one, as_at), as_at)


def test_rows_made_in_a_second_process_are_the_same(tmp_path, admin, monkeypatch):
    from whereabouts.imports import services as import_services

    monkeypatch.setattr(import_services, "FORK_FROM", 1)  # a large import's path, for 2
    report = run([write_csvs(tmp_path / "x", good_extract())], admin)
    assert (report.people_created, report.rows_rejected) == (2, 0)
    one = Person.objects.get(reference="WM-1")
    assert one.events.count() == 8 and Address.objects.filter(person=one).count() == 1
    assert SearchKey.objects.filter(person=one, token="QUILFEATHER").exists()
    assert ImportedPerson.objects.get(reference="WM-1").person == one


def test_a_senior_officers_import_fills_in_their_force_where_the_extract_has_none(
        tmp_path, make_user, officer):
    senior = make_user("senior.wm", "senior_officer", force="west-midlands")
    rows = good_extract()
    for row in rows["people"]:
        del row["force"]
    report = run([write_csvs(tmp_path / "x", rows)], senior)
    assert report.people_created == 2
    assert set(Person.objects.values_list("force_id", flat=True)) == {"west-midlands"}


def test_an_import_for_one_force_rejects_the_people_of_another(tmp_path, admin):
    rows = good_extract()
    rows["people"][1]["force"] = "west-mercia"
    report = run([write_csvs(tmp_path / "x", rows)], admin, force="west-midlands")
    assert report.people_created == 1 and not Person.objects.filter(reference="WM-2").exists()
    (bad,) = [r for r in read_rejects(tmp_path / "x.rejects.csv") if r["field"]]
    assert (bad["reference"], bad["field"], bad["reason"]) == (
        "WM-2", "force", "'west-mercia': this import is for 'west-midlands'")
    with pytest.raises(InvalidInput, match="no force has the slug 'gotham'"):
        run([tmp_path / "x"], admin, force="gotham")
