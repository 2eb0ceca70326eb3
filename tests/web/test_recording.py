"""Recording notifications, travel and movements through the forms; correcting and
withdrawing entries; the timeline that keeps every version visible."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry
from whereabouts.compliance.selectors import person_compliance
from whereabouts.register import services
from whereabouts.register.models import Address, Event
from whereabouts.register.services import DisposalInput

from ..conftest import TODAY


def date(prefix: str, when: str) -> dict[str, str]:
    day = dt.date.fromisoformat(when)
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}


@pytest.fixture
def convicted(make_person: Any, settings: Any) -> Any:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    person = make_person(family_name="Brown")
    services.event_record(person_id=person.pk, kind="disposal", effective_date="2024-03-01",
                          today=TODAY, recorded_by=None, source="test",
                          disposal=DisposalInput(offence="SOA 2003 s.1", kind="imprisonment",
                                                 months=40, suspended=True))
    return person


def step(person: Any, slug: str) -> str:
    return reverse("person-step", args=[person.pk, slug])


HOME = {"line1": "1 High Street", "town": "Walsall", "postcode": "ws1 1aa",
        "station": "Walsall"}


def test_an_initial_notification_with_the_home_address_makes_them_compliant(client, officer,
                                                                            convicted):
    assert person_compliance(convicted, TODAY).status.compliance == "overdue"
    client.force_login(officer)
    response = client.post(step(convicted, "notify-initial"),
                           {**date("notified_on", "2024-05-30"), **HOME})
    assert response.status_code == 302
    address = Address.objects.get(person=convicted)
    assert (address.kind, address.postcode) == ("home", "WS1 1AA")
    assert person_compliance(convicted, TODAY).status.compliance == "compliant"


@pytest.mark.parametrize(("slug", "fields", "field", "message"), [
    pytest.param("notify-initial", {}, "line1", "give the home address",
                 id="an initial notification without a home address is refused"),
    pytest.param("notify-initial", {"no_fixed_abode": "on"}, "line1",
                 "the place where they can regularly be found",
                 id="with no fixed abode the regular place is asked for instead"),
    pytest.param("notify-initial", {"line1": "1 High Street"}, "town", "is required",
                 id="an address without a town is refused"),
    pytest.param("notify-change", {"change": "home_address"}, "line1", "home address",
                 id="a change of home address needs the new address"),
    pytest.param("notify-change", {"change": "other_address"}, "other_line1", "is required",
                 id="a change of other address needs that address"),
])
def test_a_notification_missing_what_the_law_requires_is_refused(client, officer, convicted,
                                                                 slug, fields, field, message):
    client.force_login(officer)
    before = Event.objects.count()
    response = client.post(step(convicted, slug), {**date("notified_on", "2024-05-30"),
                                                   **fields})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get(field, []))
    assert Event.objects.count() == before


def test_a_change_of_name_needs_no_address(client, officer, convicted):
    client.force_login(officer)
    response = client.post(step(convicted, "notify-change"), {
        **date("notified_on", "2024-05-30"), "change": "name", "note": "Now uses SMITH"})
    assert response.status_code == 302
    assert Event.objects.filter(person=convicted, kind="notification.change").exists()


@pytest.mark.parametrize(("fields", "field", "message"), [
    pytest.param({**date("departure_date", "2024-05-20")}, "departure_date",
                 "before the notice was given", id="a departure before the notice is refused"),
    pytest.param({**date("departure_date", "2024-06-10"), **date("return_date", "2024-06-01")},
                 "return_date", "before the departure", id="a return before leaving is refused"),
])
def test_travel_dates_must_make_sense(client, officer, convicted, fields, field, message):
    client.force_login(officer)
    response = client.post(step(convicted, "travel"), {
        **date("notified_on", "2024-05-30"), "destination": "Spain, Malaga", **fields})
    assert message in " ".join(response.context["form"].errors.get(field, []))


def test_a_release_with_no_custody_to_end_is_refused_on_the_date(client, officer, convicted):
    client.force_login(officer)
    response = client.post(step(convicted, "custody-end"), {**date("on", "2024-05-30"),
                                                            "place": "HMP Birmingham"})
    assert "no custody period is open" in " ".join(response.context["form"].errors["on"])
    assert client.post(step(convicted, "custody-start"), {
        **date("on", "2024-05-01"), "place": "HMP Birmingham"}).status_code == 302
    assert person_compliance(convicted, TODAY).status.compliance == "away"


@pytest.fixture
def notified(client: Any, officer: Any, convicted: Any) -> Event:
    client.force_login(officer)
    client.post(step(convicted, "notify-initial"), {**date("notified_on", "2024-05-30"), **HOME})
    return Event.objects.get(person=convicted, kind="notification.initial")


def test_a_correction_replaces_an_entry_and_both_stay_in_the_timeline(client, convicted,
                                                                      notified):
    url = reverse("correct-entry", args=[convicted.pk, notified.pk])
    form = client.get(url).context["form"]
    assert form.initial["line1"] == "1 High Street"  # filled in as it stands
    assert form.initial["notified_on"] == dt.date(2024, 5, 30)
    refused = client.post(url, {**date("notified_on", "2024-05-29"), **HOME})
    assert "reason" in refused.context["form"].errors  # a correction says why
    response = client.post(url, {**date("notified_on", "2024-05-29"), **HOME,
                                 "line1": "1a High Street",
                                 "reason": "The flat number was left out"})
    assert response.status_code == 302
    new = Event.objects.get(supersedes=notified)
    assert new.effective_date == dt.date(2024, 5, 29) and new.reason.startswith("The flat")
    timeline = client.get(reverse("timeline", args=[convicted.pk])).content.decode()
    assert "Corrected" in timeline and "Correction" in timeline
    assert "The flat number was left out" in timeline
    assert client.get(url).status_code == 404  # an entry is corrected once; correct the new one


def test_a_withdrawn_entry_stays_visible_as_withdrawn(client, convicted, notified):
    url = reverse("withdraw-entry", args=[convicted.pk, notified.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert client.post(url, {"reason": "Recorded against the wrong person"}).status_code == 302
    page = client.get(reverse("timeline", args=[convicted.pk]) + "?kind=corrections")
    html = page.content.decode()
    assert "Withdrawn" in html and "Recorded against the wrong person" in html
    assert person_compliance(convicted, TODAY).status.compliance == "overdue"


def test_entries_with_their_own_steps_cannot_be_corrected_here(client, convicted, officer):
    client.force_login(officer)
    registered = Event.objects.get(person=convicted, kind="registered")
    disposal = Event.objects.get(person=convicted, kind="disposal")
    for event in (registered, disposal):
        assert client.get(reverse("correct-entry", args=[convicted.pk, event.pk])
                          ).status_code == 404


@pytest.mark.parametrize(("kind", "shown"), [
    pytest.param("notifications", {"notification.initial"},
                 id="the notifications filter shows notifications only"),
    pytest.param("other", {"registered", "disposal", "assignment"},
                 id="the other filter shows registration, disposals and assignments"),
    pytest.param("", {"notification.initial", "registered", "disposal", "assignment"},
                 id="with no filter everything is shown"),
])
def test_the_timeline_filters_by_kind(client, convicted, notified, kind, shown):
    page = client.get(reverse("timeline", args=[convicted.pk]) + f"?kind={kind}")
    assert {e.kind for e in page.context["page"]} == shown


def test_the_timeline_is_newest_first_and_every_look_is_logged(client, convicted, notified):
    before = AuditEntry.objects.count()
    page = client.get(reverse("timeline", args=[convicted.pk]))
    dates = [e.effective_date for e in page.context["page"]]
    assert dates == sorted(dates, reverse=True)
    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == before + 1 and entry.person_id == convicted.pk


@pytest.mark.parametrize(("role", "force", "status"), [
    ("offender_manager", "west-midlands", 200), ("supervisor", "west-midlands", 200),
    ("senior_officer", "west-midlands", 200), ("offender_manager", "staffordshire", 404),
    ("analyst", None, 404), ("partner", "west-midlands", 404), ("auditor", None, 404),
    ("administrator", None, 404),
])
def test_the_timeline_and_corrections_are_for_casework_in_the_force(client, make_user,
                                                                    convicted, notified, role,
                                                                    force, status):
    client.force_login(make_user(f"user.{role}.{force}", role, force=force))
    for url in (reverse("timeline", args=[convicted.pk]),
                reverse("correct-entry", args=[convicted.pk, notified.pk]),
                reverse("withdraw-entry", args=[convicted.pk, notified.pk])):
        assert client.get(url).status_code == status, url


IDENTITY = {"family_name": "Brown", "given_names": "Alex", **date("date_of_birth", "1980-05-01"),
            "reason": "Misspelt at registration; passport seen on a visit"}


def test_the_identity_form_starts_with_the_record_as_it_stands(client, officer, convicted):
    client.force_login(officer)
    form = client.get(step(convicted, "identity")).context["form"]
    assert form.initial["family_name"] == "Brown"
    assert form.initial["date_of_birth"] == dt.date(1980, 5, 1)


def test_a_corrected_name_and_date_of_birth_change_the_record_and_keep_the_old(
        client, officer, convicted):
    client.force_login(officer)
    response = client.post(step(convicted, "identity"), {
        **IDENTITY, "family_name": "Browne", **date("date_of_birth", "1980-01-05")})
    assert response.status_code == 302
    convicted.refresh_from_db()
    assert (convicted.family_name, convicted.date_of_birth) == ("Browne", dt.date(1980, 1, 5))
    entry = Event.objects.get(person=convicted, kind="identity")
    assert entry.details == {"family_name": "Browne", "date_of_birth": "1980-01-05"}
    assert entry.reason == IDENTITY["reason"]
    assert entry.recorded_by == officer
    timeline = client.get(reverse("timeline", args=[convicted.pk])).content.decode()
    assert "Browne" in timeline and "passport seen on a visit" in timeline
    assert AuditEntry.objects.filter(person_id=convicted.pk, actor=officer,
                                     what__contains="recorded identity").exists()


def test_the_new_name_is_found_by_search_and_the_old_one_is_not(client, officer, convicted):
    client.force_login(officer)
    client.post(step(convicted, "identity"), {**IDENTITY, "family_name": "Okonkwo"})
    found = client.get(reverse("search"), {"name": "Okonkwo"}).content.decode()
    assert convicted.reference in found
    old = client.get(reverse("search"), {"name": "Brown"}).content.decode()
    assert convicted.reference not in old


@pytest.mark.parametrize(("fields", "field", "message"), [
    pytest.param({}, "family_name", "nothing differs",
                 id="an identity form that changes nothing is refused"),
    pytest.param({"family_name": "  "}, "family_name", "Enter family name",
                 id="a blank family name is refused"),
    pytest.param({"family_name": "X" * 101}, "family_name", "at most 100",
                 id="a family name longer than 100 characters is refused"),
    pytest.param({"reason": ""}, "reason", "Enter why the record changes",
                 id="an identity correction without a reason is refused"),
    pytest.param(date("date_of_birth", "2024-03-02"), "date_of_birth",
                 "after the first entry in their ledger",
                 id="a date of birth after the first ledger entry is refused"),
    pytest.param(date("date_of_birth", "2030-01-01"), "date_of_birth", "future",
                 id="a date of birth in the future is refused"),
])
def test_a_bad_identity_correction_names_the_field_and_changes_nothing(
        client, officer, convicted, fields, field, message):
    client.force_login(officer)
    before = Event.objects.count()
    response = client.post(step(convicted, "identity"), {**IDENTITY, **fields})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message.lower() in errors.lower(), errors
    assert Event.objects.count() == before
    convicted.refresh_from_db()
    assert convicted.family_name == "Brown"
    html = response.content.decode()
    assert "govuk-error-summary" in html


def test_another_name_is_recorded_shown_and_searched(client, officer, convicted):
    client.force_login(officer)
    response = client.post(step(convicted, "alias"), {
        "family_name": "O'Hara <b>", "given_names": "Sam", **date("used_from", "2019-02-01"),
        "note": "Given on arrest"})
    assert response.status_code == 302
    alias = convicted.aliases.get()
    assert (alias.family_name, alias.used_from) == ("O'Hara <b>", dt.date(2019, 2, 1))
    page = client.get(reverse("person", args=[convicted.pk])).content.decode()
    assert "O&#x27;Hara &lt;b&gt;" in page and "O'Hara <b>" not in page
    found = client.get(reverse("search"), {"name": "O'Hara"}).content.decode()
    assert convicted.reference in found
    again = client.post(step(convicted, "alias"), {"family_name": "o'hara <b>",
                                                   "given_names": "SAM"})
    assert "already recorded" in " ".join(again.context["form"].errors["family_name"])
    assert convicted.aliases.count() == 1


def test_an_alias_used_until_before_it_was_used_from_is_refused(client, officer, convicted):
    client.force_login(officer)
    response = client.post(step(convicted, "alias"), {
        "family_name": "Smith", "given_names": "Sam", **date("used_from", "2020-01-01"),
        **date("used_to", "2019-01-01")})
    assert "before" in " ".join(response.context["form"].errors["used_to"])
    assert not convicted.aliases.exists()
