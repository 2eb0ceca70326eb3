"""Creating, revoking and checking API tokens. Each change is logged in the audit chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from whereabouts.access import audit, signin
from whereabouts.access.models import AuditAction

from .models import ApiToken
from .scopes import SCOPES, role_allows

#: Every secret starts with this, so that a leaked one is recognisable (secret scanners).
PREFIX = "wat_"
MAX_DAYS = 366


class TokenError(ValueError):
    """A token cannot be made or changed as asked; the message says why."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, username: str, scopes: list[str], days: int, by: Any = None,
                 name: str = "", now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``username``; returns it and its secret, which is shown only now.

    Every scope must be one the user's role allows; the user must be active.
    """
    now = now or timezone.now()
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise TokenError(f"no active user {username!r}")
    if not scopes:
        raise TokenError("give at least one scope")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise TokenError(f"no such scope: {', '.join(unknown)} (scopes: {', '.join(SCOPES)})")
    refused = [s for s in scopes if not role_allows(user, s)]
    if refused:
        raise TokenError(f"{username!r}'s role does not allow: {', '.join(refused)}")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"a token lasts from 1 to {MAX_DAYS} days")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=secret[:12], digest=digest(secret),
        scopes=list(dict.fromkeys(scopes)), created_at=now, created_by=by,
        expires_at=now + dt.timedelta(days=days))
    audit.record(actor=by, action=AuditAction.COLLECTION,
                 what=f"created API token {token.pk} ({token.prefix}…) for {username!r}: "
                      f"{', '.join(token.scopes)}; expires {token.expires_at:%Y-%m-%d}")
    return token, secret


@transaction.atomic
def revoke_token(*, token_id: int, by: Any = None, now: dt.datetime | None = None) -> ApiToken:
    """Revoke a token: it stops working at once. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None:
        raise TokenError(f"no API token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.revoked_by = by if by is not None and by.is_authenticated else None
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(actor=by, action=AuditAction.ALTERATION,
                     what=f"revoked API token {token.pk} ({token.prefix}…) of "
                          f"{token.user.get_username()!r}")
    return token


def token_for(secret: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token with this secret, with its user, or None.

    Refused: an unknown secret, a revoked or expired token, and any token of a user who is
    disabled, has no role, or is locked out of signing in. A refusal of a known token is
    logged against its user; an unknown secret is logged without one.
    """
    now = now or timezone.now()
    if not secret.startswith(PREFIX) or len(secret) > 100:
        token = None
    else:
        token = (ApiToken.objects.select_related("user", "user__staff")
                 .filter(digest=digest(secret)).first())
    if token is None:
        audit.record(actor=None, action=AuditAction.REFUSAL,
                     what="API call refused: the token is not one we issued")
        return None
    user = token.user
    why = ("revoked" if token.revoked_at is not None
           else "expired" if token.expires_at <= now
           else "account disabled" if not user.is_active
           else "locked out" if signin.locked_until(user.get_username(), now=now)
           else "")
    if why:
        audit.record(actor=user, action=AuditAction.REFUSAL,
                     what=f"API call refused: token {token.pk} ({token.prefix}…) {why}")
        return None
    return token
