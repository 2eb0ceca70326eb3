"""FOI response packs: the figures for a force, a region or the nation, disclosure-controlled.

A pack holds three tables, each as CSV, XLSX and ODS, a short covering note as HTML and PDF,
and three charts as SVG, in one zip. Rows are forces, never anything smaller; the tables are
built from counts only, so no name, identifier, address or date of birth can reach them (a
test reads every file). The charts are drawn from the published cells only: a withheld cell
is drawn as its text ("fewer than 5", "[c]"), with no bar.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from whereabouts.access import audit
from whereabouts.access.models import AuditAction

from . import export
from .charts import Chart, bar_chart
from .disclosure import Published, publish
from .figures import NATION, Scope, assemble
from .selectors import (
    force_counts,
    force_infos,
    locate_period,
    located_by_time,
    start_of_year,
)

DURATION_BANDS = ("Under 1 year", "1 to under 5 years", "5 to under 10 years",
                  "10 years or more")
LOCATE_BANDS = ("Up to a week", "8 to 30 days", "31 to 90 days", "91 days to a year",
                "1 to 5 years", "Over 5 years")  # missing.selectors.BUCKETS


@dataclass(frozen=True)
class Pack:
    as_at: dt.date
    scope: Scope
    threshold: int
    tables: dict[str, tuple[str, Published]]  # file stem -> (title, table)
    note: str
    charts: tuple[Chart, ...] = ()
    pdf: bytes = b""


def _bands(f: dict[str, Any]) -> list[int]:
    return [f["missing"] - f["missing_over_1_year"],
            f["missing_over_1_year"] - f["missing_over_5_years"],
            f["missing_over_5_years"] - f["missing_over_10_years"], f["missing_over_10_years"]]


def build_pack(as_at: dt.date, *, scope: Scope = NATION, threshold: int = 5,
               actor: Any = None, request_reference: str = "") -> Pack:
    report = assemble(as_at, start_of_year(as_at), force_infos(),
                      force_counts(as_at, start_of_year(as_at)), scope)
    forces = sorted(report["forces"], key=lambda f: f["name"])
    names = [f["name"] for f in forces]
    tables = {
        "registered": (f"Registered sex offenders as at {as_at:%-d %B %Y}",
                       publish(names, ["Registered"], [[f["registered"]] for f in forces],
                               threshold=threshold)),
        "missing": (f"Registered sex offenders whose whereabouts were unknown as at "
                    f"{as_at:%-d %B %Y}, by how long since last confirmed at a notified address",
                    publish(names, DURATION_BANDS, [_bands(f) for f in forces],
                            threshold=threshold)),
    }
    first = locate_period(as_at)
    located = located_by_time(first, as_at)
    tables["located"] = (
        f"Missing episodes closed by a locate from {first:%-d %B %Y} to {as_at:%-d %B %Y}, by "
        "time from being recorded missing to being located",
        publish(names, LOCATE_BANDS, [list(located[f["force"]]) for f in forces],
                threshold=threshold))
    charts = published_charts(as_at, scope, tables)
    context = {"as_at": as_at, "scope": scope.label, "threshold": threshold,
               "tables": tables, "reference": request_reference, "charts": charts}
    note = render_to_string("web/foi_note.html", context)
    pdf = covering_note_pdf(as_at, scope.label, threshold, tables, request_reference)
    audit.record(actor=actor, action=AuditAction.DISCLOSURE,
                 what=f"FOI response pack as at {as_at} for {scope.label} "
                      f"(threshold {threshold})", reason=request_reference)
    return Pack(as_at, scope, threshold, tables, note, charts, pdf)


def _column(table: Published, column: int) -> list[tuple[str, export.Cell]]:
    """Each force's published cell in ``column`` (the Total row left out)."""
    forces = [label for label in table.row_labels if label != "Total"] \
        if len(table.row_labels) > 1 else list(table.row_labels)
    return [(label, table.cells[i][column]) for i, label in enumerate(forces)]


def _total_row(table: Published) -> list[tuple[str, export.Cell]]:
    """The published column totals (or the only row), one per column, Total left out."""
    row = table.cells[-1]
    labels = [c for c in table.column_labels if c != "Total"] \
        if len(table.column_labels) > 1 else list(table.column_labels)
    return [(label, row[i]) for i, label in enumerate(labels)]


def _drawable(cells: list[tuple[str, export.Cell]]) -> list[tuple[str, int | str]]:
    return [(label, value if isinstance(value, int) else str(value)) for label, value in cells]


