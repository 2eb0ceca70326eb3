"""Importing partner extracts: the declared mapping, each row checked, rejects kept."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from whereabouts.access.models import AuditEntry
from whereabouts.linkage.extracts import import_extract, parse_mapping
from whereabouts.linkage.models import PartnerRecord
from whereabouts.register.errors import InvalidInput
from whereabouts.register.recording import NotPermitted

from ..conftest import TODAY

MAPPING = {"columns": {"family_name": "SURNAME", "given_names": "FORENAMES",
                       "date_of_birth": "DOB", "ni_number": "NINO", "address_line": "ADDR1",
                       "postcode": "POSTCODE", "date_from": "START", "source_id": "REF"},
           "date_format": "%d/%m/%Y"}
HEADER = ["REF", "SURNAME", "FORENAMES", "DOB", "NINO", "ADDR1", "POSTCODE", "START"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


@pytest.mark.parametrize(("mapping", "message"), [
    pytest.param("{not json", "is not JSON", id="a mapping that is not JSON is refused"),
    pytest.param({"family_name": "A"}, "must be an object with a \"columns\" object",
                 id="a mapping without its columns object is refused"),
    pytest.param({"columns": {"family_name": "A", "given_names": "B"}},
                 "must name the column for date_of_birth",
                 id="a mapping without the date of birth is refused"),
    pytest.param({"columns": {"family_name": "A", "given_names": "B", "date_of_birth": "C",
                              "shoe_size": "D"}}, "fields we do not know: shoe_size",
                 id="a mapping with a field we do not know is refused"),
    pytest.param({"columns": {"family_name": "A", "given_names": "B", "date_of_birth": "C"},
                  "date_format": "dd/mm/yyyy"}, "not a strftime format",
                 id="a date format that is not a strftime format is refused"),
])
def test_the_mapping_is_checked(mapping: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_mapping(json.dumps(mapping) if isinstance(mapping, dict) else mapping)
    assert exc.value.field == "mapping" and message in exc.value.message


def test_a_mapping_with_only_the_required_fields_is_accepted() -> None:
    mapping = parse_mapping({"columns": {"family_name": "A", "given_names": "B",
                                         "date_of_birth": "C"}})
    assert mapping.date_format == "%Y-%m-%d"


GOOD = ["H1", "Smyth", "Bob", "05/01/1980", "", "22 Canal Side", "ws2 8aa", "01/03/2024"]


@pytest.mark.parametrize(("change", "reason"), [
    pytest.param({1: ""}, "family_name is empty", id="a row without a family name is rejected"),
    pytest.param({2: " "}, "given_names is empty", id="a row without given names is rejected"),
    pytest.param({3: "31/02/1980"}, "date_of_birth '31/02/1980' is not a date",
                 id="an impossible date of birth is rejected"),
    pytest.param({3: "01/01/2030"}, "is in the future",
                 id="a date of birth in the future is rejected"),
    pytest.param({4: "12345"}, "is not a National Insurance number",
                 id="a malformed NI number is rejected"),
    pytest.param({6: "NOT A CODE"}, "is not a UK postcode",
                 id="a malformed postcode is rejected"),
    pytest.param({7: "yesterday"}, "date_from 'yesterday' is not a date",
                 id="a start date that is not a date is rejected"),
])
def test_each_bad_row_is_kept_with_its_line_and_reason(tmp_path: Path, make_user: Any,
                                                       change: dict[int, str],
                                                       reason: str) -> None:
    bad = [change.get(i, v) for i, v in enumerate(GOOD)]
    path = write_csv(tmp_path / "dwp.csv", [GOOD, bad])
    extract = import_extract(path=path, agency="DWP", mapping=MAPPING, actor=None, today=TODAY)
    assert (extract.rows_read, extract.rows_accepted, extract.rows_rejected) == (2, 1, 1)
    with open(extract.rejects_path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["line", "reason"] and rows[1][0] == "3"
    assert reason in rows[1][1] and rows[1][2:] == bad


def test_an_accepted_row_is_kept_normalised_and_the_import_is_in_the_audit_log(
        tmp_path: Path, make_user: Any) -> None:
    path = write_csv(tmp_path / "housing.csv", [GOOD])
    extract = import_extract(path=path, agency="Walsall Housing", mapping=MAPPING, actor=None,
                             today=TODAY)
    record = PartnerRecord.objects.get(extract=extract)
    assert (record.family_name, record.given_names, record.date_of_birth, record.postcode,
            record.address_line, record.date_from, record.line, record.source_id) == (
        "SMYTH", "BOB", dt.date(1980, 1, 5), "WS2 8AA", "22 CANAL SIDE", dt.date(2024, 3, 1),
        2, "H1")
    assert extract.rejects_path == "" and not (tmp_path / "housing.csv.rejects.csv").exists()
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "combination" and "Walsall Housing" in entry.what


def test_a_parquet_extract_is_read_with_its_own_dates(tmp_path: Path, make_user: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "probation.parquet"
    pq.write_table(pa.table({"SURNAME": ["Price", ""], "FORENAMES": ["Karen", "X"],
                             "DOB": [dt.date(1975, 3, 14), dt.date(1970, 1, 1)]}), path)
    extract = import_extract(path=path, agency="Probation", actor=None, today=TODAY,
                             mapping={"columns": {"family_name": "SURNAME",
                                                  "given_names": "FORENAMES",
                                                  "date_of_birth": "DOB"}},
                             rejects_path=tmp_path / "rejects.csv")
    assert (extract.rows_accepted, extract.rows_rejected) == (1, 1)
    assert PartnerRecord.objects.get(extract=extract).date_of_birth == dt.date(1975, 3, 14)
    assert "family_name is empty" in (tmp_path / "rejects.csv").read_text()


def test_a_mapping_naming_a_column_the_file_lacks_imports_nothing(tmp_path: Path,
                                                                  make_user: Any) -> None:
    path = write_csv(tmp_path / "dwp.csv", [GOOD])
    mapping = {"columns": {**MAPPING["columns"], "earlier_family_names": "MAIDEN"}}
    with pytest.raises(InvalidInput, match="MAIDEN"):
        import_extract(path=path, agency="DWP", mapping=mapping, actor=None, today=TODAY)
    assert not PartnerRecord.objects.exists()


def test_only_supervisors_and_senior_officers_import(tmp_path: Path, make_user: Any) -> None:
    path = write_csv(tmp_path / "dwp.csv", [GOOD])
    with pytest.raises(NotPermitted):
        import_extract(path=path, agency="DWP", mapping=MAPPING, today=TODAY,
                       actor=make_user("om.x", "offender_manager"))
    extract = import_extract(path=path, agency="DWP", mapping=MAPPING, today=TODAY,
                             actor=make_user("sup.x", "supervisor"))
    assert extract.imported_by.username == "sup.x"
