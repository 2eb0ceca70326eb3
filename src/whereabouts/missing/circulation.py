"""The circulation bulletin for a missing person: a printable page and a JSON export.

The JSON follows ``docs/circulation.schema.json`` (version 1); ``docs/circulation.md`` says
what each field means and holds an example. Building a bulletin reads a person's record, so
callers go through the access policy and log the disclosure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from whereabouts.register.models import Address, AddressKind, Event, EventKind, Person

from .selectors import person_episodes

SCHEMA = "https://github.com/whereabouts/whereabouts/docs/circulation.schema.json?version=1"


def circulations(person: Person) -> list[dict[str, Any]]:
    """Each circulation by reference, with its latest state, from the ledger."""
    superseded = set(Event.objects.filter(person=person, supersedes__isnull=False)
                     .values_list("supersedes_id", flat=True))
    state: dict[str, dict[str, Any]] = {}
    for event in Event.objects.filter(
        person=person, kind__in=(EventKind.CIRCULATION_SENT, EventKind.CIRCULATION_CANCELLED)
    ).order_by("effective_date", "id"):
        if event.pk in superseded:
            continue
        reference = event.details["reference"]
        if event.kind == EventKind.CIRCULATION_SENT:
            first = state.get(reference, {}).get("sent_on", event.effective_date.isoformat())
            state[reference] = {"reference": reference, "scope": event.details["scope"],
                                "sent_on": first, "updated_on": event.effective_date.isoformat(),
                                "status": "active", "cancelled_on": None}
        elif reference in state:
            state[reference].update(status="cancelled",
                                    cancelled_on=event.effective_date.isoformat())
    return list(state.values())


def bulletin(person: Person, as_at: dt.date) -> dict[str, Any] | None:
    """The bulletin for the person's latest episode, or ``None`` if they were never missing."""
    episodes = [e for e in person_episodes(person) if e.began_on <= as_at]
    if not episodes:
        return None
    episode = episodes[-1]
    addresses = Address.objects.filter(person=person, from_date__lte=as_at).order_by(
        "-from_date", "-id")[:3]
    manager = person.offender_manager
    return {
        "schema": SCHEMA,
        "issued_on": as_at.isoformat(),
        "status": "missing" if episode.open_on(as_at) else "located",
        "force": {"slug": person.force_id, "name": person.force.name},
        "contact": {
            "offender_manager": manager.get_username() if manager else None,
            "force": person.force.name,
        },
        "subject": {
            "reference": person.reference,
            "family_name": person.family_name,
            "given_names": person.given_names,
            "date_of_birth": person.date_of_birth.isoformat(),
            "sex": person.sex,
            "pnc_id": person.pnc_id or None,
            "cro_number": person.cro_number or None,
            "aliases": [{"family_name": a.family_name, "given_names": a.given_names}
                        for a in person.aliases.all()],
            "photo": None,
        },
        "episode": {
            "recorded_missing_on": episode.began_on.isoformat(),
            "missing_since": episode.missing_since.isoformat(),
            "risk": episode.risk,
            "believed_abroad": episode.believed_abroad,
            "country": episode.country or None,
            "located_on": episode.located_on.isoformat() if episode.located_on else None,
        },
        "last_addresses": [
            {"kind": a.kind, "address": str(a), "from": a.from_date.isoformat(),
             "no_fixed_abode": a.kind == AddressKind.REGULAR_PLACE}
            for a in addresses
        ],
        "warnings": ["Registered sex offender: subject to notification requirements "
                     "(Sexual Offences Act 2003, Part 2)"],
        "circulations": circulations(person),
    }
