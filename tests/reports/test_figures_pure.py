"""The figures' arithmetic on plain data, and the table writers, without a database."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from whereabouts.missing.episodes import Episode
from whereabouts.reports import export
from whereabouts.reports.figures import ForceInfo, Scope, assemble, count_forces, rank, whole_years

D = dt.date
FORCES = [ForceInfo("a", "Force A", "North", "England", 1_000_000),
          ForceInfo("b", "Force B", "North", "England", 500_000),
          ForceInfo("c", "Force C", "South", "England", 2_000_000),
          ForceInfo("w", "Force W", "Wales", "Wales", 100_000)]


def ep(began: dt.date, since: dt.date, located: dt.date | None = None, abroad: bool = False,
       risk: str = "high") -> Episode:
    return Episode(began, since, abroad, "", risk, located)


def test_ranks_put_the_highest_first_and_ties_share_the_better_rank():
    assert rank({"a": 5, "b": 9, "c": 5, "d": 1, "e": None}) == {
        "a": 2, "b": 1, "c": 2, "d": 4, "e": None}


def test_whole_years_count_only_completed_years():
    assert whole_years(D(2006, 10, 1), D(2017, 9, 30)) == 10
    assert whole_years(D(2006, 9, 30), D(2017, 9, 30)) == 11


def test_counts_from_episodes_statuses_and_breaches():
    as_at, first = D(2017, 9, 30), D(2017, 1, 1)
    counts = count_forces(
        FORCES, as_at=as_at, first=first,
        episodes=[("a", [ep(D(2006, 3, 1), D(2006, 1, 10), abroad=True)]),
                  ("a", [ep(D(2017, 2, 1), D(2016, 12, 20))]),
                  ("a", [ep(D(2017, 5, 1), D(2017, 4, 1), located=D(2017, 6, 1))]),
                  ("a", [ep(D(2017, 9, 1), D(2017, 8, 1), risk="low")]),
                  ("b", [ep(D(2017, 10, 1), D(2017, 9, 1))])],  # recorded after the date
        statuses=[("a", "compliant", D(2017, 10, 3)), ("a", "overdue", None),
                  ("a", "away", None), ("a", "ended", None), ("b", "deceased", None),
                  ("c", "compliant", D(2017, 12, 1))],
        breaches={"a": 2})
    a = counts["a"].as_dict()
    assert (a["registered"], a["notifications_overdue"], a["notifications_due"]) == (3, 1, 1)
    assert (a["missing"], a["believed_abroad"], a["missing_over_10_years"]) == (3, 1, 1)
    assert (a["missing_opened_this_year"], a["recorded_missing_this_year"]) == (1, 2)
    assert (a["episodes_opened"], a["episodes_closed"], a["breaches_recorded"]) == (3, 1, 2)
    assert a["earliest_missing_since"] == "2006-01-10"
    assert a["earliest_recorded_missing"] == "2006-03-01"
    assert a["missing_by_risk"] == {"very_high": 0, "high": 2, "medium": 0, "low": 1,
                                    "not_recorded": 0}
    assert a["rate_per_100k"] == 0.3
    assert counts["b"].missing == 0 and counts["b"].registered == 0

    report = assemble(as_at, first, FORCES, counts, Scope(region="North"))
    assert [f["force"] for f in report["forces"]] == ["a", "b"]
    assert report["forces"][0]["rank_by_missing"] == 1
    [north] = report["regions"]
    assert (north["missing"], north["rank_in_england"], north["population"]) == (3, 1, 1_500_000)
    assert report["total"]["registered"] == 3
    assert report["not_available"]["mappa_category"]
    wales = assemble(as_at, first, FORCES, counts, Scope(force="w"))["regions"][0]
    assert (wales["rank_in_england"], wales["rank_in_england_and_wales"]) == (None, 2)


def test_an_unknown_region_is_refused():
    import pytest

    counts = count_forces(FORCES, as_at=D(2017, 1, 1), first=D(2017, 1, 1), episodes=[],
                          statuses=[], breaches={})
    with pytest.raises(LookupError):
        assemble(D(2017, 1, 1), D(2017, 1, 1), FORCES, counts, Scope(region="Atlantis"))


def test_the_writers_give_back_the_same_cells():
    from openpyxl import load_workbook

    header = ["force", "missing", "note"]
    rows = [["a", 3, "=HYPERLINK(1)"], ["b & <c>", None, "fewer than 5"]]
    assert export.to_csv(header, rows).decode() == \
        "force,missing,note\na,3,=HYPERLINK(1)\nb & <c>,,fewer than 5\n"
    book = load_workbook(io.BytesIO(export.to_xlsx(header, rows)))
    assert [list(r) for r in book.active.iter_rows(values_only=True)] == [
        header, ["a", 3, "'=HYPERLINK(1)"], ["b & <c>", None, "fewer than 5"]]
    ods = export.to_ods(header, rows, notes=["As at 2017-09-30"])
    with zipfile.ZipFile(io.BytesIO(ods)) as z:
        first = z.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert export.read_ods(ods) == [header, ["a", "3", "=HYPERLINK(1)"],
                                    ["b & <c>", "", "fewer than 5"], [], ["As at 2017-09-30"]]
