"""Who may see and do what. One condition per line; callers get "not found" for anything refused.

What each role may do is data, in ``access.permissions``; this module applies it to people:

- Casework roles (offender managers, supervisors, senior officers) open anyone their own force
  manages: within a force the whole unit shares its cases (cover, duty, supervision). A
  person on their way in (a transfer waiting for the force to accept it) is seen by both
  forces; recording stays with the sending force until the transfer is accepted.
- A person of another force opens only after the user gives a reason (:func:`give_reason`):
  asked once per person per session, logged in the audit chain with the reason. Until then
  the person is "not found", exactly like one who does not exist.
- National caseworkers have no force of their own: they search every force, and open anyone
  outside their own caseload (people assigned to them) only with a reason. They record nothing:
  recording stays with the person's own force (:func:`can_record_events`).
- Partner agencies see only the people shared with their agency (``access.sharing``).
- Analysts, FOI officers, auditors and administrators open no person records.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from whereabouts.register.models import Event, EventKind, Person, Transfer, TransferState

from . import audit, permissions
from .models import AuditAction, StaffProfile

User = AbstractBaseUser | AnonymousUser

#: The roles that do casework in a force: derived from the permissions table.
CASEWORK_ROLES = permissions.roles_with("person.open_own_force")

#: Reasons for opening a person outside one's force or caseload: key -> words.
ACCESS_REASONS: dict[str, str] = {
    "missing_enquiry": "Enquiry for a missing person",
    "sighting": "Sighting or lead",
    "transfer": "Transfer between forces",
    "mappa_referral": "MAPPA or partner referral",
    "other": "Other",
}

#: Where the reasons given in a session are kept: person id (as text) -> the reason.
SESSION_KEY = "whereabouts_access_reasons"


def profile_of(user: User) -> StaffProfile | None:
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.staff  # type: ignore[union-attr, no-any-return]
    except StaffProfile.DoesNotExist:
        return None


def has_role(user: User, *roles: str) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in roles


def may(user: User, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` (``access.permissions``) through their role."""
    profile = profile_of(user)
    return permissions.allows(profile.role if profile else None, permission)


def visible_people(user: User) -> QuerySet[Person]:
    """The people ``user`` may open without a reason: their force's, or their own caseload.

    Writes and the force's lists (caseload, missing board) use this scope; reads of one
    person use :func:`openable_people`, which adds the people a reason has been given for.
    """
    profile = profile_of(user)
    if profile is None:
        return Person.objects.none()
    if may(user, "person.open_own_force") and profile.force_id is not None:
        incoming = Transfer.objects.filter(to_force_id=profile.force_id,
                                           state=TransferState.PENDING).values("person_id")
        return Person.objects.filter(Q(force_id=profile.force_id) | Q(pk__in=incoming))
    if may(user, "person.open_with_reason"):
        return Person.objects.filter(offender_manager_id=user.pk)
    return Person.objects.none()


def openable_people(user: User, session: Any) -> QuerySet[Person]:
    """The people ``user`` may open in this session: :func:`visible_people` and those they
    have given a reason for. Every page about one person reads through this."""
    scope = visible_people(user)
    if not may(user, "person.open_with_reason"):
        return scope
    given = [int(pid) for pid in session.get(SESSION_KEY, {})]
    if not given:
        return scope
    return scope | Person.objects.filter(pk__in=given)


def person_for(user: User, person_id: int, session: Any) -> Person | None:
    """One person ``user`` may open, or None for both "no such person" and "not permitted".

    A record merged into another (a duplicate identity, docs/linkage.md) opens for whoever
    may open the record it was merged into: its history is now that person's history."""
    scope = openable_people(user, session)
    found = scope.select_related("force", "offender_manager").filter(pk=person_id).first()
    if found is not None or not isinstance(person_id, int):
        return found
    survivor = (Event.objects.filter(person_id=person_id, kind=EventKind.MERGED_INTO)
                .values_list("details__survivor", flat=True).first())
    if survivor is None or not scope.filter(pk=survivor).exists():
        return None
    return (Person.objects.select_related("force", "offender_manager")
            .filter(pk=person_id).first())


