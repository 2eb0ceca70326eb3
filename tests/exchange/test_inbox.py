"""Circulations of missing people reach every other force's inbox; each force acknowledges
once; a sighting or lead from another force goes to the episode's owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry
from whereabouts.missing import inbox
from whereabouts.register import services
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import CirculationReceipt, Event
from whereabouts.register.recording import NotPermitted

from ..conftest import TODAY


def record(person: Any, kind: str, when: dt.date, **details: Any) -> Event:
    return services.event_record(person_id=person.pk, kind=kind, effective_date=when,
                                 today=TODAY, recorded_by=None, source="test", details=details)


def circulate(person: Any, reference: str, *, began: dt.date = TODAY - dt.timedelta(days=10),
              scope: str = "national") -> Event:
    record(person, "missing.recorded", began, missing_since=began - dt.timedelta(days=5),
           basis="Not at the address", risk="high")
    return record(person, "circulation.sent", began, scope=scope, reference=reference)


@pytest.fixture
def scene(make_person: Any, make_user: Any, settings: Any) -> dict[str, Any]:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    st_om = make_user("om.st", "offender_manager", force="staffordshire")
    lost = make_person(force="staffordshire", manager=st_om, family_name="Lost")
    circulation = circulate(lost, "PNC/ST/1")
    return {"lost": lost, "circulation": circulation, "st_om": st_om,
            "st_sup": make_user("sup.st", "supervisor", force="staffordshire"),
            "wm_om": make_user("om.wm", "offender_manager"),
            "wm_sup": make_user("sup.wm", "supervisor"),
            "wmerc": make_user("om.wmerc", "offender_manager", force="west-mercia"),
            "analyst": make_user("analyst", "analyst", force=None)}


def test_a_circulation_reaches_every_other_force_but_not_its_own_inbox(scene):
    for user in ("wm_om", "wm_sup", "wmerc"):
        assert [c.event_id for c in inbox.inbox(scene[user], TODAY)] == [
            scene["circulation"].pk], user
    assert inbox.inbox(scene["st_om"], TODAY) == []


def test_a_cancelled_or_later_circulation_is_not_in_the_inbox(scene, make_person):
    record(scene["lost"], "circulation.cancelled", TODAY, reference="PNC/ST/1",
           reason="Located")
    assert inbox.inbox(scene["wm_om"], TODAY) == []
    later = make_person(force="staffordshire", manager=None)
    circulate(later, "PNC/ST/2", began=TODAY)
    yesterday = inbox.inbox(scene["wm_om"], TODAY - dt.timedelta(days=1))
    assert [c.reference for c in yesterday] == ["PNC/ST/1"]  # cancelled today, sent today


def test_roles_without_casework_in_a_force_have_no_inbox(scene, client):
    with pytest.raises(NotPermitted):
        inbox.inbox(scene["analyst"], TODAY)
    client.force_login(scene["analyst"])
    assert client.get(reverse("inbox")).status_code == 404
    assert client.get(reverse("inbox-item", args=[scene["circulation"].pk])).status_code == 404


def test_a_force_acknowledges_once_and_the_list_shows_who(scene, client):
    client.force_login(scene["wm_om"])
    page = client.get(reverse("inbox")).content.decode()
    assert scene["lost"].reference in page and "Acknowledge" in page
    response = client.post(reverse("inbox-acknowledge", args=[scene["circulation"].pk]))
    assert response.status_code == 302
    receipt = CirculationReceipt.objects.get()
    assert (receipt.force_id, receipt.acknowledged_by) == ("west-midlands", scene["wm_om"])
    assert scene["lost"].reference not in client.get(reverse("inbox")).content.decode()
    every = client.get(reverse("inbox") + "?show=all").content.decode()
    assert "by om.wm" in every
    with pytest.raises(InvalidInput, match="already acknowledged"):
        inbox.acknowledge(circulation_id=scene["circulation"].pk, actor=scene["wm_sup"],
                          today=TODAY)
    assert inbox.inbox(scene["wmerc"], TODAY, unacknowledged_only=True) != []  # theirs to do
    assert AuditEntry.objects.filter(person_id=scene["lost"].pk, actor=scene["wm_om"],
                                     what__contains="acknowledged circulation").exists()


def test_a_force_cannot_acknowledge_its_own_or_an_unknown_circulation(scene, client):
    client.force_login(scene["st_om"])
    assert client.post(reverse("inbox-acknowledge",
                               args=[scene["circulation"].pk])).status_code == 404
    client.force_login(scene["wm_om"])
    assert client.post(reverse("inbox-acknowledge", args=[999_999])).status_code == 404
    assert not CirculationReceipt.objects.exists()


def test_reading_a_circulation_is_logged_as_a_disclosure(scene, client):
    client.force_login(scene["wm_om"])
    page = client.get(reverse("inbox-item", args=[scene["circulation"].pk])).content.decode()
    assert "LOST" in page and "Staffordshire" in page
    assert AuditEntry.objects.filter(person_id=scene["lost"].pk, actor=scene["wm_om"],
                                     action="disclosure").exists()


def test_a_sighting_from_another_force_goes_to_the_owner(scene, client):
    client.force_login(scene["wm_om"])
    day = TODAY - dt.timedelta(days=2)
    response = client.post(reverse("inbox-item", args=[scene["circulation"].pk]), {
        "seen_on_day": day.day, "seen_on_month": day.month, "seen_on_year": day.year,
        "action": "sighting", "where": "New Street station",
        "note": "Seen by PCSO <b>Smith</b> boarding a train"})
    assert response.status_code == 302
    entry = Event.objects.get(person=scene["lost"], kind="missing.action")
    assert entry.details["from_force"] == "west-midlands"
    assert entry.recorded_by == scene["wm_om"]
    assert CirculationReceipt.objects.filter(force_id="west-midlands").exists()
    leads = inbox.leads_for_owner(scene["st_om"], TODAY)
    assert [(lead.action, lead.from_force) for lead in leads] == [("sighting",
                                                                   "west-midlands")]
    assert inbox.leads_for_owner(scene["st_sup"], TODAY) == []  # not the owner
    client.force_login(scene["st_om"])
    page = client.get(reverse("inbox")).content.decode()
    assert "For your cases" in page and "New Street station" in page
    assert "&lt;b&gt;Smith&lt;/b&gt;" in page


@pytest.mark.parametrize(("fields", "field", "message"), [
    pytest.param({"where": ""}, "where", "Enter where", id="a sighting needs a place"),
    pytest.param({"seen_on_year": "2030"}, "seen_on", "in the future",
                 id="a sighting cannot be in the future"),
    pytest.param({"seen_on_year": "2001"}, "seen_on", "before they went missing",
                 id="a sighting before they went missing is refused"),
])
def test_a_bad_sighting_names_the_field_and_writes_nothing(scene, client, fields, field,
                                                           message):
    client.force_login(scene["wm_om"])
    data = {"seen_on_day": TODAY.day, "seen_on_month": TODAY.month,
            "seen_on_year": TODAY.year, "action": "lead", "where": "Walsall",
            "note": "Heard he is working at a car wash", **fields}
    response = client.post(reverse("inbox-item", args=[scene["circulation"].pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Event.objects.filter(kind="missing.action").exists()
    assert response.context["form"].data["note"] == data["note"]  # nothing typed is lost


def test_the_inbox_records_the_people_it_showed(scene, client):
    from whereabouts.access.models import AuditListing

    client.force_login(scene["wm_om"])
    client.get(reverse("inbox"))
    entry = AuditEntry.objects.filter(actor=scene["wm_om"],
                                      what__startswith="viewed the inbox").get()
    assert list(AuditListing.objects.filter(entry=entry).values_list("person_id", flat=True)) \
        == [scene["lost"].pk]
