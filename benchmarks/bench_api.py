#!/usr/bin/env python3
"""How fast the API answers a read of a person on the national scenario.

    .venv/bin/python benchmarks/bench_api.py                # SQLite, in a temporary data dir
    .venv/bin/python benchmarks/bench_api.py --postgres     # a throwaway PostgreSQL server
    .venv/bin/python benchmarks/bench_api.py --repeat 100

Builds the full demo in a fresh database, makes an API token for the demo offender manager
(every scope their role allows) and calls the API through Django's test client: the whole
request, from the URL through the token check, the access layer, the reads and the audit
entry to the JSON. The people are the offender manager's, taken in turn; two untimed calls
first, then ``--repeat`` timed ones each. Target (docs/benchmarks.md, issue 9): reading a
person p95 under 50 ms.
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
    from django.test import Client

    from whereabouts.api import scopes, tokens
    from whereabouts.demo.build import build_demo
    from whereabouts.register.models import Person

    build_demo(seed=2017, scale=1.0, fresh=True, progress=lambda line: None)
    om = get_user_model().objects.get(username="om.demo")
    _, secret = tokens.create_token(username="om.demo", scopes=scopes.scopes_for(om), days=1)
    people = list(Person.objects.filter(offender_manager=om).values_list("pk", flat=True))
    client = Client(HTTP_HOST="localhost", headers={"Authorization": f"Bearer {secret}"})
    calls = [
        ("read a person", lambda i: f"/api/v1/people/{people[i % len(people)]}"),
        ("a person's ledger (25)", lambda i: f"/api/v1/people/{people[i % len(people)]}/events"),
        ("search by name", lambda i: "/api/v1/people?name=smith"),
        ("my open tasks", lambda i: "/api/v1/tasks"),
    ]
    results = {}
    for label, path in calls:
        results[label] = time_gets(client, path, repeat)
    print(json.dumps({"caseload": len(people), "calls": results}))


def main() -> int:
    args, result = run_benchmark(__file__, "bench-api-", child, repeat_default=50)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"API, national scenario on {engine} (om.demo has {result['caseload']} people):")
    for label, r in result["calls"].items():
        print(f"  {label:25} median {r['median_ms']:6.1f} ms   p95 {r['p95_ms']:6.1f} ms   "
              f"slowest {r['max_ms']:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
