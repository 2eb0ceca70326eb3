"""The endpoints: the access layer, reasons for access, the audit chain, problem details."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from whereabouts.access.models import AuditAction, AuditEntry
from whereabouts.missing import services as missing
from whereabouts.register import services
from whereabouts.register.models import Event

from ..conftest import TODAY

REASON = {"X-Reason-For-Access": "sighting; seen in Walsall by PC 123"}


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


def assert_problem(answer, status: int) -> dict:
    assert answer.status_code == status
    assert answer["Content-Type"] == "application/problem+json"
    body = answer.body
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status and body["type"] == "about:blank"
    return body


# -- reading a person --------------------------------------------------------------------------
def test_reading_a_person_gives_the_summary_the_page_shows(officer, api, make_person):
    person = make_person(family_name="Hollis", given_names="Dean")
    services.event_record(person_id=person.pk, kind="identity", effective_date=TODAY,
                          today=TODAY, recorded_by=officer, source="test", details={},
                          aliases=[("Holis", "Dean", None, None)])
    body = api(officer).get(f"/people/{person.pk}").body
    assert body["family_name"] == "Hollis" and body["given_names"] == "Dean"
    assert body["aliases"][0]["family_name"] == "Holis"
    assert body["date_of_birth"] == "1980-05-01"
    assert body["force"] == {"slug": "west-midlands", "name": "West Midlands Police"}
    assert body["offender_manager"]["username"] == "om.one"
    assert body["as_at"] == "2024-06-01"
    assert {"compliance", "next_due_kind", "next_due_last_day"} <= set(body["status"])
    assert "pnc_id" not in body and "ni_number" not in body


def test_reading_a_person_is_logged_as_a_consultation_like_the_page(officer, api, make_person):
    person = make_person()
    api(officer).get(f"/people/{person.pk}")
    entry = last_entry()
    assert (entry.actor, entry.action, entry.person_id) == (officer, AuditAction.CONSULTATION,
                                                            person.pk)
    assert entry.what == "viewed the person's record (API)" and entry.reason == ""


def test_a_person_of_another_force_is_not_found_exactly_like_no_one(officer, api, make_person):
    theirs = make_person(force="staffordshire", manager=None)
    caller = api(officer)
    hidden = caller.get(f"/people/{theirs.pk}")
    absent = caller.get(f"/people/{theirs.pk + 1000}")
    assert_problem(hidden, 404)
    assert hidden.content == absent.content
    assert caller.get(f"/people/{theirs.pk}/events").content == absent.content


def test_with_a_reason_a_person_of_another_force_opens_and_the_reason_is_logged(officer, api,
                                                                                make_person):
    theirs = make_person(force="staffordshire", manager=None)
    answer = api(officer).get(f"/people/{theirs.pk}", headers=REASON)
    assert answer.status_code == 200 and answer.body["id"] == theirs.pk
    gave, viewed = AuditEntry.objects.order_by("-id")[1], last_entry()
    assert gave.what.startswith("gave a reason") and gave.person_id == theirs.pk
    assert viewed.person_id == theirs.pk
    assert viewed.reason == gave.reason == "Sighting or lead: seen in Walsall by PC 123"


def test_a_reason_lasts_for_one_call_only(officer, api, make_person):
    theirs = make_person(force="staffordshire", manager=None)
    caller = api(officer)
    assert caller.get(f"/people/{theirs.pk}", headers=REASON).status_code == 200
    assert caller.get(f"/people/{theirs.pk}").status_code == 404


def test_a_reason_for_someone_who_does_not_exist_is_logged_and_answers_not_found(officer, api):
    answer = api(officer).get("/people/987654", headers=REASON)
    assert_problem(answer, 404)
    assert last_entry().what.startswith("gave a reason") and last_entry().person_id == 987654


def test_a_person_of_ones_own_force_needs_no_reason_and_logs_none(officer, api, make_person):
    person = make_person()
    api(officer).get(f"/people/{person.pk}", headers=REASON)
    assert not AuditEntry.objects.filter(what__startswith="gave a reason").exists()


@pytest.mark.parametrize("header", ["sighting", "sighting;", "hunch; because",
                                    "; no code", "other; " + "x" * 2001])
def test_a_malformed_reason_is_refused_naming_the_header(officer, api, make_person, header):
    theirs = make_person(force="staffordshire", manager=None)
    body = assert_problem(api(officer).get(f"/people/{theirs.pk}",
                                           headers={"X-Reason-For-Access": header}), 422)
    assert body["errors"][0]["field"] == "X-Reason-For-Access"


def test_a_national_caseworker_reads_anyone_with_a_reason_and_no_one_without(make_user, api,
                                                                             make_person):
    national = make_user("nat.one", "national_caseworker", force=None)
    person = make_person()
    caller = api(national)
    assert caller.get(f"/people/{person.pk}").status_code == 404
    assert caller.get(f"/people/{person.pk}", headers=REASON).status_code == 200
    assert caller.get(f"/people/{person.pk}/events", headers=REASON).status_code == 200


def test_a_partner_reads_only_the_narrow_view_of_people_shared_with_their_agency(
        make_user, api, make_person):
    from whereabouts.access import sharing
    from whereabouts.access.models import StaffProfile

    supervisor = make_user("sup.one", "supervisor")
    partner = make_user("housing.one", "partner")
    StaffProfile.objects.filter(user=partner).update(agency="housing")
    shared, other = make_person(), make_person()
    sharing.share_person(person_id=shared.pk, agency="housing", since=TODAY, until=TODAY,
                         purpose="Rehousing panel", notes="Avoid schools", by=supervisor)
    caller = api(partner)
    listed = caller.get("/shared").body
    assert [p["person_id"] for p in listed] == [shared.pk]
    assert set(listed[0]) == {"person_id", "reference", "name", "date_of_birth",
                              "current_address", "offender_manager",
                              "offender_manager_email", "notes", "shared_until"}
    assert caller.get(f"/shared/{other.pk}").content == caller.get("/shared/99999").content
    assert caller.get(f"/people/{shared.pk}").status_code == 403


# -- search and lists --------------------------------------------------------------------------
def test_search_finds_what_the_page_finds_and_is_logged(officer, api, make_person):
    wanted = make_person(family_name="Hollis", given_names="Dean")
    make_person(family_name="Other")
    make_person(family_name="Hollis", force="staffordshire", manager=None)
    body = api(officer).get("/people", name="Holis").body
    assert [r["id"] for r in body["results"]] == [wanted.pk]
    assert body["results"][0]["needs_reason"] is False
    assert last_entry().what == "searched for name 'Holis': 1 result, page 1 (API)"


def test_search_of_every_force_lists_others_as_needing_a_reason(officer, api, make_person):
    theirs = make_person(family_name="Hollis", force="staffordshire", manager=None)
    body = api(officer).get("/people", name="Hollis", every_force="true").body
    assert [(r["id"], r["needs_reason"]) for r in body["results"]] == [(theirs.pk, True)]


@pytest.mark.parametrize(("query", "field"), [({}, "name"), ({"name": "J"}, "name"),
                                              ({"name": "123"}, "name"),
                                              ({"identifier": "12"}, "identifier"),
                                              ({"date_of_birth": "1980-13-01"},
                                               "date_of_birth")])
def test_a_search_the_page_would_refuse_is_refused_naming_the_field(officer, api, query, field):
    body = assert_problem(api(officer).get("/people", **query), 422)
    assert field in [e["field"] for e in body["errors"]]


def test_the_ledger_is_paginated_newest_first_with_corrections_linked(officer, api,
                                                                      make_person):
    person = make_person()
    visits = [services.event_record(person_id=person.pk, kind="visit",
                                    effective_date=TODAY - dt.timedelta(days=d), today=TODAY,
                                    recorded_by=officer, source="test",
                                    details={"outcome": "seen_at_home"}) for d in range(1, 5)]
    caller = api(officer)
    first = caller.get(f"/people/{person.pk}/events", per_page=3).body
    second = caller.get(f"/people/{person.pk}/events", per_page=3, page=2).body
    assert first["total"] == 6 and len(first["results"]) == 3 and len(second["results"]) == 3
    dates = [e["effective_date"] for e in first["results"] + second["results"]]
    assert dates == sorted(dates, reverse=True)
    assert last_entry().what == "viewed the timeline, page 2 (API)"
    corrected = caller.post(f"/people/{person.pk}/events/{visits[0].pk}/corrections", {
        "reason": "Wrong outcome", "entry": {"kind": "visit", "visited_on": "2024-05-31",
                                             "outcome": "no_reply"}}).body
    ledger = caller.get(f"/people/{person.pk}/events", per_page=100).body["results"]
    old = next(e for e in ledger if e["id"] == visits[0].pk)
    assert old["superseded_by"] == corrected["id"] and corrected["supersedes"] == old["id"]


def test_tasks_are_the_users_own_open_tasks(officer, api, make_person, make_user):
    from whereabouts.compliance.models import Task

    colleague = make_user("om.two", "offender_manager")
    person = make_person()
    for user, state in ((officer, "open"), (officer, "done"), (colleague, "open")):
        Task.objects.create(person=person, kind=f"k-{user.pk}-{state}", due_kind="periodic",
                            due_last_day=TODAY, assigned_to=user, state=state,
                            opened_as_at=TODAY, title="Periodic notification overdue")
    body = api(officer).get("/tasks").body
    assert [t["kind"] for t in body] == [f"k-{officer.pk}-open"]
    assert last_entry().what == "listed their open tasks (1) (API)"


def test_the_missing_board_and_circulation_show_the_forces_open_episodes(make_user, api,
                                                                         make_person):
    supervisor = make_user("sup.one", "supervisor")
    gone = make_person()
    make_person(force="staffordshire", manager=None)
    missing.record_missing(person_id=gone.pk, recorded_on="2024-05-01",
                           missing_since="2024-04-20", basis="No trace", risk="high",
                           actor=supervisor, today=TODAY)
    caller = api(supervisor)
    rows = caller.get("/missing").body
    assert [(r["person_id"], r["days_missing"], r["risk"]) for r in rows] == [(gone.pk, 42,
                                                                                "high")]
    bulletin = caller.get(f"/people/{gone.pk}/circulation").body
    assert bulletin["status"] == "missing" and bulletin["force"]["slug"] == "west-midlands"
    entry = last_entry()
    assert entry.action == AuditAction.DISCLOSURE and entry.person_id == gone.pk


def test_figures_are_the_management_figures_as_at_a_date_and_logged(make_user, api):
    analyst = make_user("an.one", "analyst", force=None)
    body = api(analyst).get("/figures", as_at="2024-06-01", region="West Midlands").body
    assert body["as_at"] == "2024-06-01" and body["scope"] == "region West Midlands"
    assert last_entry().what == ("management figures as at 2024-06-01 for region West "
                                 "Midlands (API)")


@pytest.mark.parametrize(("query", "field"), [({"as_at": "2030-01-01"}, "as_at"),
                                              ({"as_at": "1990-01-01"}, "as_at"),
                                              ({"region": "Atlantis"}, "region"),
                                              ({"force": "nowhere"}, "force"),
                                              ({"from": "2024-07-01"}, "from")])
def test_figures_for_an_impossible_date_or_place_are_refused_naming_the_field(make_user, api,
                                                                              query, field):
    analyst = make_user("an.one", "analyst", force=None)
    body = assert_problem(api(analyst).get("/figures", **query), 422)
    assert body["errors"][0]["field"] == field


# -- writing -----------------------------------------------------------------------------------
PERIODIC = {"kind": "notification.periodic", "notified_on": "2024-05-31",
            "line1": "1 High Street", "town": "Walsall", "postcode": "ws1 1aa"}


def test_recording_a_notification_goes_through_the_service_and_its_audit(officer, api,
                                                                         make_person):
    person = make_person()
    answer = api(officer).post(f"/people/{person.pk}/events", PERIODIC)
    assert answer.status_code == 201
    event = Event.objects.get(pk=answer.body["id"])
    assert event.kind == "notification.periodic" and event.recorded_by == officer
    assert answer.body["addresses"][0]["postcode"] == "WS1 1AA"
    assert AuditEntry.objects.filter(person_id=person.pk,
                                     action=AuditAction.COLLECTION).exists()


def test_what_the_service_refuses_is_a_422_naming_the_field(officer, api, make_person):
    person = make_person()
    body = assert_problem(api(officer).post(f"/people/{person.pk}/events",
                                            {**PERIODIC, "line1": ""}), 422)
    assert body["errors"] == [{"field": "line1", "message": "is required for an address"}]
    future = {**PERIODIC, "notified_on": "2024-06-02"}
    body = assert_problem(api(officer).post(f"/people/{person.pk}/events", future), 422)
    assert body["errors"][0]["field"] == "notified_on"


TRAVEL = {"kind": "notification.travel", "notified_on": "2024-05-20",
          "departure_date": "2024-06-10", "return_date": "2024-06-24",
          "destination": "Spain, Malaga", "itinerary": "Malaga 10-24 June; flight EZY1234",
          "checks_done": "Booking confirmed with the carrier", "country_informed": "yes",
          "country_informed_on": "2024-05-22"}


def test_a_travel_notice_through_the_api_keeps_the_itinerary_checks_and_country_informed(
        officer, api, make_person):
    person = make_person()
    answer = api(officer).post(f"/people/{person.pk}/events", TRAVEL)
    assert answer.status_code == 201
    details = Event.objects.get(pk=answer.body["id"]).details
    assert details["itinerary"] == TRAVEL["itinerary"]
    assert details["checks_done"] == TRAVEL["checks_done"]
    assert (details["country_informed"], details["country_informed_on"]) == ("yes", "2024-05-22")


@pytest.mark.parametrize(("change", "field"), [
    ({"country_informed": "no"}, "country_informed"),
    ({"country_informed_on": "2024-05-19"}, "country_informed_on"),
    ({"country_informed": "maybe"}, "country_informed"),
])
def test_a_travel_notice_with_an_impossible_country_informed_is_refused_naming_the_field(
        officer, api, make_person, change, field):
    person = make_person()
    body = assert_problem(api(officer).post(f"/people/{person.pk}/events",
                                            {**TRAVEL, **change}), 422)
    assert [e["field"] for e in body["errors"]] == [field]
    assert not Event.objects.filter(person=person, kind="notification.travel").exists()


@pytest.mark.parametrize(("entry", "field"), [
    ({"kind": "visit", "outcome": "seen_at_home"}, "visited_on"),
    ({"kind": "visit", "visited_on": "2024-05-31", "outcome": "waved"}, "outcome"),
    ({"kind": "visit", "visited_on": "yesterday", "outcome": "seen_at_home"}, "visited_on"),
    ({"kind": "custody.start", "on": "2024-05-31", "place": "x" * 301}, "place"),
    ({"kind": "custody.start", "on": "2024-05-31", "place": "HMP\x00"}, "place"),
])
def test_what_the_schema_refuses_is_a_422_naming_the_field(officer, api, make_person, entry,
                                                           field):
    person = make_person()
    body = assert_problem(api(officer).post(f"/people/{person.pk}/events", entry), 422)
    assert [e["field"] for e in body["errors"]] == [field]


def test_a_correction_must_be_of_the_same_kind_and_happens_once(officer, api, make_person):
    person = make_person()
    visit = services.event_record(person_id=person.pk, kind="visit", effective_date=TODAY,
                                  today=TODAY, recorded_by=officer, source="test",
                                  details={"outcome": "seen_at_home"})
    caller = api(officer)
    url = f"/people/{person.pk}/events/{visit.pk}/corrections"
    wrong = caller.post(url, {"reason": "x", "entry": {"kind": "custody.start",
                                                       "on": "2024-05-31", "place": "HMP"}})
    assert assert_problem(wrong, 422)["errors"][0]["field"] == "entry.kind"
    right = {"reason": "Typo", "entry": {"kind": "visit", "visited_on": "2024-06-01",
                                         "outcome": "seen_elsewhere"}}
    assert caller.post(url, right).status_code == 201
    again = assert_problem(caller.post(url, right), 422)
    assert again["errors"][0]["field"] == "supersedes"


def test_withdrawing_an_entry_keeps_it_in_the_ledger(officer, api, make_person):
    person = make_person()
    visit = services.event_record(person_id=person.pk, kind="visit", effective_date=TODAY,
                                  today=TODAY, recorded_by=officer, source="test",
                                  details={"outcome": "seen_at_home"})
    answer = api(officer).post(f"/people/{person.pk}/events/{visit.pk}/withdrawal",
                               {"reason": "Wrong person"})
    assert answer.status_code == 201 and answer.body["kind"] == "void"
    assert Event.objects.filter(pk=visit.pk).exists()


def test_a_reason_lets_one_look_not_record(officer, api, make_person):
    theirs = make_person(force="staffordshire", manager=None)
    answer = api(officer).post(f"/people/{theirs.pk}/events", PERIODIC)
    assert_problem(answer, 404)
    assert not Event.objects.filter(person=theirs, kind="notification.periodic").exists()


def test_an_entry_of_another_persons_ledger_is_not_found(officer, api, make_person):
    person, other = make_person(), make_person()
    visit = services.event_record(person_id=other.pk, kind="visit", effective_date=TODAY,
                                  today=TODAY, recorded_by=officer, source="test",
                                  details={"outcome": "seen_at_home"})
    answer = api(officer).post(f"/people/{person.pk}/events/{visit.pk}/withdrawal",
                               {"reason": "x"})
    assert_problem(answer, 404)


# -- problem details ---------------------------------------------------------------------------
def test_every_error_is_a_problem(officer, api, make_person):
    person = make_person()
    caller = api(officer)
    assert_problem(api(None).get(f"/people/{person.pk}"), 401)
    assert_problem(api(officer, ["tasks:read"]).get(f"/people/{person.pk}"), 403)
    assert_problem(caller.get("/people/0"), 422)
    assert_problem(caller.get("/no/such/thing"), 404)
    assert_problem(caller.get("/"), 404)
    not_allowed = caller.call("delete", f"/people/{person.pk}")
    assert_problem(not_allowed, 405)
    assert not_allowed["Allow"] == "GET"
    unreadable = caller.client.post(f"/api/v1/people/{person.pk}/events", data="{not json",
                                    content_type="application/json",
                                    headers={"Authorization": f"Bearer {caller.secret}"})
    unreadable.body = json.loads(unreadable.content)
    assert_problem(unreadable, 400)


def test_an_unexpected_failure_is_a_500_problem_that_tells_nothing(officer, api, make_person,
                                                                    monkeypatch, caplog):
    from whereabouts.api import views

    person = make_person()

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "person_compliance", broken)
    answer = api(officer).get(f"/people/{person.pk}")
    body = assert_problem(answer, 500)
    assert "secret internals" not in answer.content.decode()
    assert body["title"] == "Internal Server Error"
    assert "secret internals" in caplog.text


def test_the_openapi_description_is_served_and_says_errors_are_problems(client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    described = answer.json()
    assert described["openapi"].startswith("3.")
    assert described["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    person = described["paths"]["/api/v1/people/{person_id}"]["get"]
    assert "application/problem+json" in person["responses"]["404"]["content"]
    assert any(p["name"] == "X-Reason-For-Access" for p in person["parameters"])


def _queries(caller, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    caller.get(path)  # the first look may fill caches
    with CaptureQueriesContext(connection) as ctx:
        assert caller.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_a_person_and_their_ledger_ask_the_database_as_often_however_long_the_ledger(
        officer, api, make_person):
    short, long = make_person(), make_person()
    for i in range(12):
        services.event_record(person_id=long.pk, kind="notification.change",
                              effective_date=f"2024-05-{i + 1:02d}", today=TODAY,
                              recorded_by=officer, source="test",
                              details={"change": "other"})
    caller = api(officer)
    for path in ("/people/{}", "/people/{}/events"):
        assert (_queries(caller, path.format(short.pk))
                == _queries(caller, path.format(long.pk))), path
