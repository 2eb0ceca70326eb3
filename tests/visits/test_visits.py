"""Visits, risk levels, MAPPA and the plan's visits: the services, the sweep and the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from whereabouts.compliance.models import Task, TaskState
from whereabouts.compliance.sweep import run_sweep
from whereabouts.missing.selectors import person_checks
from whereabouts.missing.services import open_check
from whereabouts.register import recording
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event, EventKind
from whereabouts.register.recording import NotPermitted
from whereabouts.register.services import DisposalInput
from whereabouts.visits import services
from whereabouts.visits.models import VisitStatus
from whereabouts.visits.selectors import force_policy, person_next_visit
from whereabouts.visits.sweep import VISIT_TASK, run_visit_sweep

from ..conftest import TODAY


def date(prefix: str, when: str) -> dict[str, str]:
    day = dt.date.fromisoformat(when)
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}


@pytest.fixture
def people(make_person: Any, make_user: Any, officer: Any, settings: Any) -> dict[str, Any]:
    """People subject to the requirements, each last seen at home on 1 January 2024."""
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    found = {"supervisor": make_user("sup.wm", "supervisor"),
             "colleague": make_user("om.two", "offender_manager")}
    for name, manager in (("Ash", officer), ("Birch", officer),
                          ("Cedar", found["colleague"])):
        person = make_person(family_name=name, manager=manager)
        register.event_record(person_id=person.pk, kind="disposal", effective_date="2019-02-01",
                              today=TODAY, recorded_by=None, source="test",
                              disposal=DisposalInput(offence="SOA 2003 s.1",
                                                     kind="imprisonment", months=40))
        services.record_visit(person_id=person.pk, visited_on="2024-01-01",
                              outcome="seen_at_home", visit_kind="planned", actor=officer,
                              today=TODAY)
        found[name] = person
    run_sweep(TODAY)
    run_visit_sweep(TODAY)
    return found


def open_visit_tasks(person: Any) -> list[Task]:
    return list(Task.objects.filter(person=person, kind=VISIT_TASK, state=TaskState.OPEN))


def test_the_sweep_opens_a_task_for_each_overdue_visit_for_the_offender_manager(people,
                                                                                officer):
    # No risk level recorded: visited as high risk, every 3 months, so due by 1 April.
    (task,) = open_visit_tasks(people["Ash"])
    assert (task.due_last_day, task.assigned_to) == (dt.date(2024, 4, 1), officer)
    assert task.title == "The home visit due by 01 April 2024 has not been made"
    assert VisitStatus.objects.get(person=people["Ash"]).state == "overdue"


def test_running_the_sweep_again_for_the_same_date_changes_nothing(people):
    again = run_visit_sweep(TODAY)
    assert (again.tasks_opened, again.tasks_closed) == (0, 0)


def test_a_visit_that_sees_the_person_closes_the_task_at_once(people, officer):
    services.record_visit(person_id=people["Ash"].pk, visited_on="2024-05-30",
                          outcome="seen_at_home", visit_kind="unannounced", actor=officer,
                          today=TODAY)
    assert open_visit_tasks(people["Ash"]) == []
    status = VisitStatus.objects.get(person=people["Ash"])
    assert (status.state, status.due_by) == ("due", dt.date(2024, 8, 30))


@pytest.mark.parametrize("outcome", ["no_reply", "access_denied"])
def test_a_visit_that_does_not_see_the_person_leaves_the_visit_overdue(people, officer, outcome):
    services.record_visit(person_id=people["Ash"].pk, visited_on="2024-05-30", outcome=outcome,
                          visit_kind="unannounced", actor=officer, today=TODAY)
    assert len(open_visit_tasks(people["Ash"])) == 1


def test_no_longer_lives_here_opens_a_whereabouts_check_straight_away(people, officer):
    event = services.record_visit(
        person_id=people["Ash"].pk, visited_on="2024-05-30", outcome="no_longer_living_there",
        visit_kind="unannounced", present="The new tenant", checked=("rooms",),
        concerns="Left no forwarding address", actor=officer, today=TODAY)
    check = open_check(person_checks(people["Ash"]))
    assert check is not None and check.reason == "no_longer_living_there"
    assert event.details == {"outcome": "no_longer_living_there", "visit_kind": "unannounced",
                             "present": "The new tenant", "checked": "rooms",
                             "concerns": "Left no forwarding address"}


def test_a_visit_records_who_was_present_and_what_was_checked(people, officer):
    event = services.record_visit(
        person_id=people["Ash"].pk, visited_on="2024-05-30", outcome="seen_at_home",
        visit_kind="unannounced", present="Partner and her son (aged 9)",
        children_present=True, checked=("vehicles", "devices", "rooms"), actor=officer,
        today=TODAY)
    assert event.details["children_present"] is True
    assert event.details["checked"] == "rooms; devices; vehicles"


@pytest.mark.parametrize(("kwargs", "field"), [
    pytest.param({"children_present": True}, "present",
                 id="children present without saying who is refused, naming who was present"),
    pytest.param({"checked": ("garden",)}, "checked",
                 id="an unknown check is refused, naming what was checked"),
    pytest.param({"outcome": "gone_fishing"}, "details.outcome",
                 id="an unknown outcome is refused, naming the outcome"),
    pytest.param({"visited_on": "2024-06-02"}, "visited_on",
                 id="a visit in the future is refused, naming the date"),
])
def test_a_bad_visit_is_refused_and_nothing_is_written(people, officer, kwargs, field):
    before = Event.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.record_visit(**{"person_id": people["Ash"].pk, "visited_on": "2024-05-30",
                                 "outcome": "seen_at_home", "actor": officer, "today": TODAY,
                                 **kwargs})
    assert err.value.field == field
    assert Event.objects.count() == before


def test_the_risk_level_sets_the_interval_and_keeps_its_history(people, officer):
    pid = people["Ash"].pk
    services.record_risk_level(person_id=pid, assessed_on="2023-06-01", level="low",
                               note="ARMS", actor=officer, today=TODAY)
    assert VisitStatus.objects.get(pk=pid).due_by == dt.date(2025, 1, 1)
    services.record_risk_level(person_id=pid, assessed_on="2024-05-01", level="very_high",
                               note="New intelligence", actor=officer, today=TODAY)
    status = VisitStatus.objects.get(pk=pid)
    assert (status.state, status.due_by, status.risk_level) == ("overdue", dt.date(2024, 2, 1),
                                                                "very_high")
    levels = [e.details["level"] for e in Event.objects.filter(person_id=pid,
                                                               kind=EventKind.RISK_LEVEL)]
    assert levels == ["low", "very_high"]


def test_a_risk_level_needs_what_it_rests_on(people, officer):
    with pytest.raises(InvalidInput) as err:
        services.record_risk_level(person_id=people["Ash"].pk, assessed_on="2024-05-01",
                                   level="high", note=" ", actor=officer, today=TODAY)
    assert err.value.field == "note"


@pytest.mark.parametrize(("role", "force", "allowed"), [
    ("offender_manager", "west-midlands", False), ("supervisor", "west-midlands", True),
    ("senior_officer", "west-midlands", True), ("supervisor", "staffordshire", False),
    ("analyst", "west-midlands", False), ("partner", "west-midlands", False),
])
def test_who_may_record_a_mappa_decision(people, make_user, role, force, allowed):
    user = make_user(f"{role}.{force}", role, force=force)
    record = lambda: services.record_mappa(  # noqa: E731
        person_id=people["Ash"].pk, decided_on="2024-05-01", category="1", level="2",
        note="MAPP meeting", actor=user, today=TODAY)
    if allowed:
        assert record().details == {"category": "1", "level": "2", "note": "MAPP meeting"}
    else:
        with pytest.raises(NotPermitted):
            record()


@pytest.mark.parametrize(("role", "allowed"), [
    ("offender_manager", True), ("supervisor", True), ("senior_officer", True),
    ("analyst", False), ("partner", False), ("auditor", False),
])
def test_who_may_record_a_risk_level(people, make_user, role, allowed):
    user = make_user(f"user.{role}", role)
    record = lambda: services.record_risk_level(  # noqa: E731
        person_id=people["Ash"].pk, assessed_on="2024-05-01", level="high", note="ARMS",
        actor=user, today=TODAY)
    if allowed:
        assert record().recorded_by == user
    else:
        with pytest.raises(NotPermitted):
            record()


def test_a_mappa_level_that_does_not_exist_is_refused(people):
    with pytest.raises(InvalidInput) as err:
        services.record_mappa(person_id=people["Ash"].pk, decided_on="2024-05-01",
                              category="1", level="4", note="", actor=people["supervisor"],
                              today=TODAY)
    assert err.value.field == "level"


def test_the_plan_sets_the_interval_under_the_tailored_approach(people, officer):
    services.record_visit_plan(person_id=people["Ash"].pk, set_on="2024-01-01",
                               every_weeks=26, actor=officer, today=TODAY)
    status = VisitStatus.objects.get(pk=people["Ash"].pk)
    assert (status.state, status.due_by) == ("due", dt.date(2024, 7, 1))
    assert open_visit_tasks(people["Ash"]) == []


@pytest.mark.parametrize(("kwargs", "field"), [
    pytest.param({}, "every_months", id="a plan with no interval and not reactive is refused"),
    pytest.param({"every_months": 3, "every_weeks": 4}, "every_weeks",
                 id="months and weeks together are refused"),
    pytest.param({"reactive": True, "every_months": 3}, "every_months",
                 id="an interval with reactive management is refused"),
    pytest.param({"reactive": True}, "reactive",
                 id="reactive management before three years at low risk is refused"),
    pytest.param({"every_months": 40}, "every_months", id="more than three years is refused"),
])
def test_a_bad_plan_is_refused_naming_the_field(people, officer, kwargs, field):
    before = Event.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.record_visit_plan(person_id=people["Ash"].pk, set_on="2024-05-01",
                                   actor=officer, today=TODAY, **kwargs)
    assert err.value.field == field
    assert Event.objects.count() == before


def test_reactive_management_after_three_years_at_low_risk_stops_routine_visits(people,
                                                                                officer):
    pid = people["Ash"].pk
    services.record_risk_level(person_id=pid, assessed_on="2021-05-01", level="low",
                               note="ARMS", actor=officer, today=TODAY)
    services.record_visit_plan(person_id=pid, set_on="2024-05-01", reactive=True,
                               actor=officer, today=TODAY)
    assert VisitStatus.objects.get(pk=pid).state == "reactive"
    assert open_visit_tasks(people["Ash"]) == []


def test_no_visit_is_due_while_in_custody(people, officer):
    recording.record_movement(person_id=people["Ash"].pk, kind="custody.start", on="2024-03-01",
                              place="HMP Birmingham", actor=officer, today=TODAY)
    run_visit_sweep(TODAY)
    status = VisitStatus.objects.get(pk=people["Ash"].pk)
    assert (status.state, status.due_by) == ("paused", None)
    assert open_visit_tasks(people["Ash"]) == []


def test_a_force_may_choose_the_national_standard_with_its_own_default(people):
    services.set_force_policy(force="west-midlands", preset="national_standard", actor=None,
                              months={"high": 2})
    policy = force_policy("west-midlands")
    assert policy.preset.key == "national_standard"
    assert str(policy.default_for("high")) == "a visit every 2 months"
    answer = person_next_visit(people["Ash"], TODAY)
    assert answer.due_by == dt.date(2024, 3, 1)


def test_only_a_senior_officer_of_the_force_sets_its_visit_policy(people, make_user):
    for user in (people["supervisor"], make_user("senior.staffs", "senior_officer",
                                                 force="staffordshire")):
        with pytest.raises(NotPermitted):
            services.set_force_policy(force="west-midlands", preset="tailored", actor=user)
    senior = make_user("senior.wm", "senior_officer")
    assert services.set_force_policy(force="west-midlands", preset="tailored",
                                     actor=senior).set_by == senior


# The pages.

def test_the_person_page_shows_risk_and_mappa_with_who_set_them_and_the_next_visit(
        client, people, officer):
    pid = people["Ash"].pk
    services.record_risk_level(person_id=pid, assessed_on="2024-05-01", level="medium",
                               note="ARMS review", actor=officer, today=TODAY)
    services.record_mappa(person_id=pid, decided_on="2024-05-02", category="1", level="2",
                          note="", actor=people["supervisor"], today=TODAY)
    client.force_login(officer)
    page = client.get(reverse("person", args=[pid])).content.decode()
    assert "Medium risk of serious harm, assessed 1 May 2024 by om.one" in page
    assert "MAPPA category 1, level 2, from 2 May 2024 (sup.wm)" in page
    assert "Due by 1 July 2024" in page
    assert "ARMS review" in page


def test_risk_and_mappa_history_show_on_the_timeline(client, people, officer):
    pid = people["Ash"].pk
    services.record_risk_level(person_id=pid, assessed_on="2024-05-01", level="medium",
                               note="ARMS review", actor=officer, today=TODAY)
    services.record_mappa(person_id=pid, decided_on="2024-05-02", category="1", level="2",
                          note="", actor=people["supervisor"], today=TODAY)
    client.force_login(officer)
    page = client.get(reverse("timeline", args=[pid]) + "?kind=risk")
    kinds = [e.kind for e in page.context["page"]]
    assert kinds == ["mappa", "risk.level"]


def test_a_supervisor_sees_overdue_visits_by_officer(client, people):
    client.force_login(people["supervisor"])
    page = client.get(reverse("overdue-visits"))
    by_officer = {b.officer: [v.person.family_name for v in b.visits]
                  for b in page.context["backlog"]}
    assert by_officer == {"om.one": ["Ash", "Birch"], "om.two": ["Cedar"]}
    assert page.context["total"] == 3
    assert "the oldest by 61 days" in page.content.decode()
    from whereabouts.access.models import AuditEntry, AuditListing

    entry = AuditEntry.objects.filter(what__startswith="viewed the overdue home visits").get()
    shown = {v.person.pk for b in page.context["backlog"] for v in b.visits}
    assert set(AuditListing.objects.filter(entry=entry).values_list("person_id", flat=True)) \
        == shown


@pytest.mark.parametrize(("role", "status"), [
    ("supervisor", 200), ("senior_officer", 200), ("offender_manager", 404),
    ("analyst", 404), ("partner", 404), ("auditor", 404),
])
def test_who_may_see_overdue_visits_by_officer(client, make_user, role, status):
    client.force_login(make_user(f"user.{role}", role))
    assert client.get(reverse("overdue-visits")).status_code == status


def test_overdue_visits_by_officer_never_show_another_forces_people(client, people, make_user):
    client.force_login(make_user("sup.staffs", "supervisor", force="staffordshire"))
    assert client.get(reverse("overdue-visits")).context["total"] == 0


def test_the_overdue_visits_page_asks_the_database_the_same_number_of_times(
        client, people, make_person, officer):
    client.force_login(people["supervisor"])
    client.get(reverse("overdue-visits"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("overdue-visits"))
    for name in ("Elm", "Fir", "Gum"):
        person = make_person(family_name=name, manager=people["colleague"])
        register.event_record(person_id=person.pk, kind="disposal", effective_date="2019-02-01",
                              today=TODAY, recorded_by=None, source="test",
                              disposal=DisposalInput(offence="SOA 2003 s.1",
                                                     kind="imprisonment", months=40))
        services.record_visit(person_id=person.pk, visited_on="2023-01-01",
                              outcome="seen_at_home", actor=officer, today=TODAY)
    run_sweep(TODAY)
    run_visit_sweep(TODAY)
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("overdue-visits"))
    assert page.context["total"] == 6
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_visit_form_keeps_what_was_typed_when_it_is_refused(client, people, officer):
    client.force_login(officer)
    url = reverse("person-step", args=[people["Ash"].pk, "visit"])
    response = client.post(url, {**date("visited_on", "2024-05-30"), "outcome": "seen_at_home",
                                 "visit_kind": "unannounced", "children_present": "on",
                                 "checked": ["rooms", "devices"],
                                 "concerns": "Toys in the back bedroom"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "is required when children were present" in html
    assert "Toys in the back bedroom" in html
    assert 'value="devices" checked' in html
    assert not Event.objects.filter(person=people["Ash"], effective_date="2024-05-30").exists()


def test_the_visit_form_records_a_full_visit(client, people, officer):
    client.force_login(officer)
    url = reverse("person-step", args=[people["Ash"].pk, "visit"])
    response = client.post(url, {**date("visited_on", "2024-05-30"), "outcome": "seen_at_home",
                                 "visit_kind": "unannounced", "present": "Alone",
                                 "checked": ["rooms", "devices"], "concerns": ""})
    assert response.status_code == 302
    event = Event.objects.get(person=people["Ash"], effective_date="2024-05-30")
    assert event.details == {"outcome": "seen_at_home", "visit_kind": "unannounced",
                             "present": "Alone", "checked": "rooms; devices"}


def test_the_plan_and_mappa_forms_name_the_field_they_refuse(client, people, officer):
    client.force_login(officer)
    response = client.post(reverse("person-step", args=[people["Ash"].pk, "visit-plan"]),
                           {**date("set_on", "2024-05-30"), "reactive": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"reactive"}
    client.force_login(people["supervisor"])
    response = client.post(reverse("person-step", args=[people["Ash"].pk, "mappa"]),
                           {**date("decided_on", "2024-05-30"), "category": "1", "level": "2"})
    assert response.status_code == 302


def test_correcting_a_visit_starts_from_what_it_says_and_keeps_the_new_fields(
        client, people, officer):
    event = services.record_visit(
        person_id=people["Ash"].pk, visited_on="2024-05-30", outcome="no_reply",
        visit_kind="unannounced", present="", checked=("vehicles",), concerns="Car on drive",
        actor=officer, today=TODAY)
    client.force_login(officer)
    url = reverse("correct-entry", args=[people["Ash"].pk, event.pk])
    form = client.get(url).context["form"]
    assert form.initial["checked"] == ["vehicles"]
    assert form.initial["concerns"] == "Car on drive"
    response = client.post(url, {**date("visited_on", "2024-05-30"), "outcome": "seen_at_home",
                                 "visit_kind": "unannounced", "checked": ["vehicles", "rooms"],
                                 "concerns": "Car on drive", "reason": "He came to the door"})
    assert response.status_code == 302
    corrected = Event.objects.get(supersedes=event)
    assert corrected.details["checked"] == "rooms; vehicles"
    assert open_visit_tasks(people["Ash"]) == []  # the corrected visit saw him


def test_a_senior_officer_sets_the_forces_visit_policy_on_its_page(client, people, make_user):
    senior = make_user("senior.wm", "senior_officer")
    client.force_login(senior)
    page = client.get(reverse("visit-policy"))
    assert page.context["form"].initial["preset"] == "tailored"
    response = client.post(reverse("visit-policy"), {"preset": "national_standard",
                                                     "high_months": "5"})
    assert response.status_code == 302
    assert force_policy("west-midlands").preset.key == "national_standard"
    # Everyone in the force is worked out again at once: a 5-month interval from 1 January.
    status = VisitStatus.objects.get(pk=people["Ash"].pk)
    assert (status.state, status.due_by) == ("due", dt.date(2024, 6, 1))
    assert open_visit_tasks(people["Ash"]) == []
    assert "Last set" in client.get(reverse("visit-policy")).content.decode()


@pytest.mark.parametrize(("data", "field"), [
    pytest.param({"preset": "tailored", "low_months": "40"}, "low_months",
                 id="more than 36 months is refused, naming the risk level"),
    pytest.param({"preset": "tailored", "low_months": "two"}, "low_months",
                 id="months that are not a number are refused, naming the risk level"),
    pytest.param({"high_months": "4"}, "preset", id="a policy without a preset is refused"),
])
def test_a_bad_visit_policy_is_refused_and_nothing_changes(client, people, make_user, data,
                                                           field):
    client.force_login(make_user("senior.wm", "senior_officer"))
    response = client.post(reverse("visit-policy"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'value="4"' in response.content.decode() or "high_months" not in data
    assert force_policy("west-midlands").preset.key == "tailored"


@pytest.mark.parametrize(("role", "status"), [
    ("senior_officer", 200), ("supervisor", 404), ("offender_manager", 404),
    ("analyst", 404), ("administrator", 404),
])
def test_who_may_open_the_visit_policy(client, make_user, role, status):
    client.force_login(make_user(f"user.{role}", role))
    assert client.get(reverse("visit-policy")).status_code == status
    assert client.post(reverse("visit-policy"), {"preset": "national_standard"}
                       ).status_code in (status, 302)
    assert force_policy("west-midlands").preset.key == (
        "national_standard" if status == 200 else "tailored")
