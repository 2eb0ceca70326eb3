"""Who may do what. One condition per line; callers get "not found" for anything refused.

Version 1 scopes people by force and role: offender managers and supervisors see the people
their force manages. Analysts see figures, never names. Partner agencies, auditors and
administrators see no person records through these pages. Reasons for looking outside one's
own caseload, and partner views, grow with the access-control issue.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from whereabouts.register.models import Person

from .models import Role, StaffProfile

CASEWORK_ROLES = (Role.OFFENDER_MANAGER, Role.SUPERVISOR, Role.SENIOR_OFFICER)


def profile_of(user: AbstractBaseUser | AnonymousUser) -> StaffProfile | None:
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.staff  # type: ignore[union-attr, no-any-return]
    except StaffProfile.DoesNotExist:
        return None


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: str) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in roles


def visible_people(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Person]:
    """The people whose records ``user`` may open; empty for everyone else."""
    profile = profile_of(user)
    if profile is None:
        return Person.objects.none()
    if profile.role not in CASEWORK_ROLES:
        return Person.objects.none()
    if profile.force_id is None:
        return Person.objects.none()
    return Person.objects.filter(force_id=profile.force_id)


def can_record_events(user: AbstractBaseUser | AnonymousUser, person: Person) -> bool:
    profile = profile_of(user)
    if profile is None:
        return False
    if profile.role not in CASEWORK_ROLES:
        return False
    return profile.force_id == person.force_id


def caseworkers(force_id: str | int | None) -> QuerySet:
    """Active users doing casework in a force: those who may own its cases."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects
            .filter(is_active=True, staff__force_id=force_id, staff__role__in=CASEWORK_ROLES)
            .order_by("username"))


def can_manage_users(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Create users and reset their sign-in code devices: administrators only."""
    return has_role(user, Role.ADMINISTRATOR)
