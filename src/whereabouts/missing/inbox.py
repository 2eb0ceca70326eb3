"""Alerts between forces: circulations of missing people in every force's inbox.

A circulation (``circulation.sent``, national or international) reaches every other force:
each sees it in its inbox, with what the bulletin says, and acknowledges it once for the
force. A user of another force who sees or hears of the person reports a sighting or lead
from the inbox; it is written to the person's ledger as an action on the episode, marked
with the reporting force, and goes to the episode's owner first: the owner's inbox lists
it at the top. Every look at the inbox and every acknowledgement is in the audit chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.events import parse_date
from whereabouts.register.models import CirculationReceipt, Event, EventKind, Person
from whereabouts.register.recording import NotPermitted

from .episodes import Episode, open_episode
from .selectors import episodes_by_person, person_episodes

SENT, CANCELLED = EventKind.CIRCULATION_SENT, EventKind.CIRCULATION_CANCELLED


@dataclass
class Circulation:
    """One active circulation: its first ``circulation.sent`` entry names it."""

    event_id: int
    person_id: int
    reference: str
    scope: str
    sent_on: dt.date
    updated_on: dt.date
    person: Person | None = None
    episode: Episode | None = None
    receipt: CirculationReceipt | None = None


def active_circulations(as_at: dt.date) -> list[Circulation]:
    """Every circulation sent by ``as_at`` and not cancelled or withdrawn, newest first."""
    rows = (Event.objects.filter(kind__in=(SENT, CANCELLED), effective_date__lte=as_at)
            .order_by("effective_date", "id")
            .values_list("pk", "person_id", "kind", "effective_date", "details"))
    superseded = set(Event.objects.filter(supersedes__isnull=False)
                     .values_list("supersedes_id", flat=True))
    state: dict[tuple[int, str], Circulation] = {}
    for pk, person_id, kind, when, details in rows:
        if pk in superseded:
            continue
        key = (person_id, details["reference"])
        if kind == SENT:
            if key in state:
                state[key].updated_on = when
            else:
                state[key] = Circulation(pk, person_id, details["reference"], details["scope"],
                                         when, when)
        else:
            state.pop(key, None)
    return sorted(state.values(), key=lambda c: (c.sent_on, c.event_id), reverse=True)


def _force_of(user: AbstractBaseUser) -> str:
    profile = policy.profile_of(user)
    if profile is None or profile.force_id is None or not policy.may(user, "transfers.view"):
        raise NotPermitted("not found")
    return str(profile.force_id)


def inbox(user: AbstractBaseUser, as_at: dt.date, *, unacknowledged_only: bool = False
          ) -> list[Circulation]:
    """The circulations from other forces that reach ``user``'s force (not yet filled in
    with people: :func:`fill` does that for the page shown)."""
    force = _force_of(user)
    items = active_circulations(as_at)
    people_force = dict(Person.objects.filter(pk__in={c.person_id for c in items})
                        .values_list("pk", "force_id"))
    items = [c for c in items if people_force.get(c.person_id) != force]
    receipts = {r.circulation_id: r for r in CirculationReceipt.objects.filter(
        force_id=force, circulation_id__in=[c.event_id for c in items]
    ).select_related("acknowledged_by")}
    for item in items:
        item.receipt = receipts.get(item.event_id)
    if unacknowledged_only:
        items = [c for c in items if c.receipt is None]
    return items


def fill(items: list[Circulation], as_at: dt.date) -> list[Circulation]:
    """Attach each item's person and open episode (two queries for a page)."""
    ids = [c.person_id for c in items]
    people = Person.objects.select_related("force", "offender_manager").in_bulk(ids)
    episodes = episodes_by_person(as_at, ids)
    for item in items:
        item.person = people.get(item.person_id)
        _, person_episodes_ = episodes.get(item.person_id, ("", []))
        item.episode = next((e for e in reversed(person_episodes_) if e.open_on(as_at)), None)
    return items


def _circulation(event_id: int, actor_force: str, as_at: dt.date) -> Circulation:
    item = next((c for c in active_circulations(as_at) if c.event_id == event_id), None)
    if item is None:
        raise NotPermitted("not found")
    person = Person.objects.select_related("force").get(pk=item.person_id)
    if person.force_id == actor_force:
        raise NotPermitted("not found")  # a force's own circulations are on its board
    item.person = person
    return item


def circulation_for(user: AbstractBaseUser, event_id: int, as_at: dt.date) -> Circulation:
    """One circulation in ``user``'s inbox, or NotPermitted (shown as "not found")."""
    item = _circulation(event_id, _force_of(user), as_at)
    item.receipt = CirculationReceipt.objects.filter(
        circulation_id=event_id, force_id=_force_of(user)).first()
    return fill([item], as_at)[0]


