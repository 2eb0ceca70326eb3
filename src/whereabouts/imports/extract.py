"""Reading a register extract: its sheets, the column mapping, and each cell as plain text.

An extract is an XLSX workbook with the sheets ``people``, ``aliases``, ``addresses``,
``disposals`` and ``events``, or the same as CSV files (``people.csv``, ...) in a directory
or named one by one. Only ``people`` is required. A mapping file (JSON or TOML) renames the
sheets and columns to the extract's own, translates coded values and sets the date format;
docs/import.md has the columns and an example.

Every cell is read as text (a workbook's dates and numbers are written the way a CSV would
have them), so that the same extract as CSV or as XLSX is checked, and fingerprinted, the
same way. A header that lacks a required column, or has one this does not know, refuses the
whole extract before anything is read: a misspelt column would otherwise lose its data.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import operator
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whereabouts.register.errors import InvalidInput

SHEETS = ("people", "aliases", "addresses", "disposals", "events")

#: Each sheet's columns, in the documented order. ``events`` also takes one column per
#: detail field of the event kinds (``outcome``, ``station``, ...), see docs/import.md.
COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("reference", "force", "family_name", "given_names", "date_of_birth", "sex",
               "pnc_id", "cro_number", "ni_number", "passport_number", "registered_on",
               "offender_manager"),
    "aliases": ("reference", "family_name", "given_names", "used_from", "used_to",
                "recorded_on"),
    "addresses": ("reference", "notified_on", "kind", "line1", "line2", "town", "postcode"),
    "disposals": ("reference", "relevant_date", "offence", "kind", "court", "months", "life",
                  "restriction_order", "suspended", "note"),
    "events": ("reference", "kind", "effective_date", "details"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "people": ("reference", "family_name", "given_names", "date_of_birth", "sex",
               "registered_on"),
    "aliases": ("reference", "family_name", "given_names"),
    "addresses": ("reference", "notified_on", "line1", "town"),
    "disposals": ("reference", "relevant_date", "offence", "kind"),
    "events": ("reference", "kind", "effective_date"),
}


@dataclass
class Mapping:
    """How an extract's names differ from ours: sheet and column renames, coded values."""

    sheets: dict[str, str] = field(default_factory=dict)  # ours -> theirs
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet: ours -> theirs
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # theirs -> ours
    date_format: str = ""  # strptime format for dates not written YYYY-MM-DD

    def sheet_name(self, sheet: str) -> str:
        return self.sheets.get(sheet, sheet)

    def column_name(self, sheet: str, column: str) -> str:
        return self.columns.get(sheet, {}).get(column, column)


def load_mapping(path: str | Path | None) -> Mapping:
    """A mapping file (``.json`` or ``.toml``), checked; none gives the default names."""
    if path is None:
        return Mapping()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise InvalidInput("mapping", f"cannot read {path}: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput("mapping", "must be an object with sheets, columns, values, "
                                      "date_format")
    unknown = set(data) - {"sheets", "columns", "values", "date_format"}
    if unknown:
        raise InvalidInput(f"mapping.{sorted(unknown)[0]}", "is not a mapping setting "
                           "(sheets, columns, values, date_format)")
    mapping = Mapping(date_format=str(data.get("date_format", "")))
    sheets = data.get("sheets", {})
    if not isinstance(sheets, dict) or set(sheets) - set(SHEETS):
        raise InvalidInput("mapping.sheets", f"renames only the sheets {', '.join(SHEETS)}")
    mapping.sheets = {k: str(v) for k, v in sheets.items()}
    for key in ("columns", "values"):
        part = data.get(key, {})
        if not isinstance(part, dict) or not all(isinstance(v, dict) for v in part.values()):
            raise InvalidInput(f"mapping.{key}", "must map a sheet to a table")
        for sheet, table in part.items():
            if sheet not in SHEETS:
                raise InvalidInput(f"mapping.{key}.{sheet}",
                                   f"is not a sheet ({', '.join(SHEETS)})")
            for column in table:
                if column not in COLUMNS[sheet] and sheet != "events":
                    raise InvalidInput(f"mapping.{key}.{sheet}.{column}",
                                       f"is not a column of {sheet}")
    mapping.columns = {s: {k: str(v) for k, v in t.items()}
                       for s, t in data.get("columns", {}).items()}
    mapping.values = {s: {c: {str(a): str(b) for a, b in m.items()} for c, m in t.items()}
                      for s, t in data.get("values", {}).items()}
    return mapping


