"""Signing in through the real pages: the password, the code, the lockout and the session.

These tests never use ``force_login``: every session here is made by the sign-in forms.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from whereabouts.access import signin
from whereabouts.access.models import AuditEntry, SignInStage
from whereabouts.web.testing import VerifiedClient, code_now

PASSWORD = "correct-horse-9"
LOCKED = "There have been too many attempts to sign in with this username"


def wrong_code() -> str:
    """A 6-digit code that no step near now accepts."""
    near = {code_now(steps_ahead=s) for s in range(-3, 4)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


def password_step(client: Client, username: str = "om.one", password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def code_step(client: Client, code: str) -> Any:
    return client.post(reverse("second-factor"), {"code": code})


def text(response: Any) -> str:
    return response.content.decode()


def test_a_right_password_and_then_a_right_code_sign_in(client, officer):
    response = password_step(client)
    assert response.status_code == 302 and response.url.startswith(reverse("second-factor"))
    page = client.get(response.url)
    assert "Enter the code from your authenticator app" in text(page)
    response = code_step(client, code_now())
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_the_page_asked_for_is_reached_after_both_steps(client, officer):
    asked = reverse("people") + "?all=1"
    sent = client.get(asked)
    assert sent.status_code == 302 and sent.url.startswith(reverse("login"))
    response = client.post(sent.url, {"username": "om.one", "password": PASSWORD,
                                      "next": asked})
    response = client.post(response.url, {"code": code_now(), "next": asked})
    assert response.url == asked


def test_a_next_address_on_another_site_is_not_followed(client, officer):
    password_step(client)
    response = client.post(reverse("second-factor"), {"code": code_now(),
                                                      "next": "https://elsewhere.example/"})
    assert response.url == reverse("home")


def test_a_password_alone_reaches_nothing_but_the_code_step(client, officer):
    password_step(client)
    for url in (reverse("home"), reverse("people"), reverse("users")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("second-factor"))


def test_a_wrong_code_is_refused(client, officer):
    password_step(client)
    response = code_step(client, wrong_code())
    assert response.status_code == 200
    assert "The code is not right" in text(response)
    assert client.get(reverse("home")).status_code == 302


def test_a_code_that_is_not_six_digits_gets_a_clear_message(client, officer):
    password_step(client)
    assert "The code must be 6 digits" in text(code_step(client, "12a45"))
    assert "Enter the 6-digit code" in text(code_step(client, ""))


def test_a_code_already_used_is_refused_the_second_time(client, officer):
    code = code_now()
    password_step(client)
    assert code_step(client, code).status_code == 302
    client.post(reverse("logout"))
    password_step(client)
    response = code_step(client, code)
    assert response.status_code == 200
    assert "has already been used" in text(response)


def test_a_wrong_password_and_a_username_nobody_has_get_the_same_answer(client, officer):
    wrong = password_step(client, password="not-the-password")
    nobody = password_step(client, username="nobody.here", password="not-the-password")
    assert wrong.status_code == nobody.status_code == 200
    assert "Your username or password is wrong" in text(wrong)

    def message(response: Any) -> str:
        return re.search(r'govuk-error-summary__list">(.*?)</ul>', text(response), re.S)[1]

    assert message(wrong) == message(nobody)


def test_a_user_without_an_app_sets_one_up_at_their_first_sign_in(client, make_user):
    user = make_user("new.starter", "offender_manager", device=False)
    response = password_step(client, "new.starter")
    response = client.get(response.url)
    assert response.status_code == 302 and response.url.startswith(reverse("enrol"))
    page = client.get(response.url)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    html = text(page)
    assert signin.secret_text(device) in html
    assert 'src="data:image/svg+xml' in html
    assert "otpauth://totp/whereabouts%3Anew.starter?secret=" in html
    assert code_step(client, code_now()).url.startswith(reverse("enrol"))  # no app yet
    refused = client.post(reverse("enrol"), {"code": wrong_code()})
    assert "The code is not right" in text(refused)
    done = client.post(reverse("enrol"), {"code": code_now(device.key)})
    assert done.status_code == 302 and done.url == reverse("home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(what__contains="set up a sign-in code device").exists()


def test_a_user_with_an_app_cannot_set_up_another_without_an_administrator(client, officer):
    password_step(client)
    response = client.get(reverse("enrol"))
    assert response.url.startswith(reverse("second-factor"))
    assert TOTPDevice.objects.filter(user=officer).count() == 1


# -- lockout -------------------------------------------------------------------------------
def test_five_wrong_passwords_lock_the_username_even_against_the_right_one(client, officer):
    for attempt in range(4):
        assert LOCKED not in text(password_step(client, password=f"wrong-{attempt}"))
    assert LOCKED in text(password_step(client, password="wrong-5"))
    locked = password_step(client)
    assert LOCKED in text(locked) and locked.status_code == 200
    assert client.get(reverse("home")).url.startswith(reverse("login"))
    refusals = AuditEntry.objects.filter(action="refusal")
    assert refusals.filter(what__startswith="sign-in refused: wrong password").count() == 5
    assert refusals.filter(what__startswith="sign-in locked for 'om.one'").count() == 1
    assert refusals.filter(what="sign-in refused: 'om.one' is locked").count() == 1


def test_a_username_nobody_has_locks_with_the_same_message(client, officer):
    for attempt in range(5):
        password_step(client, username="nobody.here", password=f"wrong-{attempt}")
    nobody = password_step(client, username="nobody.here")
    for attempt in range(5):
        password_step(client, password=f"wrong-{attempt}")
    real = password_step(client)
    assert LOCKED in text(nobody) and LOCKED in text(real)
    assert text(nobody).count(LOCKED) == text(real).count(LOCKED) == 1


def test_wrong_codes_count_towards_the_lockout_and_end_the_session(client, officer):
    for _ in range(2):
        password_step(client, password="not-it")
    password_step(client)
    for _ in range(2):
        assert code_step(client, wrong_code()).status_code == 200
    locked = code_step(client, wrong_code())
    assert LOCKED in text(locked)
    assert client.get(reverse("home")).url.startswith(reverse("login"))
    assert LOCKED in text(password_step(client))
    assert AuditEntry.objects.filter(what__startswith="sign-in refused: wrong code").count() == 3


def test_a_lockout_ends_after_its_period(client, officer, settings):
    now = timezone.now()
    earlier = now - settings.WHEREABOUTS_LOCKOUT - dt.timedelta(minutes=1)
    for _ in range(5):
        signin.record_failure("om.one", SignInStage.PASSWORD, now=earlier)
    assert signin.locked_until("om.one", now=earlier) is not None
    assert signin.locked_until("om.one", now=now) is None
    response = password_step(client)
    assert response.status_code == 302
    assert code_step(client, code_now()).url == reverse("home")


def test_a_lockout_still_holds_just_before_its_end(client, officer, settings):
    earlier = timezone.now() - settings.WHEREABOUTS_LOCKOUT + dt.timedelta(minutes=1)
    for _ in range(5):
        signin.record_failure("om.one", SignInStage.PASSWORD, now=earlier)
    assert LOCKED in text(password_step(client))


def test_failures_older_than_the_window_do_not_count(db, settings):
    now = timezone.now()
    old = now - settings.WHEREABOUTS_SIGNIN_WINDOW - dt.timedelta(seconds=1)
    for _ in range(4):
        signin.record_failure("om.one", SignInStage.PASSWORD, now=old)
    assert not signin.record_failure("om.one", SignInStage.PASSWORD, now=now)
    assert signin.locked_until("om.one", now=now) is None


def test_after_a_lockout_the_count_starts_again(db, settings):
    start = timezone.now() - dt.timedelta(hours=1)
    for _ in range(5):
        signin.record_failure("om.one", SignInStage.PASSWORD, now=start)
    after = start + settings.WHEREABOUTS_LOCKOUT + dt.timedelta(seconds=1)
    assert not signin.record_failure("om.one", SignInStage.PASSWORD, now=after)
    assert signin.locked_until("om.one", now=after) is None


def test_the_limits_are_settings(db, settings):
    settings.WHEREABOUTS_SIGNIN_FAILURES = 2
    settings.WHEREABOUTS_LOCKOUT = dt.timedelta(minutes=1)
    now = timezone.now()
    assert not signin.record_failure("om.one", SignInStage.PASSWORD, now=now)
    assert signin.record_failure("om.one", SignInStage.PASSWORD, now=now)
    assert signin.locked_until("om.one", now=now) == now + dt.timedelta(minutes=1)


def test_signing_in_starts_the_count_again(client, officer):
    for attempt in range(4):
        password_step(client, password=f"wrong-{attempt}")
    password_step(client)
    code_step(client, code_now())
    client.post(reverse("logout"))
    assert LOCKED not in text(password_step(client, password="wrong-again"))


# -- sessions ------------------------------------------------------------------------------
def _age_session(client: Client, **seconds_ago: int) -> None:
    session = client.session
    now = int(timezone.now().timestamp())
    for key, ago in seconds_ago.items():
        session[{"last_seen": signin.LAST_SEEN, "signed_in": signin.SIGNED_IN_AT}[key]] = now - ago
    session.save()


def test_a_session_unused_for_the_idle_limit_ends(client, officer, settings):
    client.force_login(officer)
    _age_session(client, last_seen=int(settings.WHEREABOUTS_SESSION_IDLE.total_seconds()) + 1)
    response = client.get(reverse("people"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?ended=idle")
    assert "was not used for 30 minutes" in text(client.get(response.url))
    assert client.get(reverse("people")).url.startswith(reverse("login"))


def test_using_the_site_slides_the_idle_limit(client, officer, settings):
    client.force_login(officer)
    idle = int(settings.WHEREABOUTS_SESSION_IDLE.total_seconds())
    _age_session(client, last_seen=idle - 60)
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, signed_in=idle * 2)  # last seen just now, by the request above
    assert client.get(reverse("home")).status_code == 200


def test_a_busy_session_still_ends_after_its_longest_life(client, officer, settings):
    client.force_login(officer)
    _age_session(client, signed_in=settings.SESSION_COOKIE_AGE + 1, last_seen=5)
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("login") + "?ended=too-long")
    assert "a session lasts at most 8 hours" in text(client.get(response.url))


def test_a_session_not_made_by_signing_in_is_refused(officer):
    plain = Client()
    plain.force_login(officer)  # Django's own: no stamps, no second factor
    assert plain.get(reverse("home")).url.startswith(reverse("login"))


def test_sign_out_everywhere_ends_the_users_other_sessions(officer, make_user):
    phone, desk, colleague = VerifiedClient(), VerifiedClient(), VerifiedClient()
    phone.force_login(officer)
    desk.force_login(officer)
    colleague.force_login(make_user("om.two", "offender_manager"))
    assert phone.get(reverse("home")).status_code == desk.get(reverse("home")).status_code == 200
    response = phone.post(reverse("sign-out-everywhere"))
    assert response.url == reverse("login") + "?ended=elsewhere"
    assert phone.get(reverse("home")).url.startswith(reverse("login"))
    ended = desk.get(reverse("home"))
    assert ended.url.startswith(reverse("login") + "?ended=elsewhere")
    assert "signed out on every device" in text(desk.get(ended.url))
    assert colleague.get(reverse("home")).status_code == 200
    desk.force_login(officer)  # signing in again works
    assert desk.get(reverse("home")).status_code == 200


def test_sign_out_everywhere_is_a_button_in_the_header(client, officer):
    client.force_login(officer)
    html = text(client.get(reverse("home")))
    assert f'action="{reverse("sign-out-everywhere")}"' in html
    assert client.get(reverse("sign-out-everywhere")).status_code == 405


# -- every page is behind both steps -------------------------------------------------------
#: The views that are open before the second factor; anything else must not be.
OPEN_BEFORE_THE_CODE = {"login", "second-factor", "enrol", "logout"}
OPEN_TO_ANYONE = {"login"}
SAMPLE_ARGUMENT = {"int": 1, "slug": "visit", "str": "x", "path": "x"}


def _named_patterns(patterns: list[Any]) -> list[URLPattern]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            continue  # the API signs nobody in: a token per call (tests/api, the URL matrix)
        if isinstance(pattern, URLResolver):
            found += _named_patterns(pattern.url_patterns)
        elif pattern.name:
            found.append(pattern)
    return found


def every_url() -> dict[str, str]:
    """Every named URL of the site, with sample arguments."""
    urls = {}
    for pattern in _named_patterns(get_resolver().url_patterns):
        kwargs = {name: SAMPLE_ARGUMENT[type(conv).__name__.removesuffix("Converter").lower()]
                  for name, conv in pattern.pattern.converters.items()}
        urls[pattern.name] = reverse(pattern.name, kwargs=kwargs)
    return urls


def test_the_walk_sees_the_sites_pages():
    names = set(every_url())
    assert {"home", "people", "person", "missing-board", "users", "user-new"} <= names
    assert OPEN_BEFORE_THE_CODE <= names


def test_a_session_with_only_a_password_reaches_no_page_but_the_sign_in_steps(client, officer):
    password_step(client)
    for name, url in every_url().items():
        if name in OPEN_BEFORE_THE_CODE:
            continue
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, method)
            assert response.url.startswith(reverse("second-factor")), (name, method)


def test_a_visitor_not_signed_in_reaches_no_page_but_sign_in(client):
    for name, url in every_url().items():
        if name in OPEN_TO_ANYONE:
            continue
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login")), name


# -- passwords -----------------------------------------------------------------------------
def test_argon2_is_the_first_password_hasher():
    from whereabouts import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith(".Argon2PasswordHasher")


def test_new_passwords_are_hashed_with_argon2id(settings):
    from whereabouts import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password("correct-horse-9").startswith("argon2$argon2id$")
