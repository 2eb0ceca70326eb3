"""Leads through the API: the Leads page's list, one lead with its explanation, and the
decision, through the same selectors and service; only the person's force sees or decides."""

from __future__ import annotations

from typing import Any

import pytest

from whereabouts.access.models import AuditAction, AuditEntry
from whereabouts.linkage.models import Lead
from whereabouts.missing.selectors import person_checks

from ..linkage.leadmaker import add_pair, make_lead
from .test_endpoints import assert_problem


@pytest.fixture
def other_force(make_user: Any) -> Any:
    return make_user("om.staffs", "offender_manager", force="staffordshire")


def test_the_list_is_the_pages_list_routed_first_and_logged_with_the_people(officer, api,
                                                                            make_person):
    mine = make_lead(make_person(), "undeclared_address", routed_to=officer, probability=0.91)
    other = make_lead(make_person(), "undeclared_address", probability=0.99)
    answer = api(officer).get("/leads")
    assert answer.status_code == 200
    assert [r["id"] for r in answer.body["results"]] == [mine.pk, other.pk]
    assert answer.body["total"] == 2
    assert answer.body["results"][0]["explanation"] is None  # the list leaves it out
    entry = AuditEntry.objects.filter(action=AuditAction.CONSULTATION,
                                      what__startswith="viewed the partner data leads").last()
    assert entry is not None and entry.what.endswith("(API)")
    assert sorted(map(int, entry.listed.split())) == sorted([mine.person_id, other.person_id])


def test_the_list_leaves_out_candidates_below_the_threshold_and_other_statuses(officer, api,
                                                                               make_person):
    lead = make_lead(make_person(), "undeclared_address")
    add_pair(lead.model, make_person(), 0.6)  # a candidate: for the review of score bands only
    assert [r["id"] for r in api(officer).get("/leads").body["results"]] == [lead.pk]
    assert api(officer).get("/leads", status="accepted").body["results"] == []


def test_a_status_or_page_that_does_not_exist_is_refused_naming_the_field(officer, api):
    body = assert_problem(api(officer).get("/leads", status="candidate"), 422)
    assert [e["field"] for e in body["errors"]] == ["status"]
    body = assert_problem(api(officer).get("/leads", page=2), 422)
    assert [e["field"] for e in body["errors"]] == ["page"]


def test_a_lead_reads_with_what_agreed_and_what_did_not_and_is_logged(officer, api,
                                                                       make_person):
    lead = make_lead(make_person(), "undeclared_address")
    answer = api(officer).get(f"/leads/{lead.pk}")
    assert answer.status_code == 200
    fields = {i["field"]: i for i in answer.body["explanation"]}
    assert fields["ni"]["weight"] > 0 and fields["postcode"]["weight"] < 0
    assert answer.body["partner_address"] == "22 CANAL SIDE, WS2 8AA"
    assert AuditEntry.objects.filter(person_id=lead.person_id,
                                     what=f"read partner data lead {lead.pk} "
                                          f"(Walsall Housing) (API)").exists()


def test_a_lead_on_another_forces_person_is_not_found_exactly_like_no_lead(
        officer, other_force, api, make_person):
    theirs = make_person(force="staffordshire", manager=other_force)
    lead = make_lead(theirs, "undeclared_address")
    missing = assert_problem(api(officer).get(f"/leads/{lead.pk + 1000}"), 404)
    hidden = assert_problem(api(officer).get(f"/leads/{lead.pk}"), 404)
    assert hidden == missing
    assert_problem(api(officer).post(f"/leads/{lead.pk}/decision",
                                     {"decision": "accept"}), 404)
    assert Lead.objects.get(pk=lead.pk).status == "open"
    assert [r["id"] for r in api(other_force).get("/leads").body["results"]] == [lead.pk]


def test_accepting_an_undeclared_address_opens_a_check_as_the_page_does(officer, api,
                                                                          make_person):
    person = make_person()
    lead = make_lead(person, "undeclared_address")
    answer = api(officer).post(f"/leads/{lead.pk}/decision", {"decision": "accept"})
    assert answer.status_code == 200
    assert (answer.body["status"], answer.body["outcome"], answer.body["decided_by"]) == (
        "accepted", "opened a whereabouts check", officer.username)
    assert [c.reason for c in person_checks(person)] == ["intelligence"]


def test_rejecting_without_a_reason_is_refused_naming_the_reason_and_changes_nothing(
        officer, api, make_person):
    lead = make_lead(make_person(), "undeclared_address")
    body = assert_problem(api(officer).post(f"/leads/{lead.pk}/decision",
                                            {"decision": "reject"}), 422)
    assert body["errors"] == [{"field": "reason", "message": "is required to reject a lead"}]
    assert Lead.objects.get(pk=lead.pk).status == "open"
    answer = api(officer).post(f"/leads/{lead.pk}/decision",
                               {"decision": "reject", "reason": "Different date of birth"})
    assert (answer.body["status"], answer.body["decision_reason"]) == (
        "rejected", "Different date of birth")


def test_a_lead_is_decided_once(officer, api, make_person):
    lead = make_lead(make_person(), "known_address")
    api(officer).post(f"/leads/{lead.pk}/decision", {"decision": "accept"})
    body = assert_problem(api(officer).post(f"/leads/{lead.pk}/decision",
                                            {"decision": "reject", "reason": "x"}), 422)
    assert [e["field"] for e in body["errors"]] == ["lead"]
    assert Lead.objects.get(pk=lead.pk).status == "accepted"


@pytest.mark.parametrize("role", ["analyst", "foi_officer", "partner", "auditor",
                                  "administrator", "national_caseworker"])
def test_roles_without_leads_work_cannot_hold_the_scope(make_user, role):
    from whereabouts.api import scopes

    user = make_user(f"u.{role}", role)
    assert "leads:work" not in scopes.scopes_for(user)
