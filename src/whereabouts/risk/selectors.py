"""Reads for MAPPA meetings and actions, orders and ARMS. A person's reads are for a caller
that has passed the access check (``access.policy.person_for``); a user's own lists are
scoped to what they attended or own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, QuerySet

from whereabouts.compliance.models import Task, TaskState
from whereabouts.register.models import Event

from .arms import ARMS_KIND, ARMS_TASK, ArmsAssessment, assessments_from
from .models import MappaAction, MappaMeeting
from .orders import ORDER_KINDS, Order, orders_from


def person_meetings(person_id: int) -> QuerySet[MappaMeeting]:
    """The person's MAPP meetings, newest first, with attendees and actions."""
    return (MappaMeeting.objects.filter(person_id=person_id)
            .select_related("recorded_by")
            .prefetch_related("attendees", "attendees__user", "actions", "actions__owner"))


def open_actions(user: AbstractBaseUser) -> list[MappaAction]:
    """The actions ``user`` owns and has not done, by due date (none last)."""
    return list(MappaAction.objects.filter(owner_id=user.pk, done_on__isnull=True)
                .select_related("person", "meeting")
                .order_by(F("due_on").asc(nulls_last=True), "id"))


def attended_meetings(user: AbstractBaseUser) -> list[MappaMeeting]:
    """The meetings ``user`` attended (as a named attendee), newest first."""
    return list(MappaMeeting.objects.filter(attendees__user_id=user.pk).distinct()
                .select_related("person").prefetch_related("attendees"))


def owned_actions(user: AbstractBaseUser) -> list[MappaAction]:
    """Every action ``user`` owns, open first, then by due date."""
    return list(MappaAction.objects.filter(owner_id=user.pk).select_related("person", "meeting")
                .order_by(F("done_on").desc(nulls_first=True),
                          F("due_on").asc(nulls_last=True), "id"))


def arms_tasks(user: AbstractBaseUser) -> list[Task]:
    """Open 'ARMS assessment overdue' tasks assigned to ``user``."""
    return list(Task.objects.filter(kind=ARMS_TASK, state=TaskState.OPEN, assigned_to_id=user.pk)
                .select_related("person").order_by("due_last_day", "id"))


def person_orders(events: Sequence[Event]) -> list[Order]:
    """From the person's live entries: their orders, in the order made."""
    return orders_from((e.kind, e.effective_date, e.details) for e in events
                       if e.kind in ORDER_KINDS)


def person_arms(events: Sequence[Event]) -> list[ArmsAssessment]:
    """From the person's live entries: their ARMS assessments, newest first."""
    found = assessments_from((e.kind, e.effective_date, e.details) for e in events
                             if e.kind == ARMS_KIND)
    return sorted(found, key=lambda a: a.assessed_on, reverse=True)


def active_orders(orders: Sequence[Order], as_at: dt.date) -> list[Order]:
    return [o for o in orders if o.active_on(as_at)]
