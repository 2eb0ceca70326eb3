#!/usr/bin/env python3
"""How the national figures grow with the size of the register, up to 1,000,000 people.

    .venv/bin/python benchmarks/bench_report_scale.py --sizes 10000,100000,1000000
    .venv/bin/python benchmarks/bench_report_scale.py --sizes 10000,100000 --postgres

For each size, in a fresh database: writes a synthetic register straight into the tables
(the demo builder's full histories would take too long at a million), shaped like the
national demo where it matters to the figures: people in all 43 forces in proportion to
population, one disposal each (a mix of cautions, short and long sentences and indefinite
requirements, relevant dates 1997-2017), an initial notification and yearly ones after it
(some stopped early, so some are overdue), some custody periods, deaths, and about one in a
thousand with a missing episode (a quarter of those located). Then times, separately:

- the status periods worked out for everyone (once per register, as the demo build does);
- ``management_figures`` for the nation as at five dates, cold (cache emptied) and warm.

``--direct-periods`` skips the rules: the notifications are not written to the ledger and
each person's status periods are written straight into their table (one yearly
"compliant" stretch per notification, "overdue" after the last if it stopped early, "away"
in custody), as many as the rules would give. That measures the report alone on a register
too large to put through the rules on a small machine in reasonable time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_board import database, summary  # noqa: E402

DATES = ("2017-09-30", "2017-11-06", "2012-03-31", "2016-12-31", "2017-06-30")


def _rows(size: int, seed: int = 2017, direct: bool = False):  # type: ignore[no-untyped-def]
    """People, events, disposals and (``direct``) status periods as plain tuples."""
    import datetime as dt

    from whereabouts.register.forces import force_rows

    rng = random.Random(seed)
    forces = force_rows()
    weights = [f["population"] for f in forces]
    slugs = [f["slug"] for f in forces]
    now = "2017-11-06 12:00:00"
    event_id = 0
    people, events, disposals, periods = [], [], [], []
    year = dt.timedelta(days=365)
    for pid in range(1, size + 1):
        force = rng.choices(slugs, weights)[0]
        dob = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(50 * 365))
        people.append((pid, f"S-{pid:08d}", "Synthetic", "Person", dob, "M", "", "", "", "",
                       now, force, "1", dt.date(2027, 1, 1)))
        relevant = dt.date(1997, 9, 1) + dt.timedelta(days=rng.randrange(20 * 365))
        kind, months = rng.choices(
            [("caution", None), ("imprisonment", 6), ("imprisonment", 24),
             ("imprisonment", 48)], [10, 20, 40, 30])[0]
        event_id += 1
        events.append((event_id, pid, "disposal", relevant, "{}"))
        disposals.append((pid, relevant, "SOA 2003 s.3", "Crown Court", kind, months, event_id))
        on = relevant + dt.timedelta(days=rng.randrange(3))
        if kind == "imprisonment" and months >= 24 and rng.random() < 0.3:
            event_id += 1
            events.append((event_id, pid, "custody.start", relevant, "{}"))
            on = relevant + dt.timedelta(days=months * 15)
            event_id += 1
            events.append((event_id, pid, "custody.end", on, "{}"))
        if direct and on > relevant:
            periods.append((pid, force, relevant, on - dt.timedelta(days=1), "away", None))
        stop = dt.date(2018, 6, 1) if rng.random() < 0.97 else on + year * rng.randrange(1, 8)
        first = True
        while on < stop:
            following = on + year - dt.timedelta(days=rng.randrange(1, 20))
            if direct:
                due = on + year
                periods.append((pid, force, on, min(following, due) - dt.timedelta(days=1),
                                "compliant", due))
                if following >= stop:
                    periods.append((pid, force, due, dt.date(9999, 12, 31), "overdue", due))
            else:
                event_id += 1
                events.append((event_id, pid, "notification.initial" if first
                               else "notification.periodic", on, "{}"))
            first = False
            on = following
        if rng.random() < 0.01:
            event_id += 1
            events.append((event_id, pid, "death", relevant + year * rng.randrange(1, 20), "{}"))
        if rng.random() < 0.001:
            began = relevant + dt.timedelta(days=rng.randrange(20 * 365))
            event_id += 1
            events.append((event_id, pid, "missing.recorded", began, json.dumps({
                "missing_since": (began - dt.timedelta(days=30)).isoformat(),
                "believed_abroad": rng.random() < 0.3, "risk": "high"})))
            if rng.random() < 0.25:
                event_id += 1
                events.append((event_id, pid, "missing.located",
                               began + dt.timedelta(days=rng.randrange(1, 900)), "{}"))
    return people, events, disposals, periods


def _load(size: int, direct: bool) -> dict[str, float]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from whereabouts.register.forces import ensure_forces

    call_command("migrate", verbosity=0)
    ensure_forces()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A throwaway database: no need to wait for the disk on every commit.
            cursor.execute("PRAGMA synchronous = OFF")
    started = time.perf_counter()
    people, events, disposals, periods = _rows(size, direct=direct)
    generated = time.perf_counter() - started
    p_cols = ("id, reference, family_name, given_names, date_of_birth, sex, pnc_id, "
              "cro_number, ni_number, passport_number, created_at, force_id, retention_group, "
              "next_review")
    e_cols = "id, person_id, kind, effective_date, details, recorded_at, source, reason"
    d_cols = ("person_id, relevant_date, offence, court, kind, months, event_id, life, "
              "restriction_order, suspended")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.connection.cursor()
            for table, cols, rows in (
                ("register_person", p_cols, people),
                ("register_event", e_cols,
                 ((*e, "2017-11-06 12:00:00+00", "bench", "") for e in events)),
                ("register_disposal", d_cols, ((*d, False, False, False) for d in disposals)),
            ):
                with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in ("register_person", "register_event"):
                raw.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT MAX(id) FROM {table}))")
        else:
            cursor.executemany(f"INSERT INTO register_person ({p_cols}) VALUES "
                               f"({', '.join(['%s'] * 14)})", people)
            cursor.executemany(f"INSERT INTO register_event ({e_cols}) VALUES "
                               "(%s, %s, %s, %s, %s, '2017-11-06 12:00:00', 'bench', '')",
                               events)
            cursor.executemany(f"INSERT INTO register_disposal ({d_cols}) VALUES "
                               "(%s, %s, %s, %s, %s, %s, %s, 0, 0, 0)", disposals)
        if periods:
            from whereabouts.compliance.periods import _insert

            _insert(periods)
        cursor.execute("ANALYZE")
    return {"generate_s": generated, "load_s": time.perf_counter() - started - generated,
            "events": len(events)}


def child(size: int, repeat: int, direct: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whereabouts.settings")
    import datetime as dt

    import django

    django.setup()
    from django.core.cache import cache

    from whereabouts.compliance.models import StatusPeriod
    from whereabouts.compliance.periods import refresh_status_periods
    from whereabouts.reports.figures import Scope
    from whereabouts.reports.selectors import management_figures

    loaded = _load(size, direct)
    started = time.perf_counter()
    if direct:
        from django.db import connection
        from django.utils import timezone

        from whereabouts.compliance.models import StatusPeriodsMark
        from whereabouts.compliance.periods import _highest_entry

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        StatusPeriodsMark.objects.create(ledger_mark=_highest_entry(),
                                         built_at=timezone.now())
    else:
        refresh_status_periods(rebuild=True)
    periods_s = time.perf_counter() - started
    cold, warm, registered = [], [], 0
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
            registered = max(registered, report["total"]["registered"])
    print(json.dumps({"size": size, **loaded, "periods_s": periods_s,
                      "period_rows": StatusPeriod.objects.count(), "registered": registered,
                      "cold": summary(cold), "warm": summary(warm)}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--direct-periods", action="store_true",
                        help="write the status periods directly, without the rules")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat, args.direct_periods)
        return 0
    engine = "PostgreSQL" if args.postgres else "SQLite"
    how = " (status periods written directly)" if args.direct_periods else ""
    print(f"National figures by register size on {engine}{how}")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-report-scale-") as tmp, \
                database(args.postgres) as url:
            env = dict(os.environ, WHEREABOUTS_DATA_DIR=tmp, WHEREABOUTS_TODAY="2017-11-06")
            env.pop("DATABASE_URL", None)
            if url:
                env.update(DATABASE_URL=url, WHEREABOUTS_REQUIRE_POSTGRES="1",
                           WHEREABOUTS_CONN_MAX_AGE="0")
            extra = ["--direct-periods"] if args.direct_periods else []
            out = subprocess.run([sys.executable, __file__, "--child", str(size), "--repeat",
                                  str(args.repeat), *extra], env=env,
                                 capture_output=True, text=True)
            if out.returncode:
                sys.stderr.write(out.stderr)
                return out.returncode
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  {r['size']:>9,} people, {r['events']:>10,} entries, {r['period_rows']:>10,} "
              f"periods: load {r['load_s']:6.1f} s, periods {r['periods_s']:7.1f} s; figures "
              f"cold median {r['cold']['median_ms']:7.1f} ms (slowest "
              f"{r['cold']['max_ms']:7.1f}), warm median {r['warm']['median_ms']:6.1f} ms",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
