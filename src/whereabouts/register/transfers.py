"""Handing a person from one force to another.

A notification of a home address (or, with no fixed abode, the place where they can
regularly be found) in another force's area opens a transfer (``postcodes``). The receiving
force accepts it within ``WHEREABOUTS_TRANSFER_ACCEPT_DAYS`` and assigns an offender manager;
until then the sending force stays responsible and both forces see the person. A transfer
not accepted in time is overdue: both forces' lists show it at the top, and senior officers
see the count on their home page. The sending force can cancel a transfer opened in error.
Every step is a ledger entry, so the person's timeline shows every handover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from whereabouts.access import policy

from . import services
from .errors import InvalidInput
from .models import AddressKind, Event, EventKind, Force, Person, Transfer, TransferState
from .postcodes import force_for_postcode
from .recording import NotPermitted  # shown as "not found", like the recording steps

#: Notifications whose home address can move a person to another force.
MOVING_KINDS = (EventKind.NOTIFICATION_INITIAL, EventKind.NOTIFICATION_CHANGE,
                EventKind.NOTIFICATION_PERIODIC)


def accept_days() -> int:
    return int(getattr(settings, "WHEREABOUTS_TRANSFER_ACCEPT_DAYS", 7))


def pending_for(person: Person) -> Transfer | None:
    return Transfer.objects.filter(person=person, state=TransferState.PENDING).first()


def after_notification(event: Event, person: Person, *, actor: AbstractBaseUser | None,
                       today: dt.date) -> Transfer | None:
    """Open, move or cancel a transfer after a notification; called by the register.

    The new home address decides: in another force's area, a transfer there is opened (one
    already pending elsewhere is cancelled first); back in the person's own force's area, a
    pending transfer is cancelled. An address whose area is not known changes nothing.
    """
    if event.kind not in MOVING_KINDS:
        return None
    home = next((a for a in event.addresses.all()
                 if a.kind in (AddressKind.HOME, AddressKind.REGULAR_PLACE)), None)
    if home is None or not home.postcode:
        return None
    area = force_for_postcode(home.postcode)
    if area is None:
        return None
    pending = pending_for(person)
    if pending is not None and pending.to_force_id == area:
        return pending
    if pending is not None:
        _close(pending, kind=EventKind.TRANSFER_CANCELLED, actor=actor, today=today,
               details={"to_force": pending.to_force_id,
                        "note": f"A later notification gave a home address in {area}'s area"})
    if area == person.force_id:
        return None
    due = today + dt.timedelta(days=accept_days())
    opened = services.event_record(
        person_id=person.pk, kind=EventKind.TRANSFER_OPENED, effective_date=today, today=today,
        recorded_by=actor, source=event.source,
        details={"from_force": person.force_id, "to_force": area, "postcode": home.postcode,
                 "due_by": due})
    return Transfer.objects.create(
        person=person, from_force_id=person.force_id, to_force_id=area, opened_by_event=opened,
        notification=event, opened_on=today, due_by=due)


def after_assignment(event: Event, person: Person, from_force: str) -> None:
    """An assignment that moves a person to another force outside a transfer (an import, an
    administrator's correction) is kept as a handover too, so that figures for earlier dates
    still count the person where they were; one that completes a transfer already is."""
    to_force = event.details["force"]
    if Transfer.objects.filter(person=person, state=TransferState.ACCEPTED, to_force_id=to_force,
                               closed_on=event.effective_date).exists():
        return
    Transfer.objects.create(person=person, from_force_id=from_force, to_force_id=to_force,
                            opened_by_event=event, opened_on=event.effective_date,
                            due_by=event.effective_date, state=TransferState.ACCEPTED,
                            closed_on=event.effective_date)


def _close(transfer: Transfer, *, kind: str, actor: AbstractBaseUser | None, today: dt.date,
           details: dict[str, object]) -> Event:
    closing = services.event_record(person_id=transfer.person_id, kind=kind,
                                    effective_date=today, today=today, recorded_by=actor,
                                    source="web", details=details)
    transfer.state = (TransferState.ACCEPTED if kind == EventKind.TRANSFER_ACCEPTED
                      else TransferState.CANCELLED)
    transfer.closed_on = today
    transfer.closed_by_event = closing
    transfer.save(update_fields=["state", "closed_on", "closed_by_event"])
    return closing


def _transfer(actor: AbstractBaseUser, transfer_id: int, side: str) -> Transfer:
    """A pending transfer that ``actor`` manages on ``side`` ("to" or "from"), locked."""
    profile = policy.profile_of(actor)
    transfer = (Transfer.objects.select_for_update().select_related("person", "to_force")
                .filter(pk=transfer_id).first())
    force = getattr(transfer, f"{side}_force_id", None) if transfer else None
    if (transfer is None or profile is None or not policy.may(actor, "transfers.manage")
            or profile.force_id != force):
        raise NotPermitted("not found")
    if transfer.state != TransferState.PENDING:
        raise InvalidInput("transfer", f"is no longer waiting: it was {transfer.state} on "
                                       f"{transfer.closed_on}")
    return transfer


def pending_transfer_for(actor: AbstractBaseUser, transfer_id: int, side: str
                         ) -> Transfer | None:
    """A pending transfer that ``actor`` manages on ``side`` ("to" or "from"), for a page to
    show; ``None`` for one that is not theirs, not waiting, or not there."""
    profile = policy.profile_of(actor)
    transfer = (Transfer.objects.select_related("person", "from_force", "to_force")
                .filter(pk=transfer_id, state=TransferState.PENDING).first())
    if (transfer is None or profile is None or not policy.may(actor, "transfers.manage")
            or getattr(transfer, f"{side}_force_id") != profile.force_id):
        return None
    return transfer


@transaction.atomic
def accept_transfer(*, transfer_id: int, offender_manager: str, actor: AbstractBaseUser,
                    today: dt.date, note: str = "") -> Transfer:
    """The receiving force takes the person on and names their offender manager."""
    transfer = _transfer(actor, transfer_id, "to")
    manager = policy.caseworkers(transfer.to_force_id).filter(username=offender_manager).first()
    if manager is None:
        raise InvalidInput("offender_manager",
                           f"is not an officer of {transfer.to_force.name}")
    note = services.checked_text(note, "note", required=False, max_length=2000)
    _close(transfer, kind=EventKind.TRANSFER_ACCEPTED, actor=actor, today=today,
           details={"to_force": transfer.to_force_id, "offender_manager": manager.username,
                    "note": note})
    services.event_record(person_id=transfer.person_id, kind=EventKind.ASSIGNMENT,
                          effective_date=today, today=today, recorded_by=actor, source="web",
                          details={"offender_manager": manager.username,
                                   "force": transfer.to_force_id})
    return transfer


@transaction.atomic
def cancel_transfer(*, transfer_id: int, reason: str, actor: AbstractBaseUser,
                    today: dt.date) -> Transfer:
    """The sending force withdraws a transfer opened in error (the reason is required)."""
    transfer = _transfer(actor, transfer_id, "from")
    reason = services.checked_text(reason, "reason", max_length=2000)
    _close(transfer, kind=EventKind.TRANSFER_CANCELLED, actor=actor, today=today,
           details={"to_force": transfer.to_force_id, "note": reason})
    return transfer


@transaction.atomic
def open_transfer(*, person_id: int, to_force: str, actor: AbstractBaseUser, today: dt.date,
                  note: str) -> Transfer:
    """The sending force hands a person over by hand (for example, a postcode whose area is
    not in the reference table, or a move agreed before the notification)."""
    person = policy.visible_people(actor).filter(pk=person_id).first()
    if (person is None or not policy.can_record_events(actor, person)
            or not policy.may(actor, "transfers.manage")):
        raise NotPermitted("not found")
    if not Force.objects.filter(slug=to_force).exists():
        raise InvalidInput("to_force", f"no force has the slug {to_force!r}")
    if to_force == person.force_id:
        raise InvalidInput("to_force", "is the person's own force")
    if pending_for(person) is not None:
        raise InvalidInput("to_force", "a transfer is already waiting for this person")
    note = services.checked_text(note, "note", max_length=2000)
    due = today + dt.timedelta(days=accept_days())
    opened = services.event_record(
        person_id=person.pk, kind=EventKind.TRANSFER_OPENED, effective_date=today, today=today,
        recorded_by=actor, source="web",
        details={"from_force": person.force_id, "to_force": to_force, "due_by": due,
                 "note": note})
    return Transfer.objects.create(person=person, from_force_id=person.force_id,
                                   to_force_id=to_force, opened_by_event=opened,
                                   opened_on=today, due_by=due)


def force_transfers(force: str, today: dt.date, *, recent_days: int = 90
                    ) -> dict[str, list[Transfer]]:
    """A force's transfers: waiting to come in, waiting to go out (overdue first, then by due
    date), and those accepted or cancelled in the last ``recent_days``."""
    rows = list(Transfer.objects.filter(
        models.Q(to_force_id=force) | models.Q(from_force_id=force)
    ).filter(models.Q(state=TransferState.PENDING)
             | models.Q(closed_on__gte=today - dt.timedelta(days=recent_days)))
        .select_related("person", "from_force", "to_force", "person__offender_manager"))
    pending = sorted((t for t in rows if t.state == TransferState.PENDING),
                     key=lambda t: (t.due_by, t.pk))
    return {
        "incoming": [t for t in pending if t.to_force_id == force],
        "outgoing": [t for t in pending if t.from_force_id == force],
        "closed": sorted((t for t in rows if t.state != TransferState.PENDING),
                         key=lambda t: (t.closed_on, t.pk), reverse=True),
    }


def overdue_count(force: str, today: dt.date) -> int:
    """Transfers into or out of ``force`` not accepted in time."""
    return Transfer.objects.filter(
        models.Q(to_force_id=force) | models.Q(from_force_id=force),
        state=TransferState.PENDING, due_by__lt=today).count()


def handovers(person_ids: Iterable[int] | None = None
              ) -> dict[int, list[tuple[dt.date, str, str]]]:
    """Accepted transfers per person, oldest first: ``(accepted_on, from_force, to_force)``."""
    rows = Transfer.objects.filter(state=TransferState.ACCEPTED)
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    out: dict[int, list[tuple[dt.date, str, str]]] = {}
    for person_id, closed_on, from_force, to_force in rows.order_by(
            "person_id", "closed_on", "id").values_list("person_id", "closed_on",
                                                        "from_force_id", "to_force_id"):
        out.setdefault(person_id, []).append((closed_on, from_force, to_force))
    return out


def force_stretches(handed: list[tuple[dt.date, str, str]], starts_on: dt.date,
                    ends_on: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """``starts_on``..``ends_on`` cut where the person was handed over: ``(force, first,
    last)`` for each stretch (a handover accepted on D counts for the new force from D)."""
    force, start, out = handed[0][1], starts_on, []
    for accepted_on, _, to_force in handed:
        if accepted_on > ends_on:
            break
        if accepted_on > start:
            out.append((force, start, accepted_on - dt.timedelta(days=1)))
            start = accepted_on
        force = to_force
    out.append((force, start, ends_on))
    return out


def forces_as_at(as_at: dt.date) -> dict[int, str]:
    """For people handed between forces, the force responsible for them as at ``as_at``;
    everyone else's is their force now. Figures for a past date count people where they
    were then, so a handover never changes an answer already given."""
    forces: dict[int, str] = {}
    for person_id, from_force, to_force, closed_on in (
            Transfer.objects.filter(state=TransferState.ACCEPTED)
            .order_by("person_id", "closed_on", "id")
            .values_list("person_id", "from_force_id", "to_force_id", "closed_on")):
        forces.setdefault(person_id, from_force)  # before their first handover
        if closed_on <= as_at:
            forces[person_id] = to_force
    return forces
