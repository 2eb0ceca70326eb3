"""The leads pages: the officer's list, a lead with its explanation, the decision form."""

from __future__ import annotations

from typing import Any

import pytest

from whereabouts.access.models import AuditEntry
from whereabouts.linkage.models import Lead
from whereabouts.missing import services as missing
from whereabouts.register.models import Event

from ..conftest import TODAY
from .leadmaker import make_lead


@pytest.fixture(autouse=True)
def _today(settings: Any) -> None:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()


@pytest.fixture
def lost(make_person: Any, make_user: Any) -> Any:
    person = make_person(family_name="Smith", given_names="Robert", dob="1980-05-01")
    missing.record_missing(person_id=person.pk, recorded_on="2024-03-20",
                           missing_since="2024-03-10", basis="Gone", risk="high",
                           actor=make_user("sup.wm", "supervisor"), today=TODAY)
    return person


def test_the_lead_page_says_what_agreed_and_what_did_not(client, officer, lost):
    lead = make_lead(lost, "missing", routed_to=officer)
    client.force_login(officer)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    agreed = page.split('id="agreed"')[1].split("</ul>")[0]
    disagreed = page.split('id="disagreed"')[1].split("</ul>")[0]
    assert "Date of birth agrees with day and month swapped (1 May 1980 / 5 January 1980)" in (
        agreed)
    assert "Postcode differs: not an address they notified" in disagreed
    assert "match probability 97%" in page
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.person_id, entry.action) == (lost.pk, "consultation")


def test_the_inbox_shows_my_missing_peoples_partner_leads_first(client, officer, lost):
    lead = make_lead(lost, "missing", routed_to=officer)
    client.force_login(officer)
    page = client.get("/inbox/").content.decode()
    assert f'href="/leads/{lead.pk}/"' in page.split('id="partner-leads"')[1]
    assert str(lost.pk) in AuditEntry.objects.order_by("-id").first().listed.split()


def test_the_list_records_whom_it_showed(client, officer, lost):
    make_lead(lost, "missing", routed_to=officer)
    client.force_login(officer)
    assert "Smith" in client.get("/leads/").content.decode().replace("SMITH", "Smith")
    assert AuditEntry.objects.order_by("-id").first().listed.split() == [str(lost.pk)]


def test_accepting_on_the_page_logs_the_lead_on_the_episode(client, officer, lost):
    lead = make_lead(lost, "missing", routed_to=officer)
    client.force_login(officer)
    answer = client.post(f"/leads/{lead.pk}/", {"decision": "accept", "reason": "Fits"})
    assert answer.status_code == 302
    assert Lead.objects.get(pk=lead.pk).status == "accepted"
    assert Event.objects.filter(person=lost, kind="missing.action",
                                details__action="lead").exists()


def test_rejecting_without_a_reason_comes_back_naming_the_field(client, officer, lost):
    lead = make_lead(lost, "missing", routed_to=officer)
    client.force_login(officer)
    page = client.post(f"/leads/{lead.pk}/", {"decision": "reject", "reason": ""})
    assert page.status_code == 200 and "is required to reject a lead" in page.content.decode()
    assert Lead.objects.get(pk=lead.pk).status == "open"
