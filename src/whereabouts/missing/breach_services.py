"""Recording a breach of the notification requirements (s.91), its warrant and its outcome.

Under the Sexual Offences Act 2003 s.91 it is an offence to fail without reasonable excuse to
comply with the notification requirements (s.91(1)(a)) or to notify information known to be
false (s.91(1)(b)). The police record the breach as a crime with a crime reference and
investigate it; where the person cannot be found a warrant may be sought. Supervisors and
offender managers of the person's force record all three. Each service refuses bad input
with :class:`InvalidInput` naming the argument at fault, and then writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from whereabouts.access.models import Role
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.events import (
    BREACH_OFFENCES,
    BREACH_OUTCOMES,
    WARRANT_STATUSES,
    parse_date,
)
from whereabouts.register.models import Disposal, Event, EventKind, Person

from .breaches import (
    OUTCOME_NEXT,
    WARRANT_NEXT,
    Breach,
    find_breach,
    outcome_step_allowed,
    warrant_step_allowed,
)
from .selectors import person_breaches
from .services import NotPermitted, _person_for

__all__ = ["NotPermitted", "record_breach", "record_breach_outcome", "record_warrant"]

ROLES = (Role.SUPERVISOR, Role.OFFENDER_MANAGER)
REFERENCE_LENGTH = 40
TEXT_LENGTH = 500
NOTE_LENGTH = 2000


def _locked_person(actor: AbstractBaseUser, person_id: int) -> Person:
    """The person, if ``actor`` may record breaches for them, locked until the write is done."""
    person = _person_for(actor, person_id, *ROLES)
    return Person.objects.select_for_update().get(pk=person.pk)


def _text(value: Any, field: str, *, required: bool = True, max_length: int = TEXT_LENGTH) -> str:
    return register.checked_text(value, field, required=required, max_length=max_length)


def _choice(value: Any, field: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidInput(field, f"must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def _either(options: tuple[str, ...]) -> str:
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"


def _date(value: Any, field: str, person: Person, today: dt.date) -> dt.date:
    when = parse_date(value, field)
    if when > today:
        raise InvalidInput(field, f"{when} is in the future")
    if when < person.date_of_birth:
        raise InvalidInput(field, f"{when} is before the date of birth ({person.date_of_birth})")
    return when


def notification_start(person: Person) -> dt.date | None:
    """When the notification requirements first applied: the earliest relevant date (s.82(6))
    of a disposal in the ledger as it now stands, or None when no disposal is recorded."""
    superseded = Event.objects.filter(person=person, supersedes__isnull=False).values(
        "supersedes")
    first = (Disposal.objects.filter(person=person).exclude(event_id__in=superseded)
             .order_by("relevant_date").values_list("relevant_date", flat=True).first())
    return first


def _breach(person: Person, crime_reference: Any) -> Breach:
    reference = _text(crime_reference, "crime_reference", max_length=REFERENCE_LENGTH)
    breach = find_breach(person_breaches(person), reference)
    if breach is None:
        raise InvalidInput("crime_reference",
                           f"no breach with the crime reference {reference!r} is recorded "
                           "for this person")
    return breach


def _write(person: Person, kind: str, when: dt.date, field: str, details: dict[str, Any],
           actor: AbstractBaseUser, today: dt.date) -> Event:
    """Write through the register; a refusal of the date there names our date argument."""
    try:
        return register.event_record(person_id=person.pk, kind=kind, effective_date=when,
                                     today=today, recorded_by=actor, source="web",
                                     details=details)
    except InvalidInput as err:
        if err.field == "effective_date":
            raise InvalidInput(field, err.message) from None
        raise


@transaction.atomic
def record_breach(
    *,
    person_id: int,
    recorded_on: dt.date | str,
    offence: str,
    crime_reference: str,
    what: str,
    actor: AbstractBaseUser,
    today: dt.date,
    note: str = "",
    failed_from: dt.date | str | None = None,
    order: str = "",
) -> Event:
    """Record a breach of the notification requirements as a crime under investigation.

    ``offence`` ``breach_of_order`` is a breach of a SHPO or SRO, and ``order`` names the
    order's reference (``risk.orders.record_order_breach`` checks the order exists); it is
    counted and followed (warrant, outcome) like any other breach.

    ``offence`` is ``fail_to_comply`` (s.91(1)(a)) or ``false_information`` (s.91(1)(b));
    ``what`` says which requirement was breached; ``recorded_on`` is the day it was recorded;
    ``failed_from``, if known, the first day of the failure (s.91(3): the offence is committed
    that day and continues while the failure lasts).
    """
    person = _locked_person(actor, person_id)
    recorded = _date(recorded_on, "recorded_on", person, today)
    began = None if failed_from in (None, "") else _date(failed_from, "failed_from", person,
                                                          today)
    if began is not None and began > recorded:
        raise InvalidInput("failed_from", f"{began} is after the breach was recorded "
                                          f"({recorded})")
    start = notification_start(person)
    if start is not None and recorded < start:
        raise InvalidInput("recorded_on", f"{recorded} is before the notification requirements "
                                          f"began ({start})")
    details = {
        "offence": _choice(offence, "offence", BREACH_OFFENCES),
        "crime_reference": _text(crime_reference, "crime_reference",
                                 max_length=REFERENCE_LENGTH),
        "what": _text(what, "what"),
        "failed_from": began.isoformat() if began else None,
        "note": _text(note, "note", required=False, max_length=NOTE_LENGTH),
        "order": _text(order, "order", required=False, max_length=REFERENCE_LENGTH) or None,
    }
    if (details["offence"] == "breach_of_order") != bool(details["order"]):
        raise InvalidInput("order", "is required for, and only for, a breach of an order")
    earlier = find_breach(person_breaches(person), details["crime_reference"])
    if earlier is not None:
        raise InvalidInput("crime_reference",
                           f"{earlier.crime_reference!r} is already recorded for this person "
                           f"(breach recorded on {earlier.recorded_on})")
    return _write(person, EventKind.BREACH_RECORDED, recorded, "recorded_on", details, actor,
                  today)


@transaction.atomic
def record_warrant(
    *,
    person_id: int,
    crime_reference: str,
    on: dt.date | str,
    status: str,
    actor: AbstractBaseUser,
    today: dt.date,
    court: str = "",
    warrant_reference: str = "",
    note: str = "",
) -> Event:
    """A step in the life of a warrant for a breach: applied, issued, executed, withdrawn or
    refused. ``warrant_reference`` is required when the warrant is issued.

    Allowed steps: applied, then issued, refused or withdrawn; issued, then executed or
    withdrawn; once executed, withdrawn or refused, only a new application.
    """
    person = _locked_person(actor, person_id)
    when = _date(on, "on", person, today)
    status = _choice(status, "status", WARRANT_STATUSES)
    court = _text(court, "court", required=False, max_length=120)
    warrant_reference = _text(warrant_reference, "warrant_reference", required=False,
                              max_length=REFERENCE_LENGTH)
    note = _text(note, "note", required=False, max_length=NOTE_LENGTH)
    breach = _breach(person, crime_reference)
    if when < breach.recorded_on:
        raise InvalidInput("on", f"{when} is before the breach was recorded ({breach.recorded_on})")
    if breach.warrant_updated_on is not None and when < breach.warrant_updated_on:
        raise InvalidInput("on", f"{when} is before the last warrant entry for this breach "
                                 f"({breach.warrant_updated_on})")
    if not warrant_step_allowed(breach.warrant_status, status):
        now = breach.warrant_status or "not applied for"
        allowed = _either(WARRANT_NEXT[breach.warrant_status])
        raise InvalidInput("status", f"the warrant is {now}; the next step can only be "
                                     f"{allowed}, not {status}")
    if status == "issued" and not warrant_reference:
        raise InvalidInput("warrant_reference", "is required when a warrant is issued")
    if status != "applied" and breach.warrant_reference:
        # Later steps concern the warrant on record, and are written with its reference.
        if warrant_reference and (warrant_reference.casefold()
                                  != breach.warrant_reference.casefold()):
            raise InvalidInput("warrant_reference", f"{warrant_reference!r} is not the warrant "
                                                    f"on record ({breach.warrant_reference!r})")
        warrant_reference = breach.warrant_reference
    details = {"crime_reference": breach.crime_reference, "status": status, "court": court,
               "warrant_reference": warrant_reference, "note": note}
    return _write(person, EventKind.BREACH_WARRANT, when, "on", details, actor, today)


@transaction.atomic
def record_breach_outcome(
    *,
    person_id: int,
    crime_reference: str,
    on: dt.date | str,
    outcome: str,
    actor: AbstractBaseUser,
    today: dt.date,
    note: str = "",
) -> Event:
    """The outcome of the investigation; the breach is no longer open.

    One outcome per breach, except that the court's result (``convicted`` or ``acquitted``)
    may follow ``charged``.
    """
    person = _locked_person(actor, person_id)
    when = _date(on, "on", person, today)
    outcome = _choice(outcome, "outcome", BREACH_OUTCOMES)
    note = _text(note, "note", required=False, max_length=NOTE_LENGTH)
    breach = _breach(person, crime_reference)
    if when < breach.recorded_on:
        raise InvalidInput("on", f"{when} is before the breach was recorded ({breach.recorded_on})")
    if not outcome_step_allowed(breach.outcome, outcome):
        follow = OUTCOME_NEXT.get(breach.outcome, ())
        can = f"; only {_either(follow)} may follow it" if follow else ""
        raise InvalidInput("outcome", f"the breach already has the outcome {breach.outcome} "
                                      f"(on {breach.outcome_on}){can}")
    if breach.outcome_on is not None and when < breach.outcome_on:
        raise InvalidInput("on", f"{when} is before the outcome {breach.outcome} "
                                 f"({breach.outcome_on})")
    details = {"crime_reference": breach.crime_reference, "outcome": outcome, "note": note}
    return _write(person, EventKind.BREACH_OUTCOME, when, "on", details, actor, today)
