"""A test client that signs in with both factors, for the tests and the benchmarks.

Not used by the site. Django's ``Client.force_login`` gives a session that has passed the
password only, which the sign-in middleware rightly sends to the second-factor step.
:class:`VerifiedClient` also records a real, confirmed TOTP device as verified in that
session and stamps it as sign-in does, so a page test can skip the two sign-in forms. The
forms themselves, and the rules behind them, are tested through the real path in
``tests/web/test_signin.py``.
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from whereabouts.access import signin

#: The secret of test users' authenticator apps (hex, as django-otp keeps it): RFC 6238's
#: own test key, "12345678901234567890".
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def code_now(key_hex: str = TEST_TOTP_KEY, *, steps_ahead: int = 0) -> str:
    """The 6-digit code an authenticator app with this key shows now (or a step later)."""
    return f"{totp(bytes.fromhex(key_hex), step=30, t0=0, digits=6, drift=steps_ahead):06d}"


def give_device(user: Any, key_hex: str = TEST_TOTP_KEY) -> TOTPDevice:
    """A confirmed authenticator app for ``user``: the one they have, or a new one."""
    return signin.confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name="test app", key=key_hex, confirmed=True)


class VerifiedClient(Client):
    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        device = give_device(user)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        signin.begin_session(session, user, now=timezone.now())
        session.save()
