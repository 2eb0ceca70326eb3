"""The demo's work across forces: a handover end to end, a transfer waiting, one overdue,
and a circulation from one force in another's inbox with a sighting back; all logged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from whereabouts.access.models import AuditEntry
from whereabouts.demo import FOI_DATE, SCENARIO_TODAY
from whereabouts.demo.build import build_demo, reset_database
from whereabouts.demo.duplicates import stage_duplicates
from whereabouts.demo.exchange import stage_cross_force
from whereabouts.demo.partners import stage_partner_extract
from whereabouts.demo.risk import stage_risk
from whereabouts.missing import inbox
from whereabouts.register import transfers
from whereabouts.register.models import CirculationReceipt, Event, Transfer

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def staged(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        build_demo(seed=2017, scale=0.01, fresh=True, progress=lambda *_: None)
        before = registered_by_force(FOI_DATE)
        staged = stage_cross_force(progress=lambda *_: None)
        risk = stage_risk(progress=lambda *_: None)
        partners = stage_partner_extract(progress=lambda *_: None)
        dupes = stage_duplicates(progress=lambda *_: None)
    yield {**staged, "before": before, "risk": risk, "partners": partners, "dupes": dupes}
    with django_db_blocker.unblock():
        reset_database(progress=lambda *_: None)  # leave an empty register behind


def registered_by_force(as_at: Any) -> dict[str, int]:
    from whereabouts.compliance.periods import status_counts_as_at

    out: dict[str, int] = {}
    for row in status_counts_as_at(as_at, as_at):
        out[row.force] = out.get(row.force, 0) + row.people
    return out


def test_a_west_midlands_person_is_handed_to_staffordshire_end_to_end(staged, db):
    person = staged["handed"]
    person.refresh_from_db()
    assert person.force_id == "staffordshire"
    kinds = list(Event.objects.filter(person=person).order_by("id")
                 .values_list("kind", flat=True))[-4:]
    assert kinds == ["notification.change", "transfer.opened", "transfer.accepted",
                     "assignment"]
    done = Transfer.objects.get(person=person)
    assert (done.state, done.opened_on.isoformat(), done.closed_on.isoformat()) == (
        "accepted", "2017-10-16", "2017-10-20")
    for kind in ("notification.change", "transfer.accepted"):
        assert AuditEntry.objects.filter(person_id=person.pk, what__contains=kind).exists()


def test_the_handover_leaves_the_foi_date_figures_where_they_were(staged, db):
    person = staged["handed"]
    assert registered_by_force(FOI_DATE) == staged["before"]
    assert transfers.forces_as_at(FOI_DATE)[person.pk] == "west-midlands"
    assert transfers.forces_as_at(SCENARIO_TODAY)[person.pk] == "staffordshire"


def test_one_transfer_waits_for_staffordshire_and_one_is_overdue_at_west_mercia(staged, db):
    waiting = Transfer.objects.get(person=staged["waiting"], state="pending")
    overdue = Transfer.objects.get(person=staged["overdue"], state="pending")
    assert waiting.to_force_id == "staffordshire" and not waiting.overdue(SCENARIO_TODAY)
    assert overdue.to_force_id == "west-mercia" and overdue.overdue(SCENARIO_TODAY)
    assert transfers.overdue_count("west-midlands", SCENARIO_TODAY) == 1


def test_staffordshire_acknowledged_a_west_midlands_circulation_and_sent_a_sighting(staged,
                                                                                   db):
    receipts = CirculationReceipt.objects.all()  # one acknowledged, one with the sighting
    assert {(r.force_id, r.acknowledged_by.username) for r in receipts} == {
        ("staffordshire", "staffs.demo")}
    assert receipts.count() == 2
    from django.contrib.auth import get_user_model

    om = get_user_model().objects.get(username="om.demo")
    leads = inbox.leads_for_owner(om, SCENARIO_TODAY)
    assert [(lead.person, lead.from_force) for lead in leads] == [(staged["seen"],
                                                                  "staffordshire")]


def test_the_demo_supervisors_see_it_in_their_pages(staged, db, client, settings):
    from django.contrib.auth import get_user_model

    settings.WHEREABOUTS_TODAY = SCENARIO_TODAY.isoformat()
    users = get_user_model().objects.in_bulk(["staffs.demo", "supervisor.demo"],
                                             field_name="username")
    client.force_login(users["staffs.demo"])
    page = client.get(reverse("transfers")).content.decode()
    assert staged["waiting"].reference in page and staged["handed"].reference in page
    assert "West Midlands" in client.get(reverse("inbox") + "?show=all").content.decode()
    client.force_login(users["supervisor.demo"])
    home = client.get(reverse("home")).content.decode()
    assert "overdue for acceptance" in home


def test_the_demo_shows_a_mapp_meeting_its_actions_an_order_and_an_overdue_arms(staged, db,
                                                                             client):
    from django.contrib.auth import get_user_model

    risk = staged["risk"]
    users = get_user_model().objects.in_bulk(["om.demo", "partner.demo"], field_name="username")
    with override_settings(WHEREABOUTS_TODAY=SCENARIO_TODAY.isoformat()):
        client.force_login(users["om.demo"])
        mine = client.get(reverse("mappa-mine")).content.decode()
        assert "Unannounced home visit" in mine and 'id="actions-overdue">1<' in mine
        assert risk["lapsed"].reference in mine  # the ARMS assessment overdue
        page = client.get(reverse("person", args=[risk["ordered"].pk])).content.decode()
        assert "SHPO/WM/16/0042" in page and "No work with children" in page
        client.force_login(users["partner.demo"])
        seen = client.get(reverse("mappa-mine")).content.decode()
        assert "Remain at MAPPA level 2" in seen and "Confirm the licence conditions" in seen
        assert "Unannounced home visit" not in seen
@pytest.mark.django_db
def test_the_demos_housing_extract_finds_missing_people_for_their_owners(staged):
    from whereabouts.linkage.models import Lead

    truth = {(row.person_id, row.ref) for row in staged["partners"]["rows"] if row.person_id}
    leads = list(Lead.objects.exclude(status="candidate").select_related("record", "routed_to"))
    found = {(lead.person_id, lead.record.source_id) for lead in leads}
    assert found <= truth  # every lead is the right person
    assert len(found) >= 0.8 * len(truth)
    mine = [lead for lead in leads
            if lead.kind == "missing" and lead.routed_to.username == "om.demo"]
    assert len(mine) >= 3
    assert all(lead.explanation for lead in leads)


def test_the_demo_stages_four_duplicate_identities_and_splink_finds_them(staged, db):
    dupes = staged["dupes"]
    assert len(dupes["made"]) == 4
    assert len(dupes["found"]) == 4, "every staged second record is suggested"
    assert dupes["run"].suggestions_made == 4  # and no pair of different people
    forces = [second.force_id for _, second in dupes["made"]]
    assert forces == ["staffordshire", "west-mercia", "warwickshire", "west-midlands"]
    assert dupes["run"].run_by.get_username() == "supervisor.demo"
    # Registered again after the FOI date: the seed figures as at that date do not move.
    assert registered_by_force(FOI_DATE) == staged["before"]
