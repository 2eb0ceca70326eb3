"""Writes to the register. Each service checks everything first, then writes in one transaction
and logs itself in the audit chain; a refused input raises :class:`InvalidInput` and changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from whereabouts.access import audit
from whereabouts.access.models import AuditAction
from whereabouts.rules import retention

from .errors import InvalidInput
from .events import AWAY_ENDS, AWAY_PAIRS, parse_date, validate_details
from .models import (
    Address,
    AddressKind,
    Alias,
    DisposalKind,
    Event,
    EventKind,
    Force,
    Person,
    Sex,
)
from .models import Disposal as DisposalRow
from .search_keys import refresh_person as refresh_search_keys


def checked_text(value: Any, field: str, *, required: bool = True, max_length: int = 150) -> str:
    """Text input stripped, or refused naming the field (not text, missing, too long)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    value = value.strip()
    if required and not value:
        raise InvalidInput(field, "is required")
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value


_DISPOSAL_KINDS = frozenset(DisposalKind.values)  # .values builds a new list at each call
_ADDRESS_KINDS = frozenset(AddressKind.values)


@dataclass(frozen=True)
class DisposalInput:
    """A disposal as entered; checked by :func:`check_disposal`."""

    offence: str
    kind: str
    court: str = ""
    months: int | None = None
    life: bool = False
    restriction_order: bool = False
    suspended: bool = False


def check_disposal(disposal: DisposalInput, *, field: str = "disposal") -> DisposalInput:
    """The same rules the legislation engine applies to a disposal, with field-named errors."""
    checked_text(disposal.offence, f"{field}.offence", max_length=200)
    if disposal.kind not in _DISPOSAL_KINDS:
        raise InvalidInput(f"{field}.kind", f"must be one of {', '.join(DisposalKind.values)}")
    months_needed = (disposal.kind == DisposalKind.IMPRISONMENT and not disposal.life) or (
        disposal.kind == DisposalKind.CONDITIONAL_DISCHARGE
    )
    if months_needed and disposal.months is None:
        raise InvalidInput(f"{field}.months", f"is required for {disposal.kind}")
    if disposal.months is not None:
        if disposal.kind not in (DisposalKind.IMPRISONMENT, DisposalKind.CONDITIONAL_DISCHARGE):
            raise InvalidInput(f"{field}.months", f"does not apply to {disposal.kind}")
        if isinstance(disposal.months, bool) or not isinstance(disposal.months, int):
            raise InvalidInput(f"{field}.months", "must be a whole number of months")
        if disposal.months < 1:
            raise InvalidInput(f"{field}.months", "must be at least 1")
    if disposal.life and disposal.kind != DisposalKind.IMPRISONMENT:
        raise InvalidInput(f"{field}.life", "applies only to imprisonment")
    if disposal.restriction_order and disposal.kind != DisposalKind.HOSPITAL_ORDER:
        raise InvalidInput(f"{field}.restriction_order", "applies only to a hospital order")
    if disposal.suspended and disposal.kind != DisposalKind.IMPRISONMENT:
        raise InvalidInput(f"{field}.suspended", "applies only to imprisonment")
    return disposal


@dataclass(frozen=True)
class AddressInput:
    kind: str
    line1: str
    town: str
    line2: str = ""
    postcode: str = ""


def _check_addresses(addresses: Iterable[AddressInput]) -> list[AddressInput]:
    checked = []
    for i, address in enumerate(addresses):
        field = f"addresses[{i}]"
        if address.kind not in _ADDRESS_KINDS:
            raise InvalidInput(f"{field}.kind", f"must be one of {', '.join(AddressKind.values)}")
        checked_text(address.line1, f"{field}.line1", max_length=120)
        checked_text(address.town, f"{field}.town", max_length=80)
        checked_text(address.line2, f"{field}.line2", required=False, max_length=120)
        checked_text(address.postcode, f"{field}.postcode", required=False, max_length=10)
        checked.append(address)
    return checked


