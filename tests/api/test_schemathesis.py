"""Schemathesis against the running application: every operation of the OpenAPI description,
with generated requests, answers without a server error and as the description says.

The application runs on pytest-django's live server with some data (people of the token
user's force and of another, a missing episode with a circulation, an open task); the
description is loaded from the server itself. A generated ``person_id`` or ``event_id`` is
replaced by a real one in about half of the cases, so that the requests reach the people and
entries behind the checks as well as the "not found". Deterministic: Hypothesis derandomised,
no example database; a bounded number of cases per operation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from whereabouts.api import tokens

from ..conftest import TODAY

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 20


@pytest.fixture
def fuzz_world(transactional_db: Any, live_server: Any, make_user: Any, make_person: Any,
               settings: Any) -> dict[str, Any]:
    from whereabouts.compliance.models import Task
    from whereabouts.missing import services as missing
    from whereabouts.register import services

    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    supervisor = make_user("sup.fuzz", "supervisor")
    mine, other = make_person(), make_person(family_name="Smith", given_names="Jo")
    theirs = make_person(force="staffordshire", manager=None)
    visit = services.event_record(person_id=mine.pk, kind="visit", effective_date=TODAY,
                                  today=TODAY, recorded_by=supervisor, source="test",
                                  details={"outcome": "seen_at_home"})
    missing.record_missing(person_id=other.pk, recorded_on="2024-05-01",
                           missing_since="2024-04-20", basis="No trace", risk="medium",
                           actor=supervisor, today=TODAY)
    Task.objects.create(person=mine, kind="notification_overdue", due_kind="periodic",
                        due_last_day=TODAY - dt.timedelta(days=3), assigned_to=supervisor,
                        opened_as_at=TODAY, title="Periodic notification overdue")
    _, secret = tokens.create_token(username=supervisor.username, days=1, scopes=[
        "people:search", "people:read", "events:write", "tasks:read", "missing:read",
        "figures:read"])
    return {"secret": secret, "people": [mine.pk, other.pk, theirs.pk], "events": [visit.pk],
            "url": live_server.url}


def _run(operation: Any, mode: GenerationMode, world: dict[str, Any]) -> None:
    """Hypothesis over the cases Schemathesis makes for one operation in one mode."""

    @settings(derandomize=True, deadline=None, database=None, max_examples=EXAMPLES,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        path = case.path_parameters or {}
        for name, real in (("person_id", world["people"]), ("event_id", world["events"])):
            value = path.get(name)
            if isinstance(value, int) and value % 2 == 0:
                path[name] = real[value // 2 % len(real)]
        case.call_and_validate(headers={"Authorization": f"Bearer {world['secret']}"},
                               checks=CHECKS)

    run()


def test_every_generated_request_is_answered_without_a_server_error_and_as_described(
        fuzz_world: dict[str, Any]) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzz_world['url']}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    failed = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run(operation, mode, fuzz_world)
            except Exception as exc:  # report every operation that fails, not only the first
                failed.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failed, "\n\n".join(failed)
