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


@pytest.mark.parametrize(("query", "expected"), [
    pytest.param("", ["long_gone", "recent"], id="by default the longest missing comes first"),
    pytest.param("?sort=recorded", ["recent", "long_gone"],
                 id="sorted by recorded date the latest comes first"),
    pytest.param("?sort=risk", ["long_gone", "recent"], id="sorted by risk very high comes first"),
    pytest.param("?risk=medium", ["recent"], id="the risk filter keeps only that level"),
    pytest.param("?abroad=1", ["recent"], id="the abroad filter keeps those believed abroad"),
    pytest.param("?owner=om.one", ["long_gone", "recent"],
                 id="the owner filter keeps the owner's cases"),
    pytest.param("?owner=someone.else", [], id="an owner with no cases shows none"),
    pytest.param("?sort=drop+table", ["long_gone", "recent"],
                 id="an unknown sort falls back to the default"),
])
def test_the_board_sorts_and_filters(client, board, query, expected):
    client.force_login(board["supervisor"])
    page = client.get(reverse("missing-board") + query)
    assert page.status_code == 200
    assert [r.person for r in page.context["rows"]] == [board[name] for name in expected]


def test_the_flagged_filter_keeps_cases_needing_attention(client, board):
    services.record_review(person_id=board["recent"].pk, reviewed_on="2024-05-28",
                           level="supervisor", note="Fine", next_action="Keep looking",
                           next_action_by="2024-06-10", actor=board["supervisor"], today=TODAY)
    client.force_login(board["supervisor"])
    rows = client.get(reverse("missing-board") + "?flagged=1").context["rows"]
    assert [r.person for r in rows] == [board["long_gone"]]


def test_a_new_owner_shows_on_the_board(client, board, make_user):
    make_user("om.two", "offender_manager")
    services.assign_owner(person_id=board["recent"].pk, assigned_on="2024-05-02",
                          owner="om.two", note="Caseload balance", actor=board["supervisor"],
                          today=TODAY)
    client.force_login(board["supervisor"])
    rows = client.get(reverse("missing-board") + "?owner=om.two").context["rows"]
    assert [r.person for r in rows] == [board["recent"]]


@pytest.mark.parametrize(("role", "status"), [
    ("offender_manager", 200), ("supervisor", 200), ("senior_officer", 200), ("analyst", 200),
    ("partner", 404), ("auditor", 404), ("administrator", 404),
])
def test_time_to_notice_and_locate_is_for_casework_and_analysts(client, make_user, role, status):
    client.force_login(make_user(f"user.{role}", role))
    assert client.get(reverse("missing-times")).status_code == status


def test_time_to_notice_and_locate_names_no_one_and_is_logged(client, board, make_user):
    client.force_login(make_user("analyst.wm", "analyst"))
    before = AuditEntry.objects.count()
    page = client.get(reverse("missing-times") + "?start_day=1&start_month=1&start_year=2015"
                      "&end_day=1&end_month=6&end_year=2024&by=force")
    html = page.content.decode()
    assert page.status_code == 200 and "West Midlands" in html
    for person in (board["recent"], board["long_gone"], board["elsewhere"]):
        assert person.reference not in html and person.family_name not in html
    notice = {key: n for key, _, n, _located in page.context["rows"]}["west-midlands"]
    assert notice.count == 2
    assert AuditEntry.objects.count() == before + 1


def test_time_to_notice_and_locate_refuses_a_period_that_ends_before_it_starts(client, make_user):
    client.force_login(make_user("analyst.wm", "analyst"))
    page = client.get(reverse("missing-times") + "?start_day=1&start_month=6&start_year=2024"
                      "&end_day=1&end_month=1&end_year=2024&by=force")
    assert page.status_code == 200 and "must not be before the start" in page.content.decode()
    assert page.context["rows"] == []


def test_the_board_page_needs_a_signed_in_user(client):
    response = client.get(reverse("missing-board"))
    assert response.status_code == 302 and "/login/" in response["Location"]
