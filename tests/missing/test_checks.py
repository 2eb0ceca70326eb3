"""Whereabouts checks: noticing that someone may be gone, and closing the check either way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whereabouts.compliance.models import Task
from whereabouts.missing import services
from whereabouts.missing.selectors import person_checks, person_episodes
from whereabouts.missing.services import NotPermitted
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event

from ..conftest import TODAY


def visit(person: Any, actor: Any, outcome: str, on: str = "2024-05-02") -> Event:
    return services.record_visit(person_id=person.pk, visited_on=on, outcome=outcome,
                                 actor=actor, today=TODAY)


def test_a_visit_that_finds_them_gone_opens_a_check_and_a_72_hour_task(person, officer):
    visit(person, officer, "no_longer_living_there")
    [check] = person_checks(person)
    assert (check.opened_on, check.reason, check.closed_on) == (
        dt.date(2024, 5, 2), "no_longer_living_there", None)
    task = Task.objects.get(person=person, kind="whereabouts_check")
    assert (task.state, task.due_last_day, task.assigned_to) == (
        "open", dt.date(2024, 5, 5), officer)


@pytest.mark.parametrize("outcome", ["seen_at_home", "no_reply", "access_denied"])
def test_an_ordinary_visit_opens_no_check(person, officer, outcome):
    visit(person, officer, outcome)
    assert person_checks(person) == []
    assert not Task.objects.filter(kind="whereabouts_check").exists()


def test_the_task_deadline_follows_the_forces_setting(person, officer, settings):
    settings.WHEREABOUTS_CHECK_HOURS = 48
    visit(person, officer, "not_known_at_address")
    assert Task.objects.get(kind="whereabouts_check").due_last_day == dt.date(2024, 5, 4)


def test_a_check_that_finds_them_closes_with_the_reason_the_alarm_was_false(person, officer):
    visit(person, officer, "no_longer_living_there")
    services.close_check_found(person_id=person.pk, closed_on="2024-05-03",
                               explanation="Staying with his sister; notified the address",
                               checks_done=("Phone called",), actor=officer, today=TODAY)
    [check] = person_checks(person)
    assert (check.closed_on, check.outcome) == (dt.date(2024, 5, 3), "found")
    assert Task.objects.get(kind="whereabouts_check").state == "done"
    closed = Event.objects.get(person=person, kind="check.closed")
    assert closed.details["checks_done"] == "Phone called"
    assert person_episodes(person) == []


def test_recording_them_missing_closes_the_check_as_recorded_missing(person, officer,
                                                                     supervisor):
    visit(person, officer, "no_longer_living_there")
    services.record_missing(person_id=person.pk, recorded_on="2024-05-05",
                            missing_since="2024-04-20", basis="Check found no trace",
                            risk="high", actor=supervisor, today=TODAY,
                            checks_done=("Hospitals checked", "Custody checked (local cells "
                                         "and prisons)"))
    [check] = person_checks(person)
    assert check.outcome == "recorded_missing"
    assert Event.objects.get(person=person, kind="check.closed").details["checks_done"] == (
        "Custody checked (local cells and prisons); Hospitals checked")
    assert len(person_episodes(person)) == 1
    assert Task.objects.get(kind="whereabouts_check").state == "done"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda p, a: services.close_check_found(
            person_id=p.pk, closed_on="2024-05-01", explanation="x", actor=a, today=TODAY),
         "closed_on"),
        (lambda p, a: services.close_check_found(
            person_id=p.pk, closed_on="2024-05-03", explanation="", actor=a, today=TODAY),
         "details.explanation"),
        (lambda p, a: services.close_check_found(
            person_id=p.pk, closed_on="2024-05-03", explanation="x", actor=a, today=TODAY,
            checks_done=("Asked a psychic",)),
         "checks_done"),
        (lambda p, a: services.open_whereabouts_check(
            person_id=p.pk, opened_on="2024-05-03", reason="intelligence", actor=a,
            today=TODAY),
         "person"),
    ],
    ids=[
        "closing before the check opened is refused",
        "closing as found without saying why the alarm was false is refused",
        "a check that is not on the force's checklist is refused",
        "a second open check is refused",
    ],
)
def test_bad_check_input_is_refused_and_changes_nothing(person, officer, call, field):
    visit(person, officer, "no_longer_living_there")
    before = (Event.objects.count(), list(Task.objects.values_list("state", flat=True)))
    with pytest.raises(InvalidInput) as err:
        call(person, officer)
    assert err.value.field == field
    assert (Event.objects.count(), list(Task.objects.values_list("state", flat=True))) == before


def test_an_unknown_reason_for_a_check_is_refused(person, officer):
    with pytest.raises(InvalidInput) as err:
        services.open_whereabouts_check(person_id=person.pk, opened_on="2024-05-03",
                                        reason="a hunch", actor=officer, today=TODAY)
    assert err.value.field == "details.reason"
    assert not Task.objects.exists()


def test_only_casework_staff_of_the_force_may_open_or_close_a_check(person, make_user):
    for actor in (make_user("om.staffs", "offender_manager", force="staffordshire"),
                  make_user("analyst", "analyst")):
        with pytest.raises(NotPermitted):
            visit(person, actor, "no_longer_living_there")
    assert person_checks(person) == []
