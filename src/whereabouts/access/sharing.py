"""Sharing a person with a partner agency, and the narrow view the agency gets.

A supervisor shares a person with one agency for a period and a purpose; the share is logged
as a disclosure. The agency's users then see that person, and only the fields in
:data:`PARTNER_FIELDS`, while the share lasts: never bank or card details, intelligence,
victims, breaches or the ledger. Everything a partner page shows comes from
:func:`partner_view`, so a field not named there cannot leak onto the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from whereabouts.register.models import AddressKind, Person
from whereabouts.register.selectors import live_events

from . import audit, policy
from .models import Agency, AuditAction, Share

#: What a partner agency may see of a person it has been shared.
PARTNER_FIELDS = ("name", "date of birth", "current address", "offender manager contact",
                  "notes from the police")


class NotPermitted(Exception):
    """The user may not share this person."""


def share_person(*, person_id: int, agency: str, since: dt.date, until: dt.date, purpose: str,
                 notes: str, by: AbstractBaseUser) -> Share:
    """Share a person of the user's own force with ``agency``; logged as a disclosure."""
    person = policy.visible_people(by).filter(pk=person_id).first()
    if (person is None or not policy.may(by, "share.create")
            or not policy.can_record_events(by, person)):
        raise NotPermitted
    if agency not in Agency.values or until < since or not purpose.strip():
        raise ValueError("a share needs a known agency, a period and a purpose")
    with transaction.atomic():
        share = Share.objects.create(person=person, agency=agency, since=since, until=until,
                                     shared_by=by, shared_at=timezone.now(),
                                     purpose=purpose.strip(), notes=notes.strip())
        audit.record(actor=by, action=AuditAction.DISCLOSURE, person_id=person.pk,
                     what=f"shared with {share.get_agency_display()} from {since} to {until}",
                     reason=share.purpose)
    return share


def current_shares(user: AbstractBaseUser, as_at: dt.date) -> QuerySet[Share]:
    """The shares ``user``'s agency holds on ``as_at``, in the user's force."""
    profile = policy.profile_of(user)
    if profile is None or not policy.may(user, "shared.open") or not profile.agency:
        return Share.objects.none()
    shares = Share.objects.filter(agency=profile.agency, since__lte=as_at, until__gte=as_at)
    if profile.force_id is not None:
        shares = shares.filter(person__force_id=profile.force_id)
    return shares.select_related("person", "person__offender_manager").order_by(
        "person__family_name", "person__given_names", "person_id", "-since")


@dataclass(frozen=True)
class PartnerView:
    """Everything a partner page shows about a person: nothing else is passed to it."""

    person_id: int
    reference: str
    name: str
    date_of_birth: dt.date
    current_address: str
    offender_manager: str
    offender_manager_email: str
    notes: tuple[str, ...]
    shared_until: dt.date


def partner_view(user: AbstractBaseUser, person_id: int, as_at: dt.date) -> PartnerView | None:
    """The narrow view of one shared person, or None (not shared, not found: the same)."""
    shares = [s for s in current_shares(user, as_at) if s.person_id == person_id]
    if not shares:
        return None
    person: Person = shares[0].person
    live = {e.pk for e in live_events(person)}
    address = next((a for a in person.addresses.filter(kind=AddressKind.HOME,
                                                       from_date__lte=as_at)
                    if a.event_id in live), None)
    manager = person.offender_manager
    return PartnerView(
        person_id=person.pk, reference=person.reference,
        name=f"{person.given_names} {person.family_name}", date_of_birth=person.date_of_birth,
        current_address=str(address) if address else "",
        offender_manager=(manager.get_full_name() or manager.get_username()) if manager else "",
        offender_manager_email=manager.email if manager else "",
        notes=tuple(s.notes for s in shares if s.notes),
        shared_until=max(s.until for s in shares))
