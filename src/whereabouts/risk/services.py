"""Recording MAPP meetings and their actions; marking an action done.

Keyword-only, one transaction each, checking who may (``access.permissions``:
``mappa.meeting``, ``mappa.actions``). Bad input is refused with ``InvalidInput`` naming the
field (``attendees.2.name``, ``actions.1.due_on``, ...), and then nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.events import MAPPA_LEVELS, parse_date
from whereabouts.register.models import EventKind, Person
from whereabouts.register.recording import NotPermitted

from .models import MAPPA_AGENCIES, MappaAction, MappaMeeting, MeetingAttendee

#: The roles whose users can be named as attendees or owners: casework and partner agencies.
NAMEABLE_ROLES = (*policy.CASEWORK_ROLES, "partner")


def person_to_record(actor: AbstractBaseUser, person_id: int, permission: str) -> Person:
    """The person, if ``actor`` holds ``permission`` and records for the person's force."""
    person = policy.visible_people(actor).filter(pk=person_id).first()
    if (person is None or not policy.may(actor, permission)
            or not policy.can_record_events(actor, person)):
        raise NotPermitted("not found")
    return person


def _user(username: str, force_id: str, field: str) -> Any:
    """An active user of the person's force who can be named (casework or partner)."""
    found = (get_user_model().objects.filter(
        username=username, is_active=True, staff__force_id=force_id,
        staff__role__in=NAMEABLE_ROLES).first())
    if found is None:
        raise InvalidInput(field, f"no officer or partner user {username!r} in the force")
    return found


def _agency(value: Any, field: str) -> str:
    if value not in MAPPA_AGENCIES:
        raise InvalidInput(field, f"must be one of {', '.join(MAPPA_AGENCIES)}")
    return str(value)


def _text(value: Any, field: str, *, required: bool = True, max_length: int = 150) -> str:
    return register.checked_text(value, field, required=required, max_length=max_length)


@transaction.atomic
def record_meeting(*, person_id: int, held_on: dt.date | str, level: str, chair: str,
                   decisions: str, attendees: Iterable[Mapping[str, Any]],
                   actions: Iterable[Mapping[str, Any]] = (), actor: AbstractBaseUser,
                   today: dt.date) -> MappaMeeting:
    """A MAPP meeting about a person: who attended (agency, name, optionally their user),
    what it decided, and the actions it set (description, owner user and/or agency, due
    date). Written as a ``mappa.meeting`` entry too, so it is on the timeline.

    ``attendees``: mappings with ``agency``, ``name`` and optionally ``user`` (a username);
    ``actions``: mappings with ``description``, ``owner_agency``, optionally ``owner`` (a
    username) and ``due_on``.
    """
    person = person_to_record(actor, person_id, "mappa.meeting")
    held = parse_date(held_on, "held_on")
    if held > today:
        raise InvalidInput("held_on", f"{held} is in the future")
    if level not in MAPPA_LEVELS:
        raise InvalidInput("level", f"must be one of {', '.join(MAPPA_LEVELS)}")
    chair = _text(chair, "chair")
    decisions = _text(decisions, "decisions", max_length=4000)
    people: list[tuple[str, str, Any]] = []
    for n, row in enumerate(attendees, 1):
        agency = _agency(row.get("agency"), f"attendees.{n}.agency")
        name = _text(row.get("name"), f"attendees.{n}.name")
        user = (_user(row["user"], person.force_id, f"attendees.{n}.user")
                if row.get("user") else None)
        people.append((agency, name, user))
    if not people:
        raise InvalidInput("attendees", "at least one attendee is required")
    todo: list[tuple[str, str, Any, dt.date | None]] = []
    for n, row in enumerate(actions, 1):
        description = _text(row.get("description"), f"actions.{n}.description",
                            max_length=500)
        agency = _agency(row.get("owner_agency"), f"actions.{n}.owner_agency")
        owner = (_user(row["owner"], person.force_id, f"actions.{n}.owner")
                 if row.get("owner") else None)
        due = parse_date(row["due_on"], f"actions.{n}.due_on") if row.get("due_on") else None
        if due is not None and due < held:
            raise InvalidInput(f"actions.{n}.due_on", f"{due} is before the meeting ({held})")
        todo.append((description, agency, owner, due))
    meeting = MappaMeeting.objects.create(
        person=person, held_on=held, level=level, chair=chair, decisions=decisions,
        recorded_by=actor, recorded_at=timezone.now())
    MeetingAttendee.objects.bulk_create(
        MeetingAttendee(meeting=meeting, person=person, agency=a, name=name, user=u)
        for a, name, u in people)
    MappaAction.objects.bulk_create(
        MappaAction(meeting=meeting, person=person, description=d, owner_agency=a, owner=o,
                    due_on=due) for d, a, o, due in todo)
    summary = "; ".join(f"{MAPPA_AGENCIES[a]}: {name}" for a, name, _ in people)
    meeting.event = register.event_record(
        person_id=person.pk, kind=EventKind.MAPPA_MEETING, effective_date=held, today=today,
        recorded_by=actor, source="web",
        details={"meeting": meeting.pk, "level": level, "chair": chair,
                 "attendees": summary[:2000], "decisions": decisions, "actions": len(todo)})
    meeting.save(update_fields=["event"])
    return meeting


