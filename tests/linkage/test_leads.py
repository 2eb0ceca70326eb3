"""Deciding leads: accepting logs a lead on the missing episode or opens a check; rejecting
needs a reason; the decision is kept; only the person's force sees or decides."""

from __future__ import annotations

from typing import Any

import pytest

from whereabouts.access.models import AuditEntry
from whereabouts.linkage import leads
from whereabouts.missing import services as missing
from whereabouts.missing.selectors import person_checks
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event
from whereabouts.register.recording import NotPermitted

from ..conftest import TODAY
from .leadmaker import make_lead


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return make_user("sup.wm", "supervisor")


@pytest.fixture
def missing_person(make_person: Any, supervisor: Any) -> Any:
    person = make_person(family_name="Smith", given_names="Robert", dob="1980-05-01")
    missing.record_missing(person_id=person.pk, recorded_on="2024-03-20",
                           missing_since="2024-03-10", basis="Not at his address",
                           risk="high", actor=supervisor, today=TODAY)
    return person


def test_accepting_a_lead_on_a_missing_person_logs_it_on_the_episode(missing_person, officer):
    lead = make_lead(missing_person, "missing", routed_to=officer)
    decided = leads.decide(lead_id=lead.pk, accept=True, reason="Tenancy looks right",
                           actor=officer, today=TODAY)
    assert (decided.status, decided.decided_by, decided.decision_reason) == (
        "accepted", officer, "Tenancy looks right")
    action = Event.objects.get(person=missing_person, kind="missing.action")
    assert action.details["action"] == "lead"
    assert "Walsall Housing" in action.details["note"] and "22 CANAL SIDE, WS2 8AA" in (
        action.details["note"])
    assert action.details["next_action"] == "Follow up the partner lead at 22 CANAL SIDE, WS2 8AA"
    assert decided.outcome.startswith("logged as a lead on the missing episode")


def test_accepting_a_lead_on_someone_since_located_records_only_the_decision(
        missing_person, officer, supervisor):
    lead = make_lead(missing_person, "missing", routed_to=officer)
    missing.record_located(person_id=missing_person.pk, located_on="2024-05-01",
                           where="Walsall", by="PC 1", how_found="arrest", outcome="arrested",
                           actor=supervisor, today=TODAY)
    decided = leads.decide(lead_id=lead.pk, accept=True, reason="", actor=officer, today=TODAY)
    assert decided.outcome == "no action: they are no longer missing"
    assert not Event.objects.filter(person=missing_person, kind="missing.action").exists()


def test_accepting_an_undeclared_address_opens_a_whereabouts_check(make_person, officer):
    person = make_person()
    lead = make_lead(person, "undeclared_address", routed_to=officer)
    decided = leads.decide(lead_id=lead.pk, accept=True, reason="", actor=officer, today=TODAY)
    [check] = person_checks(person)
    assert (check.reason, decided.outcome) == ("intelligence", "opened a whereabouts check")


def test_a_second_undeclared_address_with_a_check_open_opens_no_other(make_person, officer):
    person = make_person()
    first, second = (make_lead(person, "undeclared_address") for _ in range(2))
    leads.decide(lead_id=first.pk, accept=True, reason="", actor=officer, today=TODAY)
    decided = leads.decide(lead_id=second.pk, accept=True, reason="", actor=officer,
                           today=TODAY)
    assert len(person_checks(person)) == 1
    assert decided.outcome == "no check opened: the person already has an open whereabouts check"


def test_rejecting_needs_a_reason_and_writes_nothing_to_the_ledger(make_person, officer):
    person = make_person()
    lead = make_lead(person, "undeclared_address")
    before = Event.objects.filter(person=person).count()
    with pytest.raises(InvalidInput) as exc:
        leads.decide(lead_id=lead.pk, accept=False, reason=" ", actor=officer, today=TODAY)
    assert exc.value.field == "reason"
    decided = leads.decide(lead_id=lead.pk, accept=False, reason="Different person: a son",
                           actor=officer, today=TODAY)
    assert (decided.status, decided.outcome) == ("rejected", "")
    assert Event.objects.filter(person=person).count() == before
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.person_id, entry.reason) == (person.pk, "Different person: a son")


def test_a_decided_lead_is_not_decided_again(make_person, officer):
    lead = make_lead(make_person(), "known_address")
    leads.decide(lead_id=lead.pk, accept=True, reason="", actor=officer, today=TODAY)
    with pytest.raises(InvalidInput, match="already accepted"):
        leads.decide(lead_id=lead.pk, accept=False, reason="x", actor=officer, today=TODAY)


@pytest.mark.parametrize(("role", "force"), [
    pytest.param("offender_manager", "staffordshire", id="another force's officer"),
    pytest.param("analyst", "west-midlands", id="an analyst of the force"),
    pytest.param("national_caseworker", None, id="a national caseworker"),
])
def test_only_the_persons_force_sees_or_decides(make_person, make_user, role, force):
    lead = make_lead(make_person(), "undeclared_address")
    stranger = make_user("stranger", role, force=force)
    assert not leads.leads_for(stranger).exists()
    with pytest.raises(NotPermitted):
        leads.decide(lead_id=lead.pk, accept=False, reason="x", actor=stranger, today=TODAY)


def test_the_list_puts_leads_routed_to_me_and_missing_people_first(make_person, make_user,
                                                                    missing_person, officer):
    other = make_user("om.two", "offender_manager")
    theirs = make_lead(make_person(), "missing", routed_to=other, probability=0.99)
    mine_known = make_lead(make_person(), "known_address", routed_to=officer, probability=0.99)
    mine_missing = make_lead(missing_person, "missing", routed_to=officer, probability=0.91)
    assert list(leads.leads_for(officer)) == [mine_missing, mine_known, theirs]
    assert leads.routed_missing_leads(officer) == [mine_missing]
