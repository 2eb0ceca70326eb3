"""The seed scenario's figures through ``whereabouts report missing``, on the small demo.

Reuses the small-scale demo fixture of test_build.py (scale 0.01: the West Midlands region
at full size, the rest of the nation at 1 %).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.contrib.auth import get_user_model

from whereabouts.access.models import AuditEntry
from whereabouts.demo import FOI_DATE, SCENARIO_TODAY
from whereabouts.missing.selectors import missing_figures
from whereabouts.reports.figures import Scope
from whereabouts.reports.selectors import management_figures, statuses_as_at

from . import test_build
from .test_build import REGION, SUBJECT, statuses

demo = test_build.demo  # the small demo, built once for this module too

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "figures.schema.json").read_text())


def run_report(tmp_path: Path, *args: str) -> dict[str, Any]:
    from whereabouts.cli.main import main

    out = tmp_path / "report.json"
    assert main(["report", "missing", *args, "--format", "json", "-o", str(out)]) == 0
    report = json.loads(out.read_text())
    jsonschema.validate(report, SCHEMA)
    return report


def test_the_west_midlands_region_as_at_the_foi_date_reproduces_the_scenario(demo, db,
                                                                               tmp_path):
    report = run_report(tmp_path, "--as-at", "2017-09-30", "--region", "West Midlands")
    forces = {f["force"]: f for f in report["forces"]}
    assert set(forces) == set(REGION)
    wm = forces["west-midlands"]
    assert (wm["registered"], wm["missing"], wm["believed_abroad"]) == (4380, 46, 14)
    assert wm["recorded_missing_this_year"] == 5  # "missing episodes begun in 2017"
    assert wm["missing_opened_this_year"] == 5  # the example, by missing-since date
    assert wm["earliest_recorded_missing"].startswith("2006-")
    assert [forces[s]["missing"] for s in ("staffordshire", "west-mercia", "warwickshire")] \
        == [5, 3, 1]
    assert forces["west-mercia"]["earliest_recorded_missing"].startswith("2006-")
    # One each: the 2006 episodes (the example has "missing_over_10_years": 1).
    assert wm["missing_over_10_years"] == 1
    assert forces["west-mercia"]["missing_over_10_years"] == 1
    for slug in REGION:
        assert forces[slug]["registered"] == demo.registered[slug]
    [region] = report["regions"]
    assert (region["region"], region["missing"], region["rank_in_england"]) == \
        ("West Midlands", 55, 2)
    assert report["total"]["missing"] == 55
    assert report["as_at"] == "2017-09-30"


def test_missing_opened_this_year_counts_by_the_missing_since_date(demo, db):
    """The issue's definition (missing since on or after 1 January) against the recorded date
    the scenario's table uses: never more, since no one is recorded before they go missing."""
    report = management_figures(FOI_DATE, scope=Scope(region="West Midlands"))
    for f in report["forces"]:
        assert f["missing_opened_this_year"] <= f["recorded_missing_this_year"]
        assert f["earliest_missing_since"] <= f["earliest_recorded_missing"]
    wm = next(f for f in report["forces"] if f["force"] == "west-midlands")
    # The scenario's five episodes begun in 2017 were recorded and last confirmed at home in
    # 2017: both definitions give the table's 5, as in the example.
    assert (wm["missing_opened_this_year"], wm["recorded_missing_this_year"]) == (5, 5)
    assert wm["earliest_missing_since"].startswith("2006-")


def test_staffordshire_has_two_on_publication_day_and_nothing_else_moves(demo, db, tmp_path):
    before = {f["force"]: f["missing"] for f in run_report(
        tmp_path, "--as-at", "2017-09-30", "--region", "West Midlands")["forces"]}
    after = {f["force"]: f["missing"] for f in run_report(
        tmp_path, "--as-at", "2017-11-06", "--region", "West Midlands")["forces"]}
    assert after == before | {"staffordshire": 2}
    one = run_report(tmp_path, "--as-at", "2017-11-06", "--force", "staffordshire")
    assert [f["force"] for f in one["forces"]] == ["staffordshire"]
    assert one["total"]["missing"] == 2
    assert one["total"]["episodes_closed"] >= 3


