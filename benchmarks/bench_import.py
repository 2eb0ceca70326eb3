#!/usr/bin/env python3
"""Importing a register extract: 100,000 people with their whole histories, into an empty
register.

    .venv/bin/python benchmarks/bench_import.py --people 100000
    .venv/bin/python benchmarks/bench_import.py --people 100000 --postgres
    .venv/bin/python benchmarks/bench_import.py --people 10000 --xlsx

The extract is made by the demo's generator (``demo/generator.py``: synthetic people of every
force with disposals, notifications, custody, visits, risk, MAPPA and missing episodes) and
written as the five CSV files of docs/import.md (or one XLSX workbook with ``--xlsx``), with
the generator's offender managers created as users first. Writing the extract is not timed.
Then, timed: ``whereabouts.imports.services.import_register`` as the command runs it (read,
check every person, write, then the statuses, status periods and visit statuses worked out),
and the same extract imported a second time (which must create nothing).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_board import database  # noqa: E402

#: Ledger entries the importer makes itself from the other sheets.
MADE_BY_IMPORT = {"registered", "disposal", "assignment", "identity"}


def write_extract(folder: Path, people: int, seed: int = 2017) -> dict[str, int]:
    """The first ``people`` people the demo generator draws, as the extract's CSV files."""
    from whereabouts.imports.extract import COLUMNS
    from whereabouts.register.events import SCHEMAS

    detail_fields = sorted({name for schema in SCHEMAS.values() for name in schema})
    headers = dict(COLUMNS)
    headers["events"] = ("reference", "kind", "effective_date",
                         *(f"details.{name}" for name in detail_fields))
    files = {s: (folder / f"{s}.csv").open("w", newline="", encoding="utf-8") for s in headers}
    writers = {s: csv.writer(f) for s, f in files.items()}
    for sheet, header in headers.items():
        writers[sheet].writerow(header)
    counts = dict.fromkeys(headers, 0)
    done = 0
    iso = str
    for batch, suffix in _batches(people, seed):
        for p in batch.people:
            if done == people:
                break
            done += 1
            p.reference += suffix
            registered = next(e.date for e in p.events if e.kind == "registered")
            writers["people"].writerow([
                p.reference, p.force, p.family_name, p.given_names, iso(p.date_of_birth),
                p.sex, p.pnc_id, p.cro_number, p.ni_number, p.passport_number, iso(registered),
                p.offender_manager])
            counts["people"] += 1
            for e in p.events:
                for al in e.aliases:
                    writers["aliases"].writerow([p.reference, al.family_name, al.given_names,
                                                 iso(al.used_from or ""), iso(al.used_to or ""),
                                                 iso(e.date)])
                    counts["aliases"] += 1
                if e.disposal is not None:
                    d = e.disposal
                    writers["disposals"].writerow([
                        p.reference, iso(d.relevant_date), d.offence, d.kind, d.court,
                        "" if d.months is None else d.months, d.life, d.restriction_order,
                        d.suspended, e.details.get("note", "")])
                    counts["disposals"] += 1
                if e.kind in MADE_BY_IMPORT:
                    continue
                writers["events"].writerow([p.reference, e.kind, iso(e.date),
                                            *(_cell(e.details.get(n)) for n in detail_fields)])
                counts["events"] += 1
                for a in e.addresses:
                    writers["addresses"].writerow([p.reference, iso(e.date), a.kind, a.line1,
                                                   a.line2, a.town, a.postcode])
                    counts["addresses"] += 1
        if done == people:
            break
    for f in files.values():
        f.close()
    return counts


NATIONAL = 55_000  # about how many people the generator draws at scale 1


def _batches(people: int, seed: int):  # type: ignore[no-untyped-def]
    """The generator's force batches; past the national register's size, the national
    register again with the next seed (references suffixed ``B``, ``C``, ...)."""
    from whereabouts.demo.generator import generate

    rounds = -(-people // NATIONAL)
    scale = 1.0 if rounds > 1 else max(0.05, min(1.0, people / NATIONAL * 1.1))
    for n in range(rounds):
        suffix = "" if n == 0 else chr(ord("A") + n)
        for batch in generate(seed + n, scale):
            yield batch, suffix


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_to_xlsx(folder: Path, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for sheet in ("people", "aliases", "addresses", "disposals", "events"):
        ws = book.create_sheet(sheet)
        with (folder / f"{sheet}.csv").open(newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                ws.append(row)
    book.save(path)


def child(people: int, xlsx: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whereabouts.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from whereabouts.demo import SCENARIO_TODAY
    from whereabouts.demo.build import _create_users
    from whereabouts.demo.calibration import force_targets
    from whereabouts.imports.services import import_register
    from whereabouts.register.models import Event, Person

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")  # a throwaway database
    folder = Path(os.environ["WHEREABOUTS_DATA_DIR"]) / "extract"
    folder.mkdir()
    started = time.perf_counter()
    _create_users(2017, force_targets(1.0))
    rows = write_extract(folder, people)
    paths = [folder]
    if xlsx:
        book = folder.parent / "extract.xlsx"
        csv_to_xlsx(folder, book)
        paths = [book]
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    report = import_register(paths=paths, actor=None, today=SCENARIO_TODAY)
    total = time.perf_counter() - started
    started = time.perf_counter()
    again = import_register(paths=paths, actor=None, today=SCENARIO_TODAY)
    rerun = time.perf_counter() - started
    assert again.people_created == 0
    print(json.dumps({
        "people": people, "rows": rows, "prepare_s": prepared, "import_s": total,
        "phases": report.seconds, "created": report.people_created,
        "entries": Event.objects.count(), "in_register": Person.objects.count(),
        "rejected_rows": report.rows_rejected, "rerun_s": rerun,
        "rerun_present": again.people_already_present}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--xlsx", action="store_true", help="one XLSX workbook, not CSV files")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.people, args.xlsx)
        return 0
    engine = "PostgreSQL" if args.postgres else "SQLite"
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp, \
            database(args.postgres) as url:
        env = dict(os.environ, WHEREABOUTS_DATA_DIR=tmp, WHEREABOUTS_TODAY="2017-11-06")
        env.pop("DATABASE_URL", None)
        if url:
            env.update(DATABASE_URL=url, WHEREABOUTS_REQUIRE_POSTGRES="1",
                       WHEREABOUTS_CONN_MAX_AGE="0")
        out = subprocess.run([sys.executable, __file__, "--child", "--people", str(args.people),
                              *(["--xlsx"] if args.xlsx else [])], env=env, check=True,
                             stdout=subprocess.PIPE, text=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    rows = r["rows"]
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in r["phases"].items())
    print(f"Import on {engine} ({'XLSX' if args.xlsx else 'CSV'}): {r['people']:,} people, "
          f"extract rows {', '.join(f'{v:,} {k}' for k, v in rows.items())}")
    print(f"  {r['created']:,} people created with {r['entries']:,} ledger entries, "
          f"{r['rejected_rows']:,} rows rejected")
    print(f"  import {r['import_s']:.1f} s ({phases}); the same extract again "
          f"{r['rerun_s']:.1f} s ({r['rerun_present']:,} already present, nothing created)")
    print(f"  (making the extract, not timed: {r['prepare_s']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
