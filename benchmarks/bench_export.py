#!/usr/bin/env python3
"""How long an export and a restore of the national scenario take.

    .venv/bin/python benchmarks/bench_export.py                # SQLite, in a temporary data dir
    .venv/bin/python benchmarks/bench_export.py --postgres     # a throwaway PostgreSQL server

Builds the full demo (about 55,000 people, with the cross-force transfers that
``whereabouts demo`` stages), then times ``export_ledger`` to a plain and to a gzip'd file,
empties the database (as ``whereabouts demo`` does before a build), times ``restore_ledger``
(checking the file, loading the records, working out the derived tables again), checks that
the audit chain verifies and exports again: the second file must be identical to the first.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_board import run_benchmark  # noqa: E402


def child(repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whereabouts.settings")
    import django

    django.setup()
    from whereabouts.access import audit
    from whereabouts.backup.ledgerfile import export_ledger, restore_ledger
    from whereabouts.demo.build import build_demo, reset_database
    from whereabouts.demo.exchange import stage_cross_force

    build_demo(seed=2017, scale=1.0, fresh=True, progress=lambda line: None)
    stage_cross_force()
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-files-") as tmp:
        plain, packed = Path(tmp, "first.jsonl"), Path(tmp, "first.jsonl.gz")
        started = time.perf_counter()
        first = export_ledger(plain)
        out["export_s"] = time.perf_counter() - started
        started = time.perf_counter()
        export_ledger(packed)
        out["export_gz_s"] = time.perf_counter() - started
        out["people"], out["records"] = first.people, first.records
        out["size_mb"] = plain.stat().st_size / 1e6
        out["size_gz_mb"] = packed.stat().st_size / 1e6
        reset_database(progress=lambda line: None)
        started = time.perf_counter()
        steps: list[str] = []
        report = restore_ledger(plain, progress=steps.append)
        out["restore_steps"] = [line.strip() for line in steps if line.startswith("  ")]
        out["restore_s"] = time.perf_counter() - started
        out["restore_parts_s"] = report.seconds
        out["derived"] = report.derived
        out["verify_ok"] = audit.verify().ok
        again = Path(tmp, "again.jsonl")
        export_ledger(again)
        out["identical"] = again.read_bytes() == plain.read_bytes()
    print(json.dumps(out))


def main() -> int:
    args, r = run_benchmark(__file__, "bench-export-", child, repeat_default=1)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    parts = r["restore_parts_s"]
    print(f"Export and restore, national scenario on {engine}: {r['people']:,} people, "
          f"{r['records']:,} records")
    print(f"  export        {r['export_s']:6.1f} s  ({r['size_mb']:.0f} MB)")
    print(f"  export .gz    {r['export_gz_s']:6.1f} s  ({r['size_gz_mb']:.0f} MB)")
    print(f"  restore       {r['restore_s']:6.1f} s  (check {parts['check']:.1f} s, load "
          f"{parts['load']:.1f} s, derived tables {parts['derived']:.1f} s)")
    for line in r["restore_steps"]:
        print(f"      derived: {line}")
    print(f"  audit verify after restore: {'ok' if r['verify_ok'] else 'FAILED'}; export "
          f"again {'identical' if r['identical'] else 'DIFFERENT'}")
    return 0 if r["verify_ok"] and r["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
