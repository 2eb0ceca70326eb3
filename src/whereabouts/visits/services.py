"""Recording visits, risk levels, MAPPA decisions and the plan's visits; a force's policy.

Each is keyword-only, one transaction, checks who may (``access.permissions``: ``risk.record``,
``mappa.record``, ``visits.policy``) and writes a ledger entry through the register, which
logs it. Bad input is refused naming the field, and nothing is changed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.missing import services as missing
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.events import VISIT_CHECKS, parse_date
from whereabouts.register.models import Event, EventKind, Force, Person
from whereabouts.register.recording import NotPermitted

from .ledger import inputs_from
from .models import ForceVisitPolicy
from .policy import PRESETS, Interval, risk_as_at
from .selectors import LEVEL_FIELDS, force_policy, visit_entries_by_person
from .sweep import refresh_person


def _person(actor: AbstractBaseUser, person_id: int, permission: str) -> Person:
    person = policy.visible_people(actor).filter(pk=person_id).first()
    if (person is None or not policy.may(actor, permission)
            or not policy.can_record_events(actor, person)):
        raise NotPermitted("not found")
    return person


def _checked(checked: tuple[str, ...] | list[str] | str) -> str:
    items = [c.strip() for c in checked.split(";")] if isinstance(checked, str) else checked
    for item in items:
        if item and item not in VISIT_CHECKS:
            raise InvalidInput("checked", f"{item!r} is not one of {', '.join(VISIT_CHECKS)}")
    return "; ".join(i for i in VISIT_CHECKS if i in items)


def visit_details(*, outcome: str, visit_kind: str, present: str, children_present: bool,
                  checked: tuple[str, ...] | list[str] | str, concerns: str,
                  note: str) -> dict[str, object]:
    if children_present and not present.strip():
        raise InvalidInput("present", "is required when children were present: say who")
    return {"outcome": outcome, "visit_kind": visit_kind, "present": present,
            "children_present": children_present or None, "checked": _checked(checked),
            "concerns": concerns, "note": note}


@transaction.atomic
def record_visit(*, person_id: int, visited_on: dt.date | str, outcome: str,
                 actor: AbstractBaseUser, today: dt.date, visit_kind: str = "",
                 present: str = "", children_present: bool = False,
                 checked: tuple[str, ...] | list[str] | str = (), concerns: str = "",
                 note: str = "") -> Event:
    """A home visit with what was found. "No longer lives here" (and "not known at the
    address") opens a whereabouts check at once, through the missing path."""
    details = visit_details(outcome=outcome, visit_kind=visit_kind, present=present,
                            children_present=children_present, checked=checked,
                            concerns=concerns, note=note)
    event = missing.record_visit(person_id=person_id, visited_on=visited_on, outcome=outcome,
                                 actor=actor, today=today, details=details)
    refresh_person(event.person, today)
    return event


@transaction.atomic
def correct_visit(*, person_id: int, visited_on: dt.date | str, outcome: str,
                  actor: AbstractBaseUser, today: dt.date, supersedes: int, reason: str,
                  visit_kind: str = "", present: str = "", children_present: bool = False,
                  checked: tuple[str, ...] | list[str] | str = (), concerns: str = "",
                  note: str = "") -> Event:
    """A corrected visit record (it opens no new check: that was decided when it was made)."""
    from whereabouts.register import recording

    details = visit_details(outcome=outcome, visit_kind=visit_kind, present=present,
                            children_present=children_present, checked=checked,
                            concerns=concerns, note=note)
    event = recording.correct_visit(person_id=person_id, visited_on=visited_on,
                                    outcome=outcome, actor=actor, today=today,
                                    supersedes=supersedes, reason=reason, details=details)
    refresh_person(event.person, today)
    return event


def _entry(person: Person, kind: str, on: dt.date | str, field: str, details: dict[str, object],
           actor: AbstractBaseUser, today: dt.date) -> Event:
    when = parse_date(on, field)
    try:
        event = register.event_record(person_id=person.pk, kind=kind, effective_date=when,
                                      today=today, recorded_by=actor, source="web",
                                      details=details)
    except InvalidInput as err:
        if err.field == "effective_date":
            raise InvalidInput(field, err.message) from None
        if err.field.startswith("details."):
            raise InvalidInput(err.field.removeprefix("details."), err.message) from None
        raise
    refresh_person(person, today)
    return event


@transaction.atomic
def record_risk_level(*, person_id: int, assessed_on: dt.date | str, level: str, note: str,
                      actor: AbstractBaseUser, today: dt.date) -> Event:
    """The risk of serious harm as assessed; it sets the default visit interval."""
    person = _person(actor, person_id, "risk.record")
    if not note.strip():
        raise InvalidInput("note", "is required: say what the assessment rests on")
    return _entry(person, EventKind.RISK_LEVEL, assessed_on, "assessed_on",
                  {"level": level, "note": note}, actor, today)


@transaction.atomic
def record_mappa(*, person_id: int, decided_on: dt.date | str, category: str, level: str,
                 note: str, actor: AbstractBaseUser, today: dt.date) -> Event:
    """The MAPPA category and management level (a supervisor's or senior officer's entry,
    recording the Responsible Authority's decision)."""
    person = _person(actor, person_id, "mappa.record")
    return _entry(person, EventKind.MAPPA, decided_on, "decided_on",
                  {"category": category, "level": level, "note": note}, actor, today)


@transaction.atomic
def record_visit_plan(*, person_id: int, set_on: dt.date | str, actor: AbstractBaseUser,
                      today: dt.date, every_months: int | None = None,
                      every_weeks: int | None = None, contacts: int | None = None,
                      reactive: bool = False, note: str = "") -> Event:
    """What the risk management plan sets for visits: an interval (months or weeks, with a
    number of visits in it), or reactive management for someone low risk long enough."""
    person = _person(actor, person_id, "risk.record")
    set_date = parse_date(set_on, "set_on")
    if reactive:
        if every_months or every_weeks:
            raise InvalidInput("every_months", "must be empty for reactive management, which "
                                               "has no routine visits")
        years = force_policy(person.force_id).preset.reactive_after_years
        if years is None:
            raise InvalidInput("reactive", "is not part of this force's visit policy")
        entries = visit_entries_by_person([person.pk], set_date).get(person.pk, [])
        level, since = risk_as_at(inputs_from(entries, set_date).risk_history, set_date)
        if level != "low" or since is None or Interval(months=12 * years).after(since) > set_date:
            raise InvalidInput("reactive", f"is possible only after {years} years assessed "
                                           "low risk" + (f" (low since {since:%d %B %Y})"
                                                         if level == "low" and since else ""))
    elif not every_months and not every_weeks:
        raise InvalidInput("every_months", "is required: give the interval in months or weeks, "
                                           "or choose reactive management")
    elif every_months and every_weeks:
        raise InvalidInput("every_weeks", "must be empty when months are given")
    details = {"every_months": every_months or None,
               "every_days": every_weeks * 7 if every_weeks else None,
               "contacts": contacts if contacts and not reactive else None,
               "reactive": reactive or None, "note": note}
    return _entry(person, EventKind.VISIT_PLAN, set_date, "set_on", details, actor, today)


@transaction.atomic
def set_force_policy(*, force: str, preset: str, actor: AbstractBaseUser | None,
                     months: dict[str, int | None] | None = None) -> ForceVisitPolicy:
    """Choose a force's visit preset and, optionally, its own default months per risk level.

    ``actor`` None is the command line (an operator); otherwise a senior officer of the force.
    """
    if actor is not None:
        profile = policy.profile_of(actor)
        if (not policy.may(actor, "visits.policy") or profile is None
                or profile.force_id != force):
            raise NotPermitted("not found")
    if not Force.objects.filter(slug=force).exists():
        raise InvalidInput("force", f"no force has the slug {force!r}")
    if preset not in PRESETS:
        raise InvalidInput("preset", f"must be one of {', '.join(PRESETS)}")
    months = dict(months or {})
    for level, value in months.items():
        if level not in LEVEL_FIELDS:
            raise InvalidInput(level, "is not a risk level")
        if value is not None and not 1 <= value <= 36:
            raise InvalidInput(level, "must be from 1 to 36 months")
    row, _ = ForceVisitPolicy.objects.update_or_create(
        force_id=force, defaults={"preset": preset, "set_by": actor, "set_at": timezone.now(),
                                  **{LEVEL_FIELDS[k]: v for k, v in months.items()}})
    audit.record(actor=actor, action=AuditAction.ALTERATION,
                 what=f"set the visit policy of {force}: {preset}, "
                      f"{ {k: v for k, v in months.items() if v} or 'preset defaults'}")
    return row

