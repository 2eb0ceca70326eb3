"""How fast is the legislation engine? Prints figures; asserts nothing (see docs/rules.md).

    PYTHONPATH=src python benchmarks/bench_rules.py [--cases N] [--runs N]

1. ``evaluate`` throughput on typical cases: one disposal, a custody period, 5-10
   notifications (and a mix with several disposals, indefinite and no-fixed-abode cases);
2. the same with the explanation written out and the contract's JSON built (``rules explain``);
3. ``compliance_on`` for another date, from an answer already computed;
4. the wall time of ``python -m whereabouts.cli.rules_command explain case.json``, which
   starts a fresh interpreter each time (so it includes Python's own start-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from whereabouts.rules import (  # noqa: E402
    AwayPeriod,
    Case,
    Disposal,
    Notification,
    answer_to_dict,
    compliance_on,
    evaluate,
)

DAY = dt.timedelta(days=1)


def typical_cases(n: int, seed: int = 1) -> list[Case]:
    """Synthetic cases shaped like a caseload: mostly one disposal, some custody, 5-10 notes."""
    rnd = random.Random(seed)
    kinds = (
        ["imprisonment"] * 5
        + ["other"] * 2
        + ["caution", "hospital_order", "conditional_discharge"]
    )
    cases = []
    for _ in range(n):
        born = dt.date(1950, 1, 1) + rnd.randrange(20000) * DAY
        relevant = born + (rnd.randrange(14, 50) * 365 + rnd.randrange(365)) * DAY
        disposals = []
        for extra in range(1 if rnd.random() < 0.85 else 2):
            kind = rnd.choice(kinds)
            when = relevant + extra * rnd.randrange(200, 2000) * DAY
            if kind == "imprisonment":
                if rnd.random() < 0.1:
                    disposals.append(Disposal(when, kind, life=True))
                else:
                    disposals.append(Disposal(when, kind, months=rnd.randrange(1, 60)))
            elif kind == "conditional_discharge":
                disposals.append(Disposal(when, kind, months=rnd.randrange(6, 36)))
            else:
                disposals.append(Disposal(when, kind))
        away = []
        if rnd.random() < 0.6:
            away.append(AwayPeriod(relevant, relevant + rnd.randrange(30, 900) * DAY, "custody"))
        if rnd.random() < 0.2:
            start = relevant + rnd.randrange(900, 3000) * DAY
            away.append(AwayPeriod(start, start + rnd.randrange(3, 30) * DAY, "abroad"))
        notes = []
        day = relevant + rnd.randrange(0, 900) * DAY
        for _ in range(rnd.randrange(5, 11)):
            notes.append(Notification(day, rnd.choice(["periodic", "change"]), rnd.random() < 0.03))
            day += rnd.randrange(20, 380) * DAY
        as_at = day + rnd.randrange(0, 400) * DAY
        cases.append(Case(born, as_at, tuple(disposals), tuple(away), tuple(notes)))
    return cases


def best_rate(label: str, work: int, run: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    rate = work / min(times)
    print(f"{label:<58} {rate:>12,.0f} /s   (best of {runs}: {min(times):.3f} s for {work:,})")
    return rate


def cli_start_up(runs: int) -> list[float]:
    case = {
        "date_of_birth": "1985-06-15",
        "as_at": "2020-06-01",
        "disposals": [{"date": "2019-02-01", "kind": "imprisonment", "months": 20}],
        "away": [{"from": "2019-02-01", "to": "2020-01-31", "reason": "custody"}],
        "notifications": [{"date": "2020-02-01", "kind": "initial"}],
    }
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(case, handle)
    command = [sys.executable, "-m", "whereabouts.cli.rules_command", "explain", handle.name]
    walls = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, env=env, check=True)
            walls.append(time.perf_counter() - start)
            json.loads(done.stdout)
        bare = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
            bare.append(time.perf_counter() - start)
    finally:
        os.unlink(handle.name)
    print(
        f"{'CLI: python -m whereabouts.cli.rules_command explain':<58} "
        f"median {statistics.median(walls) * 1000:.0f} ms, best {min(walls) * 1000:.0f} ms "
        f"(python -c pass: median {statistics.median(bare) * 1000:.0f} ms)"
    )
    return walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=55_000, help="cases per run (default 55,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()

    cases = typical_cases(args.cases)
    sample = cases[: max(1, args.cases // 10)]
    print(f"Python {sys.version.split()[0]} on {sys.platform}; {args.cases:,} synthetic cases")
    best_rate("evaluate (the sweep: no explanation written)", len(cases),
              lambda: [evaluate(c) for c in cases], args.runs)  # fmt: skip
    explain_all = lambda: [json.dumps(answer_to_dict(evaluate(c))) for c in sample]  # noqa: E731
    best_rate("evaluate + explanation + contract JSON (rules explain)", len(sample),
              explain_all, args.runs)  # fmt: skip
    answers = [evaluate(c) for c in cases]
    other = dt.date(2024, 6, 1)
    best_rate("compliance_on(answer, another date)", len(answers),
              lambda: [compliance_on(a, other) for a in answers], args.runs)  # fmt: skip
    start = time.perf_counter()
    for c in cases:
        evaluate(c)
    per_case = (time.perf_counter() - start) / len(cases)
    print(f"{'estimated time for 1,000,000 cases':<58} {per_case * 1_000_000:>12.1f} s")
    cli_start_up(max(5, args.runs))


if __name__ == "__main__":
    main()
