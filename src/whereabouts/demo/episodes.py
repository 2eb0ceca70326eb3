"""The missing plan's episodes as ledger entries, so that the figures come from the ledger.

Each plan entry becomes a ``missing.recorded`` entry on the day the person was recorded as
missing (with the last date they were confirmed at home, the basis and the risk, and for
those believed abroad the country and why), then a case history of ``missing.action`` and
``missing.review`` entries (:func:`case_history`), and, for those located, a
``missing.located`` entry. The generator adds them to each person's ledger; the details are
exactly what ``register.events.validate_details`` returns for them (a test checks every
entry), built here without importing Django so that the generator stays plain Python.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from whereabouts.demo import SCENARIO_TODAY

from .dates import ONE_DAY
from .missing import MissingPlanEntry
from .places import PLACES


def _without_blanks(details: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in details.items() if v is not None and v != ""}


def recorded_details(entry: MissingPlanEntry) -> dict[str, Any]:
    basis = (f"Not found at the notified home address: visit on {entry.failed_visit_on} "
             f"({entry.failed_visit_outcome.replace('_', ' ')}); the notification due by "
             f"{entry.missed_due_on} was not made; enquiries found no trace.")
    return _without_blanks({
        "missing_since": entry.last_seen_at_home_on.isoformat(),
        "basis": basis,
        "risk": entry.risk_level,
        "believed_abroad": entry.believed_abroad,
        "country": entry.country if entry.believed_abroad else "",
        "abroad_basis": entry.basis if entry.believed_abroad else "",
    })


def located_details(entry: MissingPlanEntry) -> dict[str, Any]:
    voluntary = entry.located_event == "notification.change"
    outcome = ("charged" if "charged" in entry.located_outcome
               else "notified_and_compliant" if voluntary else "arrested")
    return _without_blanks({
        "where": entry.located_where,
        "by": entry.located_by,
        "how_found": "voluntary_attendance" if voluntary else "arrest",
        "outcome": outcome,
        "note": entry.located_outcome[:500],
    })


def check_opened_details(entry: MissingPlanEntry) -> dict[str, Any]:
    gone = entry.failed_visit_outcome == "no_longer_living_there"
    return _without_blanks({
        "reason": "no_longer_living_there" if gone else "missed_notification",
        "note": f"Opened after the visit on {entry.failed_visit_on}",
    })


def check_closed_details(entry: MissingPlanEntry) -> dict[str, Any]:
    return _without_blanks({
        "outcome": "recorded_missing",
        "explanation": "No trace at any notified address or through partner checks",
        "checks_done": "; ".join(CHECKS_DONE),
    })


#: The checks the demo's offender managers made before each person was recorded missing
#: (in the order of the default checklist in settings).
CHECKS_DONE = (
    "Notified home address re-visited",
    "Custody checked (local cells and prisons)",
    "Hospitals checked",
    "Probation checked",
    "DWP checked",
)


def circulation_references(entry: MissingPlanEntry) -> list[tuple[str, str]]:
    """(scope, reference) of each circulation: national always, international if abroad."""
    national = ("national", f"{entry.person_reference}/{entry.went_missing_on:%Y%m%d}")
    if not entry.believed_abroad:
        return [national]
    return [national, ("international", f"NCA/{entry.person_reference}")]


# -- the case history: actions and reviews between the decision and the locate -------------
ACTION = "missing.action"
REVIEW = "missing.review"
#: The review intervals the board applies (the defaults of ``WHEREABOUTS_REVIEW_*`` in
#: settings; a test keeps them in step): a supervisor every 28 days, a senior officer 91 days
#: after the episode began and then every 182 days.
SUPERVISOR_DAYS, SENIOR_FIRST_DAYS, SENIOR_DAYS = 28, 91, 182

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

#: (action, note) templates; ``{town}``, ``{seen}`` (month and year last seen at home) and
#: ``{country}`` are filled in.
_ACTIONS = (
    ("enquiry", "Called at the last notified address again: the occupier has not seen them "
                "and has no forwarding address."),
    ("enquiry", "Spoke to neighbours near the last notified address: not seen since {seen}."),
    ("enquiry", "Enquiries with family in {town}: no contact since {seen}; asked to call if "
                "they hear anything."),
    ("enquiry", "Checked hostels and night shelters in {town}: not known to any of them."),
    ("enquiry", "Visited a known associate in {town}, who denies any contact since {seen}."),
    ("partner_check", "Probation: no contact, and no new address held."),
    ("partner_check", "DWP: no benefit claim or change of address since {seen}."),
    ("partner_check", "Housing: no housing or homelessness application in the force area."),
    ("partner_check", "Health liaison: no registration with a new GP practice."),
    ("partner_check", "Custody and prisons (PNC and local records): not held anywhere."),
    ("sighting", "Reported sighting in {town} town centre by a member of the public; area "
                 "searched, not found."),
    ("sighting", "Possible sighting at {town} bus station; CCTV reviewed: not them."),
    ("lead", "Crimestoppers information about an address in {town}; visited, not known "
             "there."),
    ("lead", "A former associate gave a mobile number; passed to the intelligence unit."),
    ("lead", "Information that they are staying with a relative in {town}; address visited, "
             "not there."),
    ("other", "PNC missing marker checked: active, details up to date."),
)
_ABROAD_ACTIONS = (
    ("lead", "Asked the NCA for an update on the enquiry in {country}: no trace so far."),
    ("partner_check", "Border Force: no record of a return to the United Kingdom."),
    ("enquiry", "Family say they are still in {country}; they will not give an address."),
    ("lead", "International circulation confirmed active; the {country} authorities have no "
             "trace."),
)
_NEXT_ACTIONS = (
    "Re-check DWP and housing for a new claim or application",
    "Call at the last notified address again",
    "Follow up the information with the neighbourhood team in {town}",
    "Check PNC and custody records again",
    "Ask probation about any contact",
    "Speak to the family again",
)
_ABROAD_NEXT_ACTIONS = (
    "Chase the NCA for a reply from {country}",
    "Ask Border Force to confirm there has been no return",
)
_SUPERVISOR_NOTES = (
    "Reviewed with the offender manager: enquiries proportionate to the {risk} risk; "
    "circulation active. Continue.",
    "Monthly review: no new information; partner checks up to date. Continue the search plan.",
    "Reviewed the actions since the last review; the leads are closed with no trace. "
    "Continue.",
)
_SUPERVISOR_NEXT = (
    "Monthly partner checks (DWP, housing, probation) and PNC",
    "Call at the last notified address again",
    "Follow up any open lead before the next review",
)
_SENIOR_NOTES = (
    "Senior review after {months} months: risk remains {risk}; circulations confirmed. "
    "Continue the search strategy.",
    "Senior review: no trace after {months} months. Circulation and PNC marker to stay; the "
    "case stays open.",
)
_SENIOR_NEXT = (
    "Consider a public appeal with the press office",
    "Refresh the circulation and the PNC marker",
    "Keep the monthly reviews; report back at the next senior review",
)
_SENIOR_ABROAD_NEXT = ("Ask the NCA for an update from {country}",)


def _ri(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _pick(rng: random.Random, seq: tuple[Any, ...]) -> Any:
    return seq[int(rng.random() * len(seq))]


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _action_gap(rng: random.Random, age_days: int) -> int:
    """Days to the next action: weekly to fortnightly at first, then a few a year."""
    if age_days < SENIOR_FIRST_DAYS:
        return _ri(rng, 7, 21)
    if age_days < 365:
        return _ri(rng, 30, 75)
    return _ri(rng, 90, 180)


def case_history(entry: MissingPlanEntry, rng: random.Random,
                 today: dt.date = SCENARIO_TODAY) -> list[tuple[str, dt.date, dict[str, Any]]]:
    """The actions and reviews of the entry's episode, ``(kind, date, details)`` by date.

    Every entry falls after the day the episode began and before the locate (or on or before
    ``today`` for an episode still open). A ``kept_up`` case has a supervisor review every 21
    to 28 days, a senior review 77 to 91 days after it began and then every 154 to 182 days,
    and actions: weekly to fortnightly for three months, every one to two and a half months
    for the rest of the first year, then two to four a year; so on ``today`` no review is
    overdue and the case has not gone quiet. The flagged minority (``entry.history``) is let
    slip: ``lapsed`` stops all work 35 days to a year before ``today`` (gone quiet, review
    overdue); ``supervisor_review_late`` misses the last supervisor reviews (31 to 56 days
    since the last) while actions go on; ``senior_review_late`` misses the senior review that
    last fell due. Those who are located are always ``kept_up`` until the locate.
    """
    began = entry.went_missing_on
    last = today if entry.located_on is None else min(today, entry.located_on - ONE_DAY)
    if last <= began:
        return []
    flagged = entry.history if entry.located_on is None else "kept_up"
    stop_work = stop_supervisor = last
    age_today = (today - began).days
    if flagged == "lapsed" and age_today > 36:
        # Never before the first enquiries (1 to 3 days in): someone did start the case.
        stop_work = stop_supervisor = max(began + _days(3), today - _days(
            _ri(rng, 35, min(400, age_today - 1))))
    elif flagged == "supervisor_review_late":
        stop_supervisor = today - _days(_ri(rng, 31, 56))

    town = _pick(rng, PLACES[entry.force].towns)[0]
    seen = entry.last_seen_at_home_on
    fill = {"town": town, "country": entry.country, "seen": f"{_MONTHS[seen.month - 1]} "
            f"{seen.year}", "risk": entry.risk_level.replace("_", " ")}
    actions = _ACTIONS + (_ABROAD_ACTIONS * 2 if entry.believed_abroad else ())
    next_actions = _NEXT_ACTIONS + (_ABROAD_NEXT_ACTIONS if entry.believed_abroad else ())
    senior_next = _SENIOR_NEXT + (_SENIOR_ABROAD_NEXT if entry.believed_abroad else ())

    out: list[tuple[str, dt.date, dict[str, Any]]] = []

    def action(on: dt.date) -> None:
        kind, note = _pick(rng, actions)
        soon = (on - began).days < SENIOR_FIRST_DAYS
        by = on + _days(_ri(rng, 7, 14) if soon else _ri(rng, 28, 56))
        out.append((ACTION, on, {"action": kind, "note": note.format(**fill),
                                 "next_action": _pick(rng, next_actions).format(**fill),
                                 "next_action_by": by.isoformat()}))

    on = began + _days(_ri(rng, 1, 3))
    while on <= stop_work:
        action(on)
        on += _days(_action_gap(rng, (on - began).days))
    if flagged == "supervisor_review_late" and not any(
            (today - d).days < SUPERVISOR_DAYS for _, d, _ in out):
        action(today - _days(_ri(rng, 2, 20)))  # the work goes on; the review does not

    on = began + _days(_ri(rng, 21, SUPERVISOR_DAYS))
    while on <= min(stop_work, stop_supervisor):
        out.append((REVIEW, on, {"level": "supervisor",
                                 "note": _pick(rng, _SUPERVISOR_NOTES).format(**fill),
                                 "next_action": _pick(rng, _SUPERVISOR_NEXT),
                                 "next_action_by": (on + _days(_ri(rng, 14, 28))).isoformat()}))
        on += _days(_ri(rng, 21, SUPERVISOR_DAYS))

    seniors: list[tuple[str, dt.date, dict[str, Any]]] = []
    on = began + _days(_ri(rng, 77, SENIOR_FIRST_DAYS))
    while on <= stop_work:
        months = (on - began).days * 12 // 365
        seniors.append((REVIEW, on, {
            "level": "senior", "note": _pick(rng, _SENIOR_NOTES).format(months=months, **fill),
            "next_action": _pick(rng, senior_next).format(**fill),
            "next_action_by": (on + _days(_ri(rng, 28, 56))).isoformat()}))
        on += _days(_ri(rng, 154, SENIOR_DAYS))
    if flagged == "senior_review_late":
        # Leave out the last senior reviews until the next one fell due before today.
        while seniors and seniors[-1][1] + _days(SENIOR_DAYS) >= today:
            seniors.pop()
    out.extend(seniors)

    out.sort(key=lambda e: (e[1], e[0] == REVIEW, e[2].get("level") == "senior"))
    if entry.located_on is None and flagged != "lapsed" and out:
        # Whoever last touched a live case set a next action that is still ahead.
        kind, on, details = out[-1]
        if dt.date.fromisoformat(details["next_action_by"]) <= today:
            details["next_action_by"] = (today + _days(_ri(rng, 3, 21))).isoformat()
    return out
