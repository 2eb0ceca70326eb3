"""The missing board: who may see it, what it shows, and that every look is logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry
from whereabouts.missing import services

from ..conftest import TODAY


@pytest.fixture
def board(make_person: Any, make_user: Any, settings: Any) -> dict[str, Any]:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    supervisor = make_user("sup.wm", "supervisor")
    staffs_supervisor = make_user("sup.staffs", "supervisor", force="staffordshire")
    recent, long_gone, elsewhere = (make_person(), make_person(),
                                    make_person(force="staffordshire", manager=None))
    services.record_missing(person_id=recent.pk, recorded_on="2024-05-01",
                            missing_since="2024-04-20", basis="No trace", risk="medium",
                            actor=supervisor, today=TODAY, believed_abroad=True,
                            country="Romania", abroad_basis="Travel notified, no return")
    services.record_missing(person_id=long_gone.pk, recorded_on="2015-03-01",
                            missing_since="2015-02-01", basis="No trace", risk="very_high",
                            actor=supervisor, today=TODAY)
    services.record_missing(person_id=elsewhere.pk, recorded_on="2020-01-01",
                            missing_since="2019-12-01", basis="No trace", risk="low",
                            actor=staffs_supervisor, today=TODAY)
    return {"supervisor": supervisor, "recent": recent, "long_gone": long_gone,
            "elsewhere": elsewhere}


def test_the_board_lists_the_forces_open_episodes_longest_missing_first(client, board):
    client.force_login(board["supervisor"])
    page = client.get(reverse("missing-board"))
    assert page.status_code == 200
    rows = [r.person for r in page.context["rows"]]
    assert rows == [board["long_gone"], board["recent"]]
    html = page.content.decode()
    assert "Romania" in html and "Very high" in html
    assert board["elsewhere"].reference not in html


def test_the_board_can_show_only_those_believed_abroad(client, board):
    client.force_login(board["supervisor"])
    rows = client.get(reverse("missing-board") + "?abroad=1").context["rows"]
    assert [r.person for r in rows] == [board["recent"]]


def test_an_offender_manager_of_the_force_may_see_the_board(client, board, officer):
    client.force_login(officer)
    assert client.get(reverse("missing-board")).status_code == 200


@pytest.mark.parametrize("role", ["analyst", "partner", "auditor", "administrator", None])
def test_other_roles_may_not_see_the_board(client, board, make_user, role):
    client.force_login(make_user(f"user.{role}", role))
    assert client.get(reverse("missing-board")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_from_the_board(client):
    response = client.get(reverse("missing-board"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_every_look_at_the_board_is_logged(client, board):
    client.force_login(board["supervisor"])
    before = AuditEntry.objects.count()
    client.get(reverse("missing-board"))
    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "consultation" and "missing board (2 of 2 open" in entry.what


def test_the_person_page_shows_their_episode(client, board):
    client.force_login(board["supervisor"])
    html = client.get(reverse("person", args=[board["long_gone"].pk])).content.decode()
    assert "Missing episodes" in html and "Still missing" in html


def test_a_senior_officer_of_the_force_may_see_the_board_with_its_flags(client, board,
                                                                        make_user):
    client.force_login(make_user("insp.wm", "senior_officer"))
    page = client.get(reverse("missing-board"))
    assert page.status_code == 200
    assert "Review overdue" in page.content.decode()  # the 2015 case was never reviewed
