"""Staff accounts: only an administrator (or the operator's ``create-admin``) makes them.

There is no self-registration anywhere. A new account gets a generated password, shown once
to whoever made it, and sets up its authenticator app at its first sign-in.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from . import audit, signin
from .models import AuditAction, Role, StaffProfile

#: Letters and digits that cannot be mistaken for one another when read aloud or copied.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generate_password() -> str:
    """Four groups of five characters: about 99 bits, easy to type once."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(4))


class AccountError(ValueError):
    """The account cannot be made as asked; the message says why."""


def create_staff_user(*, username: str, first_name: str, last_name: str, role: str,
                      force_id: str | None, by: AbstractBaseUser | None,
                      password: str | None = None) -> tuple[AbstractBaseUser, str]:
    """Make a user with a role (and a force, or none for national); return it and its password.

    ``by`` is the administrator who made it (None for the command line). Audited.
    """
    user_model = get_user_model()
    role = Role(role)
    if user_model.objects.filter(username__iexact=username).exists():
        raise AccountError("A user with that username already exists")
    password = password or generate_password()
    with transaction.atomic():
        user = user_model(username=username, first_name=first_name, last_name=last_name)
        validate_password(password, user)
        user.set_password(password)
        user.save()
        StaffProfile.objects.create(user=user, role=role, force_id=force_id or None)
        audit.record(actor=by, action=AuditAction.COLLECTION,
                     what=f"created user {username!r} ({role.label}, "
                          f"{force_id or 'national'})")
    return user, password


def change_own_password(*, user: AbstractBaseUser, new_password: str) -> None:
    """A signed-in user sets a new password (the form has checked the current one).

    Checked against the password validators (``AUTH_PASSWORD_VALIDATORS``), hashed with
    Argon2, and audited; clears a reset's "must change at next sign-in". Django ends the
    user's other sessions, whose session hash no longer matches.
    """
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        StaffProfile.objects.filter(user=user).update(must_change_password=False)
        audit.record(actor=user, action=AuditAction.ALTERATION,
                     what="changed their own password")


def reset_password(*, user: AbstractBaseUser, by: AbstractBaseUser,
                   reset_device: bool = False) -> str:
    """An administrator gives ``user`` a new generated password (returned, to be shown once).

    The user must change it at their next sign-in; every session of theirs ends now. With
    ``reset_device``, their authenticator app is removed too and they set one up again.
    Audited, with the device reset as its own entry.
    """
    password = generate_password()
    with transaction.atomic():
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        StaffProfile.objects.filter(user=user).update(must_change_password=True)
        signin.end_sessions_everywhere(user)
        audit.record(actor=by, action=AuditAction.ALTERATION,
                     what=f"reset the password of {user.get_username()!r} (to be changed at "
                          "the next sign-in)")
        if reset_device:
            signin.reset_devices(user, by=by)
    return password
