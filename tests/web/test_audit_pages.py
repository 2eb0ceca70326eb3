"""The auditor's pages: who looked at a person, what a user looked at, and their exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access import audit
from whereabouts.access.models import AuditEntry

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["offender_manager", "supervisor", "senior_officer", "analyst", "partner",
               "administrator"]


@pytest.fixture
def auditor(make_user: Any) -> Any:
    return make_user("dpo.one", "auditor", force=None)


@pytest.fixture
def looked_at(make_person: Any, officer: Any) -> Any:
    person = make_person()
    audit.record(actor=officer, action="consultation", person_id=person.pk,
                 what="viewed the person page", reason="on my caseload")
    return person


@pytest.mark.parametrize("url_name", ["audit-person", "audit-user"])
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_everyone_but_auditors_gets_not_found(client, make_user, url_name, role):
    client.force_login(make_user(f"u.{role}", role))
    assert client.get(reverse(url_name)).status_code == 404
    assert client.get(reverse(url_name), {"username": "om.one", "reference": "T-00001",
                                          "format": "csv"}).status_code == 404


def test_who_looked_at_a_person_shows_the_entries_not_the_record(client, auditor, looked_at):
    client.force_login(auditor)
    response = client.get(reverse("audit-person"), {"reference": looked_at.reference})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Entries about {looked_at.reference}" in page
    assert "viewed the person page" in page and "on my caseload" in page and "om.one" in page
    assert looked_at.family_name not in page  # the reference and the log, not the record
    logged = AuditEntry.objects.order_by("-id").first()
    assert (logged.actor_name, logged.action, logged.person_id) == (
        "dpo.one", "consultation", looked_at.pk)
    assert logged.what.startswith(f"audit log: who looked at {looked_at.reference}")


def test_an_unknown_reference_is_an_error_and_is_logged(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit-person"), {"reference": "NOPE-1"})
    assert response.status_code == 200
    assert "No person with this reference" in response.content.decode()
    assert "no such person" in AuditEntry.objects.order_by("-id").first().what


def test_a_force_auditor_sees_only_that_forces_people(client, make_user, looked_at):
    client.force_login(make_user("dpo.other", "auditor", force="kent"))
    response = client.get(reverse("audit-person"), {"reference": looked_at.reference})
    assert "No person with this reference" in response.content.decode()


def test_what_did_a_user_look_at_with_a_date_range(client, auditor, looked_at, officer):
    client.force_login(auditor)
    today = AuditEntry.objects.order_by("-id").first().at.date()
    response = client.get(reverse("audit-user"), {
        "username": "om.one", "start_day": today.day, "start_month": today.month,
        "start_year": today.year})
    page = response.content.decode()
    assert "Entries by om.one" in page
    assert "viewed the person page" in page and looked_at.reference in page
    assert looked_at.family_name not in page
    response = client.get(reverse("audit-user"), {
        "username": "om.one", "end_day": 1, "end_month": 1, "end_year": 2000})
    assert "No entries" in response.content.decode()
    logged = AuditEntry.objects.order_by("-id").first()
    assert logged.what == "audit log: what om.one looked at, the start to 2000-01-01, page 1"


def test_a_reversed_period_is_an_error(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit-user"), {
        "username": "om.one", "start_day": 2, "start_month": 1, "start_year": 2020,
        "end_day": 1, "end_month": 1, "end_year": 2020})
    assert "must be the same as or after the from date" in response.content.decode()


def test_pages_of_fifty(client, auditor, looked_at, officer):
    for i in range(60):
        audit.record(actor=officer, action="consultation", person_id=looked_at.pk,
                     what=f"look {i}")
    client.force_login(auditor)
    first = client.get(reverse("audit-person"), {"reference": looked_at.reference}).content
    assert b"look 59" in first and b"look 5<" not in first and b'rel="next"' in first
    second = client.get(reverse("audit-person"), {"reference": looked_at.reference,
                                                  "page": 2}).content.decode()
    assert "look 5<" in second and "Page 2 of 2" in second


def test_the_csv_export_has_every_entry_and_is_logged_as_a_disclosure(client, auditor,
                                                                        looked_at, officer):
    audit.record(actor=officer, action="consultation", person_id=looked_at.pk,
                 what="=HYPERLINK(\"http://evil\")")
    client.force_login(auditor)
    response = client.get(reverse("audit-person"), {"reference": looked_at.reference,
                                                    "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    whats = [row["what"] for row in rows]
    assert "viewed the person page" in whats
    assert "'=HYPERLINK(\"http://evil\")" in whats  # not run as a formula
    assert {row["person_reference"] for row in rows} == {looked_at.reference}
    logged = AuditEntry.objects.order_by("-id").first()
    assert (logged.action, logged.person_id) == ("disclosure", looked_at.pk)
    assert "exported who looked at" in logged.what
    assert audit.verify().ok


def test_the_user_csv_export_is_logged(client, auditor, looked_at):
    client.force_login(auditor)
    response = client.get(reverse("audit-user"), {"username": "om.one", "format": "csv"})
    assert b"viewed the person page" in response.content
    logged = AuditEntry.objects.order_by("-id").first()
    assert logged.action == "disclosure" and "exported what om.one looked at" in logged.what


def test_who_looked_at_a_person_includes_the_list_pages_that_showed_them(
        client, auditor, make_person, officer):
    shown, other = make_person(), make_person(family_name="Other")
    client.force_login(officer)
    assert client.get(reverse("people")).status_code == 200  # my caseload: both listed
    listing = AuditEntry.objects.order_by("-id").first()
    assert set(listing.listed_ids()) == {shown.pk, other.pk}
    client.force_login(auditor)
    page = client.get(reverse("audit-person"), {"reference": shown.reference})
    rows = page.context["rows"]
    listed_rows = [r for r in rows if r["entry"].pk == listing.pk]
    assert listed_rows and listed_rows[0]["reference"] == f"{shown.reference} (on a list of 2)"
    csv_rows = list(csv.DictReader(io.StringIO(client.get(
        reverse("audit-person"), {"reference": shown.reference, "format": "csv"}
    ).content.decode())))
    assert any(r["entry"] == str(listing.pk) and r["listed"] for r in csv_rows)


def test_a_list_that_did_not_show_a_person_is_not_among_their_entries(
        client, auditor, make_person, officer, make_user):
    mine = make_person()
    colleague = make_user("om.two", "offender_manager")
    theirs = make_person(manager=colleague, family_name="Colleague")
    client.force_login(officer)
    client.get(reverse("people"))  # my caseload: only ``mine``
    listing = AuditEntry.objects.order_by("-id").first()
    assert listing.listed_ids() == [mine.pk]
    client.force_login(auditor)
    rows = client.get(reverse("audit-person"), {"reference": theirs.reference}).context["rows"]
    assert listing.pk not in {r["entry"].pk for r in rows}