def cell_text(value: Any) -> str:
    """A cell as the text a CSV would hold: dates ``YYYY-MM-DD``, whole numbers without
    ``.0``, booleans ``true``/``false``, nothing as the empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Sheet:
    """One sheet's rows: ``header`` as in the file, ``index`` our column -> position, and
    ``rows`` as (line number in the file, cells as text)."""

    name: str
    file: str
    header: list[str]
    index: dict[str, int]
    rows: list[tuple[int, list[str]]]
    extra: dict[str, int] = field(default_factory=dict)  # events: detail column -> position

    def __post_init__(self) -> None:
        # Our names in a fixed order and a getter of their cells in that order, for
        # fingerprints.
        named = sorted([*self.index.items(), *self.extra.items()])
        self.names = tuple(n for n, _ in named)
        positions = [i for _, i in named]
        self.cells_in_order = (operator.itemgetter(*positions) if len(positions) > 1
                               else lambda cells: tuple(cells[i] for i in positions))

    def raw(self, cells: Sequence[str]) -> dict[str, str]:
        return dict(zip(self.header, cells, strict=False))


@dataclass
class Extract:
    label: str  # the file or directory name, for the ledger's ``source``
    sheets: dict[str, Sheet]
    mapping: Mapping


def _index(sheet: str, header: list[str], mapping: Mapping, file: str
           ) -> tuple[dict[str, int], dict[str, int]]:
    positions = {name: i for i, name in enumerate(header) if name}
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise InvalidInput(f"{sheet}.{name}", f"{file}: the column {name!r} appears twice")
        seen.add(name)
    index: dict[str, int] = {}
    for column in COLUMNS[sheet]:
        theirs = mapping.column_name(sheet, column)
        if theirs in positions:
            index[column] = positions.pop(theirs)
    missing = [mapping.column_name(sheet, c) for c in REQUIRED[sheet] if c not in index]
    if missing:
        raise InvalidInput(f"{sheet}.{missing[0]}", f"{file}: the header has no column "
                           f"{missing[0]!r}; nothing was imported")
    extra: dict[str, int] = {}
    if sheet == "events":
        renamed = {v: k for k, v in mapping.columns.get("events", {}).items()}
        for name, i in positions.items():
            ours = renamed.get(name, name)
            # ``details.reference``: a detail field named like a column of the sheet.
            ours = ours.removeprefix("details.")
            if ours in extra:
                raise InvalidInput(f"events.{name}", f"{file}: the detail {ours!r} has two "
                                                     "columns")
            extra[ours] = i
    elif positions:
        name = sorted(positions)[0]
        raise InvalidInput(f"{sheet}.{name}", f"{file}: {name!r} is not a column of {sheet} "
                           f"({', '.join(COLUMNS[sheet])}); nothing was imported")
    return index, extra


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        line = 1
        strip = str.strip
        for cells in reader:
            yield line, list(map(strip, cells))
            line = reader.line_num + 1


def _sheet(sheet: str, file: str, rows: Iterator[tuple[int, list[str]]],
           mapping: Mapping) -> Sheet:
    try:
        _, header = next(rows)
    except StopIteration:
        header = []
    index, extra = _index(sheet, header, mapping, file)
    width = len(header)
    kept = []
    for line, cells in rows:
        if not any(cells):
            continue  # blank lines are not rows
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        kept.append((line, cells))
    return Sheet(sheet, file, header, index, kept, extra)


def read_extract(paths: Sequence[str | Path], mapping: Mapping) -> Extract:
    """The sheets of an XLSX workbook, a directory of CSV files or CSV files named one by
    one (each named after its sheet, as renamed by the mapping)."""
    if not paths:
        raise InvalidInput("file", "name an XLSX workbook, a directory or CSV files")
    files: dict[str, Path] = {}
    theirs = {mapping.sheet_name(s).lower(): s for s in SHEETS}
    sheets: dict[str, Sheet] = {}
    first = Path(paths[0])
    if len(paths) == 1 and first.suffix.lower() == ".xlsx":
        sheets = _read_workbook(first, mapping, theirs)
        label = first.name
    else:
        for raw in paths:
            path = Path(raw)
            if not path.exists():
                raise InvalidInput("file", f"{path} does not exist")
            candidates = sorted(path.glob("*.csv")) if path.is_dir() else [path]
            for candidate in candidates:
                sheet = theirs.get(candidate.stem.lower())
                if sheet is None:
                    if path.is_dir():
                        continue
                    raise InvalidInput("file", f"{candidate.name} is not named after a sheet "
                                       f"({', '.join(mapping.sheet_name(s) for s in SHEETS)})")
                if sheet in files:
                    raise InvalidInput("file", f"two files for the {sheet} sheet")
                files[sheet] = candidate
        for sheet, path in files.items():
            sheets[sheet] = _sheet(sheet, str(path), _csv_rows(path), mapping)
        label = first.name if len(paths) == 1 else first.parent.name or first.name
    if "people" not in sheets:
        raise InvalidInput("people", f"the extract has no {mapping.sheet_name('people')} "
                                     "sheet; nothing was imported")
    return Extract(label=label, sheets=sheets, mapping=mapping)


def _read_workbook(path: Path, mapping: Mapping, theirs: dict[str, str]) -> dict[str, Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise InvalidInput("file", f"{path} is not a readable XLSX workbook: {exc}") from None
    sheets: dict[str, Sheet] = {}
    try:
        for worksheet in book.worksheets:
            sheet = theirs.get(worksheet.title.strip().lower())
            if sheet is None:
                continue

            def rows(ws: Any = worksheet) -> Iterator[tuple[int, list[str]]]:
                for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    yield line, [cell_text(v) for v in values]

            sheets[sheet] = _sheet(sheet, f"{path}:{worksheet.title}", rows(), mapping)
    finally:
        book.close()
    return sheets
