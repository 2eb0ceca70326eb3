"""Writing a table of figures as CSV, XLSX (openpyxl) or ODS (the standard library).

A table is a header row and rows of text, whole numbers or None (an empty cell). ODS is
written directly: a flat sheet is a few lines of OpenDocument XML in a zip, and the one
Python library for it (odfpy) has had no release since 2020.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Cell = str | int | float | None
FORMATS = ("json", "csv", "xlsx", "ods")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return out.getvalue().encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str = "Figures",
            notes: Sequence[str] = ()) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(c) for c in row])
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe(cell: Cell) -> Cell:
    """Text that a spreadsheet would read as a formula is written with a leading apostrophe."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    return cell


_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_CONTENT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)


def _ods_cell(cell: Cell) -> str:
    if cell is None:
        return "<table:table-cell/>"
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{cell}">'
                f"<text:p>{cell}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(cell))}'
            "</text:p></table:table-cell>")


def to_ods(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str = "Figures",
           notes: Sequence[str] = ()) -> bytes:
    body = [_CONTENT_HEAD, f"<table:table table:name={quoteattr(title[:31])}>"]
    for row in [list(header), *rows, *([[]] if notes else []), *[[n] for n in notes]]:
        body.append("<table:table-row>" + "".join(_ods_cell(c) for c in row)
                    + "</table:table-row>")
    body.append("</table:table></office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        # The mimetype comes first and uncompressed, so that it can be read at a fixed offset.
        z.writestr(zipfile.ZipInfo("mimetype"), CONTENT_TYPES["ods"],
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", _MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", "".join(body), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def read_ods(data: bytes) -> list[list[str]]:
    """The cells of an ODS written by :func:`to_ods`, as text (for tests and checks)."""
    from xml.etree import ElementTree

    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = ElementTree.fromstring(z.read("content.xml"))
    return [["".join("".join(p.itertext()) for p in cell.findall("text:p", ns))
             for cell in row.findall("table:table-cell", ns)]
            for row in root.iter(f"{{{ns['table']}}}table-row")]


def write(fmt: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], **kw: Any) -> bytes:
    if fmt == "csv":
        return to_csv(header, rows)
    if fmt == "xlsx":
        return to_xlsx(header, rows, **kw)
    if fmt == "ods":
        return to_ods(header, rows, **kw)
    raise ValueError(f"unknown format {fmt!r}")


#: The columns of a figures table: one row per force, then each region, then the total.
FIGURE_COLUMNS = (
    "registered", "rate_per_100k", "missing", "missing_per_100k", "believed_abroad",
    "missing_opened_this_year", "recorded_missing_this_year", "missing_over_1_year",
    "missing_over_5_years", "missing_over_10_years", "earliest_missing_since",
    "earliest_recorded_missing", "episodes_opened", "episodes_closed", "breaches_recorded",
    "notifications_overdue", "notifications_due", "population",
)
RISK_COLUMNS = ("very_high", "high", "medium", "low", "not_recorded")


def figures_table(report: dict[str, Any]) -> tuple[list[str], list[list[Cell]]]:
    header = ["level", "key", "region", *FIGURE_COLUMNS,
              *[f"missing_risk_{r}" for r in RISK_COLUMNS], "rank"]
    rows: list[list[Cell]] = []

    def line(level: str, key: str, region: str, data: dict[str, Any], rank: Cell) -> None:
        rows.append([level, key, region, *[data[c] for c in FIGURE_COLUMNS],
                     *[data["missing_by_risk"][r] for r in RISK_COLUMNS], rank])

    for f in report["forces"]:
        line("force", f["force"], f["region"], f, f["rank_by_missing"])
    for r in report["regions"]:
        line("region", r["region"], r["region"], r, r["rank_in_england"])
    line("total", report["scope"], "", report["total"], None)
    return header, rows