def published_charts(as_at: dt.date, scope: Scope,
                     tables: dict[str, tuple[str, Published]]) -> tuple[Chart, ...]:
    """The pack's charts, drawn from the published cells only (never from the counts)."""
    missing = tables["missing"][1]
    located = tables["located"][1]
    day = f"{as_at:%-d %B %Y}"
    return (
        bar_chart("missing-by-force", f"Whereabouts unknown as at {day}, by force",
                  f"Registered sex offenders whose whereabouts were unknown as at {day}, in "
                  f"each force of {scope.label}, as published in missing.csv.",
                  _drawable(_column(missing, len(missing.column_labels) - 1)),
                  label_heading="Force", value_heading="Whereabouts unknown"),
        bar_chart("missing-by-time", f"Whereabouts unknown as at {day}, by time since last "
                  "confirmed at a notified address",
                  f"All forces of {scope.label} together, as published in missing.csv.",
                  _drawable(_total_row(missing)),
                  label_heading="Time since last confirmed", value_heading="People"),
        bar_chart("time-to-locate", f"Time to locate, the five years to {day}",
                  f"Missing episodes in {scope.label} closed by a locate, by time from being "
                  "recorded missing to being located, as published in located.csv.",
                  _drawable(_total_row(located)),
                  label_heading="Time to locate", value_heading="Located"),
    )


def covering_note_pdf(as_at: dt.date, area: str, threshold: int,
                      tables: dict[str, tuple[str, Published]], reference: str) -> bytes:
    """The covering note as a PDF (fpdf2, its built-in Helvetica: no system fonts)."""
    from fpdf import FPDF

    day = f"{as_at:%-d %B %Y}"
    pdf = FPDF(format="A4")
    pdf.set_title(f"Freedom of Information response: registered sex offenders as at {day}")
    pdf.set_creation_date(dt.datetime(as_at.year, as_at.month, as_at.day, tzinfo=dt.UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, f"Registered sex offenders: figures as at {day}")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=11)
    paragraphs = [
        *([f"Request reference: {reference}"] if reference else []),
        f"Area: {area}. Each row is a police force area; no smaller area is given.",
        f"These figures are correct as at {day} only. The register changes every day: people "
        "are located, join the register and come to the end of their notification period, "
        "so figures for another date, or the same date asked again later, may differ.",
        f"To prevent the identification of individuals, counts from 1 to {threshold - 1} are "
        f"shown as \"fewer than {threshold}\", and some other figures are shown as \"[c]\" "
        "so that the withheld counts cannot be worked out from the totals.",
        "\"Whereabouts unknown\" means recorded as missing on or before the date and not "
        "located by it. Time is counted from the date the person was last confirmed at a "
        "notified address.",
    ]
    for text in paragraphs:
        pdf.multi_cell(0, 6, text)
        pdf.ln(2)
    for title, table in tables.values():
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(0, 6, title)
        pdf.set_font("Helvetica", size=8)
        with pdf.table(first_row_as_headings=True, text_align="LEFT") as grid:
            grid.row(["Force", *table.column_labels])
            for label, cells in zip(table.row_labels, table.cells, strict=True):
                grid.row([label, *(f"{c:,}" if isinstance(c, int) else str(c)
                                   for c in cells)])
        pdf.ln(4)
    return bytes(pdf.output())


def rows_of(table: Published) -> tuple[list[str], list[list[export.Cell]]]:
    header = ["Force", *table.column_labels]
    return header, [[label, *cells] for label, cells in zip(table.row_labels, table.cells,
                                                               strict=True)]


def pack_zip(pack: Pack) -> bytes:
    out = io.BytesIO()
    notes = [f"As at {pack.as_at.isoformat()}. Figures change every day as the register "
             "changes.", f"'fewer than {pack.threshold}': a count from 1 to "
             f"{pack.threshold - 1}; '[c]': withheld so that other figures cannot be "
             "worked out."]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for stem, (title, table) in pack.tables.items():
            header, rows = rows_of(table)
            z.writestr(f"{stem}.csv", export.to_csv(header, rows))
            z.writestr(f"{stem}.xlsx", export.to_xlsx(header, rows, title=stem, notes=[title,
                                                                                      *notes]))
            z.writestr(f"{stem}.ods", export.to_ods(header, rows, title=stem,
                                                    notes=[title, *notes]))
        z.writestr("covering-note.html", pack.note)
        z.writestr("covering-note.pdf", pack.pdf)
        for chart in pack.charts:
            z.writestr(f"{chart.ident}.svg", '<?xml version="1.0" encoding="UTF-8"?>\n'
                       + chart.svg + "\n")
    return out.getvalue()
