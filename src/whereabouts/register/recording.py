"""Recording what a person notifies and where they go, as the pages do it.

Each function checks that the user may record events for the person (casework in the
person's force, through ``access.policy``), turns a form's plain fields into a ledger entry
and writes it through ``services.event_record``, which checks it and logs it. Every one can
also correct an earlier entry of the same kind (``supersedes`` and ``reason``): the new entry
replaces the old one, which stays in the ledger, shown as corrected.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from whereabouts.access import policy

from . import services
from .errors import InvalidInput
from .events import parse_date
from .models import AddressKind, Event, EventKind, Person
from .services import AddressInput


class NotPermitted(PermissionError):
    """The user may not record for this person (shown to them as "not found")."""


def _person(actor: AbstractBaseUser, person_id: int) -> Person:
    person = policy.visible_people(actor).filter(pk=person_id).first()
    if person is None or not policy.can_record_events(actor, person):
        raise NotPermitted("not found")
    return person


def _old(person: Person, supersedes: int | None, kinds: tuple[str, ...]) -> None:
    if supersedes is None:
        return
    old = Event.objects.filter(pk=supersedes, person=person).first()
    if old is None or old.kind not in kinds:
        raise InvalidInput("supersedes", "is not an entry of this kind in this person's ledger")


def _record(date_field: str, **entry: object) -> Event:
    """Write through the register, naming our date field if the register refuses the date."""
    try:
        return services.event_record(**entry)  # type: ignore[arg-type]
    except InvalidInput as err:
        if err.field == "effective_date":
            raise InvalidInput(date_field, err.message) from None
        raise


def _address(kind: str, line1: str, line2: str, town: str, postcode: str,
             prefix: str) -> AddressInput | None:
    if not (line1.strip() or line2.strip() or town.strip() or postcode.strip()):
        return None
    if not line1.strip():
        raise InvalidInput(f"{prefix}line1", "is required for an address")
    if not town.strip():
        raise InvalidInput(f"{prefix}town", "is required for an address")
    return AddressInput(kind=kind, line1=line1, line2=line2, town=town,
                        postcode=postcode.strip().upper())


NOTIFICATION_KINDS = (EventKind.NOTIFICATION_INITIAL, EventKind.NOTIFICATION_PERIODIC,
                      EventKind.NOTIFICATION_CHANGE)


@transaction.atomic
def record_notification(
    *, person_id: int, kind: str, notified_on: dt.date | str, actor: AbstractBaseUser,
    today: dt.date, station: str = "", no_fixed_abode: bool = False, line1: str = "",
    line2: str = "", town: str = "", postcode: str = "", other_line1: str = "",
    other_line2: str = "", other_town: str = "", other_postcode: str = "", change: str = "",
    note: str = "", supersedes: int | None = None, reason: str = "",
) -> Event:
    """An initial (s.83), periodic (s.85) or change (s.84) notification made in person.

    The home address is required for an initial or periodic notification, and for a change
    of home address; with no fixed abode, the place where they can regularly be found is
    given instead. Another address regularly stayed at is optional (required for a change
    of other address).
    """
    person = _person(actor, person_id)
    if kind not in NOTIFICATION_KINDS:
        raise InvalidInput("kind", f"must be one of {', '.join(NOTIFICATION_KINDS)}")
    _old(person, supersedes, (kind,))
    home = _address(AddressKind.REGULAR_PLACE if no_fixed_abode else AddressKind.HOME,
                    line1, line2, town, postcode, "")
    other = _address(AddressKind.OTHER, other_line1, other_line2, other_town, other_postcode,
                     "other_")
    needs_home = kind != EventKind.NOTIFICATION_CHANGE or change == "home_address"
    if needs_home and home is None:
        what = ("the place where they can regularly be found" if no_fixed_abode
                else "the home address")
        raise InvalidInput("line1", f"is required: give {what}")
    if kind == EventKind.NOTIFICATION_CHANGE and change == "other_address" and other is None:
        raise InvalidInput("other_line1", "is required for a change of other address")
    details = {"station": station, "note": note, "no_fixed_abode": no_fixed_abode or None}
    if kind == EventKind.NOTIFICATION_CHANGE:
        details["change"] = change
    return _record(
        "notified_on",
        person_id=person.pk, kind=kind, effective_date=parse_date(notified_on, "notified_on"),
        today=today, recorded_by=actor, source="web", details=details,
        addresses=[a for a in (home, other) if a is not None], supersedes=supersedes,
        reason=reason)


@transaction.atomic
def record_travel(*, person_id: int, notified_on: dt.date | str, departure_date: dt.date | str,
                  destination: str, actor: AbstractBaseUser, today: dt.date,
                  return_date: dt.date | str | None = None, station: str = "",
                  itinerary: str = "", checks_done: str = "", country_informed: str = "",
                  country_informed_on: dt.date | str | None = None,
                  supersedes: int | None = None, reason: str = "") -> Event:
    """Notice of travel outside the United Kingdom (s.86 and the 2012 Regulations), with the
    itinerary, the checks done on it and whether (and when) the destination country was
    informed."""
    person = _person(actor, person_id)
    _old(person, supersedes, (EventKind.NOTIFICATION_TRAVEL,))
    notified = parse_date(notified_on, "notified_on")
    leaving = parse_date(departure_date, "departure_date")
    back = parse_date(return_date, "return_date") if return_date else None
    if leaving < notified:
        raise InvalidInput("departure_date", f"{leaving} is before the notice was given")
    if back is not None and back < leaving:
        raise InvalidInput("return_date", f"{back} is before the departure ({leaving})")
    informed_on = (parse_date(country_informed_on, "country_informed_on")
                   if country_informed_on else None)
    if informed_on is not None and country_informed != "yes":
        raise InvalidInput("country_informed", "must be yes when the date it was informed "
                                               "is given")
    if informed_on is not None and informed_on < notified:
        raise InvalidInput("country_informed_on", f"{informed_on} is before the notice was "
                                                  f"given ({notified})")
    return _record(
        "notified_on",
        person_id=person.pk, kind=EventKind.NOTIFICATION_TRAVEL, effective_date=notified,
        today=today, recorded_by=actor, source="web",
        details={"departure_date": leaving, "return_date": back, "destination": destination,
                 "station": station, "itinerary": itinerary, "checks_done": checks_done,
                 "country_informed": country_informed, "country_informed_on": informed_on},
        supersedes=supersedes, reason=reason)


#: Where someone went or came back from, and the name of the place in the entry's details.
MOVEMENTS = {
    EventKind.CUSTODY_START: "establishment", EventKind.CUSTODY_END: "establishment",
    EventKind.HOSPITAL_START: "hospital", EventKind.HOSPITAL_END: "hospital",
    EventKind.ABROAD_START: "country", EventKind.ABROAD_END: "country",
}


@transaction.atomic
def record_movement(*, person_id: int, kind: str, on: dt.date | str, place: str,
                    actor: AbstractBaseUser, today: dt.date, note: str = "",
                    supersedes: int | None = None, reason: str = "") -> Event:
    """Into or out of custody or hospital detention, or leaving or returning to the UK.

    These pause and restart the statutory clocks; the register refuses an end with no start.
    """
    person = _person(actor, person_id)
    if kind not in MOVEMENTS:
        raise InvalidInput("kind", f"must be one of {', '.join(MOVEMENTS)}")
    _old(person, supersedes, (kind,))
    return _record("on", person_id=person.pk, kind=kind, effective_date=parse_date(on, "on"),
                   today=today, recorded_by=actor, source="web",
                   details={MOVEMENTS[kind]: place, "note": note}, supersedes=supersedes,
                   reason=reason)


#: Entries the pages can correct or withdraw. Missing episodes, checks, circulations and
#: breaches have their own steps (an episode is withdrawn with its circulations).
CORRECTABLE = (*NOTIFICATION_KINDS, EventKind.NOTIFICATION_TRAVEL, *MOVEMENTS, EventKind.VISIT)


@transaction.atomic
def withdraw_entry(*, person_id: int, event_id: int, reason: str, actor: AbstractBaseUser,
                   today: dt.date) -> Event:
    """Withdraw an entry made in error. It stays in the ledger, shown as withdrawn."""
    person = _person(actor, person_id)
    old = Event.objects.filter(pk=event_id, person=person).first()
    if old is None or old.kind not in CORRECTABLE:
        raise InvalidInput("event", "is not an entry that can be withdrawn here")
    return services.event_record(person_id=person.pk, kind=EventKind.VOID,
                                 effective_date=old.effective_date, today=today,
                                 recorded_by=actor, source="web", supersedes=old.pk,
                                 reason=reason)


@transaction.atomic
def correct_visit(*, person_id: int, visited_on: dt.date | str, outcome: str,
                  actor: AbstractBaseUser, today: dt.date, supersedes: int, reason: str,
                  note: str = "", details: dict[str, object] | None = None) -> Event:
    """A corrected visit record (it opens no new check: that was decided when it was made)."""
    person = _person(actor, person_id)
    _old(person, supersedes, (EventKind.VISIT,))
    return _record(
        "visited_on", person_id=person.pk, kind=EventKind.VISIT,
        effective_date=parse_date(visited_on, "visited_on"), today=today, recorded_by=actor,
        source="web", details={**(details or {}), "outcome": outcome,
                               "note": note or (details or {}).get("note", "")},
        supersedes=supersedes, reason=reason)


#: The identity fields an officer may correct from the pages, with their longest lengths.
IDENTITY_FIELDS = {"family_name": 100, "given_names": 150, "date_of_birth": None,
                   "pnc_id": 20, "cro_number": 20, "ni_number": 13, "passport_number": 20}


@transaction.atomic
def record_identity(*, person_id: int, reason: str, actor: AbstractBaseUser, today: dt.date,
                    **values: object) -> Event:
    """Correct who the person is: names, date of birth or identifiers.

    Only the fields that differ from the record as it stands are written, as one identity
    entry with the reason; the earlier values stay in the ledger (the registration and
    earlier identity entries). A date of birth after the first entry in the ledger is
    refused, since the ledger would then begin before they were born.
    """
    person = _person(actor, person_id)
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "is not an identity field")
    reason = services.checked_text(reason, "reason", max_length=2000)
    changed: dict[str, object] = {}
    for name, longest in IDENTITY_FIELDS.items():
        if name not in values:
            continue
        if longest is None:
            value: object = parse_date(values[name], name)  # type: ignore[arg-type]
        else:
            value = services.checked_text(values[name], name, max_length=longest,
                                          required=name in ("family_name", "given_names"))
        if value != getattr(person, name):
            changed[name] = value
    if not changed:
        raise InvalidInput("family_name", "nothing differs from the record as it stands: "
                                          "change at least one detail")
    born = changed.get("date_of_birth")
    if isinstance(born, dt.date):
        if born > today:
            raise InvalidInput("date_of_birth", f"{born} is in the future")
        first = person.events.order_by("effective_date").values_list(
            "effective_date", flat=True).first()
        if first is not None and born > first:
            raise InvalidInput("date_of_birth", f"{born} is after the first entry in their "
                                                f"ledger ({first})")
    return services.event_record(person_id=person.pk, kind=EventKind.IDENTITY,
                                 effective_date=today, today=today, recorded_by=actor,
                                 source="web", details=changed, reason=reason)


@transaction.atomic
def record_alias(*, person_id: int, family_name: str, given_names: str,
                 actor: AbstractBaseUser, today: dt.date, used_from: dt.date | None = None,
                 used_to: dt.date | None = None, note: str = "") -> Event:
    """Another name the person uses or has used (s.83(5)(a)): searched like their own."""
    person = _person(actor, person_id)
    family = services.checked_text(family_name, "family_name", max_length=100)
    given = services.checked_text(given_names, "given_names")
    if used_from and used_to and used_to < used_from:
        raise InvalidInput("used_to", f"{used_to} is before {used_from}")
    for name, when in (("used_from", used_from), ("used_to", used_to)):
        if when and when > today:
            raise InvalidInput(name, f"{when} is in the future")
    if person.aliases.filter(family_name__iexact=family, given_names__iexact=given).exists():
        raise InvalidInput("family_name", f"{given} {family} is already recorded as an alias")
    return services.event_record(person_id=person.pk, kind=EventKind.IDENTITY,
                                 effective_date=today, today=today, recorded_by=actor,
                                 source="web", details={}, reason=note.strip(),
                                 aliases=[(family, given, used_from, used_to)])
