"""Reads of the audit log for the auditor's pages: who looked at a person, what a user looked
at. They take the requesting user, so a force's auditor sees only that force's people and
users; a national auditor (no force) sees all. Nobody but an auditor gets anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from whereabouts.register.models import Person

from .models import AuditEntry, Erasure, Role
from .policy import profile_of

AnyUser = AbstractBaseUser | AnonymousUser


def is_auditor(user: AnyUser) -> bool:
    """Data protection officers and auditors; everyone else gets "not found" from the pages."""
    profile = profile_of(user)
    return profile is not None and profile.role == Role.AUDITOR


def _force_of(user: AnyUser) -> str | None:
    profile = profile_of(user)
    return profile.force_id if profile is not None else None  # type: ignore[return-value]


def person_by_reference(user: AnyUser, reference: str) -> tuple[int, str] | None:
    """The (id, reference) of the person with ``reference`` in the auditor's scope. Only the
    reference: the auditor's pages never show the record itself. A person whose record was
    erased (MoPI disposal) is still found, by what the erasure left
    (``access.models.Erasure``), so that their audit entries stay within reach."""
    if not is_auditor(user):
        return None
    people = Person.objects.filter(reference__iexact=reference.strip())
    erased = Erasure.objects.filter(reference__iexact=reference.strip())
    force = _force_of(user)
    if force is not None:
        people = people.filter(force_id=force)
        erased = erased.filter(force_id=force)
    row = (people.values_list("pk", "reference").first()
           or erased.values_list("person_id", "reference").first())
    return (row[0], row[1]) if row else None


def user_in_scope(user: AnyUser, username: str) -> bool:
    """Whether the auditor may see what ``username`` did. A username no longer (or never)
    held by anyone is in a national auditor's scope: the entries keep the name."""
    if not is_auditor(user):
        return False
    force = _force_of(user)
    if force is None:
        return True
    return get_user_model().objects.filter(username=username, staff__force_id=force).exists()


def _dated(entries: QuerySet[AuditEntry], start: dt.date | None,
           end: dt.date | None) -> QuerySet[AuditEntry]:
    if start is not None:
        entries = entries.filter(at__date__gte=start)
    if end is not None:
        entries = entries.filter(at__date__lte=end)
    return entries


def entries_about(person_id: int, start: dt.date | None = None,
                  end: dt.date | None = None) -> QuerySet[AuditEntry]:
    """Every entry about one person, newest first: those about their record, and those of
    list pages that showed them (caseloads, search results, the missing board).

    A union of two index reads (``person_id`` on the entries; person then entry on the index
    of lists), so that neither SQLite nor PostgreSQL reads the whole log.
    """
    about = _dated(AuditEntry.objects.filter(person_id=person_id), start, end)
    listed = _dated(AuditEntry.objects.filter(listings__person_id=person_id), start, end)
    return about.order_by().union(listed.order_by()).order_by("-id")


def entries_by(username: str, start: dt.date | None = None,
               end: dt.date | None = None) -> QuerySet[AuditEntry]:
    """Every entry made by one user (by the name kept on the entry, or the account), newest
    first."""
    return _dated(AuditEntry.objects.filter(Q(actor_name=username) | Q(actor__username=username)),
                  start, end).order_by("-id")


def references(person_ids: Iterable[int | None]) -> dict[int, str]:
    """Person references for a page of entries (the reference only, never the record), also
    for people whose record was erased."""
    ids = {pid for pid in person_ids if pid is not None}
    found = dict(Person.objects.filter(pk__in=ids).values_list("pk", "reference"))
    gone = ids - set(found)
    if gone:
        found |= {pid: f"{ref} (erased)" for pid, ref in
                  Erasure.objects.filter(person_id__in=gone).values_list("person_id",
                                                                         "reference")}
    return found