def may_complete(actor: AbstractBaseUser, action: MappaAction) -> bool:
    """The owner, or a caseworker who records meetings for the person's force."""
    if action.owner_id is not None and action.owner_id == actor.pk and policy.may(
            actor, "mappa.actions"):
        return True
    return policy.may(actor, "mappa.meeting") and policy.can_record_events(actor, action.person)


@transaction.atomic
def complete_action(*, action_id: int, done_on: dt.date | str, actor: AbstractBaseUser,
                    today: dt.date) -> MappaAction:
    """Mark a MAPPA action done (once)."""
    action = (MappaAction.objects.select_for_update().select_related("person")
              .filter(pk=action_id).first())
    if action is None or not may_complete(actor, action):
        raise NotPermitted("not found")
    done = parse_date(done_on, "done_on")
    if done > today:
        raise InvalidInput("done_on", f"{done} is in the future")
    if action.done_on is not None:
        raise InvalidInput("done_on", f"the action was already done on {action.done_on}")
    if done < action.meeting.held_on:
        raise InvalidInput("done_on", f"{done} is before the meeting "
                                      f"({action.meeting.held_on})")
    action.done_on, action.done_by = done, actor
    action.save(update_fields=["done_on", "done_by"])
    audit.record(actor=actor, action=AuditAction.ALTERATION, person_id=action.person_id,
                 what=f"marked MAPPA action {action.pk} done")
    return action


# Orders (SHPO, SRO) ---------------------------------------------------------------------

def person_orders(person: Person) -> list[Any]:
    from whereabouts.register.selectors import live_events

    from .orders import ORDER_KINDS, orders_from

    return orders_from((e.kind, e.effective_date, e.details) for e in live_events(person)
                       if e.kind in ORDER_KINDS)


def _order(person: Person, reference: str) -> Any:
    from .orders import reference_key

    key = reference_key(reference or "")
    found = next((o for o in person_orders(person) if reference_key(o.reference) == key), None)
    if found is None:
        raise InvalidInput("reference", f"no order {reference!r} is recorded for this person")
    return found


def _ends(when: dt.date, end_date: dt.date | str | None, indefinite: bool,
          required: bool) -> dt.date | None:
    end = parse_date(end_date, "end_date") if end_date else None
    if end is not None and indefinite:
        raise InvalidInput("end_date", "must be empty for an indefinite order")
    if end is None and not indefinite and required:
        raise InvalidInput("end_date", "is required: give the end date, or say the order is "
                                       "indefinite (until further order)")
    if end is not None and end <= when:
        raise InvalidInput("end_date", f"{end} is not after {when}")
    return end


def _written(person: Person, kind: str, when: dt.date | str, field: str,
             details: dict[str, Any], actor: AbstractBaseUser, today: dt.date) -> Any:
    from whereabouts.visits.services import _entry

    return _entry(person, kind, when, field, details, actor, today)


@transaction.atomic
def record_order(*, person_id: int, order_type: str, made_on: dt.date | str, reference: str,
                 court: str, prohibitions: str, actor: AbstractBaseUser, today: dt.date,
                 end_date: dt.date | str | None = None, indefinite: bool = False,
                 note: str = "") -> Any:
    """A SHPO or SRO (or an interim one) made by a court, with its prohibitions (one per
    line) and its end date, or indefinite."""
    from .orders import lines, reference_key

    person = person_to_record(actor, person_id, "orders.record")
    made = parse_date(made_on, "made_on")
    reference = _text(reference, "reference", max_length=40)
    court = _text(court, "court")
    if any(reference_key(o.reference) == reference_key(reference)
           for o in person_orders(person)):
        raise InvalidInput("reference", f"{reference!r} is already recorded for this person")
    if not lines(prohibitions or ""):
        raise InvalidInput("prohibitions", "is required: one prohibition per line")
    end = _ends(made, end_date, indefinite, True)
    return _written(person, EventKind.ORDER_MADE, made, "made_on", {
        "order_type": order_type, "reference": reference, "court": court,
        "prohibitions": "\n".join(lines(prohibitions)), "end_date": end,
        "indefinite": indefinite or None, "note": note}, actor, today)


