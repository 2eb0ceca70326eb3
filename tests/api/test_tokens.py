"""API tokens: made by an administrator, shown once, kept as a hash, bounded by the role."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone

from whereabouts.access.models import AuditAction, AuditEntry, Lockout, StaffProfile
from whereabouts.api import tokens
from whereabouts.api.models import ApiToken
from whereabouts.cli.main import main


def test_a_token_is_kept_only_as_the_sha256_of_its_secret(officer):
    token, secret = tokens.create_token(username="om.one", scopes=["people:read"], days=30)
    assert secret.startswith("wat_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str([getattr(stored, f.attname) for f in ApiToken._meta.fields])
    assert stored.prefix == secret[:12]


def test_making_a_token_is_logged_with_its_scopes_and_expiry(officer, make_user):
    admin = make_user("admin.one", "administrator")
    tokens.create_token(username="om.one", scopes=["people:read", "tasks:read"], days=7,
                        by=admin)
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.actor == admin and entry.action == AuditAction.COLLECTION
    assert "API token" in entry.what and "people:read, tasks:read" in entry.what


@pytest.mark.parametrize(("role", "scope"), [
    ("analyst", "people:read"), ("analyst", "events:write"), ("national_caseworker",
                                                              "events:write"),
    ("partner", "people:search"), ("auditor", "figures:read"), ("administrator",
                                                                 "people:read"),
])
def test_a_token_cannot_be_given_a_scope_its_users_role_does_not_allow(make_user, role, scope):
    make_user("someone", role, force=None if role != "partner" else "west-midlands")
    with pytest.raises(tokens.TokenError, match="does not allow"):
        tokens.create_token(username="someone", scopes=[scope], days=30)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("scopes", "days", "message"), [
    ([], 30, "at least one scope"), (["people:everything"], 30, "no such scope"),
    (["people:read"], 0, "1 to 366"), (["people:read"], 367, "1 to 366"),
])
def test_a_token_needs_known_scopes_and_a_sensible_life(officer, scopes, days, message):
    with pytest.raises(tokens.TokenError, match=message):
        tokens.create_token(username="om.one", scopes=scopes, days=days)


def test_a_disabled_user_gets_no_new_token(officer):
    officer.is_active = False
    officer.save()
    with pytest.raises(tokens.TokenError, match="no active user"):
        tokens.create_token(username="om.one", scopes=["people:read"], days=30)


def test_a_live_token_is_accepted(officer, api, make_person):
    person = make_person()
    assert api(officer).get(f"/people/{person.pk}").status_code == 200


def _refused(answer):
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert json.loads(answer.content)["status"] == 401


def test_an_expired_token_is_refused_and_the_refusal_logged(officer, api, make_person):
    person = make_person()
    caller = api(officer)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _refused(caller.get(f"/people/{person.pk}"))
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == AuditAction.REFUSAL and entry.actor == officer
    assert "expired" in entry.what


def test_a_revoked_token_is_refused_at_once(officer, api, make_person, make_user):
    person = make_person()
    caller = api(officer)
    token = ApiToken.objects.get()
    tokens.revoke_token(token_id=token.pk, by=make_user("admin.one", "administrator"))
    _refused(caller.get(f"/people/{person.pk}"))
    assert "revoked" in AuditEntry.objects.order_by("-id").first().what


def test_a_disabled_users_tokens_stop_working(officer, api, make_person):
    person = make_person()
    caller = api(officer)
    officer.is_active = False
    officer.save()
    _refused(caller.get(f"/people/{person.pk}"))


def test_a_locked_out_users_tokens_stop_working_while_the_lockout_lasts(officer, api,
                                                                       make_person):
    person = make_person()
    caller = api(officer)
    now = timezone.now()
    Lockout.objects.create(username="om.one", at=now, until=now + dt.timedelta(minutes=15))
    _refused(caller.get(f"/people/{person.pk}"))
    Lockout.objects.update(until=now - dt.timedelta(seconds=1))
    assert caller.get(f"/people/{person.pk}").status_code == 200


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer wat_nothing-like-ours", "Basic abc",
                                    "Bearer not-even-our-prefix"])
def test_a_call_without_a_token_we_issued_is_refused(client, header, make_person):
    person = make_person()
    answer = client.get(f"/api/v1/people/{person.pk}",
                        headers={"Authorization": header} if header else {})
    _refused(answer)


def test_a_token_without_the_scope_is_refused_with_403(officer, api, make_person):
    person = make_person()
    answer = api(officer, ["tasks:read"]).get(f"/people/{person.pk}")
    assert answer.status_code == 403
    assert "people:read" in answer.body["detail"]


def test_a_token_does_no_more_than_its_user_when_the_role_changes(officer, api, make_person):
    person = make_person()
    caller = api(officer)  # every scope an offender manager may hold
    StaffProfile.objects.filter(user=officer).update(role="analyst")
    assert caller.get(f"/people/{person.pk}").status_code == 403
    assert caller.get("/figures", as_at="2024-06-01").status_code == 200


def test_a_token_holding_scopes_beyond_the_role_gets_only_what_the_role_allows(make_user,
                                                                              make_person):
    """Even a token written straight into the table with every scope: the role decides."""
    from django.test import Client

    from whereabouts.api.scopes import SCOPES

    analyst = make_user("an.one", "analyst", force=None)
    person = make_person()
    secret = tokens.PREFIX + "planted-with-every-scope"
    ApiToken.objects.create(user=analyst, prefix=secret[:12], digest=tokens.digest(secret),
                            scopes=list(SCOPES), created_at=timezone.now(),
                            expires_at=timezone.now() + dt.timedelta(days=1))
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 403
    assert client.get("/api/v1/people", {"name": "Testperson"}).status_code == 403
    assert client.get("/api/v1/figures").status_code == 200


def test_the_command_makes_a_token_shown_once_and_lists_and_revokes_it(officer, make_user,
                                                                       capsys):
    make_user("admin.one", "administrator")
    assert main(["api-token", "create", "--user", "om.one", "--scopes",
                 "people:search,people:read", "--days", "30", "--by", "admin.one",
                 "--name", "nightly script"]) == 0
    out = capsys.readouterr().out
    secret = next(w for w in out.split() if w.startswith("wat_"))
    token = ApiToken.objects.get()
    assert token.digest == tokens.digest(secret) and token.scopes == ["people:search",
                                                                      "people:read"]
    assert main(["api-token", "list"]) == 0
    listed = capsys.readouterr().out
    assert token.prefix in listed and secret not in listed
    assert main(["api-token", "revoke", "--id", str(token.pk), "--by", "admin.one"]) == 0
    assert ApiToken.objects.get().revoked_at is not None


def test_the_command_refuses_a_scope_beyond_the_role(make_user, capsys):
    make_user("an.one", "analyst", force=None)
    assert main(["api-token", "create", "--user", "an.one", "--scopes", "people:read"]) == 1
    assert "does not allow" in capsys.readouterr().err
    assert not ApiToken.objects.exists()


def test_the_scopes_table_in_docs_api_md_is_the_one_in_the_code():
    from pathlib import Path

    from whereabouts.api.scopes import markdown_table

    page = (Path(__file__).parents[2] / "docs" / "api.md").read_text()
    assert markdown_table() in page


def test_a_signed_in_session_is_not_a_token(client, officer, make_person):
    """The API reads no session: a browser signed in to the pages (both factors, or the
    password only) gets 401 like anyone without a token, so a forged cross-site request has
    nothing to ride on."""
    from whereabouts.web.testing import VerifiedClient

    person = make_person()
    signed_in = VerifiedClient()
    signed_in.force_login(officer)
    assert signed_in.get("/people/").status_code == 200
    _refused(signed_in.get(f"/api/v1/people/{person.pk}"))
    client.post("/login/", {"username": "om.one", "password": "correct-horse-9"})
    _refused(client.get(f"/api/v1/people/{person.pk}"))
    _refused(client.post(f"/api/v1/people/{person.pk}/events", data="{}",
                         content_type="application/json"))
