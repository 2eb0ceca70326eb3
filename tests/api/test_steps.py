"""The person page's steps through the API: the same forms, roles, services and audit."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from whereabouts.access.models import AuditEntry
from whereabouts.missing.selectors import person_checks, person_episodes
from whereabouts.register.models import Event
from whereabouts.web.actions import STEPS

from ..conftest import TODAY

DAY = TODAY.isoformat()
CHECK = {"opened_on": "2024-05-20", "reason": "no_longer_living_there",
         "note": "Neighbours say he left a fortnight ago"}
MISSING = {"recorded_on": "2024-05-24", "missing_since": "2024-05-10",
           "basis": "Not at the notified address; not known at the hostels",
           "risk": "high", "believed_abroad": False,
           "checks_done": list(django_settings.WHEREABOUTS_CHECKLIST[:3])}
ACTION = {"done_on": "2024-05-27", "action": "enquiry", "note": "Asked the hostels again",
          "next_action": "Check with probation", "next_action_by": "2024-06-03"}
REVIEW = {"reviewed_on": "2024-05-28", "level": "supervisor", "note": "Enquiries in hand",
          "next_action": "Press appeal if not found", "next_action_by": "2024-06-10"}
LOCATED = {"located_on": "2024-05-31", "where": "A friend's flat in Walsall",
           "by": "PC 4521, Walsall", "how_found": "arrest", "outcome": "arrested"}


@pytest.fixture
def supervisor(make_user):
    return make_user("sup.wm", "supervisor")


@pytest.fixture
def person(make_person):
    return make_person()


def slugs(answer) -> list[str]:
    assert answer.status_code == 200, answer.body
    return [step["slug"] for step in answer.body]


def test_the_steps_listed_are_those_the_person_page_offers_the_role(api, officer, supervisor,
                                                                      person):
    mine = slugs(api(officer).get(f"/people/{person.pk}/steps"))
    assert "check" in mine and "visit" in mine and "notify-periodic" in mine
    assert "missing" not in mine  # a supervisor's decision
    assert "located" not in mine  # nothing open to locate from
    assert "missing" in slugs(api(supervisor).get(f"/people/{person.pk}/steps"))


def test_each_listed_field_says_its_type_whether_required_and_its_choices(api, officer,
                                                                          person):
    steps = {s["slug"]: s for s in api(officer).get(f"/people/{person.pk}/steps").body}
    fields = {f["name"]: f for f in steps["check"]["fields"]}
    assert fields["opened_on"]["type"] == "date" and fields["opened_on"]["required"]
    assert fields["reason"]["type"] == "choice"
    assert "no_longer_living_there" in fields["reason"]["choices"]
    assert fields["note"]["required"] is False
    visit = {f["name"]: f for f in steps["visit"]["fields"]}
    assert visit["checked"]["type"] == "choices"
    assert steps["visit"]["writes"] == "visit"


def test_the_whole_missing_path_can_be_walked_through_the_api(api, officer, supervisor,
                                                              person):
    om, sup = api(officer), api(supervisor)
    path = f"/people/{person.pk}/steps"
    answer = om.post(f"{path}/check", CHECK)
    assert answer.status_code == 201, answer.body
    assert [e["kind"] for e in answer.body["entries"]] == ["check.opened"]
    assert answer.body["done"] == STEPS["check"].done
    assert person_checks(person)[0].reason == "no_longer_living_there"
    assert "check-found" in slugs(om.get(path))
    answer = sup.post(f"{path}/missing", MISSING)
    assert answer.status_code == 201, answer.body
    kinds = [e["kind"] for e in answer.body["entries"]]
    assert {"check.closed", "missing.recorded", "circulation.sent"} <= set(kinds)
    [episode] = person_episodes(person)
    assert episode.missing_since.isoformat() == "2024-05-10" and episode.located_on is None
    assert "located" in slugs(om.get(path))
    assert om.post(f"{path}/action", ACTION).status_code == 201
    assert sup.post(f"{path}/review", REVIEW).status_code == 201
    answer = om.post(f"{path}/located", LOCATED)
    assert answer.status_code == 201, answer.body
    assert "missing.located" in [e["kind"] for e in answer.body["entries"]]
    [episode] = person_episodes(person)
    assert episode.located_on.isoformat() == "2024-05-31"


def test_a_step_is_recorded_by_its_service_and_logged_in_the_audit_chain(api, officer, person):
    before = AuditEntry.objects.count()
    answer = api(officer).post(f"/people/{person.pk}/steps/risk", {
        "assessed_on": "2024-05-01", "level": "medium", "note": "ARMS of 1 May"})
    assert answer.status_code == 201, answer.body
    [entry] = answer.body["entries"]
    event = Event.objects.get(pk=entry["id"])
    assert (event.kind, event.details["level"], event.recorded_by) == ("risk.level", "medium",
                                                                       officer)
    assert AuditEntry.objects.count() > before


def test_a_step_the_role_may_not_take_is_not_found_and_writes_nothing(api, officer, person):
    api(officer).post(f"/people/{person.pk}/steps/check", CHECK)
    before = Event.objects.count()
    answer = api(officer).post(f"/people/{person.pk}/steps/missing", MISSING)
    assert answer.status_code == 404
    assert Event.objects.count() == before


def test_an_unknown_step_is_not_found(api, officer, person):
    assert api(officer).post(f"/people/{person.pk}/steps/teleport", {}).status_code == 404


def test_a_person_of_another_force_has_no_steps_for_this_user(api, officer, make_person):
    theirs = make_person(force="staffordshire", manager=None)
    assert api(officer).get(f"/people/{theirs.pk}/steps").status_code == 404
    assert api(officer).post(f"/people/{theirs.pk}/steps/check", CHECK).status_code == 404
    assert not person_checks(theirs)


@pytest.mark.parametrize(("body", "field", "words"), [
    pytest.param({**CHECK, "colour": "red"}, "colour", "is not a field",
                 id="A field the step does not have is named"),
    pytest.param({**CHECK, "opened_on": "20/05/2024"}, "opened_on", "YYYY-MM-DD",
                 id="A date not written YYYY-MM-DD is refused"),
    pytest.param({**CHECK, "opened_on": 20240520}, "opened_on", "YYYY-MM-DD",
                 id="A date given as a number is refused"),
    pytest.param({k: v for k, v in CHECK.items() if k != "reason"}, "reason", "Select",
                 id="A required choice left out is asked for"),
    pytest.param({**CHECK, "reason": "bored"}, "reason", "valid choice",
                 id="A value not among the choices is refused"),
    pytest.param({**CHECK, "note": {"a": 1}}, "note", "single value",
                 id="An object where text belongs is refused"),
    pytest.param({**CHECK, "opened_on": "2024-06-02"}, "opened_on", "",
                 id="A date after today is refused by the service"),
])
def test_bad_input_names_the_field_and_writes_nothing(api, officer, person, body, field,
                                                      words):
    before = Event.objects.count()
    answer = api(officer).post(f"/people/{person.pk}/steps/check", body)
    assert answer.status_code == 422, answer.body
    assert answer["Content-Type"] == "application/problem+json"
    errors = {e["field"]: e["message"] for e in answer.body["errors"]}
    assert field in errors and words in errors[field]
    assert Event.objects.count() == before


def test_a_yes_or_no_must_be_a_boolean(api, supervisor, officer, person):
    api(officer).post(f"/people/{person.pk}/steps/check", CHECK)
    answer = api(supervisor).post(f"/people/{person.pk}/steps/missing",
                                  {**MISSING, "believed_abroad": "perhaps"})
    assert answer.status_code == 422
    assert answer.body["errors"][0]["field"] == "believed_abroad"
    assert not person_episodes(person)


def test_steps_need_the_write_scope(api, officer, person):
    caller = api(officer, scopes=["people:read"])
    assert caller.get(f"/people/{person.pk}/steps").status_code == 403
    assert caller.post(f"/people/{person.pk}/steps/check", CHECK).status_code == 403
    assert not person_checks(person)


def test_once_there_is_an_order_its_steps_are_listed_as_on_the_person_page(api, officer,
                                                                             person):
    assert "order-vary" not in slugs(api(officer).get(f"/people/{person.pk}/steps"))
    from whereabouts.risk.services import record_order

    record_order(person_id=person.pk, order_type="shpo", made_on="2023-01-10",
                 reference="SHPO/23/1", court="Birmingham Crown Court",
                 prohibitions="No contact with children under 16", end_date="2028-01-09",
                 actor=officer, today=TODAY)
    listed = slugs(api(officer).get(f"/people/{person.pk}/steps"))
    assert {"order-vary", "order-discharge"} <= set(listed)
