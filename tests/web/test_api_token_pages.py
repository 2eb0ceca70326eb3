"""The administrators' page for a user's API tokens: list, create (the secret shown once),
revoke. Built on ``api.tokens``, as the ``whereabouts api-token`` command is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry
from whereabouts.api import tokens
from whereabouts.api.models import ApiToken


@pytest.fixture
def admin(make_user):
    return make_user("admin.one", "administrator", force=None)


def test_an_administrator_creates_a_token_seen_once_which_then_works(client, admin, officer):
    client.force_login(admin)
    page = client.get(reverse("user-api-tokens", args=[officer.pk]))
    assert page.status_code == 200
    assert "No tokens." in page.content.decode()
    offered = [key for key, _ in page.context["form"].fields["scopes"].choices]
    assert "people:read" in offered and "shared:read" not in offered  # as the role allows
    answer = client.post(reverse("user-api-tokens", args=[officer.pk]),
                         {"name": "case app", "scopes": ["people:read"], "days": "30"})
    assert answer.status_code == 200
    secret = answer.context["secret"]
    assert secret.startswith(tokens.PREFIX) and secret in answer.content.decode()
    assert answer["Cache-Control"].startswith("max-age=0")  # never kept by a browser cache
    token = tokens.token_for(secret)
    assert token is not None and token.user == officer and token.scopes == ["people:read"]
    assert token.created_by == admin
    listing = client.get(reverse("user-api-tokens", args=[officer.pk])).content.decode()
    assert token.prefix in listing and secret not in listing and "case app" in listing
    assert AuditEntry.objects.filter(actor_name="admin.one",
                                     what__startswith="created API token").exists()


def test_revoking_a_token_stops_it_at_once(client, admin, officer):
    token, secret = tokens.create_token(username=officer.username, scopes=["people:read"],
                                        days=30, by=admin)
    client.force_login(admin)
    answer = client.post(reverse("user-api-token-revoke", args=[officer.pk]),
                         {"token": token.pk})
    assert answer.status_code == 302
    assert tokens.token_for(secret) is None
    token.refresh_from_db()
    assert token.revoked_by == admin
    page = client.get(reverse("user-api-tokens", args=[officer.pk])).content.decode()
    assert "Revoked" in page and "revoked: it stops working at once" in page


def test_a_scope_the_role_does_not_allow_or_a_bad_length_is_refused_naming_the_field(
        client, admin, officer):
    client.force_login(admin)
    url = reverse("user-api-tokens", args=[officer.pk])
    for data, field in (({"scopes": ["shared:read"], "days": "30"}, "scopes"),
                        ({"scopes": ["people:read"], "days": "400"}, "days"),
                        ({"days": "30"}, "scopes")):
        answer = client.post(url, data)
        assert answer.status_code == 200
        assert field in answer.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_force_administrator_sees_only_their_forces_users_tokens(client, make_user,
                                                                   officer):
    other_force = make_user("om.staffs", "offender_manager", force="staffordshire")
    token, _ = tokens.create_token(username=other_force.username, scopes=["people:read"],
                                   days=30)
    client.force_login(make_user("admin.wm", "administrator", force="west-midlands"))
    assert client.get(reverse("user-api-tokens", args=[officer.pk])).status_code == 200
    assert client.get(reverse("user-api-tokens", args=[other_force.pk])).status_code == 404
    assert client.post(reverse("user-api-token-revoke", args=[other_force.pk]),
                       {"token": token.pk}).status_code == 404
    # A token id of another user, through a user the administrator may manage: not found.
    assert client.post(reverse("user-api-token-revoke", args=[officer.pk]),
                       {"token": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("role", ["offender_manager", "supervisor", "auditor", None])
def test_no_one_but_an_administrator_may_list_create_or_revoke(client, make_user, officer,
                                                               role):
    token, _ = tokens.create_token(username=officer.username, scopes=["people:read"], days=30)
    client.force_login(make_user(f"user.{role}", role))
    assert client.get(reverse("user-api-tokens", args=[officer.pk])).status_code == 404
    assert client.post(reverse("user-api-tokens", args=[officer.pk]),
                       {"scopes": ["people:read"], "days": "30"}).status_code == 404
    assert client.post(reverse("user-api-token-revoke", args=[officer.pk]),
                       {"token": token.pk}).status_code == 404
    assert ApiToken.objects.count() == 1 and ApiToken.objects.get().revoked_at is None
