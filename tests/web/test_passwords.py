"""Passwords: a signed-in user changes their own; an administrator resets a user's, who must
then change it at their next sign-in (and may have to set up their app again)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from whereabouts.access.models import AuditEntry, StaffProfile
from whereabouts.web.testing import code_now

pytestmark = pytest.mark.django_db

OLD = "correct-horse-9"
NEW = "a-longer-pass-phrase-42"


def _change(client: Any, old: str = OLD, new1: str = NEW, new2: str = NEW) -> Any:
    return client.post(reverse("password-change"), {
        "old_password": old, "new_password1": new1, "new_password2": new2})


def _reload(user: Any) -> Any:
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize("role", [None, "offender_manager", "auditor", "administrator",
                                  "partner"])
def test_every_signed_in_user_can_change_their_password(client, make_user, role):
    user = make_user("someone", role)
    client.force_login(user)
    response = _change(client)
    assert response.status_code == 302 and response.url == reverse("home")
    assert _reload(user).check_password(NEW)
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.actor_name, entry.action, entry.what) == (
        "someone", "alteration", "changed their own password")
    assert client.get(reverse("home")).status_code == 200  # this session goes on


def test_a_visitor_not_signed_in_is_sent_to_sign_in(client):
    assert client.get(reverse("password-change")).status_code == 302


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"old": "not-my-password"}, "old_password", "Your old password was entered incorrectly"),
    ({"new2": "something-else-77"}, "new_password2", "didn’t match"),
    ({"new1": "short-1", "new2": "short-1"}, "new_password2", "too short"),
    ({"new1": "password1234", "new2": "password1234"}, "new_password2", "too common"),
    ({"new1": "", "new2": ""}, "new_password1", "required"),
])
def test_a_bad_change_names_the_field_and_changes_nothing(client, officer, fields, field,
                                                          message):
    client.force_login(officer)
    before = AuditEntry.objects.count()
    response = _change(client, **{k: v for k, v in fields.items()})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert _reload(officer).check_password(OLD)
    assert AuditEntry.objects.count() == before


def test_a_new_password_is_hashed_with_argon2(client, officer, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(officer)
    _change(client)
    assert _reload(officer).password.startswith("argon2")


def test_changing_the_password_ends_the_other_sessions(client, officer):
    from whereabouts.web.testing import VerifiedClient

    elsewhere = VerifiedClient()
    elsewhere.force_login(officer)
    client.force_login(officer)
    _change(client)
    assert elsewhere.get(reverse("home")).status_code == 302  # signed out there


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user("admin.wm", "administrator")


def test_an_administrator_resets_a_password_shown_once(client, admin, officer):
    client.force_login(admin)
    assert client.get(reverse("user-reset-password", args=[officer.pk])).status_code == 200
    response = client.post(reverse("user-reset-password", args=[officer.pk]), {})
    assert response.status_code == 200
    password = response.context["password"]
    assert _reload(officer).check_password(password) and not _reload(officer).check_password(OLD)
    assert StaffProfile.objects.get(user=officer).must_change_password
    assert TOTPDevice.objects.filter(user=officer).exists()  # the app stays unless asked
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.actor_name, entry.action) == ("admin.wm", "alteration")
    assert "reset the password of 'om.one'" in entry.what


def test_a_reset_can_also_reset_the_authenticator_app(client, admin, officer):
    client.force_login(admin)
    client.post(reverse("user-reset-password", args=[officer.pk]), {"reset_device": "on"})
    assert not TOTPDevice.objects.filter(user=officer).exists()
    whats = list(AuditEntry.objects.order_by("-id").values_list("what", flat=True)[:2])
    assert any("sign-in code device" in w for w in whats)
    assert any("reset the password" in w for w in whats)


def test_after_a_reset_the_user_must_change_their_password_before_anything_else(
        client, admin, officer):
    from django.test import Client

    client.force_login(admin)
    password = client.post(reverse("user-reset-password", args=[officer.pk]),
                           {}).context["password"]
    user_client = Client()
    user_client.post(reverse("login"), {"username": "om.one", "password": password})
    signed_in = user_client.post(reverse("second-factor"), {"code": code_now()})
    assert signed_in.status_code == 302
    for url in (reverse("home"), reverse("people"), reverse("search")):
        response = user_client.get(url)
        assert (response.status_code, response.url) == (302, reverse("password-change")), url
    page = user_client.get(reverse("password-change"))
    assert "An administrator reset your password" in page.content.decode()
    done = _change(user_client, old=password)
    assert done.url == reverse("home")
    assert user_client.get(reverse("home")).status_code == 200
    assert not StaffProfile.objects.get(user=officer).must_change_password


def test_an_administrator_of_one_force_cannot_reset_a_user_of_another(client, admin,
                                                                      make_user):
    other = make_user("om.st", "offender_manager", force="staffordshire")
    client.force_login(admin)
    assert client.post(reverse("user-reset-password", args=[other.pk]), {}).status_code == 404
    assert _reload(other).check_password(OLD)


def test_an_administrator_cannot_reset_their_own_password_here(client, admin):
    client.force_login(admin)
    assert client.get(reverse("user-reset-password", args=[admin.pk])).status_code == 404


@pytest.mark.parametrize("role", ["offender_manager", "supervisor", "auditor", "partner"])
def test_no_other_role_may_reset_a_password(client, make_user, officer, role):
    client.force_login(make_user(f"u.{role}", role))
    assert client.post(reverse("user-reset-password", args=[officer.pk]), {}).status_code == 404
    assert _reload(officer).check_password(OLD)
