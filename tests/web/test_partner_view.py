"""Partner agencies: only the people shared with their agency, while the share lasts, and
only the allowed fields; sharing is for supervisors of the person's force, and logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access import sharing
from whereabouts.access.models import AuditEntry, StaffProfile
from whereabouts.register import services
from whereabouts.register.services import AddressInput

from ..conftest import TODAY

SECRETS = ("INTEL-SAYS-SECRET", "VICTIM-NAME-ZED", "2001/0123456X", "QQ123456C",
           "BREACH-NOTE", "CRIME-REF-777", "2024-05-02", "2 May 2024", "Rehousing panel")


@pytest.fixture
def setting(make_user: Any, make_person: Any, settings: Any) -> dict[str, Any]:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    supervisor = make_user("sup.wm", "supervisor")
    person = make_person(family_name="Sharedman", pnc_id="2001/0123456X", ni_number="QQ123456C")
    services.event_record(person_id=person.pk, kind="notification.initial",
                          effective_date=TODAY, today=TODAY, recorded_by=supervisor,
                          source="test", addresses=[AddressInput(
                              kind="home", line1="1 Shared Street", town="Dudley",
                              postcode="DY1 1AA")])
    for kind, details in (
            ("notification.bank_card", {"held_on": "2024-05-02"}),
            ("visit", {"outcome": "seen_at_home", "note": "INTEL-SAYS-SECRET about "
                                                          "VICTIM-NAME-ZED"}),
            ("breach.recorded", {"offence": "fail_to_comply", "crime_reference": "CRIME-REF-777",
                                 "what": "BREACH-NOTE"})):
        services.event_record(person_id=person.pk, kind=kind, effective_date=TODAY, today=TODAY,
                              recorded_by=supervisor, source="test", details=details)
    partner = make_user("housing.wm", "partner")
    StaffProfile.objects.filter(user=partner).update(agency="housing")
    return {"supervisor": supervisor, "person": person, "partner": partner}


def share(setting: dict[str, Any], agency: str = "housing", **dates: dt.date) -> None:
    sharing.share_person(person_id=setting["person"].pk, agency=agency,
                         since=dates.get("since", TODAY), until=dates.get("until", TODAY),
                         purpose="Rehousing panel", notes="MAPPA level 2; no contact with "
                         "children", by=setting["supervisor"])


def test_the_partner_page_shows_the_allowed_fields_and_none_of_the_forbidden(client, setting):
    share(setting)
    client.force_login(setting["partner"])
    response = client.get(reverse("shared-person", args=[setting["person"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sharedman" in html and "1 May 1980" in html and "1 Shared Street" in html
    assert "om.one" in html and "MAPPA level 2" in html
    for secret in SECRETS:
        assert secret not in html, secret
    for word in ("Bank", "card", "Breach", "Timeline", "Visit"):
        assert word not in html, word
    assert AuditEntry.objects.latest("id").what == "viewed the partner view of a shared person"


def test_a_person_not_shared_or_shared_with_another_agency_is_not_found(client, setting):
    client.force_login(setting["partner"])
    url = reverse("shared-person", args=[setting["person"].pk])
    missing = client.get(reverse("shared-person", args=[999_999]))
    assert client.get(url).status_code == 404
    share(setting, agency="dwp")
    refused = client.get(url)
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    assert "Sharedman" not in client.get(reverse("shared")).content.decode()


@pytest.mark.parametrize(("since", "until", "seen"), [
    (TODAY - dt.timedelta(days=10), TODAY - dt.timedelta(days=1), False),
    (TODAY, TODAY, True),
    (TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=9), False),
])
def test_a_share_lasts_from_its_first_to_its_last_day(client, setting, since, until, seen):
    share(setting, since=since, until=until)
    client.force_login(setting["partner"])
    response = client.get(reverse("shared-person", args=[setting["person"].pk]))
    assert response.status_code == (200 if seen else 404)


def test_a_partner_opens_no_police_page_of_the_person(client, setting):
    share(setting)
    client.force_login(setting["partner"])
    pk = setting["person"].pk
    for name, args in (("person", [pk]), ("timeline", [pk]), ("circulation", [pk]),
                       ("access-reason", [pk]), ("search", []), ("people", [])):
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_a_supervisor_shares_through_the_form_and_the_disclosure_is_logged(client, setting):
    client.force_login(setting["supervisor"])
    pk = setting["person"].pk
    assert 'id="share-link"' in client.get(reverse("person", args=[pk])).content.decode()
    response = client.post(reverse("share-new", args=[pk]), {
        "agency": "housing", "since_day": "1", "since_month": "6", "since_year": "2024",
        "until_day": "30", "until_month": "6", "until_year": "2024",
        "purpose": "Rehousing panel", "notes": ""})
    assert response.status_code == 302
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "disclosure" and entry.person_id == pk
    assert entry.reason == "Rehousing panel" and "Housing" in entry.what


def test_a_share_needs_a_purpose_and_an_end_not_before_its_start(client, setting):
    client.force_login(setting["supervisor"])
    response = client.post(reverse("share-new", args=[setting["person"].pk]), {
        "agency": "housing", "since_day": "10", "since_month": "6", "since_year": "2024",
        "until_day": "1", "until_month": "6", "until_year": "2024", "purpose": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "must not be before the start" in html
    assert "Enter why the agency needs to know" in html


@pytest.mark.parametrize("role", ["offender_manager", "analyst", "partner"])
def test_only_supervisors_of_the_persons_force_may_share(client, setting, make_user, role):
    client.force_login(make_user("someone", role))
    assert client.get(reverse("share-new", args=[setting["person"].pk])).status_code == 404
    client.force_login(make_user("sup.staffs", "supervisor", force="staffordshire"))
    assert client.get(reverse("share-new", args=[setting["person"].pk])).status_code == 404
