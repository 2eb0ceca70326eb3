"""Injection attempts in text inputs are harmless: SQL finds nothing it should not, HTML and
script come back escaped, a header cannot be added, and nothing answers 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from whereabouts.register.models import Event

from ..conftest import TODAY

PAYLOADS = ("' OR 1=1 --", "x'); DROP TABLE register_person; --", "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>', "Smith\r\nSet-Cookie: x=1")
RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def harmless(response: Any) -> str:
    assert response.status_code < 500
    assert "x=1" not in response.cookies and "Set-Cookie: x=1" not in str(response.headers)
    html = response.content.decode()
    for raw in RAW:
        assert raw not in html
    return html


@pytest.fixture
def ready(make_person: Any, make_user: Any, settings: Any) -> dict[str, Any]:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    return {"mine": make_person(family_name="Quennell"),
            "theirs": make_person(force="staffordshire", manager=None, family_name="Elsewhere")}


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", ["name", "identifier", "postcode"])
def test_a_search_with_an_injection_finds_no_one_and_echoes_it_escaped(client, officer, ready,
                                                                        payload, field):
    client.force_login(officer)
    for every in ("", "on"):
        html = harmless(client.get(reverse("search"), {field: payload, "every_force": every}))
        assert ready["mine"].reference not in html and ready["theirs"].reference not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_visit_note_with_an_injection_is_kept_as_typed_and_shown_escaped(client, officer,
                                                                          ready, payload):
    client.force_login(officer)
    person = ready["mine"]
    response = client.post(reverse("person-step", args=[person.pk, "visit"]), {
        "visited_on_day": "1", "visited_on_month": "6", "visited_on_year": "2024",
        "outcome": "seen_at_home", "visit_kind": "unannounced", "note": payload})
    assert response.status_code == 302
    assert Event.objects.filter(person=person, kind="visit").latest("id").details["note"] \
        in (payload, payload.replace("\r\n", "\n"))
    harmless(client.get(reverse("timeline", args=[person.pk])))
    harmless(client.get(reverse("person", args=[person.pk])))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_reason_with_an_injection_is_logged_as_typed_and_harmless(client, officer, ready,
                                                                    payload):
    client.force_login(officer)
    response = client.post(reverse("access-reason", args=[ready["theirs"].pk]),
                           {"reason": "other", "detail": payload})
    assert response.status_code == 302
    assert "x=1" not in response.cookies
    harmless(client.get(response.url))


def test_an_injection_in_a_url_is_not_found(client, officer, ready):
    client.force_login(officer)
    for path in ("/people/1%27%20OR%201=1--/", "/people/%3Cscript%3E/",
                 "/people/1/do/%3Cscript%3Ealert(1)%3C%2Fscript%3E/"):
        assert harmless(client.get(path)) is not None
        assert client.get(path).status_code == 404