@transaction.atomic
def person_register(
    *,
    force: str,
    family_name: str,
    given_names: str,
    date_of_birth: dt.date | str,
    sex: str,
    reference: str,
    today: dt.date,
    recorded_by: AbstractBaseUser | None,
    source: str,
    pnc_id: str = "",
    cro_number: str = "",
    ni_number: str = "",
    passport_number: str = "",
) -> Person:
    """Put a person on the register. Their disposals and notifications follow as events."""
    dob = parse_date(date_of_birth, "date_of_birth")
    if dob > today:
        raise InvalidInput("date_of_birth", "is in the future")
    if sex not in Sex.values:
        raise InvalidInput("sex", f"must be one of {', '.join(Sex.values)}")
    try:
        force_row = Force.objects.get(slug=force)
    except Force.DoesNotExist:
        raise InvalidInput("force", f"no force has the slug {force!r}") from None
    reference = checked_text(reference, "reference", max_length=20)
    if Person.objects.filter(reference=reference).exists():
        raise InvalidInput("reference", f"{reference!r} is already used")
    now = timezone.now()
    person = Person.objects.create(
        reference=reference,
        force=force_row,
        family_name=checked_text(family_name, "family_name", max_length=100),
        given_names=checked_text(given_names, "given_names"),
        date_of_birth=dob,
        sex=sex,
        pnc_id=checked_text(pnc_id, "pnc_id", required=False, max_length=20),
        cro_number=checked_text(cro_number, "cro_number", required=False, max_length=20),
        ni_number=checked_text(ni_number, "ni_number", required=False, max_length=13),
        passport_number=checked_text(passport_number, "passport_number", required=False,
                                     max_length=20),
        created_at=now,
        created_by=recorded_by,
        next_review=retention.latest_review(dob, today),
    )
    Event.objects.create(person=person, kind=EventKind.REGISTERED, effective_date=today,
                         recorded_at=now, recorded_by=recorded_by, source=source)
    refresh_search_keys(person.pk)
    audit.record(actor=recorded_by, action=AuditAction.COLLECTION, person_id=person.pk,
                 what="registered a person")
    return person


def _live_events(person: Person) -> list[Event]:
    superseded = Event.objects.filter(person=person, supersedes__isnull=False).values("supersedes")
    return list(Event.objects.filter(person=person).exclude(pk__in=superseded)
                .exclude(kind=EventKind.VOID).order_by("effective_date", "id"))


def _check_sequence(person: Person, kind: str, when: dt.date, ignore: Event | None) -> None:
    """Refuse an event that contradicts the ledger: an end with no start, anything after death."""
    events = [(e.kind, e.effective_date) for e in _live_events(person)
              if ignore is None or e.pk != ignore.pk]
    check_sequence(events, kind, when)


_PAIRS = {**{s: s for s in AWAY_PAIRS}, **AWAY_ENDS}


def check_sequence(events: Sequence[tuple[str, dt.date]], kind: str, when: dt.date) -> None:
    """The sequence rules on a plain ledger (live entries as (kind, date), in date order):
    nothing after a death, one death, no end of a custody, hospital or abroad period that is
    not open on its date and no start of one already open. The import checks its rows here
    too, so that an imported ledger is judged as a typed-in one."""
    death = next((d for k, d in events if k == EventKind.DEATH), None)
    if death is not None and when > death:
        raise InvalidInput("effective_date", f"is after the person's death on {death}")
    if kind == EventKind.DEATH and death is not None:
        raise InvalidInput("kind", "the person's death is already recorded")
    if kind not in _PAIRS:
        return
    start_kind = _PAIRS[kind]
    end_kind = AWAY_PAIRS[start_kind][0]
    open_since: dt.date | None = None
    for event_kind, event_date in events:
        if event_date > when:
            break
        if event_kind == start_kind:
            open_since = open_since or event_date
        elif event_kind == end_kind:
            open_since = None
    label = AWAY_PAIRS[start_kind][1]
    if kind == end_kind and open_since is None:
        raise InvalidInput("effective_date", f"no {label} period is open on {when} to end")
    if kind == start_kind and open_since is not None:
        raise InvalidInput("effective_date", f"a {label} period is already open since {open_since}")


