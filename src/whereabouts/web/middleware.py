"""Every page behind a live session and a verified second factor, by construction.

Runs after Django's ``LoginRequiredMiddleware`` (which sends anyone not signed in to the
sign-in page). For a signed-in user it:

1. ends the session if it has been idle too long, has lasted a whole shift, or was ended by
   "sign out everywhere" (``access.signin.session_ended``), and sends them to sign in again;
2. sends a user who has given only their password to the second-factor step, whatever page
   they asked for, except the few views marked with :func:`second_factor_not_required`
   (signing in, the code, setting up the app, signing out);
3. sends a user whose password an administrator reset to change it, whatever page they
   asked for, except the password page itself and signing out (the flag is in the session,
   set at sign-in, so this costs no query).

A new page is therefore protected without a decorator; a test walks every URL to prove it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from whereabouts.access import signin

View = TypeVar("View", bound=Callable[..., Any])


def open_before_password_change(view: View) -> View:
    """Mark a view reachable by a user who must change their password first."""
    view.password_change_first = False  # type: ignore[attr-defined]
    return view


def second_factor_not_required(view: View) -> View:
    """Mark a view reachable by a user who has given their password but not yet their code."""
    view.second_factor_required = False  # type: ignore[attr-defined]
    return view


class SignInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = timezone.now()
            ended = signin.session_ended(request.session, user, now=now)
            if ended is not None:
                logout(request)
                query = {"ended": ended.value}
                if request.method == "GET":
                    query["next"] = request.get_full_path()
                return HttpResponseRedirect(f"{reverse('login')}?{urlencode(query)}")
            signin.touch_session(request.session, now=now)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any],
                     view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if user.is_verified():  # type: ignore[union-attr]
            if (request.session.get(signin.MUST_CHANGE_PASSWORD)
                    and getattr(view_func, "password_change_first", True)
                    and getattr(view_func, "second_factor_required", True)):
                return HttpResponseRedirect(reverse("password-change"))
            return None
        if not getattr(view_func, "second_factor_required", True):
            return None
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse("second-factor") + (f"?{query}" if query else ""))
