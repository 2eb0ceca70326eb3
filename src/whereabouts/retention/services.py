"""MoPI review decisions and the erasure of disposed records. Writes only; each is audited.

- :func:`decide` records a reviewer's decision on one person's record: retain (with the
  National Retention Assessment Criteria it rests on, a reason and the next review date) or
  dispose. A Group 1 record is kept until the person is 100: disposal before then is refused.
- :func:`erase_disposed` carries out decisions to dispose: every row about the person goes,
  in one transaction with its own audit entry (an erasure). It runs as the database's owner
  (``whereabouts retention erase``): the application's role may not delete ledger rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction, Erasure
from whereabouts.register.errors import InvalidInput
from whereabouts.register.events import parse_date
from whereabouts.register.models import Event, Person
from whereabouts.register.services import checked_text
from whereabouts.rules import retention as rule

from .models import NRAC, Decision, Outcome


class NotPermitted(Exception):
    """The user may not review this person (or the person does not exist): "not found"."""


def decide(*, person_id: int, actor: AbstractBaseUser, today: dt.date, outcome: str,
           reason: str, criteria: Iterable[str] = (),
           next_review: dt.date | str | None = None) -> Decision:
    """Record a MoPI review decision on one person's record, with its audit entry."""
    with transaction.atomic():
        person = (policy.reviewable_people(actor).select_for_update()
                  .filter(pk=person_id).first())
        if person is None:
            raise NotPermitted
        if outcome not in Outcome.values:
            raise InvalidInput("outcome", "choose retain or dispose")
        chosen = list(dict.fromkeys(criteria))
        unknown = [c for c in chosen if c not in NRAC]
        if unknown:
            raise InvalidInput("criteria", f"no such criterion: {', '.join(unknown)}")
        reason = checked_text(reason, "reason", max_length=2000)
        limit = rule.review_limit(person.date_of_birth, today)
        when: dt.date | None = None
        if outcome == Outcome.RETAIN:
            when = limit if next_review in (None, "") else parse_date(next_review,
                                                                       "next_review")
            if when <= today:
                raise InvalidInput("next_review", "must be after today")
            if when > limit:
                raise InvalidInput("next_review", f"must be no later than "
                                   f"{limit:%-d %B %Y} (10 years on, or the 100th birthday)")
        elif not rule.may_dispose(person.date_of_birth, today):
            hundredth = rule.birthday(person.date_of_birth, rule.KEEP_UNTIL_AGE)
            raise InvalidInput("outcome", "a Group 1 record (public protection) is kept until "
                               f"the person is 100, on {hundredth:%-d %B %Y}: retain it")
        decision = Decision.objects.create(
            person=person, decided_on=today, decided_at=timezone.now(), decided_by=actor,
            outcome=outcome, criteria=chosen, reason=reason, next_review=when)
        if when is not None:
            Person.objects.filter(pk=person.pk).update(next_review=when)
        words = "; ".join(NRAC[c] for c in chosen)
        audit.record(
            actor=actor, action=AuditAction.ALTERATION, person_id=person.pk,
            what=(f"MoPI review: retain, next review {when.isoformat()}" if when is not None
                  else "MoPI review: dispose of the record (erasure follows)"),
            reason=f"{reason} [NRAC: {words or 'none chosen'}]")
    return decision


def pending_disposals() -> list[Decision]:
    """Decisions to dispose not yet carried out: the latest decision on each person."""
    latest: dict[int, Decision] = {}
    for decision in Decision.objects.order_by("person_id", "decided_at", "id"):
        latest[decision.person_id] = decision
    return [d for d in latest.values() if d.outcome == Outcome.DISPOSE]


@dataclass(frozen=True)
class Erased:
    person_id: int
    reference: str


def _delete_everything_about(person_id: int) -> None:
    """Every row that refers to the person, then the person. The foreign keys are checked at
    the end of the transaction, so the order does not matter."""
    events = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        for rel in Event._meta.related_objects:  # rows that hang off the person's entries
            table = connection.ops.quote_name(rel.related_model._meta.db_table)
            column = connection.ops.quote_name(rel.field.column)
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN "
                           f"(SELECT id FROM {events} WHERE person_id = %s)", [person_id])
        for rel in Person._meta.related_objects:
            table = connection.ops.quote_name(rel.related_model._meta.db_table)
            column = connection.ops.quote_name(rel.field.column)
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [person_id])
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Person._meta.db_table)} "
                       "WHERE id = %s", [person_id])


def erase_disposed(*, actor: AbstractBaseUser | AnonymousUser | None = None) -> list[Erased]:
    """Carry out every pending decision to dispose: erase the person's record, leaving an
    :class:`Erasure` (reference, force, decision) and an audit entry. The audit log itself is
    kept: its entries refer to the person by number, which is never used again."""
    done = []
    for decision in pending_disposals():
        with transaction.atomic():
            person = Person.objects.filter(pk=decision.person_id).first()
            if person is None:
                continue
            now = timezone.now()
            name = (actor.get_username() if actor is not None and actor.is_authenticated
                    else "system")
            decided_by = decision.decided_by.get_username()
            Erasure.objects.create(
                person_id=person.pk, reference=person.reference, force_id=person.force_id,
                decided_on=decision.decided_on, decided_by_name=decided_by,
                reason=decision.reason, erased_at=now, erased_by_name=name)
            _delete_everything_about(person.pk)
            audit.record(actor=actor, action=AuditAction.ERASURE, person_id=person.pk,
                         what=f"erased the record of {person.reference} (MoPI disposal "
                              f"decided on {decision.decided_on.isoformat()} by {decided_by})",
                         reason=decision.reason)
            done.append(Erased(person.pk, person.reference))
    return done
