"""FOI response packs: the figures for a force, a region or the nation, disclosure-controlled.

A pack holds two tables, each as CSV, XLSX and ODS, and a short HTML covering note, in one
zip. Rows are forces, never anything smaller; the tables are built from counts only, so no
name, identifier, address or date of birth can reach them (a test reads every file).
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
from .disclosure import Published, publish
from .figures import NATION, Scope, assemble
from .selectors import force_counts, force_infos, start_of_year

DURATION_BANDS = ("Under 1 year", "1 to under 5 years", "5 to under 10 years",
                  "10 years or more")


@dataclass(frozen=True)
class Pack:
    as_at: dt.date
    scope: Scope
    threshold: int
    tables: dict[str, tuple[str, Published]]  # file stem -> (title, table)
    note: str


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
    note = render_to_string("web/foi_note.html", {
        "as_at": as_at, "scope": scope.label, "threshold": threshold, "tables": tables,
        "reference": request_reference})
    audit.record(actor=actor, action=AuditAction.DISCLOSURE,
                 what=f"FOI response pack as at {as_at} for {scope.label} "
                      f"(threshold {threshold})", reason=request_reference)
    return Pack(as_at, scope, threshold, tables, note)


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
    return out.getvalue()
