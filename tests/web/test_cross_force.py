"""Opening a person of another force: refused as "not found" until a reason is given, then
allowed for the rest of the session and logged with the reason; recording stays with the
person's own force."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.access import permissions, policy
from whereabouts.access.models import AuditEntry, Role

from ..conftest import TODAY

REASON = {"reason": "sighting", "detail": "Seen in Stafford, log 123 of 1 June"}


@pytest.fixture
def theirs(make_person: Any, make_user: Any, settings: Any) -> Any:
    """A person Staffordshire manages."""
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    return make_person(force="staffordshire", manager=make_user("om.staffs", "offender_manager",
                                                                force="staffordshire"),
                       family_name="Farforce")


def page_without_token(response: Any) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def give_reason(client: Any, person_id: int, **fields: str) -> Any:
    return client.post(reverse("access-reason", args=[person_id]), {**REASON, **fields})


def test_every_role_has_a_row_in_the_permissions_table():
    assert set(permissions.ROLE_PERMISSIONS) == set(Role.values)


def test_every_permission_is_held_by_some_role():
    held = set().union(*permissions.ROLE_PERMISSIONS.values())
    assert held == set(permissions.PERMISSIONS)


def test_an_unknown_permission_name_is_an_error_not_a_refusal():
    with pytest.raises(KeyError):
        permissions.allows("supervisor", "person.delete")


def test_the_docs_page_shows_the_permissions_table_as_it_stands():
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "access.md").read_text()
    assert permissions.markdown_table(dict(Role.choices)) in page


def test_a_person_of_another_force_is_not_found_exactly_like_one_who_does_not_exist(
        client, officer, theirs):
    client.force_login(officer)
    refused = client.get(reverse("person", args=[theirs.pk]))
    missing = client.get(reverse("person", args=[999_999]))
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content


def test_with_a_reason_the_person_opens_and_the_reason_is_logged(client, officer, theirs):
    client.force_login(officer)
    response = give_reason(client, theirs.pk)
    assert response.status_code == 302 and response.url == reverse("person", args=[theirs.pk])
    given = AuditEntry.objects.filter(person_id=theirs.pk).latest("id")
    assert given.actor == officer and "gave a reason" in given.what
    assert given.reason == "Sighting or lead: Seen in Stafford, log 123 of 1 June"
    page = client.get(reverse("person", args=[theirs.pk]))
    assert page.status_code == 200 and "FARFORCE" in page.content.decode().upper()
    look = AuditEntry.objects.latest("id")
    assert look.what == "viewed the person's record" and look.reason == given.reason


def test_the_reason_is_asked_once_per_person_per_session(client, officer, theirs, make_person):
    other = make_person(force="staffordshire", manager=None)
    client.force_login(officer)
    give_reason(client, theirs.pk)
    for _ in range(2):
        assert client.get(reverse("person", args=[theirs.pk])).status_code == 200
        assert client.get(reverse("timeline", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("person", args=[other.pk])).status_code == 404  # each person
    client.logout()
    client.force_login(officer)
    assert client.get(reverse("person", args=[theirs.pk])).status_code == 404  # each session


def test_the_reason_form_looks_the_same_for_anyone_and_no_one(client, officer, theirs):
    client.force_login(officer)
    for_them = client.get(reverse("access-reason", args=[theirs.pk]))
    for_none = client.get(reverse("access-reason", args=[999_999]))
    assert for_them.status_code == for_none.status_code == 200
    assert page_without_token(for_them) == page_without_token(for_none)
    assert give_reason(client, 999_999).url == reverse("person", args=[999_999])
    assert client.get(reverse("person", args=[999_999])).status_code == 404


@pytest.mark.parametrize(("fields", "message"), [
    ({"reason": ""}, "Select why you need to open this record"),
    ({"detail": "   "}, "Enter the details of why you need to open this record"),
    ({"reason": "curiosity"}, "Select a valid choice"),
])
def test_a_reason_needs_a_choice_from_the_list_and_details(client, officer, theirs, fields,
                                                           message):
    client.force_login(officer)
    response = give_reason(client, theirs.pk, **fields)
    assert response.status_code == 200 and message in response.content.decode()
    assert not AuditEntry.objects.filter(what__startswith="gave a reason").exists()
    assert client.get(reverse("person", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("role", ["analyst", "foi_officer", "partner", "auditor",
                                  "administrator"])
def test_roles_that_open_no_records_cannot_give_a_reason(client, make_user, theirs, role):
    client.force_login(make_user("someone", role))
    assert client.get(reverse("access-reason", args=[theirs.pk])).status_code == 404
    assert give_reason(client, theirs.pk).status_code == 404
    assert client.get(reverse("person", args=[theirs.pk])).status_code == 404


def test_a_reason_lets_one_look_but_not_record(client, make_user, theirs):
    supervisor = make_user("sup.wm", "supervisor")
    client.force_login(supervisor)
    give_reason(client, theirs.pk)
    page = client.get(reverse("person", args=[theirs.pk])).content.decode()
    assert 'id="steps"' not in page and 'id="record-steps"' not in page
    for step in ("visit", "missing", "notify-change"):
        assert client.get(reverse("person-step", args=[theirs.pk, step])).status_code == 404
    event = theirs.events.first()
    for name in ("correct-entry", "withdraw-entry"):
        assert client.get(reverse(name, args=[theirs.pk, event.pk])).status_code == 404


def test_the_caseload_and_missing_board_stay_with_the_users_own_force(client, make_user,
                                                                       theirs):
    supervisor = make_user("sup.wm", "supervisor")
    client.force_login(supervisor)
    give_reason(client, theirs.pk)
    listed = client.get(reverse("people") + "?all=1").content.decode().upper()
    assert "FARFORCE" not in listed
    assert not policy.visible_people(supervisor).filter(pk=theirs.pk).exists()


def test_a_caseworker_finds_another_forces_person_only_when_searching_every_force(
        client, officer, theirs):
    client.force_login(officer)
    own = client.get(reverse("search"), {"name": "Farforce"}).content.decode()
    assert theirs.reference not in own
    every = client.get(reverse("search"), {"name": "Farforce", "every_force": "on"})
    html = every.content.decode()
    assert theirs.reference in html and reverse("access-reason", args=[theirs.pk]) in html
    assert AuditEntry.objects.latest("id").what.endswith("page 1")
    assert "in every force" in AuditEntry.objects.latest("id").what


def test_a_national_caseworker_searches_every_force_and_gives_a_reason_to_open(
        client, make_user, theirs):
    national = make_user("nat.one", "national_caseworker", force=None)
    client.force_login(national)
    html = client.get(reverse("search"), {"name": "Farforce"}).content.decode()
    assert theirs.reference in html and reverse("access-reason", args=[theirs.pk]) in html
    assert 'name="every_force"' not in html  # they always search every force
    assert client.get(reverse("person", args=[theirs.pk])).status_code == 404
    give_reason(client, theirs.pk, reason="transfer", detail="Moving to Kent next month")
    assert client.get(reverse("person", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("person-step", args=[theirs.pk, "visit"])).status_code == 404
    for name in ("people", "missing-board"):
        assert client.get(reverse(name)).status_code == 404


def test_a_person_without_an_offender_manager_opens_with_a_reason(client, officer, make_person):
    nobodys = make_person(force="staffordshire", manager=None)
    client.force_login(officer)
    give_reason(client, nobodys.pk)
    page = client.get(reverse("person", args=[nobodys.pk]))
    assert page.status_code == 200 and "no offender manager" in page.content.decode()
