"""Transfers between forces: opened by a notified home address in another force's area,
accepted by the receiving force, cancelled by the sending one; every step in the ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access import policy
from whereabouts.access.models import AuditEntry
from whereabouts.register import services, transfers
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event, Transfer
from whereabouts.register.postcodes import district_of, force_for_postcode
from whereabouts.register.recording import NotPermitted

from ..conftest import TODAY


def notify(person: Any, postcode: str, *, kind: str = "notification.change",
           when: dt.date = TODAY, line1: str = "1 New Road") -> Event:
    details = {"change": "home_address"} if kind == "notification.change" else {}
    return services.event_record(
        person_id=person.pk, kind=kind, effective_date=when, today=TODAY, recorded_by=None,
        source="test", details=details,
        addresses=[services.AddressInput(kind="home", line1=line1, town="Somewhere",
                                         postcode=postcode)])


@pytest.fixture
def forces(make_user: Any, settings: Any) -> dict[str, Any]:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    return {"wm_sup": make_user("sup.wm", "supervisor"),
            "st_sup": make_user("sup.st", "supervisor", force="staffordshire"),
            "st_om": make_user("om.st", "offender_manager", force="staffordshire"),
            "wm_om2": make_user("om.two", "offender_manager")}


@pytest.mark.parametrize(("postcode", "district"), [
    pytest.param("B23 6AB", "B23", id="a postcode with its space gives the outward code"),
    pytest.param("st16 3aa", "ST16", id="small letters are made capitals"),
    pytest.param("WS11AA", "WS1", id="a postcode without its space still splits"),
    pytest.param("B23", "B23", id="a district on its own is a district"),
    pytest.param("not a postcode", "", id="words are no district"),
    pytest.param("", "", id="nothing is no district"),
])
def test_the_district_of_a_postcode(postcode, district):
    assert district_of(postcode) == district


@pytest.mark.parametrize(("postcode", "force"), [
    pytest.param("B23 6AB", "west-midlands", id="Erdington is in the West Midlands"),
    pytest.param("ST1 2AB", "staffordshire", id="Stoke is in Staffordshire"),
    pytest.param("B77 1AA", "staffordshire", id="Tamworth's B77 is Staffordshire's"),
    pytest.param("ZZ9 9ZZ", None, id="a district not in the table belongs to no known force"),
])
def test_the_shipped_table_gives_a_postcode_its_force(db, make_user, postcode, force):
    make_user("loads.reference", None)  # loads the reference tables after any flush
    assert force_for_postcode(postcode) == force


def test_a_home_address_in_another_forces_area_opens_a_transfer_there(make_person, forces):
    person = make_person()
    event = notify(person, "ST1 2AB")
    transfer = Transfer.objects.get(person=person)
    assert (transfer.from_force_id, transfer.to_force_id, transfer.state) == (
        "west-midlands", "staffordshire", "pending")
    assert transfer.notification == event
    assert transfer.due_by == TODAY + dt.timedelta(days=transfers.accept_days())
    opened = Event.objects.get(person=person, kind="transfer.opened")
    assert opened.details["to_force"] == "staffordshire"
    person.refresh_from_db()
    assert person.force_id == "west-midlands"  # the sending force stays responsible


@pytest.mark.parametrize(("postcode", "why"), [
    ("B23 6AB", "an address in the person's own force's area"),
    ("ZZ9 9ZZ", "an address whose area is not known"),
    ("", "an address without a postcode"),
])
def test_no_transfer_is_opened_for(make_person, forces, postcode, why):
    person = make_person()
    notify(person, postcode)
    assert not Transfer.objects.filter(person=person).exists(), why


def test_an_older_notification_recorded_late_opens_no_transfer(make_person, forces):
    person = make_person()
    notify(person, "B23 6AB", when=TODAY)
    notify(person, "ST1 2AB", when=TODAY - dt.timedelta(days=300))  # history typed in later
    assert not Transfer.objects.filter(person=person).exists()


def test_a_move_back_home_cancels_the_waiting_transfer(make_person, forces):
    person = make_person()
    notify(person, "ST1 2AB")
    notify(person, "B23 6AB")
    transfer = Transfer.objects.get(person=person)
    assert transfer.state == "cancelled"
    assert Event.objects.filter(person=person, kind="transfer.cancelled").count() == 1


def test_a_move_to_a_third_force_replaces_the_waiting_transfer(make_person, forces):
    person = make_person()
    notify(person, "ST1 2AB")
    notify(person, "B60 1AA")  # Bromsgrove: West Mercia
    states = dict(Transfer.objects.filter(person=person).values_list("to_force_id", "state"))
    assert states == {"staffordshire": "cancelled", "west-mercia": "pending"}


def test_both_forces_see_a_person_on_the_way_but_only_the_sender_records(make_person, forces):
    person = make_person()
    assert not policy.visible_people(forces["st_om"]).filter(pk=person.pk).exists()
    notify(person, "ST1 2AB")
    assert policy.visible_people(forces["st_om"]).filter(pk=person.pk).exists()
    assert policy.visible_people(forces["wm_sup"]).filter(pk=person.pk).exists()
    assert not policy.can_record_events(forces["st_om"], person)
    assert policy.can_record_events(forces["wm_sup"], person)


def test_accepting_hands_the_person_over_and_the_ledger_shows_it(make_person, forces):
    person = make_person()
    notify(person, "ST1 2AB")
    transfer = Transfer.objects.get(person=person)
    transfers.accept_transfer(transfer_id=transfer.pk, offender_manager="om.st",
                              actor=forces["st_sup"], today=TODAY, note="Seen at Stoke")
    person.refresh_from_db()
    assert (person.force_id, person.offender_manager.username) == ("staffordshire", "om.st")
    kinds = list(Event.objects.filter(person=person).order_by("id")
                 .values_list("kind", flat=True))
    assert kinds[-4:] == ["notification.change", "transfer.opened", "transfer.accepted",
                          "assignment"]
    assert not policy.visible_people(forces["wm_sup"]).filter(pk=person.pk).exists()
    assert policy.can_record_events(forces["st_om"], person)
    assert AuditEntry.objects.filter(person_id=person.pk, actor=forces["st_sup"],
                                     what__contains="transfer.accepted").exists()


@pytest.mark.parametrize(("actor", "manager", "error"), [
    pytest.param("wm_sup", "om.st", NotPermitted, id="the sending force cannot accept"),
    pytest.param("st_om", "om.st", NotPermitted, id="an offender manager cannot accept"),
    pytest.param("st_sup", "om.two", InvalidInput,
                 id="the new manager must be an officer of the receiving force"),
])
def test_who_may_accept_a_transfer(make_person, forces, actor, manager, error):
    person = make_person()
    notify(person, "ST1 2AB")
    transfer = Transfer.objects.get(person=person)
    with pytest.raises(error):
        transfers.accept_transfer(transfer_id=transfer.pk, offender_manager=manager,
                                  actor=forces[actor], today=TODAY)
    transfer.refresh_from_db()
    assert transfer.state == "pending"
    person.refresh_from_db()
    assert person.force_id == "west-midlands"


def test_a_transfer_is_accepted_once(make_person, forces):
    person = make_person()
    notify(person, "ST1 2AB")
    transfer = Transfer.objects.get(person=person)
    transfers.accept_transfer(transfer_id=transfer.pk, offender_manager="om.st",
                              actor=forces["st_sup"], today=TODAY)
    with pytest.raises(InvalidInput, match="no longer waiting"):
        transfers.accept_transfer(transfer_id=transfer.pk, offender_manager="om.st",
                                  actor=forces["st_sup"], today=TODAY)


def test_only_the_sending_force_cancels_and_says_why(make_person, forces):
    person = make_person()
    notify(person, "ST1 2AB")
    transfer = Transfer.objects.get(person=person)
    with pytest.raises(NotPermitted):
        transfers.cancel_transfer(transfer_id=transfer.pk, reason="No", actor=forces["st_sup"],
                                  today=TODAY)
    with pytest.raises(InvalidInput, match="reason"):
        transfers.cancel_transfer(transfer_id=transfer.pk, reason="  ", actor=forces["wm_sup"],
                                  today=TODAY)
    transfers.cancel_transfer(transfer_id=transfer.pk, reason="A bail address only",
                              actor=forces["wm_sup"], today=TODAY)
    transfer.refresh_from_db()
    assert transfer.state == "cancelled"
    assert not policy.visible_people(forces["st_om"]).filter(pk=person.pk).exists()


@pytest.mark.parametrize(("to_force", "message"), [
    ("west-midlands", "own force"), ("atlantis", "no force"),
])
def test_a_transfer_opened_by_hand_needs_another_real_force(make_person, forces, to_force,
                                                            message):
    person = make_person()
    with pytest.raises(InvalidInput, match=message):
        transfers.open_transfer(person_id=person.pk, to_force=to_force, actor=forces["wm_sup"],
                                today=TODAY, note="Moving")
    assert not Transfer.objects.filter(person=person).exists()


def test_a_transfer_not_accepted_in_time_is_overdue_for_both_forces(make_person, forces,
                                                                    client):
    person = make_person()
    transfers.open_transfer(person_id=person.pk, to_force="staffordshire",
                            actor=forces["wm_sup"], today=TODAY - dt.timedelta(days=30),
                            note="Moving to Tamworth")
    assert transfers.overdue_count("staffordshire", TODAY) == 1
    assert transfers.overdue_count("west-midlands", TODAY) == 1
    assert transfers.overdue_count("west-mercia", TODAY) == 0
    client.force_login(forces["st_sup"])
    home = client.get(reverse("home")).content.decode()
    assert "1 transfer</a> into or out of your force is overdue" in home
    page = client.get(reverse("transfers")).content.decode()
    assert "Overdue" in page and person.reference in page


def test_the_receiving_supervisor_accepts_from_the_page(make_person, forces, client):
    person = make_person(family_name="O'Neil <i>")
    notify(person, "ST1 2AB")
    transfer = Transfer.objects.get(person=person)
    client.force_login(forces["st_sup"])
    listing = client.get(reverse("transfers")).content.decode()
    assert "O&#x27;NEIL &lt;I&gt;" in listing and "O'NEIL <I>" not in listing
    assert client.get(reverse("person", args=[person.pk])).status_code == 200
    form = client.get(reverse("transfer-accept", args=[transfer.pk])).content.decode()
    assert "ST1 2AB" in form
    refused = client.post(reverse("transfer-accept", args=[transfer.pk]), {})
    assert "Select an officer" in refused.content.decode()
    done = client.post(reverse("transfer-accept", args=[transfer.pk]),
                       {"offender_manager": "om.st"})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.force_id == "staffordshire"
    timeline = client.get(reverse("timeline", args=[person.pk])).content.decode()
    assert "Transfer accepted by the receiving force" in timeline


def test_the_sending_supervisor_cancels_from_the_page(make_person, forces, client):
    person = make_person()
    notify(person, "ST1 2AB")
    transfer = Transfer.objects.get(person=person)
    client.force_login(forces["wm_sup"])
    assert client.get(reverse("transfer-accept", args=[transfer.pk])).status_code == 404
    refused = client.post(reverse("transfer-cancel", args=[transfer.pk]), {"reason": ""})
    assert "Enter why the transfer is cancelled" in refused.content.decode()
    assert client.post(reverse("transfer-cancel", args=[transfer.pk]),
                       {"reason": "Typed in error"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == "cancelled"


def test_figures_count_a_person_where_they_were_on_the_date(make_person, forces):
    person = make_person()
    notify(person, "ST1 2AB")
    transfer = Transfer.objects.get(person=person)
    transfers.accept_transfer(transfer_id=transfer.pk, offender_manager="om.st",
                              actor=forces["st_sup"], today=TODAY)
    assert transfers.forces_as_at(TODAY - dt.timedelta(days=1)) == {person.pk: "west-midlands"}
    assert transfers.forces_as_at(TODAY) == {person.pk: "staffordshire"}


W, S, M = "west-midlands", "staffordshire", "west-mercia"
D = dt.date


@pytest.mark.parametrize(("handed", "expected"), [
    pytest.param([(D(2020, 6, 1), W, S)], [(W, D(2020, 1, 1), D(2020, 5, 31)),
                                           (S, D(2020, 6, 1), D(2020, 12, 31))],
                 id="a handover in the middle cuts the stretch on the day it was accepted"),
    pytest.param([(D(2021, 6, 1), W, S)], [(W, D(2020, 1, 1), D(2020, 12, 31))],
                 id="a handover after the stretch leaves it with the sending force"),
    pytest.param([(D(2019, 6, 1), W, S)], [(S, D(2020, 1, 1), D(2020, 12, 31))],
                 id="a handover before the stretch gives it to the receiving force"),
    pytest.param([(D(2020, 1, 1), W, S)], [(S, D(2020, 1, 1), D(2020, 12, 31))],
                 id="a handover on the stretch's first day gives it all to the receiver"),
    pytest.param([(D(2020, 3, 1), W, S), (D(2020, 9, 1), S, M)],
                 [(W, D(2020, 1, 1), D(2020, 2, 29)), (S, D(2020, 3, 1), D(2020, 8, 31)),
                  (M, D(2020, 9, 1), D(2020, 12, 31))],
                 id="two handovers make three stretches"),
])
def test_a_stretch_is_cut_where_the_person_was_handed_over(handed, expected):
    assert transfers.force_stretches(handed, D(2020, 1, 1), D(2020, 12, 31)) == expected


def test_an_assignment_to_another_force_outside_a_transfer_is_kept_as_a_handover(
        make_person, forces):
    person = make_person()
    services.event_record(person_id=person.pk, kind="assignment", effective_date="2024-05-01",
                          today=TODAY, recorded_by=None, source="import:legacy.csv",
                          details={"offender_manager": "om.st", "force": "staffordshire"})
    assert transfers.forces_as_at(D(2024, 4, 30)) == {person.pk: "west-midlands"}
    assert transfers.forces_as_at(D(2024, 5, 1)) == {person.pk: "staffordshire"}


def test_accepting_a_transfer_makes_one_handover_not_two(make_person, forces):
    person = make_person()
    notify(person, "ST1 2AB")
    transfers.accept_transfer(transfer_id=Transfer.objects.get(person=person).pk,
                              offender_manager="om.st", actor=forces["st_sup"], today=TODAY)
    assert Transfer.objects.filter(person=person).count() == 1


def test_the_transfers_page_records_the_people_it_showed(make_person, forces, client):
    from whereabouts.access.models import AuditListing

    person = make_person()
    notify(person, "ST1 2AB")
    client.force_login(forces["st_sup"])
    client.get(reverse("transfers"))
    entry = AuditEntry.objects.filter(actor=forces["st_sup"],
                                      what__startswith="viewed the transfers").get()
    assert list(AuditListing.objects.filter(entry=entry).values_list("person_id", flat=True)) \
        == [person.pk]
