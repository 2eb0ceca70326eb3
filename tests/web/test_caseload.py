"""The caseload: an offender manager's people and what they need; a supervisor's team."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from whereabouts.compliance.sweep import run_sweep
from whereabouts.missing import services as missing
from whereabouts.register import services
from whereabouts.register.services import DisposalInput
from whereabouts.visits.sweep import run_visit_sweep

from ..conftest import TODAY


def convicted(person: Any, on: str = "2019-02-01") -> None:
    services.event_record(person_id=person.pk, kind="disposal", effective_date=on, today=TODAY,
                          recorded_by=None, source="test",
                          disposal=DisposalInput(offence="SOA 2003 s.1", kind="imprisonment",
                                                 months=40))


@pytest.fixture
def load(make_person: Any, make_user: Any, officer: Any, settings: Any) -> dict[str, Any]:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    supervisor = make_user("sup.wm", "supervisor")
    colleague = make_user("om.two", "offender_manager")
    overdue = make_person(family_name="Overdue")
    convicted(overdue)  # never notified: overdue
    fine = make_person(family_name="Fine")
    checked = make_person(family_name="Checked")
    gone = make_person(family_name="Gone")
    theirs = make_person(family_name="Theirs", manager=colleague)
    elsewhere = make_person(family_name="Elsewhere", force="staffordshire", manager=None)
    missing.open_whereabouts_check(person_id=checked.pk, opened_on="2024-05-30",
                                   reason="returned_mail", actor=officer, today=TODAY)
    missing.record_missing(person_id=gone.pk, recorded_on="2024-05-01",
                           missing_since="2024-04-01", basis="No trace", risk="high",
                           actor=supervisor, today=TODAY)
    missing.record_visit(person_id=overdue.pk, visited_on="2023-01-01", outcome="seen_at_home",
                         actor=officer, today=TODAY)  # high risk until assessed: 3 months
    run_sweep(TODAY)
    run_visit_sweep(TODAY)
    return {"supervisor": supervisor, "colleague": colleague, "overdue": overdue,
            "fine": fine, "checked": checked, "gone": gone, "theirs": theirs,
            "elsewhere": elsewhere}


def listed(client: Any, query: str = "") -> list[str]:
    page = client.get(reverse("people") + query)
    assert page.status_code == 200
    return [r.person.family_name for r in page.context["page"]]


@pytest.mark.parametrize(("query", "expected"), [
    pytest.param("", ["Checked", "Fine", "Gone", "Overdue"],
                 id="my caseload lists my people and no one else's"),
    pytest.param("?show=overdue", ["Overdue"], id="the overdue filter keeps the overdue"),
    pytest.param("?show=check", ["Checked"], id="the check filter keeps open whereabouts checks"),
    pytest.param("?show=visit", ["Overdue"], id="the visit filter keeps overdue home visits"),
    pytest.param("?show=missing", ["Gone"], id="the missing filter keeps open episodes"),
    pytest.param("?show=nonsense", ["Checked", "Fine", "Gone", "Overdue"],
                 id="an unknown filter shows everyone"),
    pytest.param("?all=1", ["Checked", "Fine", "Gone", "Overdue", "Theirs"],
                 id="everyone the force manages, never another force's"),
])
def test_an_offender_managers_caseload(client, officer, load, query, expected):
    client.force_login(officer)
    assert listed(client, query) == expected


def test_the_filters_show_how_many_each_holds(client, officer, load):
    client.force_login(officer)
    tabs = {key: n for key, _, n in client.get(reverse("people")).context["tabs"]}
    assert tabs == {"": 4, "overdue": 1, "week": 0, "visit": 1, "check": 1, "missing": 1}


def test_a_supervisor_sees_the_team_with_who_is_overloaded(client, load, settings):
    settings.WHEREABOUTS_CASELOAD_LIMIT = 3
    client.force_login(load["supervisor"])
    page = client.get(reverse("people"))
    team = {r.officer: r for r in page.context["team"]}
    mine = team["om.one"]
    assert (mine.people, mine.overdue, mine.checks, mine.missing) == (4, 1, 1, 1)
    assert mine.visits_overdue == 1 and team["om.two"].visits_overdue == 0
    assert mine.overloaded and not team["om.two"].overloaded
    assert "Overloaded" in page.content.decode()
    assert "sup.staffs" not in team


def test_a_supervisor_opens_one_officers_caseload(client, load):
    client.force_login(load["supervisor"])
    assert listed(client, "?officer=om.two") == ["Theirs"]
    assert listed(client, "?officer=nobody") == []


def test_the_caseload_asks_the_database_the_same_number_of_times_however_many_people(
        client, officer, load, make_person):
    client.force_login(officer)
    client.get(reverse("people"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people"))
    for _ in range(6):
        make_person()
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("people"))
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_team_view_asks_the_database_the_same_number_of_times_however_many_people(
        client, officer, load, make_person):
    client.force_login(load["supervisor"])
    client.get(reverse("people"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people"))
    for _ in range(6):
        make_person(manager=load["colleague"])
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("people"))
    assert len(more.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(("role", "status"), [
    ("offender_manager", 200), ("supervisor", 200), ("senior_officer", 200),
    ("analyst", 404), ("partner", 404), ("auditor", 404), ("administrator", 404),
])
def test_the_caseload_is_for_casework(client, make_user, role, status):
    client.force_login(make_user(f"user.{role}", role))
    assert client.get(reverse("people")).status_code == status


def test_names_are_escaped_in_the_caseload(client, officer, make_person):
    make_person(family_name='<script>alert("x")</script>', given_names="O'Brien & \"Co\"")
    client.force_login(officer)
    html = client.get(reverse("people")).content.decode().lower()  # family names in capitals
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "o&#x27;brien &amp; &quot;co&quot;" in html