def test_the_national_figures_agree_with_the_missing_selector_and_the_rules(demo, db):
    report = management_figures(FOI_DATE)
    old = missing_figures(FOI_DATE)
    assert {f["force"]: (f["missing"], f["believed_abroad"], f["missing_over_10_years"])
            for f in report["forces"]} == {
        k: (v.missing, v.believed_abroad, v.over_10_years) for k, v in old.items()}
    subject = sum(state in SUBJECT for state in statuses(FOI_DATE).values())
    assert report["total"]["registered"] == subject
    assert report["total"]["missing"] == sum(r["missing"] for r in report["regions"])
    english = sorted((r["rank_in_england"], r["region"]) for r in report["regions"]
                      if r["rank_in_england"])
    assert [name for _, name in english[:2]] == ["London", "West Midlands"]
    wales = next(r for r in report["regions"] if r["region"] == "Wales")
    assert wales["rank_in_england"] is None
    overdue = sum(c == "overdue" for _, c, _ in statuses_as_at(FOI_DATE))
    assert report["total"]["notifications_overdue"] == overdue


@pytest.mark.parametrize("day", ["2009-12-31", "2012-03-31", "2016-02-29", "2017-01-01",
                                 "2017-09-30", "2017-11-06", "2024-06-01"])
def test_registered_overdue_and_due_per_force_agree_with_the_rules_as_at_the_date(demo, db,
                                                                                  day):
    """The figures read the stored status periods; the rules as at the date must agree."""
    from collections import Counter

    from whereabouts.reports.figures import DUE_WITHIN_DAYS, REGISTERED_STATES

    as_at = dt.date.fromisoformat(day)
    due_by = as_at + dt.timedelta(days=DUE_WITHIN_DAYS)
    direct: Counter[tuple[str, str]] = Counter()
    for force, compliance, next_due in statuses_as_at(as_at):
        if compliance in REGISTERED_STATES:
            direct[force, "registered"] += 1
            direct[force, "overdue"] += compliance == "overdue"
            direct[force, "due"] += (compliance == "compliant" and next_due is not None
                                     and as_at <= next_due <= due_by)
    report = management_figures(as_at)
    stored = Counter()
    for f in report["forces"]:
        stored[f["force"], "registered"] = f["registered"]
        stored[f["force"], "overdue"] = f["notifications_overdue"]
        stored[f["force"], "due"] = f["notifications_due"]
    assert +stored == +direct
    assert report["total"]["registered"] > 0


def test_one_more_located_event_moves_the_figure_and_not_the_past(demo, db):
    from whereabouts.missing import services

    supervisor = get_user_model().objects.get(username="supervisor.demo")
    wm = Scope(force="west-midlands")
    assert management_figures(SCENARIO_TODAY, scope=wm)["total"]["missing"] == 46
    entry = next(e for e in demo.plan if e.force == "west-midlands"
                 and e.missing_on(SCENARIO_TODAY))
    from whereabouts.register.models import Person

    person = Person.objects.get(reference=entry.person_reference)
    services.record_located(person_id=person.pk, located_on=SCENARIO_TODAY,
                            where="Walsall bus station", by="PC 4321", how_found="arrest",
                            outcome="arrested", actor=supervisor, today=SCENARIO_TODAY)
    now = management_figures(SCENARIO_TODAY, scope=wm)["total"]
    assert (now["missing"], now["episodes_closed"]) == (45, 1)
    assert management_figures(FOI_DATE, scope=wm)["total"]["missing"] == 46
    assert management_figures(SCENARIO_TODAY - dt.timedelta(days=1),
                              scope=wm)["total"]["missing"] == 46