@transaction.atomic
def event_record(
    *,
    person_id: int,
    kind: str,
    effective_date: dt.date | str,
    today: dt.date,
    recorded_by: AbstractBaseUser | None,
    source: str,
    details: Mapping[str, Any] | None = None,
    disposal: DisposalInput | None = None,
    addresses: Iterable[AddressInput] = (),
    aliases: Iterable[tuple[str, str, dt.date | None, dt.date | None]] = (),
    supersedes: int | None = None,
    reason: str = "",
) -> Event:
    """Add one event to a person's ledger, or a correction of an earlier one."""
    try:
        person = Person.objects.select_for_update().get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise InvalidInput("person", f"no person has the id {person_id!r}") from None
    when = parse_date(effective_date, "effective_date")
    clean = validate_details(kind, dict(details or {}))
    merged = merged_into(person.pk)
    if merged is not None:
        raise InvalidInput("person", f"{person.reference} was merged into "
                                     f"{merged['survivor_reference']} on {merged['on']}: "
                                     f"record on that record")
    if when < person.date_of_birth:
        raise InvalidInput("effective_date", f"{when} is before the date of birth")
    if when > today:
        raise InvalidInput("effective_date", f"{when} is in the future")
    if kind == EventKind.REGISTERED:
        raise InvalidInput("kind", "a person is registered once, by registering them")
    if (kind == EventKind.DISPOSAL) != (disposal is not None):
        raise InvalidInput("disposal", "is required for, and only for, a disposal event")
    if disposal is not None:
        check_disposal(disposal)
    checked_addresses = _check_addresses(addresses)
    if checked_addresses and not kind.startswith("notification."):
        raise InvalidInput("addresses", "are given only in a notification")
    old: Event | None = None
    if supersedes is not None:
        try:
            old = Event.objects.get(pk=supersedes, person=person)
        except Event.DoesNotExist:
            raise InvalidInput("supersedes", f"no entry {supersedes!r} in this ledger") from None
        if Event.objects.filter(supersedes=old).exists():
            raise InvalidInput("supersedes", "that entry has already been superseded")
        if old.kind == EventKind.REGISTERED:
            raise InvalidInput("supersedes", "the registration itself cannot be superseded")
        if kind != EventKind.VOID and kind != old.kind:
            raise InvalidInput("kind", f"a correction of a {old.kind} entry must be one too")
        if not reason.strip():
            raise InvalidInput("reason", "is required when an entry is corrected or withdrawn")
    elif kind == EventKind.VOID:
        raise InvalidInput("supersedes", "is required to withdraw an entry")
    if kind != EventKind.VOID:
        _check_sequence(person, kind, when, ignore=old)
    moved_from = person.force_id
    if kind == EventKind.ASSIGNMENT:
        _apply_assignment(person, clean)
    aliases = list(aliases)
    if kind == EventKind.IDENTITY and (clean or not aliases):
        _apply_identity(person, clean)

    event = Event.objects.create(
        person=person, kind=kind, effective_date=when, recorded_at=timezone.now(),
        recorded_by=recorded_by, source=source, details=clean, supersedes=old,
        reason=reason.strip(),
    )
    if disposal is not None:
        DisposalRow.objects.create(
            event=event, person=person, relevant_date=when, offence=disposal.offence.strip(),
            court=disposal.court.strip(), kind=disposal.kind, months=disposal.months,
            life=disposal.life, restriction_order=disposal.restriction_order,
            suspended=disposal.suspended,
        )
    for address in checked_addresses:
        Address.objects.create(event=event, person=person, kind=address.kind,
                               line1=address.line1.strip(), line2=address.line2.strip(),
                               town=address.town.strip(), postcode=address.postcode.strip(),
                               from_date=when)
    new_alias = False
    for family, given, used_from, used_to in aliases:
        new_alias = True
        Alias.objects.create(event=event, person=person, family_name=family, given_names=given,
                             used_from=used_from, used_to=used_to)
    if kind == EventKind.IDENTITY or checked_addresses or new_alias or old is not None:
        refresh_search_keys(person.pk)  # names, postcodes or a withdrawn entry's may change
    action = AuditAction.ALTERATION if old is not None else AuditAction.COLLECTION
    audit.record(actor=recorded_by, action=action, person_id=person.pk,
                 what=f"recorded {kind} effective {when}", reason=reason.strip())
    if kind == EventKind.ASSIGNMENT and person.force_id != moved_from:
        from .transfers import after_assignment

        after_assignment(event, person, moved_from)
    if checked_addresses and not person.addresses.filter(from_date__gt=when).exists():
        from .transfers import after_notification  # transfers write through this module

        after_notification(event, person, actor=recorded_by, today=today)
    return event


def merged_into(person_id: int) -> dict[str, Any] | None:
    """The merge of this record into another (``survivor``, ``survivor_reference``, ``on``,
    ``reason``), or None. A merged record takes no further entry: it is kept, as it was, for
    its history (docs/linkage.md, "Duplicate identities")."""
    row = (Event.objects.filter(person_id=person_id, kind=EventKind.MERGED_INTO)
           .values("details", "effective_date", "reason").first())
    if row is None:
        return None
    return {**row["details"], "on": row["effective_date"], "reason": row["reason"]}


def merges_into(person_id: int) -> list[dict[str, Any]]:
    """The records merged into this one (``merged``, ``merged_reference``, ``on``,
    ``reason``), oldest first: for the surviving record's page."""
    return [{**details, "on": on, "reason": reason} for details, on, reason in
            Event.objects.filter(person_id=person_id, kind=EventKind.MERGED_FROM)
            .order_by("effective_date", "id").values_list("details", "effective_date",
                                                          "reason")]


def _apply_assignment(person: Person, details: dict[str, Any]) -> None:
    """Keep the cached owner in step with the latest assignment event."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    try:
        manager = user_model.objects.get(username=details["offender_manager"])
    except user_model.DoesNotExist:
        raise InvalidInput("details.offender_manager", "no such user") from None
    if not Force.objects.filter(slug=details["force"]).exists():
        raise InvalidInput("details.force", f"no force has the slug {details['force']!r}")
    person.offender_manager = manager
    person.force_id = details["force"]
    person.save(update_fields=["offender_manager", "force"])


def _apply_identity(person: Person, details: dict[str, Any]) -> None:
    """Keep the cached current identity in step with the latest identity event."""
    if not details:
        raise InvalidInput("details", "an identity entry must change at least one field "
                                      "or add an alias")
    for name, value in details.items():
        setattr(person, name, dt.date.fromisoformat(value) if name == "date_of_birth" else value)
    person.save(update_fields=list(details))
