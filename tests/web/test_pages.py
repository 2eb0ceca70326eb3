"""Every page: who may use it and who may not. Refusals look exactly like "not found"."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry


@pytest.fixture
def people(make_person: Any, make_user: Any) -> dict[str, Any]:
    other_officer = make_user("om.staffs", "offender_manager", force="staffordshire")
    return {
        "mine": make_person(),
        "elsewhere": make_person(force="staffordshire", manager=other_officer),
    }


def login(client: Any, user: Any) -> None:
    client.force_login(user)


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    for url in [reverse("home"), reverse("people"), reverse("person", args=[people["mine"].pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_sign_in_page_is_open_to_all(client):
    assert client.get(reverse("login")).status_code == 200


def test_an_offender_manager_sees_their_caseload_and_the_person_page(client, officer, people):
    login(client, officer)
    listing = client.get(reverse("people"))
    assert listing.status_code == 200
    assert people["mine"].reference in listing.content.decode()
    page = client.get(reverse("person", args=[people["mine"].pk]))
    assert page.status_code == 200
    assert people["mine"].full_name in page.content.decode()


def test_a_person_in_another_force_looks_the_same_as_one_that_does_not_exist(client, officer,
                                                                             people):
    login(client, officer)
    refused = client.get(reverse("person", args=[people["elsewhere"].pk]))
    missing = client.get(reverse("person", args=[999999]))
    assert refused.status_code == missing.status_code == 404
    assert people["elsewhere"].reference not in client.get(
        reverse("people") + "?all=1").content.decode()


@pytest.mark.parametrize("role", ["analyst", "partner", "auditor", "administrator", None])
def test_roles_without_casework_cannot_open_person_records(client, make_user, people, role):
    user = make_user(f"user.{role}", role)
    login(client, user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("people")).status_code == 404
    assert client.get(reverse("person", args=[people["mine"].pk])).status_code == 404


def test_a_supervisor_sees_everyone_in_their_force(client, make_user, people):
    login(client, make_user("sup.wm", "supervisor"))
    assert client.get(reverse("person", args=[people["mine"].pk])).status_code == 200
    assert client.get(reverse("person", args=[people["elsewhere"].pk])).status_code == 404


def test_every_look_at_a_record_is_logged(client, officer, people):
    login(client, officer)
    before = AuditEntry.objects.count()
    client.get(reverse("person", args=[people["mine"].pk]))
    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == before + 1
    assert (entry.actor, entry.action, entry.person_id) == (officer, "consultation",
                                                            people["mine"].pk)


def test_signing_out_needs_a_post(client, officer):
    login(client, officer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first look may fill caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_person_page_and_timeline_ask_the_database_as_often_however_long_the_ledger(
        client, officer, make_person):
    from whereabouts.register import services

    from ..conftest import TODAY

    short, long = make_person(), make_person()
    for i in range(12):
        services.event_record(person_id=long.pk, kind="visit",
                              effective_date=f"2024-05-{i + 1:02d}", today=TODAY,
                              recorded_by=officer, source="test",
                              details={"outcome": "seen_at_home"})
    client.force_login(officer)
    for name in ("person", "timeline"):
        assert (_queries(client, reverse(name, args=[short.pk]))
                == _queries(client, reverse(name, args=[long.pk]))), name


def test_every_form_refuses_a_post_without_the_csrf_token(officer, make_person):
    from whereabouts.web.testing import VerifiedClient

    person = make_person()
    strict = VerifiedClient(enforce_csrf_checks=True)
    strict.force_login(officer)
    for url in (reverse("person-step", args=[person.pk, "visit"]), reverse("logout"),
                reverse("person-step", args=[person.pk, "notify-initial"])):
        assert strict.post(url, {"outcome": "seen_at_home"}).status_code == 403, url
