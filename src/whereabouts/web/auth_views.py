"""Signing in: the password, then the code from an authenticator app (or setting one up).

The rules (lockout, session stamps) are in ``access.signin``; ``web/middleware.py`` keeps
every other page behind both steps. A username that is locked, whether or not anyone has it,
gets the same message, and a wrong username gets the same message as a wrong password.
"""

from __future__ import annotations

from typing import Literal

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from whereabouts.access import signin
from whereabouts.access.models import SignInStage

from .auth_forms import CodeForm, SignInForm
from .middleware import second_factor_not_required

WRONG_PASSWORD = "Your username or password is wrong"
WRONG_CODE = "The code is not right, or has already been used: enter the code your app shows now"
ENDED = {
    signin.Ended.IDLE.value: "You were signed out because whereabouts was not used for {idle}. "
                             "Sign in again to carry on.",
    signin.Ended.TOO_LONG.value: "Your session has ended: a session lasts at most {longest}. "
                                 "Sign in again to carry on.",
    signin.Ended.ELSEWHERE.value: "You have been signed out on every device. "
                                  "Sign in again to carry on.",
}


def _minutes(seconds: float) -> str:
    if seconds < 60:
        return f"{round(seconds)} seconds"
    minutes = round(seconds / 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _next(request: HttpRequest) -> str:
    """Where to go after signing in: the page asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def _sign_in_page(request: HttpRequest, form: SignInForm, *, locked: bool = False,
                  wrong: bool = False) -> HttpResponse:
    ended = ENDED.get(request.GET.get("ended", ""), "").format(
        idle=_minutes(settings.WHEREABOUTS_SESSION_IDLE.total_seconds()),
        longest=_minutes(settings.SESSION_COOKIE_AGE))
    return render(request, "web/login.html", {
        "form": form, "locked": locked, "wrong": wrong, "ended": ended, "next": _next(request),
        "lockout": _minutes(settings.WHEREABOUTS_LOCKOUT.total_seconds())})


@login_not_required
@second_factor_not_required
@sensitive_post_parameters("password")
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step one: the username and password."""
    user = request.user
    if user.is_authenticated and user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    form = SignInForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return _sign_in_page(request, form)
    username, now = form.cleaned_data["username"], timezone.now()
    if signin.locked_until(username, now=now):
        signin.refuse_while_locked(username)
        return _sign_in_page(request, SignInForm(), locked=True)
    found = authenticate(request, username=username, password=form.cleaned_data["password"])
    if found is None:
        locked = signin.record_failure(username, SignInStage.PASSWORD, now=now)
        return _sign_in_page(request, SignInForm(initial={"username": username}),
                             locked=locked, wrong=not locked)
    login(request, found)
    signin.begin_session(request.session, found, now=now)
    return HttpResponseRedirect(_with_next("second-factor", request))


def _check_code(request: HttpRequest, device: TOTPDevice,
                form: CodeForm) -> Literal["ok", "wrong", "locked"]:
    """Verify a code from the form (django-otp refuses a code already used); count failures."""
    user, now = request.user, timezone.now()
    username = user.get_username()
    if signin.locked_until(username, now=now):
        signin.refuse_while_locked(username, user=user)  # type: ignore[arg-type]
        return "locked"
    if device.verify_token(form.cleaned_data["code"]):
        return "ok"
    if signin.record_failure(username, SignInStage.CODE, now=now,
                             user=user):  # type: ignore[arg-type]
        return "locked"
    form.add_error("code", WRONG_CODE)
    return "wrong"


def _signed_in(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    destination = _next(request)
    request.session.cycle_key()  # a new session key for the fully signed-in session
    django_otp.login(request, device)
    signin.clear_failures(request.user.get_username())
    return HttpResponseRedirect(destination)


def _locked_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return _sign_in_page(request, SignInForm(), locked=True)


@second_factor_not_required
@never_cache
def second_factor(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the authenticator app."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    device = signin.confirmed_device(user)  # type: ignore[arg-type]
    if device is None:
        return HttpResponseRedirect(_with_next("enrol", request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        outcome = _check_code(request, device, form)
        if outcome == "ok":
            return _signed_in(request, device)
        if outcome == "locked":
            return _locked_out(request)
    return render(request, "web/second_factor.html", {"form": form, "next": _next(request)})


@second_factor_not_required
@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in (or after a reset): set up an authenticator app, then give its code."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    if signin.confirmed_device(user) is not None:  # type: ignore[arg-type]
        return HttpResponseRedirect(_with_next("second-factor", request))
    device = signin.enrolment_device(user)  # type: ignore[arg-type]
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        outcome = _check_code(request, device, form)
        if outcome == "ok":
            signin.confirm_device(device, by=user)  # type: ignore[arg-type]
            return _signed_in(request, device)
        if outcome == "locked":
            return _locked_out(request)
    uri = device.config_url
    return render(request, "web/enrol.html", {
        "form": form, "next": _next(request), "secret": signin.secret_text(device),
        "uri": uri, "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2)})


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this user, on every device, this one included."""
    signin.end_sessions_everywhere(request.user)  # type: ignore[arg-type]
    logout(request)
    return HttpResponseRedirect(f"{reverse('login')}?ended={signin.Ended.ELSEWHERE.value}")
