#!/usr/bin/env python3
"""How long the demo build takes: the full national scenario (~55,000 people), from empty.

    .venv/bin/python benchmarks/bench_demo.py                # SQLite, in a temporary data dir
    .venv/bin/python benchmarks/bench_demo.py --postgres     # a throwaway PostgreSQL server
    .venv/bin/python benchmarks/bench_demo.py --scale 0.1 --repeat 3

Each run gets a fresh database and data directory, and runs ``build_demo`` in a child process
(as ``whereabouts demo --build-only`` would), so that nothing is warm. It prints the build time
without the compliance sweep, the sweep's own time, the total, and the rows per table.
The target (docs/benchmarks.md) is under 60 s on SQLite on the standard two-core machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))


@contextlib.contextmanager
def database(postgres: bool) -> Iterator[str | None]:
    if postgres:
        import pgserver

        with pgserver.throwaway_server() as url:
            yield url
    else:
        yield None


def child(seed: int, scale: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whereabouts.settings")
    import django

    django.setup()
    from django.apps import apps

    from whereabouts.demo.build import build_demo

    marks: list[tuple[float, str]] = []
    start = time.perf_counter()
    report = build_demo(seed=seed, scale=scale, fresh=True,
                        progress=lambda line: marks.append((time.perf_counter() - start, line)))
    total = time.perf_counter() - start
    tables = {}
    for label in ("register.Person", "register.Event", "register.Disposal", "register.Address",
                  "register.Alias", "auth.User", "access.StaffProfile",
                  "compliance.ComplianceStatus", "compliance.Task", "access.AuditEntry"):
        tables[label] = apps.get_model(label).objects.count()
    sweep = report.sweep_seconds or 0.0
    print(json.dumps({
        "total": total,
        "sweep": sweep,
        "without_sweep": total - sweep,
        "people": report.national_total,
        "tables": tables,
        "marks": marks,
    }))


def run(postgres: bool, seed: int, scale: float) -> dict[str, object]:
    with database(postgres) as url, tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        env = dict(os.environ, WHEREABOUTS_DATA_DIR=tmp, WHEREABOUTS_TODAY="2017-11-06")
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        out = subprocess.run([sys.executable, __file__, "--child", "--seed", str(seed),
                              "--scale", str(scale)], env=env, capture_output=True, text=True,
                             check=True).stdout
        return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.seed, args.scale)
        return
    backend = "PostgreSQL" if args.postgres else "SQLite"
    for n in range(args.repeat):
        r = run(args.postgres, args.seed, args.scale)
        print(f"run {n + 1} on {backend}: {r['people']:,} people; total {r['total']:.1f} s "
              f"(build {r['without_sweep']:.1f} s + sweep {r['sweep']:.1f} s)")
        for seconds, line in r["marks"]:  # type: ignore[union-attr]
            print(f"  {seconds:6.1f} s  {line.strip()}")
        for table, rows in r["tables"].items():  # type: ignore[union-attr]
            print(f"  {table:<28} {rows:>9,}")


if __name__ == "__main__":
    main()
