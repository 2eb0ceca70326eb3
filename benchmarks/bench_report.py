#!/usr/bin/env python3
"""How fast the national figures answer as at a date, on the national scenario.

    .venv/bin/python benchmarks/bench_report.py                # SQLite, in a temporary data dir
    .venv/bin/python benchmarks/bench_report.py --postgres     # a throwaway PostgreSQL server

Builds the full demo (about 55,000 people) in a fresh database (which works out the status
periods, timed and printed too), then times ``management_figures`` for the nation at several
dates: "cold" (the process's cache emptied: the first request for that date) and "warm"
(asked again with the ledger unchanged, e.g. for another region of the same date). The
target is under 2 s.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_board import run_benchmark, summary  # noqa: E402

DATES = ("2017-09-30", "2017-11-06", "2012-03-31", "2016-12-31", "2017-06-30")


def child(repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whereabouts.settings")
    import datetime as dt

    import django

    django.setup()
    from django.core.cache import cache

    from whereabouts.demo.build import build_demo
    from whereabouts.reports.figures import Scope
    from whereabouts.reports.selectors import management_figures

    lines: list[str] = []
    build_demo(seed=2017, scale=1.0, fresh=True, progress=lines.append)
    periods = next((line.strip() for line in lines if "status periods" in line), "")
    cold, warm, total = [], [], 0
    for _ in range(repeat):
        for day in DATES:
            as_at = dt.date.fromisoformat(day)
            cache.clear()
            start = time.perf_counter()
            report = management_figures(as_at)
            cold.append(time.perf_counter() - start)
            start = time.perf_counter()
            management_figures(as_at, scope=Scope(region="West Midlands"))
            warm.append(time.perf_counter() - start)
            total = report["total"]["registered"]
    print(json.dumps({"registered": total, "cold": summary(cold), "warm": summary(warm),
                      "periods": periods}))


def main() -> int:
    args, result = run_benchmark(__file__, "bench-report-", child, repeat_default=2)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"National figures, national scenario on {engine} ({result['registered']} registered "
          f"as at the last date)")
    print(f"  demo build: {result['periods']}")
    for name in ("cold", "warm"):
        r = result[name]
        print(f"  {name:5} median {r['median_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   "
              f"slowest {r['max_ms']:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