@transaction.atomic
def vary_order(*, person_id: int, reference: str, varied_on: dt.date | str,
               actor: AbstractBaseUser, today: dt.date, court: str = "",
               prohibitions: str = "", end_date: dt.date | str | None = None,
               indefinite: bool = False, note: str = "") -> Any:
    """A variation: new prohibitions (replacing the old list) and/or a new end."""
    from .orders import lines

    person = person_to_record(actor, person_id, "orders.record")
    order = _order(person, reference)
    when = parse_date(varied_on, "varied_on")
    if when < order.made_on or (order.discharged_on and when >= order.discharged_on):
        raise InvalidInput("varied_on", f"{when} is not while the order was in force")
    end = _ends(order.made_on, end_date, indefinite, False)
    if not lines(prohibitions or "") and end is None and not indefinite:
        raise InvalidInput("prohibitions", "say what the variation changes: the prohibitions, "
                                           "the end date, or both")
    return _written(person, EventKind.ORDER_VARIED, when, "varied_on", {
        "reference": order.reference, "court": court,
        "prohibitions": "\n".join(lines(prohibitions or "")), "end_date": end,
        "indefinite": indefinite or None, "note": note}, actor, today)


@transaction.atomic
def discharge_order(*, person_id: int, reference: str, discharged_on: dt.date | str,
                    actor: AbstractBaseUser, today: dt.date, court: str = "",
                    note: str = "") -> Any:
    """The order is discharged by the court: no longer in force from that day."""
    person = person_to_record(actor, person_id, "orders.record")
    order = _order(person, reference)
    when = parse_date(discharged_on, "discharged_on")
    if order.discharged_on is not None:
        raise InvalidInput("reference", f"the order was already discharged on "
                                        f"{order.discharged_on}")
    if when <= order.made_on:
        raise InvalidInput("discharged_on", f"{when} is not after the order was made "
                                            f"({order.made_on})")
    return _written(person, EventKind.ORDER_DISCHARGED, when, "discharged_on", {
        "reference": order.reference, "court": court, "note": note}, actor, today)


@transaction.atomic
def record_order_breach(*, person_id: int, reference: str, recorded_on: dt.date | str,
                        crime_reference: str, what: str, actor: AbstractBaseUser,
                        today: dt.date, failed_from: dt.date | str | None = None,
                        note: str = "") -> Any:
    """A breach of a SHPO or SRO: a breach entry (offence ``breach_of_order``) naming the
    order, which must have been in force on the first day of the failure (or the day it was
    recorded)."""
    from whereabouts.missing import breach_services

    person = person_to_record(actor, person_id, "orders.record")
    order = _order(person, reference)
    on = parse_date(failed_from, "failed_from") if failed_from else parse_date(
        recorded_on, "recorded_on")
    if not order.active_on(on):
        raise InvalidInput("failed_from" if failed_from else "recorded_on",
                           f"the order {order.reference} was not in force on {on}")
    return breach_services.record_breach(
        person_id=person.pk, recorded_on=recorded_on, offence="breach_of_order",
        crime_reference=crime_reference, what=what, actor=actor, today=today, note=note,
        failed_from=failed_from, order=order.reference)


# ARMS ------------------------------------------------------------------------------------

@transaction.atomic
def record_arms(*, person_id: int, assessed_on: dt.date | str, assessor: str,
                priorities: str, next_due: dt.date | str, actor: AbstractBaseUser,
                today: dt.date, risk_factors: str = "", protective_factors: str = "",
                note: str = "") -> Any:
    """An ARMS assessment as recorded: the factors (one per line), the priorities for the
    plan and the date the next is due. It informs the risk level; it does not set it."""
    from .orders import lines
    from .sweep import run_arms_sweep

    person = person_to_record(actor, person_id, "risk.record")
    assessor = _text(assessor, "assessor")
    priorities = _text(priorities, "priorities", max_length=4000)
    when = parse_date(assessed_on, "assessed_on")
    due = parse_date(next_due, "next_due")
    if due <= when:
        raise InvalidInput("next_due", f"{due} is not after the assessment ({when})")
    if not lines(risk_factors or "") and not lines(protective_factors or ""):
        raise InvalidInput("risk_factors", "record the risk factors or the protective "
                                           "factors as assessed")
    event = _written(person, EventKind.ARMS_ASSESSMENT, when, "assessed_on", {
        "assessor": assessor, "risk_factors": "\n".join(lines(risk_factors or "")),
        "protective_factors": "\n".join(lines(protective_factors or "")),
        "priorities": priorities, "next_due": due, "note": note}, actor, today)
    run_arms_sweep(today, [person.pk])
    return event
