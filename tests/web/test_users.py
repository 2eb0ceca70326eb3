"""Users are made by administrators only; there is no self-registration anywhere."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from whereabouts.access.models import AuditEntry, StaffProfile
from whereabouts.web.testing import VerifiedClient, code_now

NEW = {"username": "j.smith", "first_name": "Jo", "last_name": "Smith",
       "role": "offender_manager", "force": "west-midlands"}


@pytest.fixture
def admin(make_user):
    return make_user("admin.one", "administrator", force=None)


@pytest.mark.parametrize("role", ["offender_manager", "supervisor", "senior_officer",
                                  "analyst", "partner", "auditor", None])
def test_no_one_but_an_administrator_may_see_or_make_users(client, make_user, role):
    client.force_login(make_user(f"user.{role}", role))
    assert client.get(reverse("users")).status_code == 404
    assert client.get(reverse("user-new")).status_code == 404
    assert client.post(reverse("user-new"), NEW).status_code == 404
    assert not get_user_model().objects.filter(username="j.smith").exists()
    assert "Users" not in client.get(reverse("home")).content.decode()


def test_an_administrator_makes_a_user_who_then_signs_in_and_sets_up_an_app(client, admin):
    client.force_login(admin)
    assert client.get(reverse("users")).status_code == 200
    assert client.get(reverse("user-new")).status_code == 200
    response = client.post(reverse("user-new"), NEW)
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    assert response.headers["Cache-Control"].startswith("max-age=0")
    user = get_user_model().objects.get(username="j.smith")
    assert (user.staff.role, user.staff.force_id, user.get_full_name()) == (
        "offender_manager", "west-midlands", "Jo Smith")
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.action) == (admin, "collection")
    assert "created user 'j.smith'" in entry.what
    assert password not in entry.what

    newcomer = Client()
    sent = newcomer.post(reverse("login"), {"username": "j.smith", "password": password})
    assert newcomer.get(sent.url).url.startswith(reverse("enrol"))


def test_a_username_already_taken_is_refused_with_a_message(client, admin, make_user):
    make_user("J.Smith", "analyst")
    client.force_login(admin)
    response = client.post(reverse("user-new"), NEW)
    assert "A user with that username already exists" in response.content.decode()
    assert get_user_model().objects.filter(username__iexact="j.smith").count() == 1


def test_a_new_user_form_with_nothing_filled_in_names_each_problem(client, admin):
    client.force_login(admin)
    html = client.post(reverse("user-new"), {}).content.decode()
    assert "There is a problem" in html and "Username: This field is required" in html


def test_an_administrator_of_one_force_makes_users_of_that_force_only(client, make_user):
    client.force_login(make_user("admin.wm", "administrator", force="west-midlands"))
    refused = client.post(reverse("user-new"), {**NEW, "force": "staffordshire"})
    assert refused.status_code == 200 and "password" not in refused.context
    assert client.post(reverse("user-new"), NEW).context["password"]
    assert StaffProfile.objects.get(user__username="j.smith").force_id == "west-midlands"


def test_an_administrator_resets_a_users_app_and_ends_their_sessions(client, admin, officer):
    elsewhere = VerifiedClient()
    elsewhere.force_login(officer)
    client.force_login(admin)
    response = client.post(reverse("user-reset-device", args=[officer.pk]))
    assert response.url == reverse("users")
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert elsewhere.get(reverse("home")).url.startswith(reverse("login"))
    assert AuditEntry.objects.filter(
        actor=admin, action="alteration",
        what="reset the sign-in code device of 'om.one'").exists()
    fresh = Client()
    sent = fresh.post(reverse("login"), {"username": "om.one", "password": "correct-horse-9"})
    assert fresh.get(sent.url).url.startswith(reverse("enrol"))
    assert fresh.post(reverse("second-factor"), {"code": code_now()}).url.startswith(
        reverse("enrol"))


def test_no_one_else_may_reset_an_app(client, make_user, officer):
    client.force_login(make_user("sup.wm", "supervisor"))
    assert client.post(reverse("user-reset-device", args=[officer.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=officer).exists()


def test_there_is_no_page_to_register_oneself(client):
    for path in ("/register/", "/signup/", "/accounts/signup/", "/users/new/"):
        response = client.get(path)
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert response.url.startswith(reverse("login"))