def test_every_use_of_the_exact_figures_is_logged(demo, db, tmp_path):
    before = AuditEntry.objects.count()
    run_report(tmp_path, "--as-at", "2017-09-30", "--force", "warwickshire")
    last = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert (last.action, last.actor_name) == ("consultation", "system")
    assert "2017-09-30" in last.what and "warwickshire" in last.what


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_the_same_figures_come_out_as_csv_xlsx_and_ods(demo, db, tmp_path, fmt):
    import csv
    import io

    from openpyxl import load_workbook

    from whereabouts.cli.main import main
    from whereabouts.reports.export import read_ods

    out = tmp_path / f"r.{fmt}"
    assert main(["report", "missing", "--as-at", "2017-09-30", "--region", "West Midlands",
                 "--format", fmt, "-o", str(out)]) == 0
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.read_text())))
    elif fmt == "xlsx":
        rows = [["" if c is None else str(c) for c in r]
                for r in load_workbook(out).active.iter_rows(values_only=True)]
    else:
        rows = read_ods(out.read_bytes())
    header = rows[0]
    wm = next(r for r in rows if len(r) > 1 and r[1] == "west-midlands")
    assert wm[header.index("missing")] == "46"
    assert wm[header.index("registered")] == "4380"
    region = next(r for r in rows if r and r[0] == "region")
    assert (region[header.index("missing")], region[header.index("rank")]) == ("55", "2")


def test_an_foi_pack_for_the_region_withholds_small_counts_and_names_no_one(demo, db,
                                                                            tmp_path):
    import io
    import zipfile

    from whereabouts.cli.main import main
    from whereabouts.register.models import Person

    out = tmp_path / "pack.zip"
    assert main(["foi", "--as-at", "2017-09-30", "--region", "West Midlands",
                 "--reference", "FOI-2017-123", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == sorted(
            [f"{s}.{x}" for s in ("registered", "missing", "located")
             for x in ("csv", "xlsx", "ods")]
            + ["covering-note.html", "covering-note.pdf", "missing-by-force.svg",
               "missing-by-time.svg", "time-to-locate.svg"])
        text = {name: z.read(name) for name in z.namelist()}
    missing = text["missing.csv"].decode().splitlines()
    assert missing[0] == ("Force,Under 1 year,1 to under 5 years,5 to under 10 years,"
                          "10 years or more,Total")
    rows = {line.split(",")[0]: line.split(",")[1:] for line in missing[1:]}
    assert rows["Warwickshire Police"][-1] == "fewer than 5"  # 1 missing
    assert rows["West Midlands Police"][-1] == "46"
    assert rows["Total"][-1] == "55"
    note = text["covering-note.html"].decode()
    assert "30 September 2017" in note and "changes every day" in note and "FOI-2017-123" in note
    from pypdf import PdfReader

    pdf_text = "".join(page.extract_text() for page in
                       PdfReader(io.BytesIO(text["covering-note.pdf"])).pages)
    assert "30 September 2017" in pdf_text and "changes every day" in pdf_text
    assert "FOI-2017-123" in pdf_text and "fewer than 5" in pdf_text
    by_force = text["missing-by-force.svg"].decode()
    assert "West Midlands Police" in by_force and ">46<" in by_force
    assert ">fewer than 5<" in by_force  # Warwickshire's 1 is drawn as published
    people = Person.objects.filter(force__region="West Midlands")
    needles = set()
    for p in people.values("reference", "family_name", "pnc_id", "date_of_birth")[:400]:
        needles |= {p["reference"], p["pnc_id"], p["date_of_birth"].isoformat(),
                    f" {p['family_name']} "}
    for name, blob in text.items():
        if name.endswith("xlsx") or name.endswith("ods"):
            with zipfile.ZipFile(io.BytesIO(blob)) as inner:
                blob = b"".join(inner.read(n) for n in inner.namelist())
        body = pdf_text if name.endswith("pdf") else blob.decode("utf-8", "replace")
        assert not [n for n in needles if n and n in body], name
    last = AuditEntry.objects.order_by("-id").first()
    assert (last.action, last.reason) == ("disclosure", "FOI-2017-123")
    assert main(["foi", "--force", "nowhere", "-o", str(out)]) == 2
