"""Importing a partner agency's extract (CSV or Parquet) with a declared column mapping.

The mapping is JSON: ``{"columns": {our field: the file's column, ...}, "date_format":
"%d/%m/%Y"}``. ``family_name``, ``given_names`` and ``date_of_birth`` are required; the
others (:data:`OPTIONAL`) may be left out. Each row is checked; a row that fails is kept,
with its line and the reason, in the rejects file, and never reaches the register's side.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.register.errors import InvalidInput
from whereabouts.register.recording import NotPermitted

from . import normalise
from .models import PartnerExtract, PartnerRecord

REQUIRED = ("family_name", "given_names", "date_of_birth")
OPTIONAL = ("source_id", "earlier_family_names", "ni_number", "address_line", "postcode",
            "date_from")
FORMATS = ("csv", "parquet")


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str]
    date_format: str


def parse_mapping(raw: Any) -> Mapping:
    """The declared mapping, checked; InvalidInput("mapping", ...) says what is wrong."""
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise InvalidInput("mapping", f"is not JSON: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
        raise InvalidInput("mapping", "must be an object with a \"columns\" object")
    columns = raw["columns"]
    unknown = sorted(set(columns) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise InvalidInput("mapping", f"has fields we do not know: {', '.join(unknown)}")
    absent = [f for f in REQUIRED if not columns.get(f)]
    if absent:
        raise InvalidInput("mapping", f"must name the column for {', '.join(absent)}")
    if not all(isinstance(v, str) and v for v in columns.values()):
        raise InvalidInput("mapping", "must name each column as text")
    date_format = raw.get("date_format", "%Y-%m-%d")
    if not isinstance(date_format, str) or "%" not in date_format:
        raise InvalidInput("mapping", "has a date_format that is not a strftime format")
    return Mapping(dict(columns), date_format)


def _rows(path: Path, file_format: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    if file_format == "csv":
        handle = path.open(newline="", encoding="utf-8-sig")
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])

        def rows() -> Iterator[dict[str, Any]]:
            with handle:
                yield from reader
        return header, rows()
    import pyarrow.parquet as pq

    table = pq.read_table(path)

    def batches() -> Iterator[dict[str, Any]]:
        for batch in table.to_batches(max_chunksize=50_000):
            yield from batch.to_pylist()
    return list(table.column_names), batches()


def _date(value: Any, date_format: str, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in (date_format, "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{field} {text!r} is not a date in the form {date_format}")


def clean_row(row: dict[str, Any], mapping: Mapping, today: dt.date) -> dict[str, Any]:
    """One row as a PartnerRecord's fields, or ValueError with the reason it is refused."""

    def get(field: str) -> Any:
        column = mapping.columns.get(field)
        return row.get(column) if column else None

    family = normalise.name(get("family_name"))
    given = normalise.name(get("given_names"))
    if not family:
        raise ValueError("family_name is empty")
    if not given:
        raise ValueError("given_names is empty")
    dob = _date(get("date_of_birth"), mapping.date_format, "date_of_birth")
    if dob is None:
        raise ValueError("date_of_birth is empty")
    if dob > today:
        raise ValueError(f"date_of_birth {dob} is in the future")
    if dob.year < 1900:
        raise ValueError(f"date_of_birth {dob} is before 1900")
    ni = normalise.ni_number(get("ni_number"))
    if ni is None:
        raise ValueError(f"ni_number {get('ni_number')!r} is not a National Insurance number")
    postcode = normalise.postcode(get("postcode"))
    if postcode is None:
        raise ValueError(f"postcode {get('postcode')!r} is not a UK postcode")
    date_from = _date(get("date_from"), mapping.date_format, "date_from")
    if date_from is not None and date_from > today:
        raise ValueError(f"date_from {date_from} is in the future")
    return {"family_name": family[:100], "given_names": given[:150],
            "earlier_family_names": normalise.name(get("earlier_family_names"))[:200],
            "date_of_birth": dob, "ni_number": ni, "postcode": postcode,
            "address_line": normalise.address_line(get("address_line"))[:200],
            "date_from": date_from, "source_id": str(get("source_id") or "")[:80]}


@transaction.atomic
def import_extract(*, path: str | Path, agency: str, mapping: Any, actor: AbstractBaseUser | None,
                   today: dt.date, rejects_path: str | Path | None = None) -> PartnerExtract:
    """Read ``path`` (CSV or Parquet, by its suffix), keep the rows that pass, write the rest
    to ``rejects_path`` (default ``FILE.rejects.csv``) with line and reason. ``actor`` None is
    the command line, run by the operator."""
    if actor is not None and not policy.may(actor, "partner_data.import"):
        raise NotPermitted("not found")
    path = Path(path)
    agency = " ".join((agency or "").split())
    if not agency:
        raise InvalidInput("agency", "is required")
    file_format = path.suffix.lower().lstrip(".")
    if file_format not in FORMATS:
        raise InvalidInput("file", f"must be .csv or .parquet, not {path.suffix or 'nothing'}")
    if not path.is_file():
        raise InvalidInput("file", f"{path} does not exist")
    declared = parse_mapping(mapping)
    header, rows = _rows(path, file_format)
    missing = [c for c in declared.columns.values() if c not in header]
    if missing:
        raise InvalidInput("mapping", f"names columns the file does not have: "
                                      f"{', '.join(missing)}")
    extract = PartnerExtract.objects.create(
        agency=agency[:80], source_name=path.name[:255], file_format=file_format,
        mapping={"columns": declared.columns, "date_format": declared.date_format},
        imported_by=actor, imported_at=timezone.now())
    rejects_file = Path(rejects_path) if rejects_path else path.with_name(path.name
                                                                          + ".rejects.csv")
    batch: list[PartnerRecord] = []
    read = accepted = rejected = 0
    with rejects_file.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["line", "reason", *header])
        for line, row in enumerate(rows, start=2):
            read += 1
            try:
                fields = clean_row(row, declared, today)
            except ValueError as exc:
                rejected += 1
                writer.writerow([line, str(exc), *(row.get(c, "") for c in header)])
                continue
            accepted += 1
            batch.append(PartnerRecord(extract=extract, line=line, **fields))
            if len(batch) >= 5000:
                PartnerRecord.objects.bulk_create(batch)
                batch = []
    PartnerRecord.objects.bulk_create(batch)
    extract.rows_read, extract.rows_accepted, extract.rows_rejected = read, accepted, rejected
    extract.rejects_path = str(rejects_file)[:500] if rejected else ""
    extract.save(update_fields=["rows_read", "rows_accepted", "rows_rejected", "rejects_path"])
    if not rejected:
        rejects_file.unlink(missing_ok=True)
    audit.record(actor=actor, action=AuditAction.COMBINATION,
                 what=f"imported partner extract {extract.pk} from {extract.agency} "
                      f"({extract.source_name}): {accepted} rows accepted, {rejected} rejected",
                 reason="partner data matching: to be combined with the register")
    return extract
