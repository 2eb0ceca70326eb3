#!/usr/bin/env python3
"""How long the compliance sweep takes, and how its time grows with the size of the register.

    .venv/bin/python benchmarks/bench_sweep.py                      # SQLite: 10k, 55k people
    .venv/bin/python benchmarks/bench_sweep.py --postgres --sizes 10000 100000 1000000

Each size gets a fresh database (a temporary SQLite file, or a throwaway PostgreSQL server
from tools/pgserver.py) filled with a synthetic register: one disposal per person and an
ordinary history (registration, assignment, initial notification, yearly notifications,
some custody and visits), about 9 ledger rows a person. Rows are loaded in bulk, outside
the services, because loading is not what is measured. The sweep is then timed three times:
the first run (everyone worked out, every status written), the next day's run (only those
whose status may have changed), and a full run (``--full``: everyone worked out again).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

AS_AT = dt.date(2017, 11, 6)


def synthetic_rows(n: int, seed: int = 1) -> Iterator[tuple[str, tuple]]:
    """(table, row) pairs for n people; ids are assigned here so that FKs line up."""
    rng = random.Random(seed)
    forces = ["west-midlands", "metropolitan", "staffordshire", "kent", "durham"]
    recorded = dt.datetime(2017, 1, 1, 10, tzinfo=dt.UTC)
    event_id = 0
    for pid in range(1, n + 1):
        dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(50 * 365))
        yield "person", (pid, f"B-{pid:07d}", forces[pid % 5], "Synthetic", "Person", dob, "M",
                         recorded)
        relevant = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(9 * 365))
        kind, months = rng.choice([("imprisonment", 40), ("imprisonment", 20), ("other", None),
                                   ("imprisonment", 5)])
        event_id += 1
        yield "event", (event_id, pid, "registered", relevant, recorded, "bench", "{}")
        event_id += 1
        yield "event", (event_id, pid, "disposal", relevant, recorded, "bench", "{}")
        yield "disposal", (event_id, pid, relevant, "SOA 2003 s.3", kind, months)
        notify_from = relevant
        if kind == "imprisonment":
            event_id += 1
            yield "event", (event_id, pid, "custody.start", relevant, recorded, "bench", "{}")
            release = relevant + dt.timedelta(days=months * 15)
            event_id += 1
            yield "event", (event_id, pid, "custody.end", release, recorded, "bench", "{}")
            notify_from = release
        when = notify_from + dt.timedelta(days=rng.randrange(3))
        kinds = "notification.initial"
        while when <= AS_AT:
            event_id += 1
            yield "event", (event_id, pid, kinds, when, recorded, "bench",
                            '{"no_fixed_abode": false}')
            kinds = "notification.periodic"
            when += dt.timedelta(days=rng.choice([300, 350, 360, 364, 370]))
        event_id += 1
        yield "event", (event_id, pid, "visit", AS_AT - dt.timedelta(days=rng.randrange(300)),
                        recorded, "bench", '{"outcome": "seen_at_home"}')


def load(n: int) -> None:
    from django.db import connection, transaction

    columns = {
        "person": "id, reference, force_id, family_name, given_names, date_of_birth, sex, "
                  "created_at, pnc_id, cro_number, ni_number, passport_number",
        "event": "id, person_id, kind, effective_date, recorded_at, source, details, reason",
        "disposal": "event_id, person_id, relevant_date, offence, kind, months, court, life, "
                    "restriction_order, suspended",
    }
    extra = {"person": ("", "", "", ""), "event": ("",), "disposal": ("", False, False, False)}
    buffers: dict[str, list[tuple]] = {t: [] for t in columns}

    def flush(table: str) -> None:
        rows = buffers[table]
        if not rows:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cur, cur.connection.cursor().copy(
                f"COPY register_{table} ({columns[table]}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(rows[0]))
            with connection.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO register_{table} ({columns[table]}) VALUES ({marks})", rows
                )
        rows.clear()

    with transaction.atomic():
        for table, row in synthetic_rows(n):
            buffers[table].append(row + extra[table])
            if len(buffers[table]) >= 50_000:
                if table != "person":
                    flush("person")
                if table == "disposal":
                    flush("event")
                flush(table)
        for table in ("person", "event", "disposal"):
            flush(table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT setval('register_event_id_seq', (SELECT max(id) FROM register_event))"
            )
            cur.execute("ANALYZE")


@contextlib.contextmanager
def database(postgres: bool) -> Iterator[str]:
    if postgres:
        import pgserver

        with pgserver.throwaway_server() as url:
            yield url
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"


def run_size(n: int, postgres: bool) -> dict[str, float]:
    import subprocess

    with database(postgres) as url:
        env = dict(os.environ, DATABASE_URL=url, WHEREABOUTS_DATA_DIR=tempfile.mkdtemp())
        out = subprocess.run([sys.executable, __file__, "--child", str(n)], env=env,
                             capture_output=True, text=True, check=True).stdout
        return {k: float(v) for k, v in (line.split("=") for line in out.split())}


def child(n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whereabouts.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from whereabouts.compliance.sweep import run_sweep

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    load(n)
    loaded = time.perf_counter() - start
    first = run_sweep(AS_AT)
    daily = run_sweep(AS_AT + dt.timedelta(days=1))
    full = run_sweep(AS_AT + dt.timedelta(days=1), full=True)
    print(f"load={loaded:.2f} first={first.seconds:.2f} daily={daily.seconds:.2f} "
          f"full={full.seconds:.2f} people={first.people}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 55_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{'people':>10} {'backend':>10} {'load s':>8} {'first s':>8} {'next day s':>10} "
          f"{'full s':>8}")
    for n in args.sizes:
        r = run_size(n, args.postgres)
        print(f"{int(r['people']):>10} {backend:>10} {r['load']:>8.1f} {r['first']:>8.2f} "
              f"{r['daily']:>10.2f} {r['full']:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
