"""MAPP meetings, their attendees and actions: who may record them, who sees them, and when
an action is overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry, StaffProfile
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event
from whereabouts.register.recording import NotPermitted
from whereabouts.risk import services
from whereabouts.risk.models import MappaAction, MappaMeeting, action_overdue

from ..conftest import TODAY


def date(prefix: str, when: str) -> dict[str, str]:
    day = dt.date.fromisoformat(when)
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}


@pytest.mark.parametrize(("due", "done", "as_at", "overdue"), [
    pytest.param("2024-06-01", None, "2024-06-01", False, id="due today is not yet overdue"),
    pytest.param("2024-05-31", None, "2024-06-01", True, id="the day after the due date it is"),
    pytest.param("2024-05-01", "2024-05-31", "2024-06-01", False, id="done is never overdue"),
    pytest.param(None, None, "2030-01-01", False, id="no due date is never overdue"),
])
def test_an_action_is_overdue_from_the_day_after_its_due_date_until_done(due, done, as_at,
                                                                         overdue):
    parse = lambda v: dt.date.fromisoformat(v) if v else None  # noqa: E731
    assert action_overdue(parse(due), parse(done), dt.date.fromisoformat(as_at)) is overdue


@pytest.fixture
def world(make_user: Any, make_person: Any, officer: Any, settings: Any) -> dict[str, Any]:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    partner = make_user("housing.wm", "partner")
    StaffProfile.objects.filter(user=partner).update(agency="housing")
    other_partner = make_user("probation.wm", "partner")
    StaffProfile.objects.filter(user=other_partner).update(agency="probation")
    return {"om": officer, "partner": partner, "other_partner": other_partner,
            "supervisor": make_user("sup.wm", "supervisor"),
            "analyst": make_user("analyst", "analyst", force=None),
            "staffs": make_user("sup.staffs", "supervisor", force="staffordshire"),
            "person": make_person(), "other": make_person(family_name="Other")}


def meeting(world: dict[str, Any], person: Any = None, **changes: Any) -> MappaMeeting:
    kwargs: dict[str, Any] = {
        "person_id": (person or world["person"]).pk, "held_on": "2024-05-20", "level": "2",
        "chair": "DI Grey (police)", "decisions": "Remain at level 2; review in 3 months",
        "attendees": [{"agency": "police", "name": "PC One", "user": "om.one"},
                      {"agency": "housing", "name": "H. Officer", "user": "housing.wm"},
                      {"agency": "probation", "name": "P. Officer"}],
        "actions": [{"description": "Check the new tenancy", "owner_agency": "housing",
                     "owner": "housing.wm", "due_on": "2024-05-31"},
                    {"description": "Unannounced visit", "owner_agency": "police",
                     "owner": "om.one", "due_on": "2024-06-30"}],
        "actor": world["om"], "today": TODAY}
    return services.record_meeting(**(kwargs | changes))


def test_a_meeting_is_recorded_with_attendees_actions_and_an_entry_on_the_timeline(world):
    held = meeting(world)
    assert [(a.agency, a.user_id) for a in held.attendees.all()] == [
        ("police", world["om"].pk), ("housing", world["partner"].pk), ("probation", None)]
    assert held.actions.count() == 2
    entry = Event.objects.get(person=world["person"], kind="mappa.meeting")
    assert entry.details["meeting"] == held.pk and entry.details["actions"] == 2
    assert "Housing: H. Officer" in entry.details["attendees"]


@pytest.mark.parametrize(("changes", "field"), [
    pytest.param({"held_on": "2024-06-02"}, "held_on", id="a meeting in the future"),
    pytest.param({"level": "4"}, "level", id="a level that does not exist"),
    pytest.param({"chair": " "}, "chair", id="no chair"),
    pytest.param({"attendees": []}, "attendees", id="no attendees"),
    pytest.param({"attendees": [{"agency": "circus", "name": "X"}]}, "attendees.1.agency",
                 id="an unknown agency"),
    pytest.param({"attendees": [{"agency": "police", "name": "X", "user": "sup.staffs"}]},
                 "attendees.1.user", id="a user of another force"),
    pytest.param({"actions": [{"description": "Do it", "owner_agency": "police",
                               "due_on": "2024-05-19"}]}, "actions.1.due_on",
                 id="an action due before the meeting"),
    pytest.param({"actions": [{"description": "", "owner_agency": "police"}]},
                 "actions.1.description", id="an action with no description"),
])
def test_a_meeting_with_bad_input_names_the_field_and_writes_nothing(world, changes, field):
    with pytest.raises(InvalidInput) as err:
        meeting(world, **changes)
    assert err.value.field == field
    assert not MappaMeeting.objects.exists() and not MappaAction.objects.exists()
    assert not Event.objects.filter(kind="mappa.meeting").exists()


@pytest.mark.parametrize("who", ["partner", "analyst", "staffs"])
def test_only_casework_of_the_persons_force_records_a_meeting(world, who):
    with pytest.raises(NotPermitted):
        meeting(world, actor=world[who])


def test_the_owners_list_shows_open_actions_by_due_date_with_the_overdue_flagged(
        client, world):
    meeting(world)
    client.force_login(world["partner"])
    page = client.get(reverse("mappa-mine")).content.decode()
    assert "Check the new tenancy" in page and "Unannounced visit" not in page
    assert 'id="actions-overdue">1<' in page and "Overdue</strong>" in page
    client.force_login(world["om"])
    page = client.get(reverse("mappa-mine")).content.decode()
    assert "Unannounced visit" in page and "Check the new tenancy" not in page
    assert 'id="actions-overdue">0<' in page
    entry = AuditEntry.objects.latest("id")
    assert entry.listed == str(world["person"].pk)


def test_a_partner_sees_only_the_meetings_they_attended_and_not_the_person_page(client,
                                                                               world):
    meeting(world)
    meeting(world, person=world["other"], attendees=[{"agency": "probation", "name": "P",
                                                      "user": "probation.wm"}], actions=[],
            decisions="Secret decision about someone else")
    client.force_login(world["partner"])
    page = client.get(reverse("mappa-mine")).content.decode()
    assert "Remain at level 2" in page and "Secret decision" not in page
    assert client.get(reverse("person", args=[world["person"].pk])).status_code == 404
    client.force_login(world["other_partner"])
    page = client.get(reverse("mappa-mine")).content.decode()
    assert "Secret decision" in page and "Remain at level 2" not in page


def test_the_owner_marks_an_action_done_and_no_one_else_outside_the_force_may(client, world):
    held = meeting(world)
    action = held.actions.get(owner=world["partner"])
    client.force_login(world["other_partner"])
    url = reverse("mappa-action-done", args=[action.pk])
    assert client.post(url, date("done_on", "2024-06-01")).status_code == 404
    client.force_login(world["partner"])
    assert client.post(url, date("done_on", "2024-06-01")).status_code == 302
    action.refresh_from_db()
    assert action.done_on == TODAY and action.done_by == world["partner"]
    with pytest.raises(InvalidInput) as err:
        services.complete_action(action_id=action.pk, done_on=TODAY, actor=world["partner"],
                                 today=TODAY)
    assert err.value.field == "done_on"


def test_a_meeting_is_recorded_through_the_form_and_shows_on_the_person_page(client, world):
    client.force_login(world["om"])
    url = reverse("person-step", args=[world["person"].pk, "mappa-meeting"])
    form = {**date("held_on", "2024-05-20"), "level": "2", "chair": "DI Grey",
            "decisions": "Stay at level 2", "attendee_1_agency": "police",
            "attendee_1_name": "PC One", "attendee_1_user": "om.one",
            "action_1_description": "Check the tenancy", "action_1_owner_agency": "housing",
            "action_1_owner": "housing.wm", **date("action_1_due_on", "2024-05-25"),
            "action_2_description": "Visit", "action_2_owner_agency": ""}
    response = client.post(url, form)
    assert response.status_code == 200  # action 2 has no agency
    assert "Action 2: owning agency" in response.content.decode()
    form["action_2_owner_agency"] = "police"
    assert client.post(url, form).status_code == 302
    page = client.get(reverse("person", args=[world["person"].pk])).content.decode()
    assert "level 2, chaired by DI Grey" in page and "Check the tenancy" in page
    timeline = client.get(reverse("timeline", args=[world["person"].pk]) + "?kind=risk")
    assert "MAPPA meeting" in timeline.content.decode()


def test_erasing_a_disposed_record_takes_its_meetings_attendees_and_actions(world):
    from django.db import connection

    from whereabouts.retention.services import _delete_everything_about

    held = meeting(world)
    _delete_everything_about(world["person"].pk)
    connection.check_constraints()  # the deferred foreign keys, checked now
    assert not MappaMeeting.objects.filter(pk=held.pk).exists()
    assert not MappaAction.objects.exists()
