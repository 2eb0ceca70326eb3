"""The forms of the missing path: who may open each, what each writes, and what each refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry
from whereabouts.compliance.models import Task
from whereabouts.missing import services
from whereabouts.missing.selectors import missing_board, person_episodes
from whereabouts.register.models import Event
from whereabouts.web.actions import STEPS

from ..conftest import TODAY


def date(prefix: str, when: str) -> dict[str, str]:
    day = dt.date.fromisoformat(when)
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}


@pytest.fixture
def users(make_user: Any, officer: Any, settings: Any) -> dict[str, Any]:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    return {
        "offender_manager": officer,
        "supervisor": make_user("sup.wm", "supervisor"),
        "senior_officer": make_user("senior.wm", "senior_officer"),
        "analyst": make_user("analyst.wm", "analyst"),
        "partner": make_user("partner.wm", "partner"),
        "auditor": make_user("auditor.wm", "auditor"),
        "administrator": make_user("admin.wm", "administrator"),
        "other_force_supervisor": make_user("sup.staffs", "supervisor", force="staffordshire"),
        "no_role": make_user("nobody", None),
    }


def url(person: Any, step: str) -> str:
    return reverse("person-step", args=[person.pk, step])


CASEWORK = {"offender_manager", "supervisor", "senior_officer"}
WHO_MAY_OPEN = {
    "notify-initial": CASEWORK, "notify-periodic": CASEWORK, "notify-change": CASEWORK,
    "travel": CASEWORK, "custody-start": CASEWORK, "custody-end": CASEWORK,
    "hospital-start": CASEWORK, "hospital-end": CASEWORK, "abroad-start": CASEWORK,
    "abroad-end": CASEWORK, "identity": CASEWORK, "alias": CASEWORK,
    "transfer": {"supervisor", "senior_officer"},
    "visit": {"offender_manager", "supervisor", "senior_officer"},
    "risk": CASEWORK, "visit-plan": CASEWORK,
    "mappa": {"supervisor", "senior_officer"},
    "check": {"offender_manager", "supervisor", "senior_officer"},
    "check-found": {"offender_manager", "supervisor", "senior_officer"},
    "missing": {"supervisor"},
    "located": {"offender_manager", "supervisor", "senior_officer"},
    "circulate": {"supervisor"},
    "action": {"offender_manager", "supervisor", "senior_officer"},
    "review": {"supervisor", "senior_officer"},
    "owner": {"supervisor", "senior_officer"},
    "withdraw": {"supervisor"},
    "breach": {"offender_manager", "supervisor"},
    "warrant": {"offender_manager", "supervisor"},
    "breach-outcome": {"offender_manager", "supervisor"},
    "mappa-meeting": CASEWORK, "arms": CASEWORK, "order": CASEWORK,
    "order-vary": CASEWORK, "order-discharge": CASEWORK,
    "order-breach": {"offender_manager", "supervisor"},  # as for any breach
}
ROLES = ("offender_manager", "supervisor", "senior_officer", "analyst", "partner", "auditor",
         "administrator", "other_force_supervisor", "no_role")


def test_every_step_has_a_row_in_the_access_table():
    assert set(WHO_MAY_OPEN) == set(STEPS)


@pytest.mark.parametrize("step", sorted(WHO_MAY_OPEN))
@pytest.mark.parametrize("role", ROLES)
def test_each_step_opens_only_for_the_roles_that_may_take_it(client, users, make_person, step,
                                                             role):
    person = make_person()
    client.force_login(users[role])
    response = client.get(url(person, step))
    assert response.status_code == (200 if role in WHO_MAY_OPEN[step] else 404)


def test_a_step_needs_a_signed_in_user(client, make_person):
    response = client.get(url(make_person(), "visit"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_unknown_step_or_person_is_not_found(client, users, make_person):
    client.force_login(users["supervisor"])
    assert client.get(url(make_person(), "delete-everything")).status_code == 404
    assert client.get(reverse("person-step", args=[999_999, "visit"])).status_code == 404


def test_opening_a_form_is_logged_as_a_look_at_the_person(client, users, make_person):
    person = make_person()
    client.force_login(users["supervisor"])
    client.get(url(person, "missing"))
    entry = AuditEntry.objects.latest("id")
    assert entry.person_id == person.pk and entry.action == "consultation"
    assert "record as missing" in entry.what


def test_the_form_starts_with_today_in_its_dates(client, users, make_person):
    client.force_login(users["offender_manager"])
    html = client.get(url(make_person(), "visit")).content.decode()
    assert 'name="visited_on_year" type="text" value="2024"' in html
    assert 'name="visited_on_day" type="text" value="1"' in html


def test_the_whole_path_from_a_failed_visit_to_located_through_the_forms(client, users,
                                                                        make_person):
    person = make_person()
    om, supervisor, senior = (users["offender_manager"], users["supervisor"],
                              users["senior_officer"])
    client.force_login(om)
    response = client.post(url(person, "visit"), {
        **date("visited_on", "2024-05-20"), "outcome": "no_longer_living_there",
        "visit_kind": "unannounced", "note": "New tenant says he left in April"})
    assert response.status_code == 302 and response["Location"] == reverse("person",
                                                                           args=[person.pk])
    assert Task.objects.filter(person=person, kind="whereabouts_check").exists()
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Whereabouts check open since 20 May 2024" in page and "Visit recorded" in page

    client.force_login(supervisor)
    response = client.post(url(person, "missing"), {
        **date("recorded_on", "2024-05-23"), **date("missing_since", "2024-04-10"),
        "basis": "Not at the address; no trace with probation or DWP", "risk": "high",
        "checks_done": ["Probation checked", "DWP checked"]})
    assert response.status_code == 302
    [episode] = person_episodes(person)
    assert episode.missing_since == dt.date(2024, 4, 10) and episode.risk == "high"
    closed = Event.objects.get(person=person, kind="check.closed")
    assert closed.details["outcome"] == "recorded_missing"
    assert closed.details["checks_done"] == "Probation checked; DWP checked"

    client.force_login(om)
    assert client.post(url(person, "action"), {
        **date("done_on", "2024-05-24"), "action": "enquiry", "note": "Visited his sister",
        "next_action": "Check the hostel in Walsall", **date("next_action_by", "2024-05-31"),
    }).status_code == 302
    client.force_login(senior)
    assert client.post(url(person, "owner"), {
        **date("assigned_on", "2024-05-25"), "owner": "sup.wm",
        "note": "Complex case: the supervisor takes it"}).status_code == 302
    assert client.post(url(person, "review"), {
        **date("reviewed_on", "2024-05-26"), "level": "senior", "note": "Enquiries sound",
        "next_action": "Circulate internationally if a lead abroad",
        **date("next_action_by", "2024-06-20")}).status_code == 302
    [row] = missing_board(senior, TODAY)
    assert row.owner == "sup.wm" and row.state.next_action_by == dt.date(2024, 6, 20)
    assert row.state.last_senior_review == dt.date(2024, 5, 26)

    client.force_login(supervisor)
    assert client.post(url(person, "circulate"), {
        **date("sent_on", "2024-05-27"), "scope": "international",
        "reference": "NCA/2024/0042", "note": "Believed to be travelling"}).status_code == 302
    assert client.post(url(person, "located"), {
        **date("located_on", "2024-05-30"), "where": "Walsall bus station",
        "by": "PC 1234 Walsall", "how_found": "arrest", "outcome": "arrested",
        "note": "Arrested for the s.91 breach"}).status_code == 302
    [episode] = person_episodes(person)
    assert episode.located_on == dt.date(2024, 5, 30) and episode.how_found == "arrest"
    cancelled = Event.objects.filter(person=person, kind="circulation.cancelled").count()
    assert cancelled == 2  # the national circulation and the international one


def test_a_refused_step_shows_the_field_and_writes_nothing(client, users, make_person):
    person = make_person()
    client.force_login(users["supervisor"])
    before = Event.objects.count()
    response = client.post(url(person, "missing"), {
        **date("recorded_on", "2024-05-23"), **date("missing_since", "2024-07-01"),
        "basis": "No trace", "risk": "high"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "is in the future" in html
    assert 'href="#id_missing_since_day"' in html
    assert Event.objects.count() == before


@pytest.mark.parametrize(("fields", "message"), [
    pytest.param({"visited_on_day": "20", "visited_on_month": "", "visited_on_year": "2024"},
                 "must include a month", id="a date without a month names what is missing"),
    pytest.param({"visited_on_day": "31", "visited_on_month": "2", "visited_on_year": "2024"},
                 "must be a real date", id="the thirty-first of February is not a date"),
    pytest.param({"visited_on_day": "1", "visited_on_month": "2", "visited_on_year": "24"},
                 "must be a real date", id="a two-digit year is refused"),
    pytest.param({}, "Enter date of the visit", id="a visit without a date is refused"),
])
def test_a_bad_date_is_refused_before_any_service_is_called(client, users, make_person, fields,
                                                             message):
    person = make_person()
    client.force_login(users["offender_manager"])
    before = Event.objects.count()
    response = client.post(url(person, "visit"), {**fields, "outcome": "seen_at_home"})
    assert response.status_code == 200 and message in response.content.decode()
    assert Event.objects.count() == before


def test_the_owner_must_be_a_caseworker_of_the_persons_force(client, users, make_person):
    person = make_person()
    services.record_missing(person_id=person.pk, recorded_on="2024-05-01",
                            missing_since="2024-04-20", basis="No trace", risk="medium",
                            actor=users["supervisor"], today=TODAY)
    client.force_login(users["supervisor"])
    html = client.get(url(person, "owner")).content.decode()
    assert "sup.wm" in html and "sup.staffs" not in html and "analyst.wm" not in html
    before = Event.objects.count()
    response = client.post(url(person, "owner"), {
        **date("assigned_on", "2024-05-02"), "owner": "sup.staffs", "note": "Moving"})
    assert response.status_code == 200 and Event.objects.count() == before
    with pytest.raises(services.InvalidInput, match="not a caseworker"):
        services.assign_owner(person_id=person.pk, assigned_on="2024-05-02", owner="analyst.wm",
                              note="Why not", actor=users["supervisor"], today=TODAY)


def test_the_person_page_offers_only_the_steps_that_fit_where_they_stand(client, users,
                                                                         make_person):
    person = make_person()
    client.force_login(users["supervisor"])

    def offered() -> set[str]:
        html = client.get(reverse("person", args=[person.pk])).content.decode()
        return {slug for slug, step in STEPS.items()
                if step.group == "missing" and f'id="step-{slug}"' in html}

    recording = {slug for slug, step in STEPS.items() if step.group == "record"}
    html = client.get(reverse("person", args=[person.pk])).content.decode()
    on_an_order = {"order-vary", "order-discharge", "order-breach"}
    assert all(f'id="step-{slug}"' in html for slug in recording - on_an_order)
    assert not any(f'id="step-{slug}"' in html for slug in on_an_order)  # no order yet
    assert offered() == {"check", "missing", "breach"}
    services.open_whereabouts_check(person_id=person.pk, opened_on="2024-05-01",
                                    reason="returned_mail", actor=users["supervisor"],
                                    today=TODAY)
    assert offered() == {"check-found", "missing", "breach"}
    services.record_missing(person_id=person.pk, recorded_on="2024-05-02",
                            missing_since="2024-04-20", basis="No trace", risk="medium",
                            actor=users["supervisor"], today=TODAY)
    assert offered() == {"located", "circulate", "action", "review", "owner", "withdraw",
                         "breach"}
    client.force_login(users["offender_manager"])
    assert offered() == {"located", "action", "breach"}


def test_a_breach_its_warrant_and_its_outcome_through_the_forms(client, users, make_person):
    person = make_person()
    client.force_login(users["offender_manager"])
    assert client.post(url(person, "breach"), {
        **date("recorded_on", "2024-05-02"), "offence": "fail_to_comply",
        "crime_reference": "20/12345/24", "what": "Annual notification not made",
        **date("failed_from", "2024-03-02")}).status_code == 302
    for status, extra in (("applied", {}), ("issued", {"warrant_reference": "W-77"})):
        assert client.post(url(person, "warrant"), {
            "crime_reference": "20/12345/24", **date("on", "2024-05-03"), "status": status,
            "court": "Birmingham Magistrates", **extra}).status_code == 302
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Warrant outstanding" in page and "20/12345/24" in page
    assert "failing since 2 Mar 2024" in page
    before = Event.objects.count()
    refused = client.post(url(person, "warrant"), {
        "crime_reference": "20/12345/24", **date("on", "2024-05-04"), "status": "applied"})
    assert refused.status_code == 200 and Event.objects.count() == before
    assert client.post(url(person, "breach-outcome"), {
        "crime_reference": "20/12345/24", **date("on", "2024-05-20"), "outcome": "charged"}
    ).status_code == 302
    assert "Charged, 20 May 2024" in client.get(
        reverse("person", args=[person.pk])).content.decode()


def test_a_failure_cannot_begin_after_the_breach_is_recorded(client, users, make_person):
    person = make_person()
    client.force_login(users["supervisor"])
    before = Event.objects.count()
    response = client.post(url(person, "breach"), {
        **date("recorded_on", "2024-05-02"), "offence": "fail_to_comply",
        "crime_reference": "20/1/24", "what": "Annual notification not made",
        **date("failed_from", "2024-05-20")})
    assert response.status_code == 200 and "is after the breach was recorded" in (
        response.content.decode())
    assert Event.objects.count() == before


@pytest.mark.parametrize("role", sorted(CASEWORK))
def test_every_role_offered_the_visit_step_can_record_a_visit_that_opens_a_check(
        client, users, make_person, role):
    person = make_person()
    client.force_login(users[role])
    response = client.post(url(person, "visit"), {
        "visited_on_day": "30", "visited_on_month": "5", "visited_on_year": "2024",
        "outcome": "no_longer_living_there", "visit_kind": "unannounced"})
    assert response.status_code == 302, response.content.decode()[:2000]
    kinds = list(Event.objects.filter(person=person).values_list("kind", flat=True))
    assert "visit" in kinds and "check.opened" in kinds
