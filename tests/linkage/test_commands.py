"""``whereabouts partner-import`` and ``whereabouts link`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from whereabouts.cli.main import main
from whereabouts.linkage.models import Lead, PartnerExtract

from . import scenario


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return make_user("sup.wm", "supervisor")


def test_import_then_link_prints_what_it_did_and_opens_the_leads(
        make_person, supervisor, tmp_path: Path, capsys) -> None:
    built = scenario.build(make_person, supervisor, tmp_path, filler=4)
    path = tmp_path / "housing.csv"  # written by the scenario, imported once already
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({**scenario.MAPPING, "date_format": "%d/%m/%Y"}))
    assert main(["partner-import", str(path), "--agency", "Walsall Housing", "--mapping",
                 str(mapping), "--by", "sup.wm"]) == 0
    out = capsys.readouterr().out
    extract = PartnerExtract.objects.exclude(pk=built.extract.pk).get()
    assert f"Partner extract {extract.pk} from Walsall Housing: 8 rows read, 7 accepted, " \
           f"1 rejected" in out and "housing.csv.rejects.csv" in out
    assert main(["link", "--extract", str(extract.pk), "--by", "sup.wm"]) == 0
    out = capsys.readouterr().out
    assert "Splink 5.0.0, duckdb" in out and "3 leads opened" in out
    assert Lead.objects.filter(record__extract=extract).exclude(status="candidate").count() == 3


def test_a_bad_mapping_or_extract_is_an_error_not_a_crash(db, make_user, tmp_path: Path,
                                                         capsys) -> None:
    path = tmp_path / "x.csv"
    path.write_text("A,B\n1,2\n")
    mapping = tmp_path / "m.json"
    mapping.write_text("{}")
    assert main(["partner-import", str(path), "--agency", "DWP", "--mapping",
                 str(mapping)]) == 1
    assert "must be an object" in capsys.readouterr().err
    assert main(["link", "--extract", "424242"]) == 1
    assert "there is no partner extract 424242" in capsys.readouterr().err