def needs_reason(user: User, person: Person) -> bool:
    """Whether opening ``person`` needed a reason: they are outside the user's scope."""
    return not visible_people(user).filter(pk=person.pk).exists()


def reason_given(session: Any, person_id: int) -> str:
    """The reason given in this session for ``person_id``, or "" if none was needed or given."""
    return str(session.get(SESSION_KEY, {}).get(str(person_id), ""))


def give_reason(user: User, session: Any, *, person_id: int, reason: str, detail: str) -> None:
    """Record why ``user`` opens a person outside their scope, for the rest of the session.

    Logged whether or not the person exists or is outside the scope, so that the answer
    (a redirect to the person's page) says nothing about either.
    """
    if not may(user, "person.open_with_reason") or reason not in ACCESS_REASONS:
        raise PermissionError("no reason can be given")
    text = f"{ACCESS_REASONS[reason]}: {detail.strip()}"
    audit.record(actor=user, action=AuditAction.CONSULTATION, person_id=person_id,
                 what="gave a reason to open a person outside their force or caseload",
                 reason=text)
    given = dict(session.get(SESSION_KEY, {}))
    given[str(person_id)] = text
    session[SESSION_KEY] = given


def searchable_people(user: User, *, every_force: bool = False) -> QuerySet[Person]:
    """The people a search by ``user`` looks among; opening one is :func:`person_for`.

    A caseworker who may give reasons can ask to search ``every_force``: the list names people
    of other forces (the search is logged), and opening one of them asks for a reason.
    """
    if may(user, "people.search_all_forces"):
        return Person.objects.all()
    if every_force and may(user, "people.search") and may(user, "person.open_with_reason"):
        return Person.objects.all()
    if may(user, "people.search"):
        scope = visible_people(user)
        return scope | Person.objects.filter(pk__in=merged_into_scope(scope))
    return Person.objects.none()


def merged_into_scope(scope: QuerySet[Person]) -> list[int]:
    """The records merged into a person of ``scope`` (a search finds them, pointing to the
    surviving record; opening one is :func:`person_for`). Merges are few: read them all."""
    merges = dict(Event.objects.filter(kind=EventKind.MERGED_INTO)
                  .values_list("person_id", "details__survivor"))
    if not merges:
        return []
    kept = set(scope.filter(pk__in=set(merges.values())).values_list("pk", flat=True))
    return [merged for merged, survivor in merges.items() if survivor in kept]


def can_record_events(user: User, person: Person) -> bool:
    """Recording is for the person's own force only, whatever reason was given to look."""
    profile = profile_of(user)
    if profile is None:
        return False
    if not may(user, "person.record"):
        return False
    return profile.force_id is not None and profile.force_id == person.force_id


def caseworkers(force_id: str | int | None) -> QuerySet:
    """Active users doing casework in a force: those who may own its cases."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects
            .filter(is_active=True, staff__force_id=force_id, staff__role__in=CASEWORK_ROLES)
            .order_by("username"))


def _force_scope(user: User, permission: str) -> QuerySet[Person]:
    """The people of the user's force, or everyone for a user with no force (national), if
    the user holds ``permission``; nobody otherwise."""
    profile = profile_of(user)
    if profile is None or not may(user, permission):
        return Person.objects.none()
    if profile.force_id is None:
        return Person.objects.all()
    return Person.objects.filter(force_id=profile.force_id)


def reviewable_people(user: User) -> QuerySet[Person]:
    """The people whose records ``user`` reviews under MoPI (``retention.review``): their
    force's, or every force's for a national data protection officer."""
    return _force_scope(user, "retention.review")


def disclosable_people(user: User) -> QuerySet[Person]:
    """The people ``user`` may export for a subject access request
    (``subject_access.export``): their force's, or every force's if national."""
    return _force_scope(user, "subject_access.export")


def can_manage_users(user: User) -> bool:
    """Create users and reset their sign-in code devices: administrators only."""
    return may(user, "users.manage")
