"""Recording a person as missing, and as located. Each refuses bad input and changes nothing.

The decision to record someone as missing is a supervisor's (APP: supervisors decide and
review); anyone doing casework in the person's force may record that they were located.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from whereabouts.access import policy
from whereabouts.access.models import Role
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.events import parse_date
from whereabouts.register.models import Event, EventKind, Person

from .episodes import open_episode
from .selectors import person_episodes


class NotPermitted(PermissionError):
    """The user may not do this to this person (shown to them as "not found")."""


def _person_for(user: AbstractBaseUser, person_id: int, *roles: str) -> Person:
    person = policy.visible_people(user).filter(pk=person_id).first()
    if person is None or not policy.has_role(user, *roles):
        raise NotPermitted("not found")
    return person


@transaction.atomic
def record_missing(
    *,
    person_id: int,
    recorded_on: dt.date | str,
    missing_since: dt.date | str,
    basis: str,
    risk: str,
    actor: AbstractBaseUser,
    today: dt.date,
    believed_abroad: bool = False,
    country: str = "",
    abroad_basis: str = "",
) -> Event:
    """Open a missing episode: the person's whereabouts are unknown from ``missing_since``."""
    person = _person_for(actor, person_id, Role.SUPERVISOR)
    recorded = parse_date(recorded_on, "recorded_on")
    since = parse_date(missing_since, "missing_since")
    if since > today:
        raise InvalidInput("missing_since", f"{since} is in the future")
    if since > recorded:
        raise InvalidInput("missing_since", f"{since} is after the date recorded ({recorded})")
    if since < person.date_of_birth:
        raise InvalidInput("missing_since", f"{since} is before the date of birth")
    if open_episode(person_episodes(person)) is not None:
        raise InvalidInput("person", "is already recorded as missing; locate them first")
    if believed_abroad and not (country.strip() and abroad_basis.strip()):
        raise InvalidInput("abroad_basis" if country.strip() else "country",
                           "is required when the person is believed to be abroad")
    details = {"missing_since": since.isoformat(), "basis": basis, "risk": risk,
               "believed_abroad": believed_abroad, "country": country,
               "abroad_basis": abroad_basis}
    return register.event_record(person_id=person.pk, kind=EventKind.MISSING_RECORDED,
                                 effective_date=recorded, today=today, recorded_by=actor,
                                 source="web", details=details)


@transaction.atomic
def record_located(
    *,
    person_id: int,
    located_on: dt.date | str,
    where: str,
    by: str,
    how_found: str,
    outcome: str,
    actor: AbstractBaseUser,
    today: dt.date,
    note: str = "",
) -> Event:
    """Close the open episode: when, where and by whom the person was found, and the outcome."""
    person = _person_for(actor, person_id, Role.SUPERVISOR, Role.OFFENDER_MANAGER)
    located = parse_date(located_on, "located_on")
    episode = open_episode(person_episodes(person))
    if episode is None:
        raise InvalidInput("person", "is not recorded as missing")
    if located < episode.began_on:
        raise InvalidInput("located_on",
                           f"{located} is before the episode began ({episode.began_on})")
    details = {"where": where, "by": by, "how_found": how_found, "outcome": outcome,
               "note": note}
    return register.event_record(person_id=person.pk, kind=EventKind.MISSING_LOCATED,
                                 effective_date=located, today=today, recorded_by=actor,
                                 source="web", details=details)


@transaction.atomic
def withdraw_episode(*, person_id: int, reason: str, actor: AbstractBaseUser,
                     today: dt.date) -> Event:
    """Withdraw a mistaken episode (and its locate, if any). Nothing is deleted."""
    person = _person_for(actor, person_id, Role.SUPERVISOR)
    superseded = Event.objects.filter(person=person, supersedes__isnull=False).values("supersedes")
    latest = (Event.objects.filter(person=person, kind=EventKind.MISSING_RECORDED)
              .exclude(pk__in=superseded).order_by("-effective_date", "-id").first())
    if latest is None:
        raise InvalidInput("person", "has no missing episode to withdraw")
    if not reason.strip():
        raise InvalidInput("reason", "is required to withdraw an episode")
    located = (Event.objects.filter(person=person, kind=EventKind.MISSING_LOCATED,
                                    effective_date__gte=latest.effective_date)
               .exclude(pk__in=superseded).first())
    if located is not None:
        register.event_record(person_id=person.pk, kind=EventKind.VOID,
                              effective_date=located.effective_date, today=today,
                              recorded_by=actor, source="web", supersedes=located.pk,
                              reason=reason)
    return register.event_record(person_id=person.pk, kind=EventKind.VOID,
                                 effective_date=latest.effective_date, today=today,
                                 recorded_by=actor, source="web", supersedes=latest.pk,
                                 reason=reason)
