"""Reads for MoPI review: the queue of records due, and a record's decisions. Each takes the
requesting user's scope from ``access.policy``; the views log every look."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from whereabouts.access import policy
from whereabouts.register.models import EventKind, Person

from .models import Decision

User = AbstractBaseUser | AnonymousUser


def due(user: User, as_at: dt.date) -> QuerySet[Person]:
    """People of the user's scope whose review is due on ``as_at`` or overdue, the longest
    overdue first (an index on force and next review finds them)."""
    return (policy.reviewable_people(user).filter(next_review__lte=as_at)
            .select_related("force").order_by("next_review", "reference"))


def due_within(user: User, as_at: dt.date, days: int) -> int:
    """How many more fall due in the ``days`` after ``as_at``."""
    return policy.reviewable_people(user).filter(
        next_review__gt=as_at, next_review__lte=as_at + dt.timedelta(days=days)).count()


def latest_decisions(person_ids: Iterable[int]) -> dict[int, Decision]:
    latest: dict[int, Decision] = {}
    for decision in (Decision.objects.filter(person_id__in=list(person_ids))
                     .select_related("decided_by").order_by("decided_at", "id")):
        latest[decision.person_id] = decision
    return latest


def reviewable(user: User, person_id: int) -> Person | None:
    """One person the user reviews, or None ("not found", whether absent or out of scope)."""
    return (policy.reviewable_people(user).select_related("force", "offender_manager")
            .filter(pk=person_id).first())


def history(person: Person) -> list[Decision]:
    return list(Decision.objects.filter(person=person).select_related("decided_by")
                .order_by("-decided_at", "-id"))


def registered_on(person: Person) -> dt.date | None:
    return (person.events.filter(kind=EventKind.REGISTERED).order_by("effective_date")
            .values_list("effective_date", flat=True).first())