@transaction.atomic
def acknowledge(*, circulation_id: int, actor: AbstractBaseUser, today: dt.date
                ) -> CirculationReceipt:
    """Record that ``actor``'s force has seen the circulation (once per force)."""
    force = _force_of(actor)
    item = _circulation(circulation_id, force, today)
    existing = CirculationReceipt.objects.filter(circulation_id=circulation_id,
                                                 force_id=force).first()
    if existing is not None:
        raise InvalidInput("circulation", f"was already acknowledged for your force by "
                                          f"{existing.acknowledged_by.get_username()} on "
                                          f"{existing.acknowledged_at:%d %B %Y}")
    receipt = CirculationReceipt.objects.create(
        circulation_id=circulation_id, force_id=force, acknowledged_by=actor,
        acknowledged_at=timezone.now())
    audit.record(actor=actor, action=AuditAction.CONSULTATION, person_id=item.person_id,
                 what=f"acknowledged circulation {item.reference} for {force}")
    return receipt


@transaction.atomic
def report_sighting(*, circulation_id: int, seen_on: dt.date | str, action: str, where: str,
                    note: str, actor: AbstractBaseUser, today: dt.date) -> Event:
    """A sighting or lead from another force, written to the person's ledger for the owner."""
    force = _force_of(actor)
    item = _circulation(circulation_id, force, today)
    if action not in ("sighting", "lead"):
        raise InvalidInput("action", "must be a sighting or a lead")
    where = register.checked_text(where, "where", max_length=300)
    note = register.checked_text(note, "note", max_length=2000)
    seen = parse_date(seen_on, "seen_on")
    assert item.person is not None
    episode = open_episode(person_episodes(item.person))
    if episode is None:
        raise InvalidInput("circulation", "the person is no longer missing")
    if seen < episode.missing_since:
        raise InvalidInput("seen_on", f"{seen} is before they went missing "
                                      f"({episode.missing_since})")
    if seen > today:
        raise InvalidInput("seen_on", f"{seen} is in the future")
    entry = register.event_record(
        person_id=item.person_id, kind=EventKind.MISSING_ACTION,
        effective_date=max(seen, episode.began_on), today=today, recorded_by=actor,
        source="web", details={"action": action, "note": f"{where}: {note}",
                               "from_force": force})
    if not CirculationReceipt.objects.filter(circulation_id=circulation_id,
                                             force_id=force).exists():
        CirculationReceipt.objects.create(circulation_id=circulation_id, force_id=force,
                                          acknowledged_by=actor, acknowledged_at=timezone.now())
    return entry


@dataclass(frozen=True)
class Lead:
    """A sighting or lead reported by another force, for the episode's owner."""

    person: Person
    on: dt.date
    action: str
    note: str
    from_force: str
    reported_by: str


def episode_owners(people: Iterable[Person]) -> dict[int, str | None]:
    """The username of the officer owning each person's case: the last owner assigned on a
    missing episode (``missing.action`` of kind ``owner_assigned``), else the person's
    offender manager. ``people`` need their ``offender_manager`` selected."""
    people = list(people)
    assigned: dict[int, Any] = {}
    for person_id, details in (Event.objects.filter(
            person_id__in={p.pk for p in people}, kind=EventKind.MISSING_ACTION,
            supersedes__isnull=True).order_by("effective_date", "id")
            .values_list("person_id", "details")):
        if details.get("action") == "owner_assigned":
            assigned[person_id] = details.get("owner")
    return {p.pk: assigned.get(p.pk) or (p.offender_manager.get_username()
                                         if p.offender_manager_id else None)
            for p in people}


def leads_for_owner(user: AbstractBaseUser, as_at: dt.date, *, days: int = 90) -> list[Lead]:
    """Sightings and leads from other forces in the last ``days``, on open episodes that
    ``user`` owns (the last owner assigned, else the person's offender manager)."""
    since = as_at - dt.timedelta(days=days)
    # The recent entries from other forces first (few, from the kind's index), then those on
    # people the user may see: asked the other way round, the database walked every entry
    # of every person of the force.
    recent = dict(Event.objects.filter(
        kind=EventKind.MISSING_ACTION, recorded_at__date__gte=since,
        details__has_key="from_force").values_list("pk", "person_id"))
    visible = set(policy.visible_people(user).filter(pk__in=set(recent.values()))
                  .values_list("pk", flat=True))
    rows = list(Event.objects.filter(pk__in=[pk for pk, pid in recent.items() if pid in visible])
                .select_related("person__offender_manager", "recorded_by")
                .order_by("-effective_date", "-id"))
    if not rows:
        return []
    owners = episode_owners([e.person for e in rows])
    username = user.get_username()
    mine = []
    for event in rows:
        if owners.get(event.person_id) != username:
            continue
        if open_episode(person_episodes(event.person)) is None:
            continue
        mine.append(Lead(event.person, event.effective_date, event.details["action"],
                         event.details["note"], event.details["from_force"],
                         event.recorded_by.get_username() if event.recorded_by else ""))
    return mine
