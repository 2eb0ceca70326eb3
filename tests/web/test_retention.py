"""MoPI review: the review queue, the decision (retain or dispose) and the erasure it leads to.

Who may review: supervisors and senior officers (their force), data protection officers
(their force, or every force if national). Everyone else, and a person outside the scope,
gets "not found".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access import audit
from whereabouts.access.models import AuditEntry, Erasure
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event, Person
from whereabouts.retention import services
from whereabouts.retention.models import Decision

from ..conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_day(settings: Any) -> None:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return make_user("sup.wm", "supervisor")


@pytest.fixture
def due_person(make_person: Any) -> Person:
    """Registered today but born in 1930: the 100th birthday (2030) brings the review to
    then; made due now by moving the stored date back, as ten years passing would."""
    person = make_person(dob="1930-01-01", family_name="Due")
    Person.objects.filter(pk=person.pk).update(next_review=TODAY - dt.timedelta(days=3))
    person.refresh_from_db()
    return person


def test_a_new_person_is_group_1_with_a_review_ten_years_after_registration(make_person):
    person = make_person()
    assert (person.retention_group, person.next_review) == ("1", dt.date(2034, 6, 1))


def test_the_person_page_shows_the_group_and_the_next_review(client, officer, make_person):
    person = make_person()
    client.force_login(officer)
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Group 1 (public protection); next review by 1 June 2034" in page


def test_the_queue_lists_the_people_due_and_logs_them(client, supervisor, due_person,
                                                        make_person):
    not_due = make_person(family_name="Later")
    client.force_login(supervisor)
    response = client.get(reverse("review-queue"))
    assert response.status_code == 200
    listed = [p.pk for p, _ in response.context["rows"]]
    assert listed == [due_person.pk] and not_due.pk not in listed
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.what.startswith("viewed the MoPI review queue")
    assert entry.listed_ids() == [due_person.pk]


def test_the_queue_of_a_force_leaves_out_other_forces(client, supervisor, make_person):
    theirs = make_person(force="staffordshire", manager=None, dob="1930-01-01")
    Person.objects.filter(pk=theirs.pk).update(next_review=TODAY)
    client.force_login(supervisor)
    assert client.get(reverse("review-queue")).context["rows"] == []


def test_a_national_data_protection_officer_sees_every_force(client, make_user, make_person):
    theirs = make_person(force="staffordshire", manager=None, dob="1930-01-01")
    Person.objects.filter(pk=theirs.pk).update(next_review=TODAY)
    client.force_login(make_user("dpo", "auditor", force=None))
    assert [p.pk for p, _ in client.get(reverse("review-queue")).context["rows"]] == [theirs.pk]


@pytest.mark.parametrize("role", ["offender_manager", "national_caseworker", "analyst",
                                  "foi_officer", "partner", "administrator"])
def test_other_roles_get_not_found(client, make_user, due_person, role):
    client.force_login(make_user(f"u.{role}", role))
    assert client.get(reverse("review-queue")).status_code == 404
    assert client.get(reverse("review-person", args=[due_person.pk])).status_code == 404
    assert client.post(reverse("review-person", args=[due_person.pk]), {
        "outcome": "retain", "reason": "x"}).status_code == 404
    assert not Decision.objects.exists()


def test_a_reviewer_of_another_force_gets_not_found(client, make_user, due_person):
    client.force_login(make_user("sup.st", "supervisor", force="staffordshire"))
    assert client.get(reverse("review-person", args=[due_person.pk])).status_code == 404


def test_retaining_records_the_criteria_and_moves_the_review_on(client, supervisor,
                                                                due_person):
    client.force_login(supervisor)
    response = client.post(reverse("review-person", args=[due_person.pk]), {
        "outcome": "retain", "criteria": ["serious_harm", "children_vulnerable"],
        "reason": "Still subject to notification; MAPPA level 2",
        "next_review_day": "1", "next_review_month": "6", "next_review_year": "2027"})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.outcome, decision.criteria, decision.next_review) == (
        "retain", ["serious_harm", "children_vulnerable"], dt.date(2027, 6, 1))
    due_person.refresh_from_db()
    assert due_person.next_review == dt.date(2027, 6, 1)
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.person_id, entry.actor_name) == (
        "alteration", due_person.pk, "sup.wm")
    assert entry.what == "MoPI review: retain, next review 2027-06-01"
    assert "MAPPA level 2" in entry.reason and "capacity to inflict serious harm" in entry.reason
    assert client.get(reverse("review-queue")).context["rows"] == []


def test_retaining_without_a_date_sets_the_latest_allowed(supervisor, due_person):
    decision = services.decide(person_id=due_person.pk, actor=supervisor, today=TODAY,
                               outcome="retain", reason="Still needed")
    assert decision.next_review == dt.date(2030, 1, 1)  # the 100th birthday, before 2034


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"outcome": "keep"}, "outcome", "choose retain or dispose"),
    ({"outcome": "retain", "reason": "  "}, "reason", "is required"),
    ({"outcome": "retain", "criteria": ["vibes"]}, "criteria", "no such criterion: vibes"),
    ({"outcome": "retain", "next_review": "2024-06-01"}, "next_review", "must be after today"),
    ({"outcome": "retain", "next_review": "2030-01-02"}, "next_review", "no later than"),
    ({"outcome": "retain", "next_review": "1/1/2030"}, "next_review", "YYYY-MM-DD"),
    ({"outcome": "dispose"}, "outcome", "kept until the person is 100"),
])
def test_a_bad_decision_names_the_field_and_changes_nothing(supervisor, due_person, fields,
                                                            field, message):
    before = AuditEntry.objects.count()
    kwargs = {"reason": "A reason"} | fields
    with pytest.raises(InvalidInput) as caught:
        services.decide(person_id=due_person.pk, actor=supervisor, today=TODAY, **kwargs)
    assert caught.value.field == field and message in caught.value.message
    assert not Decision.objects.exists() and AuditEntry.objects.count() == before
    due_person.refresh_from_db()
    assert due_person.next_review == TODAY - dt.timedelta(days=3)


def test_the_form_shows_a_refused_disposal_against_the_decision(client, supervisor,
                                                               due_person):
    client.force_login(supervisor)
    response = client.post(reverse("review-person", args=[due_person.pk]), {
        "outcome": "dispose", "reason": "No longer needed"})
    assert response.status_code == 200
    assert "kept until the person is 100" in str(response.context["form"].errors["outcome"])


@pytest.fixture
def centenarian(make_person: Any) -> Person:
    person = make_person(dob="1920-01-01", family_name="Old", given_names="Ada")
    Person.objects.filter(pk=person.pk).update(next_review=TODAY)
    return person


def test_disposal_is_decided_then_erased_and_the_chain_still_verifies(
        client, make_user, centenarian, make_person, officer):
    keep = make_person(family_name="Kept")
    client.force_login(officer)
    client.get(reverse("person", args=[centenarian.pk]))
    client.get(reverse("people"))  # a caseload page that lists both
    dpo = make_user("dpo", "auditor", force=None)
    decision = services.decide(person_id=centenarian.pk, actor=dpo, today=TODAY,
                               outcome="dispose", reason="Aged 104; no policing purpose")
    assert decision.next_review is None
    pid, reference = centenarian.pk, centenarian.reference
    assert [d.person_id for d in services.pending_disposals()] == [pid]

    erased = services.erase_disposed()

    assert [(e.person_id, e.reference) for e in erased] == [(pid, reference)]
    assert not Person.objects.filter(pk=pid).exists()
    assert not Event.objects.filter(person_id=pid).exists()
    assert not Decision.objects.filter(person_id=pid).exists()
    assert Person.objects.filter(pk=keep.pk).exists()
    tomb = Erasure.objects.get()
    assert (tomb.person_id, tomb.reference, tomb.decided_by_name) == (pid, reference, "dpo")
    last = AuditEntry.objects.order_by("-id").first()
    assert (last.action, last.person_id) == ("erasure", pid)
    assert "MoPI disposal decided on 2024-06-01 by dpo" in last.what
    assert audit.verify().ok
    assert services.erase_disposed() == []  # nothing left to do

    # The auditor still finds who looked at the erased person, by the reference.
    client.force_login(dpo)
    rows = client.get(reverse("audit-person"), {"reference": reference}).context["rows"]
    whats = [r["entry"].what for r in rows]
    assert any(w.startswith("erased the record") for w in whats)
    assert "viewed the person's record" in whats
    assert any(r["reference"].startswith(reference) and "on a list" in r["reference"]
               for r in rows)


def test_a_later_decision_to_retain_cancels_a_disposal_not_yet_carried_out(make_user,
                                                                           centenarian):
    dpo = make_user("dpo", "auditor", force=None)
    services.decide(person_id=centenarian.pk, actor=dpo, today=TODAY, outcome="dispose",
                    reason="No purpose")
    services.decide(person_id=centenarian.pk, actor=dpo, today=TODAY, outcome="retain",
                    reason="New intelligence received")
    assert services.pending_disposals() == []
    assert services.erase_disposed() == []
    assert Person.objects.filter(pk=centenarian.pk).exists()


def test_the_command_lists_and_erases(make_user, centenarian, capsys):
    from whereabouts.cli.main import cmd_retention

    class Args:
        action = "pending"

    dpo = make_user("dpo", "auditor", force=None)
    services.decide(person_id=centenarian.pk, actor=dpo, today=TODAY, outcome="dispose",
                    reason="No purpose")
    assert cmd_retention(Args()) == 0
    assert "1 record to erase." in capsys.readouterr().out
    Args.action = "erase"
    assert cmd_retention(Args()) == 0
    assert f"Erased {centenarian.reference}" in capsys.readouterr().out
    assert not Person.objects.filter(pk=centenarian.pk).exists()


def test_erasure_takes_the_transfers_and_circulation_receipts_with_it(make_user, centenarian):
    from whereabouts.missing import inbox
    from whereabouts.register import services as register
    from whereabouts.register.models import CirculationReceipt, Transfer

    def entry(kind: str, **details: Any) -> Event:
        return register.event_record(person_id=centenarian.pk, kind=kind, effective_date=TODAY,
                                     today=TODAY, recorded_by=None, source="test",
                                     details=details, addresses=[register.AddressInput(
                                         kind="home", line1="1 Road", town="Stoke",
                                         postcode="ST1 2AB")] if kind.startswith(
                                         "notification") else ())

    entry("notification.initial")  # in Staffordshire's area: a transfer opens
    entry("missing.recorded", missing_since="2024-05-01", basis="Gone", risk="low")
    sent = entry("circulation.sent", scope="national", reference="PNC/OLD")
    inbox.acknowledge(circulation_id=sent.pk, today=TODAY,
                      actor=make_user("om.st", "offender_manager", force="staffordshire"))
    assert Transfer.objects.exists() and CirculationReceipt.objects.exists()
    services.decide(person_id=centenarian.pk, actor=make_user("dpo", "auditor", force=None),
                    today=TODAY, outcome="dispose", reason="No purpose")
    services.erase_disposed()
    assert not Transfer.objects.exists() and not CirculationReceipt.objects.exists()
    assert not Person.objects.filter(pk=centenarian.pk).exists()
