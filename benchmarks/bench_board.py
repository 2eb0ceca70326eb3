#!/usr/bin/env python3
"""How fast the missing board answers on the national scenario.

    .venv/bin/python benchmarks/bench_board.py                # SQLite, in a temporary data dir
    .venv/bin/python benchmarks/bench_board.py --postgres     # a throwaway PostgreSQL server
    .venv/bin/python benchmarks/bench_board.py --repeat 50

Builds the full demo (about 55,000 people, West Midlands Police's 4,380 of them and its
missing cases among them) in a fresh database, then asks for
``/missing/`` as the West Midlands demo supervisor through Django's test client: the whole
request, from the URL through the access layer, the ledger reads, the template and the audit
entry. Prints the median, 95th percentile and slowest of the timed requests, after two
untimed ones to warm the caches a running server would have warm (each open case's worked-out
state, kept until the person's ledger changes). Also times the selector alone
(``missing_board``), and the page with nothing kept ("cold": every case worked out from its
whole ledger, as on the first look after a restart). The target (docs/benchmarks.md) is
under 200 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": 1000 * statistics.median(ordered), "p95_ms": 1000 * p95,
            "max_ms": 1000 * ordered[-1]}


def time_gets(client: Any, path: Any, repeat: int) -> dict[str, float]:
    """GET ``path(i)`` twice untimed (templates compiled, caches warm), then ``repeat`` times
    timed, each answer checked; the summary of the timed ones."""
    for i in range(2):
        assert client.get(path(i)).status_code == 200, path(i)
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        response = client.get(path(i))
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, path(i)
    return summary(times)


def run_benchmark(script: str, prefix: str, child: object, *, repeat_default: int = 30
                  ) -> tuple[argparse.Namespace, dict]:
    """The shared shape of a page benchmark: parse ``--postgres``/``--repeat``; as the child,
    run ``child(repeat)``; otherwise run ``script`` as a child in a fresh data directory (and
    a throwaway PostgreSQL server if asked) and return the JSON it printed last."""
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=repeat_default)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.repeat)  # type: ignore[operator]
        raise SystemExit(0)
    with database(args.postgres) as url, tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        env = dict(os.environ, WHEREABOUTS_DATA_DIR=tmp, WHEREABOUTS_TODAY="2017-11-06")
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        out = subprocess.run([sys.executable, script, "--child", "--repeat", str(args.repeat)],
                             env=env, capture_output=True, text=True, check=True).stdout
    return args, json.loads(out.strip().splitlines()[-1])


def child(repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whereabouts.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from whereabouts.clock import today
    from whereabouts.demo.build import build_demo
    from whereabouts.missing.selectors import missing_board
    from whereabouts.web.testing import VerifiedClient

    build_demo(seed=2017, scale=1.0, fresh=True, progress=lambda line: None)
    user = get_user_model().objects.get(username="supervisor.demo")
    client = VerifiedClient(HTTP_HOST="localhost")
    client.force_login(user)  # both factors, as after a real sign-in
    cold = []
    for _ in range(5):  # nothing kept: every open case worked out from its whole ledger
        cache.clear()
        start = time.perf_counter()
        assert client.get("/missing/").status_code == 200
        cold.append(time.perf_counter() - start)
    for _ in range(2):
        assert client.get("/missing/").status_code == 200
    pages, selector, rows = [], [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get("/missing/")
        pages.append(time.perf_counter() - start)
        assert response.status_code == 200
        start = time.perf_counter()
        rows = len(missing_board(user, today()))
        selector.append(time.perf_counter() - start)
    print(json.dumps({"rows": rows, "page": summary(pages), "selector": summary(selector),
                      "cold page": summary(cold)}))


def main() -> int:
    args, result = run_benchmark(__file__, "bench-board-", child)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Missing board, national scenario on {engine}: {result['rows']} open episodes shown")
    for name in ("page", "selector", "cold page"):
        r = result[name]
        print(f"  {name:10} median {r['median_ms']:6.1f} ms   p95 {r['p95_ms']:6.1f} ms   "
              f"slowest {r['max_ms']:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
