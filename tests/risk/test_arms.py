"""ARMS assessments: recorded as the assessor wrote them, and a task once the next is overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.compliance.models import Task, TaskState
from whereabouts.compliance.sweep import run_sweep
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.services import DisposalInput
from whereabouts.risk import services
from whereabouts.risk.arms import ARMS_TASK, ArmsAssessment
from whereabouts.risk.sweep import run_arms_sweep

from ..conftest import TODAY


@pytest.mark.parametrize(("next_due", "as_at", "state"), [
    pytest.param("2024-06-01", "2024-05-31", "due", id="due the day before the due date"),
    pytest.param("2024-06-01", "2024-06-01", "due", id="due on the due date"),
    pytest.param("2024-06-01", "2024-06-02", "overdue", id="overdue the day after"),
])
def test_an_arms_assessment_is_overdue_from_the_day_after_the_next_was_due(next_due, as_at,
                                                                           state):
    assessment = ArmsAssessment(dt.date(2023, 6, 1), "PC One", (), (), "",
                                dt.date.fromisoformat(next_due))
    assert assessment.state(dt.date.fromisoformat(as_at)) == state


@pytest.fixture
def person(make_person: Any, settings: Any) -> Any:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    person = make_person()
    register.event_record(person_id=person.pk, kind="disposal", effective_date="2019-02-01",
                          today=TODAY, recorded_by=None, source="test",
                          disposal=DisposalInput(offence="SOA 2003 s.1", kind="imprisonment",
                                                 months=40))
    run_sweep(TODAY)
    return person


def assess(person: Any, officer: Any, on: str, next_due: str, today: dt.date = TODAY) -> Any:
    return services.record_arms(
        person_id=person.pk, assessed_on=on, assessor="PC One (MOSOVO)",
        risk_factors="Sexual preoccupation: present\nOpportunity to offend: present",
        protective_factors="Positive routine: present", priorities="Employment; monitoring",
        next_due=next_due, actor=officer, today=today)


def open_tasks(person: Any) -> list[Task]:
    return list(Task.objects.filter(person=person, kind=ARMS_TASK, state=TaskState.OPEN))


def test_an_overdue_assessment_opens_a_task_that_a_new_assessment_closes(person, officer):
    assess(person, officer, "2023-05-01", "2024-05-31")
    (task,) = open_tasks(person)
    assert task.assigned_to == officer and task.due_last_day == dt.date(2024, 5, 31)
    assert run_arms_sweep(TODAY).tasks_opened == 0  # twice for a date changes nothing
    assess(person, officer, "2024-06-01", "2024-12-01")
    assert open_tasks(person) == []


def test_an_assessment_due_today_opens_no_task(person, officer):
    assess(person, officer, "2023-06-01", "2024-06-01")
    assert open_tasks(person) == []
    assert run_arms_sweep(dt.date(2024, 6, 2)).tasks_opened == 1


@pytest.mark.parametrize(("changes", "field"), [
    pytest.param({"next_due": "2024-05-01"}, "next_due", id="next due on the assessment day"),
    pytest.param({"risk_factors": "", "protective_factors": ""}, "risk_factors",
                 id="no factors at all"),
    pytest.param({"priorities": " "}, "priorities", id="no priorities"),
    pytest.param({"assessor": ""}, "assessor", id="no assessor"),
])
def test_an_assessment_with_bad_input_names_the_field(person, officer, changes, field):
    kwargs = {"person_id": person.pk, "assessed_on": "2024-05-01", "assessor": "PC One",
              "risk_factors": "X", "priorities": "Y", "next_due": "2024-11-01",
              "actor": officer, "today": TODAY}
    with pytest.raises(InvalidInput) as err:
        services.record_arms(**(kwargs | changes))
    assert err.value.field == field


def test_the_person_page_and_the_officers_list_show_the_overdue_assessment(client, person,
                                                                          officer):
    assess(person, officer, "2023-05-01", "2024-05-31")
    client.force_login(officer)
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Sexual preoccupation: present" in page and "Overdue</strong>" in page
    mine = client.get(reverse("mappa-mine")).content.decode()
    assert "the arms assessment due by 31 may 2024 has not been recorded" in mine
    timeline = client.get(reverse("timeline", args=[person.pk]) + "?kind=risk")
    assert "ARMS assessment" in timeline.content.decode()


def test_no_actuarial_scorer_is_shipped_until_its_rules_are_verified():
    from whereabouts.risk.actuarial import SCORERS

    assert SCORERS == {}
