#!/usr/bin/env python3
"""How fast the caseworkers' main pages answer on the national scenario.

    .venv/bin/python benchmarks/bench_pages.py                # SQLite, in a temporary data dir
    .venv/bin/python benchmarks/bench_pages.py --postgres     # a throwaway PostgreSQL server
    .venv/bin/python benchmarks/bench_pages.py --repeat 50

Builds the full demo in a fresh database and asks for each page through Django's test client
as the demo user who would use it: the whole request, from the URL through the access layer,
the reads, the template and the audit entry. Two untimed requests first, then ``--repeat``
timed ones each; prints the median, 95th percentile and slowest. The person pages are those
of the offender manager's people, taken in turn. Targets (docs/benchmarks.md): person page
and caseload p95 under 100 ms.
"""

from __future__ import annotations

import json
import os
import sys

from bench_board import run_benchmark, time_gets


def child(repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whereabouts.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from whereabouts.demo.build import build_demo
    from whereabouts.demo.exchange import stage_cross_force
    from whereabouts.register.models import Person
    from whereabouts.web.testing import VerifiedClient

    build_demo(seed=2017, scale=1.0, fresh=True, progress=lambda line: None)
    stage_cross_force(progress=lambda line: None)  # as `whereabouts demo` does
    users = get_user_model().objects
    om = users.get(username="om.demo")
    people = list(Person.objects.filter(offender_manager=om).values_list("pk", flat=True))
    clients = {}
    for name in ("om.demo", "supervisor.demo"):
        clients[name] = VerifiedClient(HTTP_HOST="localhost")
        clients[name].force_login(users.get(username=name))
    pages = [
        ("caseload (offender manager)", "om.demo", lambda i: "/people/"),
        ("team caseloads (supervisor)", "supervisor.demo", lambda i: "/people/"),
        ("person page", "om.demo", lambda i: f"/people/{people[i % len(people)]}/"),
        ("timeline", "om.demo", lambda i: f"/people/{people[i % len(people)]}/timeline/"),
        ("visit form", "om.demo", lambda i: f"/people/{people[i % len(people)]}/do/visit/"),
        ("missing board", "supervisor.demo", lambda i: "/missing/"),
        ("inbox (every force's circulations)", "om.demo", lambda i: "/inbox/"),
        ("transfers", "supervisor.demo", lambda i: "/transfers/"),
        ("overdue visits by officer", "supervisor.demo", lambda i: "/visits/overdue/"),
    ]
    results = {}
    for label, user, path in pages:
        results[label] = time_gets(clients[user], path, repeat)
    print(json.dumps({"caseload": len(people), "pages": results}))


def main() -> int:
    args, result = run_benchmark(__file__, "bench-pages-", child, repeat_default=30)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Pages, national scenario on {engine} (om.demo has {result['caseload']} people):")
    for label, r in result["pages"].items():
        print(f"  {label:36} median {r['median_ms']:6.1f} ms   p95 {r['p95_ms']:6.1f} ms   "
              f"slowest {r['max_ms']:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
