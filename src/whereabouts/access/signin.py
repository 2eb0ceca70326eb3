"""Signing in: the lockout, the second factor's devices and the life of a session.

The pages (``web/auth_views.py``) and the middleware (``web/middleware.py``) call these; the
rules live here so that they read the same from a test as from a request.

- **Lockout.** ``WHEREABOUTS_SIGNIN_FAILURES`` wrong passwords or codes for one username
  within ``WHEREABOUTS_SIGNIN_WINDOW`` lock that username for ``WHEREABOUTS_LOCKOUT``.
  Failures are kept by the username typed, so a username that nobody has locks exactly like
  a real one and the message never tells which it is. Every failure and lockout is written
  to the audit log as a refusal.
- **Sessions.** A session carries when it was signed in, when it was last used and the
  user's session generation. It ends after ``WHEREABOUTS_SESSION_IDLE`` unused (sliding),
  after ``SESSION_COOKIE_AGE`` in all, or when the user signs out everywhere (which raises
  the generation held on their ``StaffProfile``).

Functions that depend on the time take ``now``: the callers read the clock.
"""

from __future__ import annotations

import datetime as dt
import enum
from base64 import b32encode

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import AuditAction, Lockout, SignInFailure, SignInStage, StaffProfile

SIGNED_IN_AT = "whereabouts_signed_in_at"
LAST_SEEN = "whereabouts_last_seen"
GENERATION = "whereabouts_generation"
#: Set in the session of a user whose password an administrator reset: every page sends them
#: to change it (``web.middleware``) until they do.
MUST_CHANGE_PASSWORD = "whereabouts_must_change_password"


# -- lockout -------------------------------------------------------------------------------
def locked_until(username: str, *, now: dt.datetime) -> dt.datetime | None:
    """When the lockout on ``username`` ends, or None if it is not locked."""
    lock = Lockout.objects.filter(username=username, until__gt=now).order_by("-until").first()
    return lock.until if lock else None


def record_failure(username: str, stage: SignInStage, *, now: dt.datetime,
                   user: AbstractBaseUser | None = None) -> bool:
    """Count one wrong password or code; lock the username at the limit. True if now locked.

    Failures before the end of the last lockout are not counted again, so a lockout is
    followed by a fresh allowance whatever the window.
    """
    stage = SignInStage(stage)
    with transaction.atomic():
        SignInFailure.objects.create(username=username, at=now, stage=stage)
        audit.record(actor=user, action=AuditAction.REFUSAL,
                     what=f"sign-in refused: wrong {stage.name.lower()} for {username!r}")
        since = now - settings.WHEREABOUTS_SIGNIN_WINDOW
        last_lock = Lockout.objects.filter(username=username).order_by("-until").first()
        if last_lock is not None and last_lock.until > since:
            since = last_lock.until
        failures = SignInFailure.objects.filter(username=username, at__gt=since).count()
        if failures < settings.WHEREABOUTS_SIGNIN_FAILURES:
            return False
        until = now + settings.WHEREABOUTS_LOCKOUT
        Lockout.objects.create(username=username, at=now, until=until)
        audit.record(actor=user, action=AuditAction.REFUSAL,
                     what=f"sign-in locked for {username!r} until {until:%Y-%m-%d %H:%M} "
                          f"after {failures} failures")
    return True


def refuse_while_locked(username: str, *, user: AbstractBaseUser | None = None) -> None:
    """Log an attempt made while the username is locked (it is not counted again)."""
    audit.record(actor=user, action=AuditAction.REFUSAL,
                 what=f"sign-in refused: {username!r} is locked")


def clear_failures(username: str) -> None:
    """A full sign-in (password and code) starts the count again."""
    SignInFailure.objects.filter(username=username).delete()


# -- the second factor ---------------------------------------------------------------------
def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: AbstractBaseUser) -> TOTPDevice:
    """The user's unconfirmed device, made on first asking (a new secret each time it is made)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


def confirm_device(device: TOTPDevice, *, by: AbstractBaseUser) -> None:
    """The user has given a code from their new device: it is theirs from now on."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(actor=by, action=AuditAction.ALTERATION,
                     what=f"set up a sign-in code device for {device.user.get_username()!r}")


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it: base32, in groups of four."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def reset_devices(user: AbstractBaseUser, *, by: AbstractBaseUser) -> int:
    """Remove a user's devices and end their sessions: they enrol again at their next sign-in."""
    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        end_sessions_everywhere(user)
        audit.record(actor=by, action=AuditAction.ALTERATION,
                     what=f"reset the sign-in code device of {user.get_username()!r}")
    return count


# -- sessions ------------------------------------------------------------------------------
class Ended(enum.Enum):
    IDLE = "idle"
    TOO_LONG = "too-long"
    ELSEWHERE = "elsewhere"


def _generation(user: AbstractBaseUser) -> int:
    try:
        profile = user.staff  # type: ignore[attr-defined]
    except StaffProfile.DoesNotExist:
        return 0
    return int(profile.session_generation)


def begin_session(session: SessionBase, user: AbstractBaseUser, *, now: dt.datetime) -> None:
    """Stamp a session that has just been signed in to (after the password)."""
    stamp = int(now.timestamp())
    session[SIGNED_IN_AT] = stamp
    session[LAST_SEEN] = stamp
    # Read afresh: ``user`` may hold a profile loaded before a 'sign out everywhere'.
    generation, must_change = (StaffProfile.objects.filter(user=user)
                               .values_list("session_generation", "must_change_password")
                               .first() or (0, False))
    session[GENERATION] = generation
    if must_change:
        session[MUST_CHANGE_PASSWORD] = True
    else:
        session.pop(MUST_CHANGE_PASSWORD, None)


def session_ended(session: SessionBase, user: AbstractBaseUser, *,
                  now: dt.datetime) -> Ended | None:
    """Why this signed-in session has ended, or None if it may go on.

    A session without the stamps (made before this rule, or by anything but sign-in) has
    ended: there is no way to know how old it is.
    """
    stamp = now.timestamp()
    signed_in, last_seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN)
    if not isinstance(signed_in, int) or not isinstance(last_seen, int):
        return Ended.TOO_LONG
    if session.get(GENERATION) != _generation(user):
        return Ended.ELSEWHERE
    if stamp - signed_in >= settings.SESSION_COOKIE_AGE:
        return Ended.TOO_LONG
    if stamp - last_seen >= settings.WHEREABOUTS_SESSION_IDLE.total_seconds():
        return Ended.IDLE
    return None


def touch_session(session: SessionBase, *, now: dt.datetime) -> None:
    """Slide the idle limit. Written at most every tenth of the limit (a minute at most),
    so that a busy page does not write its session on every request."""
    stamp = int(now.timestamp())
    step = min(60.0, settings.WHEREABOUTS_SESSION_IDLE.total_seconds() / 10)
    if stamp - int(session.get(LAST_SEEN, 0)) >= step:
        session[LAST_SEEN] = stamp


def end_sessions_everywhere(user: AbstractBaseUser) -> None:
    """End every session of ``user`` on every device (each is refused at its next request)."""
    StaffProfile.objects.filter(user=user).update(session_generation=F("session_generation") + 1)
