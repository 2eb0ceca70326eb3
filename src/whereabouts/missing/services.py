"""Recording a person as missing, and as located. Each refuses bad input and changes nothing.

The decision to record someone as missing is a supervisor's (APP: supervisors decide and
review); anyone doing casework in the person's force may record that they were located.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from whereabouts.access import policy
from whereabouts.access.models import Role
from whereabouts.compliance.models import Task, TaskState
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.events import parse_date
from whereabouts.register.models import Event, EventKind, Person
from whereabouts.register.recording import NotPermitted  # shown to the user as "not found"

from .circulation import circulations
from .episodes import Check, open_episode
from .selectors import person_checks, person_episodes

CHECK_TASK = "whereabouts_check"


def _cancel_circulations(person: Person, *, on: dt.date, reason: str,
                         actor: AbstractBaseUser, today: dt.date) -> None:
    """Cancel every circulation still active for the person."""
    for circulation in circulations(person):
        if circulation["status"] == "active":
            register.event_record(
                person_id=person.pk, kind=EventKind.CIRCULATION_CANCELLED, effective_date=on,
                today=today, recorded_by=actor, source="web",
                details={"reference": circulation["reference"], "reason": reason})



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
    checks_done: tuple[str, ...] = (),
) -> Event:
    """Open a missing episode: the person's whereabouts are unknown from ``missing_since``.

    An open whereabouts check is closed by the same decision (outcome: recorded missing).
    """
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
    check = open_check(person_checks(person))
    if check is not None:
        if recorded < check.opened_on:
            raise InvalidInput("recorded_on",
                               f"{recorded} is before the open check began ({check.opened_on})")
        _close_check(person, closed_on=recorded, outcome="recorded_missing",
                     explanation=basis, checks_done=checks_done, actor=actor, today=today)
    event = register.event_record(person_id=person.pk, kind=EventKind.MISSING_RECORDED,
                                  effective_date=recorded, today=today, recorded_by=actor,
                                  source="web", details=details)
    # Recording someone as missing circulates them to every force.
    register.event_record(person_id=person.pk, kind=EventKind.CIRCULATION_SENT,
                          effective_date=recorded, today=today, recorded_by=actor, source="web",
                          details={"scope": "national",
                                   "reference": f"{person.reference}/{recorded:%Y%m%d}"})
    return event


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
    person = _person_for(actor, person_id, *policy.CASEWORK_ROLES)
    located = parse_date(located_on, "located_on")
    _open_episode_on(person, located, "located_on")
    details = {"where": where, "by": by, "how_found": how_found, "outcome": outcome,
               "note": note}
    _cancel_circulations(person, on=located, reason="located", actor=actor, today=today)
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
    _cancel_circulations(person, on=max(today, latest.effective_date),
                         reason=f"episode withdrawn: {reason.strip()}", actor=actor, today=today)
    if located is not None:
        register.event_record(person_id=person.pk, kind=EventKind.VOID,
                              effective_date=located.effective_date, today=today,
                              recorded_by=actor, source="web", supersedes=located.pk,
                              reason=reason)
    return register.event_record(person_id=person.pk, kind=EventKind.VOID,
                                 effective_date=latest.effective_date, today=today,
                                 recorded_by=actor, source="web", supersedes=latest.pk,
                                 reason=reason)


def open_check(checks: list[Check]) -> Check | None:
    return next((c for c in checks if c.closed_on is None), None)


def _checklist(checks_done: tuple[str, ...]) -> str:
    allowed = tuple(settings.WHEREABOUTS_CHECKLIST)
    for item in checks_done:
        if item not in allowed:
            raise InvalidInput("checks_done", f"{item!r} is not on the force's checklist")
    return "; ".join(item for item in allowed if item in checks_done)


@transaction.atomic
def open_whereabouts_check(*, person_id: int, opened_on: dt.date | str, reason: str,
                           actor: AbstractBaseUser, today: dt.date, note: str = "") -> Event:
    """Doubt about where someone is: a check, and a task for their offender manager.

    The task is due within ``WHEREABOUTS_CHECK_HOURS`` (72 hours by default) of the day the
    check opened; its checklist is the force's ``WHEREABOUTS_CHECKLIST``.
    """
    person = _person_for(actor, person_id, *policy.CASEWORK_ROLES)
    opened = parse_date(opened_on, "opened_on")
    if open_check(person_checks(person)) is not None:
        raise InvalidInput("person", "already has an open whereabouts check")
    if open_episode(person_episodes(person)) is not None:
        raise InvalidInput("person", "is already recorded as missing")
    event = register.event_record(person_id=person.pk, kind=EventKind.CHECK_OPENED,
                                  effective_date=opened, today=today, recorded_by=actor,
                                  source="web", details={"reason": reason, "note": note})
    due = opened + dt.timedelta(days=max(1, settings.WHEREABOUTS_CHECK_HOURS // 24))
    Task.objects.get_or_create(
        person=person, kind=CHECK_TASK, due_kind="", due_last_day=due,
        defaults={"assigned_to": person.offender_manager, "opened_as_at": opened,
                  "title": f"Whereabouts check ({reason.replace('_', ' ')}): "
                           f"find them by {due:%d %B %Y}"},
    )
    return event


def _close_check(person: Person, *, closed_on: dt.date, outcome: str, explanation: str,
                 checks_done: tuple[str, ...], actor: AbstractBaseUser, today: dt.date) -> Event:
    details = {"outcome": outcome, "explanation": explanation,
               "checks_done": _checklist(checks_done)}
    event = register.event_record(person_id=person.pk, kind=EventKind.CHECK_CLOSED,
                                  effective_date=closed_on, today=today, recorded_by=actor,
                                  source="web", details=details)
    Task.objects.filter(person=person, kind=CHECK_TASK, state=TaskState.OPEN).update(
        state=TaskState.DONE, closed_as_at=closed_on)
    return event


@transaction.atomic
def close_check_found(*, person_id: int, closed_on: dt.date | str, explanation: str,
                      actor: AbstractBaseUser, today: dt.date,
                      checks_done: tuple[str, ...] = ()) -> Event:
    """The check found the person: close it, saying why the alarm was false."""
    person = _person_for(actor, person_id, *policy.CASEWORK_ROLES)
    closed = parse_date(closed_on, "closed_on")
    check = open_check(person_checks(person))
    if check is None:
        raise InvalidInput("person", "has no open whereabouts check")
    if closed < check.opened_on:
        raise InvalidInput("closed_on", f"{closed} is before the check opened ({check.opened_on})")
    return _close_check(person, closed_on=closed, outcome="found", explanation=explanation,
                        checks_done=checks_done, actor=actor, today=today)


#: Visit outcomes that mean the person may not be where they said: a check opens at once.
DOUBTFUL_VISITS = ("no_longer_living_there", "not_known_at_address")


@transaction.atomic
def record_visit(*, person_id: int, visited_on: dt.date | str, outcome: str,
                 actor: AbstractBaseUser, today: dt.date, note: str = "",
                 details: dict[str, object] | None = None) -> Event:
    """A home visit; one that finds the person gone opens a whereabouts check at once.

    ``details`` carries the rest of what the visit found (``visits.services`` builds it).
    """
    person = _person_for(actor, person_id, *policy.CASEWORK_ROLES)
    try:
        event = register.event_record(
            person_id=person.pk, kind=EventKind.VISIT, effective_date=visited_on, today=today,
            recorded_by=actor, source="web",
            details={**(details or {}), "outcome": outcome, "note": note or (details or {}).get(
                "note", "")})
    except InvalidInput as err:
        if err.field == "effective_date":
            raise InvalidInput("visited_on", err.message) from None
        raise
    doubtful = (outcome in DOUBTFUL_VISITS and open_check(person_checks(person)) is None
                and open_episode(person_episodes(person)) is None)
    if doubtful:
        open_whereabouts_check(person_id=person.pk, opened_on=event.effective_date,
                               reason=outcome, actor=actor, today=today)
    return event


@transaction.atomic
def record_circulation(*, person_id: int, sent_on: dt.date | str, scope: str, reference: str,
                       actor: AbstractBaseUser, today: dt.date, note: str = "") -> Event:
    """A circulation sent or updated (same reference) for an open episode, e.g. international.

    For someone believed abroad this records the referral made (an NCA or Interpol reference).
    """
    person = _person_for(actor, person_id, Role.SUPERVISOR)
    sent = parse_date(sent_on, "sent_on")
    _open_episode_on(person, sent, "sent_on")
    return register.event_record(person_id=person.pk, kind=EventKind.CIRCULATION_SENT,
                                 effective_date=sent, today=today, recorded_by=actor,
                                 source="web", details={"scope": scope, "reference": reference,
                                                        "note": note})


def _open_episode_on(person: Person, when: dt.date, field: str) -> None:
    episode = open_episode(person_episodes(person))
    if episode is None:
        raise InvalidInput("person", "is not recorded as missing")
    if when < episode.began_on:
        raise InvalidInput(field, f"{when} is before the episode began ({episode.began_on})")


@transaction.atomic
def record_action(*, person_id: int, done_on: dt.date | str, action: str, note: str,
                  actor: AbstractBaseUser, today: dt.date, next_action: str = "",
                  next_action_by: dt.date | str | None = None) -> Event:
    """An enquiry, sighting, lead or partner check on an open episode, and what comes next."""
    person = _person_for(actor, person_id, *policy.CASEWORK_ROLES)
    done = parse_date(done_on, "done_on")
    _open_episode_on(person, done, "done_on")
    if next_action_by is not None and not next_action.strip():
        raise InvalidInput("next_action", "is required when a date for it is given")
    return register.event_record(
        person_id=person.pk, kind=EventKind.MISSING_ACTION, effective_date=done, today=today,
        recorded_by=actor, source="web",
        details={"action": action, "note": note, "next_action": next_action,
                 "next_action_by": next_action_by})


@transaction.atomic
def record_review(*, person_id: int, reviewed_on: dt.date | str, level: str, note: str,
                  next_action: str, next_action_by: dt.date | str,
                  actor: AbstractBaseUser, today: dt.date) -> Event:
    """A review of an open episode: a supervisor's, or a senior officer's at the senior level.

    An offender manager does not review their own case; only a senior officer makes a senior
    review. Each review sets the next action and its date.
    """
    person = _person_for(actor, person_id, *policy.CASEWORK_ROLES)
    allowed = (Role.SENIOR_OFFICER,) if level == "senior" else (Role.SUPERVISOR,
                                                                Role.SENIOR_OFFICER)
    if not policy.has_role(actor, *allowed):
        who = "a senior officer" if level == "senior" else "a supervisor or senior officer"
        raise NotPermitted(f"only {who} may make a {level} review")
    reviewed = parse_date(reviewed_on, "reviewed_on")
    _open_episode_on(person, reviewed, "reviewed_on")
    by = parse_date(next_action_by, "next_action_by")
    if by < reviewed:
        raise InvalidInput("next_action_by", f"{by} is before the review ({reviewed})")
    return register.event_record(
        person_id=person.pk, kind=EventKind.MISSING_REVIEW, effective_date=reviewed,
        today=today, recorded_by=actor, source="web",
        details={"level": level, "note": note, "next_action": next_action,
                 "next_action_by": by})


@transaction.atomic
def assign_owner(*, person_id: int, assigned_on: dt.date | str, owner: str, note: str,
                 actor: AbstractBaseUser, today: dt.date) -> Event:
    """Give an open episode a new owner: a caseworker of the person's force.

    A supervisor's or senior officer's decision; the episode's owner until then is the
    person's offender manager, or whoever was last assigned.
    """
    person = _person_for(actor, person_id, Role.SUPERVISOR, Role.SENIOR_OFFICER)
    assigned = parse_date(assigned_on, "assigned_on")
    _open_episode_on(person, assigned, "assigned_on")
    if not note.strip():
        raise InvalidInput("note", "is required: say why the owner changes")
    if owner not in {u.get_username() for u in policy.caseworkers(person.force_id)}:
        raise InvalidInput("owner", f"{owner!r} is not a caseworker in {person.force.name}")
    return register.event_record(
        person_id=person.pk, kind=EventKind.MISSING_ACTION, effective_date=assigned,
        today=today, recorded_by=actor, source="web",
        details={"action": "owner_assigned", "owner": owner, "note": note})
