"""Subject access (DPA 2018 s.45): the data protection officer exports what is held about a
person, as JSON or a readable page, logged as a disclosure with its reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry
from whereabouts.register import services as register

from ..conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_day(settings: Any) -> None:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()


@pytest.fixture
def dpo(make_user: Any) -> Any:
    return make_user("dpo.wm", "auditor")


@pytest.fixture
def subject(make_person: Any, officer: Any, client: Any) -> Any:
    person = make_person(family_name="Subject", given_names="Sam")
    register.event_record(person_id=person.pk, kind="visit", effective_date=TODAY,
                          today=TODAY, recorded_by=officer, source="test",
                          details={"outcome": "seen_at_home"})
    client.force_login(officer)
    client.get(reverse("person", args=[person.pk]))  # a look, for the audit section
    client.logout()
    return person


def _export(client: Any, reference: str, fmt: str = "json", **extra: str) -> Any:
    return client.post(reverse("subject-access"), {
        "reference": reference, "request_reference": "SAR/2024/017",
        "reason": "Subject access request received 20 May 2024", "format": fmt} | extra)


def test_the_json_export_holds_the_record_and_who_looked(client, dpo, subject):
    client.force_login(dpo)
    response = _export(client, subject.reference)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{subject.reference}-2024-06-01.json"')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["identity"]["family_name"] == "Subject"
    assert data["export"]["request_reference"] == "SAR/2024/017"
    kinds = [e["kind"] for e in data["ledger"]]
    assert "Registered" in kinds and "Home visit" in kinds
    assert {"identity", "aliases", "addresses", "ledger", "disposals", "missing_episodes",
            "breaches", "tasks", "shares_with_partner_agencies", "retention_reviews",
            "audit_log"} <= set(data)
    assert any(a["who"] == "om.one" and a["what"] == "viewed the person's record"
               for a in data["audit_log"])


def test_the_ledger_in_the_export_keeps_corrections(client, dpo, make_person, officer):
    from whereabouts.register import recording

    person = make_person()
    visit = register.event_record(person_id=person.pk, kind="visit", effective_date=TODAY,
                                  today=TODAY, recorded_by=officer, source="test",
                                  details={"outcome": "seen_at_home"})
    correction = recording.correct_visit(person_id=person.pk, visited_on=TODAY,
                                         outcome="no_reply", actor=officer, today=TODAY,
                                         supersedes=visit.pk, reason="Wrong outcome")
    client.force_login(dpo)
    ledger = json.loads(_export(client, person.reference).content)["ledger"]
    by_entry = {e["entry"]: e for e in ledger}
    assert by_entry[visit.pk]["corrected_by_entry"] == correction.pk
    assert by_entry[correction.pk]["corrects_entry"] == visit.pk
    assert by_entry[correction.pk]["correction_reason"] == "Wrong outcome"


def test_the_readable_export_is_a_page_of_tables_with_the_contents_escaped(
        client, dpo, make_person):
    person = make_person(family_name="<script>alert(1)</script>")
    client.force_login(dpo)
    response = _export(client, person.reference, fmt="html")
    body = response.content.decode()
    assert response["Content-Disposition"].endswith('.html"')
    assert 'id="section-ledger"' in body and 'id="section-audit_log"' in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_the_export_is_logged_as_a_disclosure_with_its_reason(client, dpo, subject):
    client.force_login(dpo)
    _export(client, subject.reference)
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.person_id, entry.actor_name) == ("disclosure", subject.pk,
                                                                 "dpo.wm")
    assert entry.what == (f"subject access export of {subject.reference} (JSON), request "
                          "SAR/2024/017")
    assert entry.reason == "Subject access request received 20 May 2024"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("reason", "   ", "Enter why you are exporting the record"),
    ("request_reference", "", "Enter the request's reference"),
    ("format", "pdf", "Select a valid choice"),
])
def test_a_bad_request_names_the_field_and_exports_nothing(client, dpo, subject, field, value,
                                                           message):
    client.force_login(dpo)
    before = AuditEntry.objects.count()
    response = _export(client, subject.reference, **{field: value})
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert message in " ".join(response.context["form"].errors[field])
    assert AuditEntry.objects.count() == before


def test_a_person_of_another_force_is_no_person_with_this_reference(client, dpo, make_person):
    theirs = make_person(force="staffordshire", manager=None)
    client.force_login(dpo)
    response = _export(client, theirs.reference)
    assert "Content-Disposition" not in response
    assert "No person with this reference" in str(response.context["form"].errors["reference"])
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.person_id is None and "no such person in scope" in entry.what


def test_a_national_data_protection_officer_exports_any_force(client, make_user, make_person):
    theirs = make_person(force="staffordshire", manager=None)
    client.force_login(make_user("dpo.national", "auditor", force=None))
    assert json.loads(_export(client, theirs.reference).content)["identity"]["reference"] == (
        theirs.reference)


@pytest.mark.parametrize("role", ["offender_manager", "supervisor", "senior_officer",
                                  "national_caseworker", "analyst", "foi_officer", "partner",
                                  "administrator"])
def test_no_other_role_may_export(client, make_user, subject, role):
    client.force_login(make_user(f"u.{role}", role))
    assert client.get(reverse("subject-access")).status_code == 404
    assert _export(client, subject.reference).status_code == 404
