"""What each kind of event may carry in ``details``, and the checks that keep the ledger sane.

Each kind declares its fields; anything else is refused, so a typo never becomes data.
Dates in details are ISO strings (JSON has no date type) and are checked as dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInput
from .models import EventKind


@dataclass(frozen=True)
class Field:
    type: type  # str, bool, int or dt.date
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int = 0  # for an int
    maximum: int = 10_000


VISIT_OUTCOMES = (
    "seen_at_home",
    "seen_elsewhere",
    "no_reply",
    "access_denied",
    "no_longer_living_there",
    "not_known_at_address",
)
#: Why a whereabouts check was opened.
#: Planned (arranged with the person) or unannounced.
VISIT_KINDS = ("planned", "unannounced")
#: What was checked on a visit; stored separated by "; ".
VISIT_CHECKS = ("rooms", "devices", "vehicles", "signs_of_children", "documents")
MAPPA_CATEGORIES = ("1", "2", "3")
MAPPA_LEVELS = ("1", "2", "3")
CHECK_REASONS = ("no_longer_living_there", "not_known_at_address", "returned_mail",
                 "intelligence", "missed_notification")
CHECK_OUTCOMES = ("found", "recorded_missing")
CIRCULATION_SCOPES = ("national", "international")
MISSING_ACTIONS = ("enquiry", "sighting", "lead", "partner_check", "owner_assigned", "other")
REVIEW_LEVELS = ("supervisor", "senior")
CHANGE_REASONS = ("home_address", "name", "other_address", "release", "qualifying_stay", "other")
REVIEW_OUTCOMES = ("continue", "discharged")
RISK_LEVELS = ("low", "medium", "high", "very_high")
HOW_FOUND = ("arrest", "voluntary_attendance", "found_abroad_and_returned", "found_in_custody",
             "found_dead", "seen_by_police", "other")
LOCATE_OUTCOMES = ("arrested", "charged", "cautioned", "notified_and_compliant",
                   "no_further_action", "deceased")
#: s.91(1)(a) failing without reasonable excuse to comply; s.91(1)(b) knowingly false information.
#: ``breach_of_order``: a breach of a SHPO or SRO (``order`` names the order's reference).
BREACH_OFFENCES = ("fail_to_comply", "false_information", "breach_of_order")
#: Sexual Harm Prevention Orders and Sexual Risk Orders, and their interim forms.
ORDER_TYPES = ("shpo", "interim_shpo", "sro", "interim_sro")
#: Whether the destination country was told of a notified journey.
COUNTRY_INFORMED = ("yes", "no")
WARRANT_STATUSES = ("applied", "issued", "executed", "withdrawn", "refused")
BREACH_OUTCOMES = ("charged", "cautioned", "no_further_action", "reasonable_excuse_accepted",
                   "convicted", "acquitted")

_NOTIFICATION = {
    "no_fixed_abode": Field(bool),
    "station": Field(str),
    "note": Field(str),
}

SCHEMAS: dict[str, dict[str, Field]] = {
    EventKind.REGISTERED: {"note": Field(str)},
    EventKind.DISPOSAL: {"note": Field(str)},
    EventKind.NOTIFICATION_INITIAL: _NOTIFICATION,
    EventKind.NOTIFICATION_PERIODIC: _NOTIFICATION,
    EventKind.NOTIFICATION_CHANGE: {**_NOTIFICATION, "change": Field(str, True, CHANGE_REASONS)},
    EventKind.NOTIFICATION_TRAVEL: {
        "departure_date": Field(dt.date, True),
        "return_date": Field(dt.date),
        "destination": Field(str, True),
        "station": Field(str),
        # The itinerary (places and dates), the checks done on it, and whether the
        # destination country was informed (and when).
        "itinerary": Field(str),
        "checks_done": Field(str),
        "country_informed": Field(str, False, COUNTRY_INFORMED),
        "country_informed_on": Field(dt.date),
    },
    EventKind.NOTIFICATION_HOUSEHOLD: {"start_date": Field(dt.date, True), "station": Field(str)},
    # Financial and document details are held on ViSOR, not here (APP): we record that they
    # were given, and where they are held.
    EventKind.NOTIFICATION_BANK_CARD: {"held_on": Field(str, True)},
    EventKind.NOTIFICATION_PASSPORT: {"held_on": Field(str, True)},
    EventKind.CUSTODY_START: {"establishment": Field(str), "note": Field(str)},
    EventKind.CUSTODY_END: {"establishment": Field(str), "note": Field(str)},
    EventKind.HOSPITAL_START: {"hospital": Field(str), "note": Field(str)},
    EventKind.HOSPITAL_END: {"hospital": Field(str), "note": Field(str)},
    EventKind.ABROAD_START: {"country": Field(str), "note": Field(str)},
    EventKind.ABROAD_END: {"country": Field(str), "note": Field(str)},
    EventKind.VISIT: {
        "outcome": Field(str, True, VISIT_OUTCOMES),
        "visit_kind": Field(str, False, VISIT_KINDS),
        # Who was present, in words; ``children_present`` says whether any child (under 18) was.
        "present": Field(str),
        "children_present": Field(bool),
        "checked": Field(str),
        "concerns": Field(str),
        "note": Field(str),
    },
    # What the risk management plan says about visits: an interval (months and/or days)
    # with a number of contacts in it, or reactive management (no routine visits).
    EventKind.VISIT_PLAN: {
        "every_months": Field(int, maximum=36),
        "every_days": Field(int, maximum=1100),
        "contacts": Field(int, minimum=1, maximum=20),
        "reactive": Field(bool),
        "note": Field(str),
    },
    # Risk of serious harm as assessed (OASys/ARMS-informed); who set it is ``recorded_by``.
    EventKind.RISK_LEVEL: {"level": Field(str, True, RISK_LEVELS), "note": Field(str)},
    EventKind.MAPPA: {
        "category": Field(str, True, MAPPA_CATEGORIES),
        "level": Field(str, True, MAPPA_LEVELS),
        "note": Field(str),
    },
    # A MAPP meeting: the row in ``risk.MappaMeeting`` holds the attendees and the actions;
    # the entry puts it on the timeline with a summary.
    EventKind.MAPPA_MEETING: {
        "meeting": Field(int, True, minimum=1, maximum=2**62),
        "level": Field(str, True, MAPPA_LEVELS),
        "chair": Field(str, True),
        "attendees": Field(str),
        "decisions": Field(str),
        "actions": Field(int, maximum=100),
    },
    # An ARMS assessment as recorded: the factors in the assessor's words (one per line), the
    # priorities for the plan, and when the next is due. ARMS gives no score.
    EventKind.ARMS_ASSESSMENT: {
        "assessor": Field(str, True),
        "risk_factors": Field(str),
        "protective_factors": Field(str),
        "priorities": Field(str, True),
        "next_due": Field(dt.date, True),
        "note": Field(str),
    },
    # A SHPO or SRO: prohibitions one per line; an end date, or indefinite (until further
    # order). A variation replaces what it names; a discharge ends the order that day.
    EventKind.ORDER_MADE: {
        "order_type": Field(str, True, ORDER_TYPES),
        "reference": Field(str, True),
        "court": Field(str, True),
        "prohibitions": Field(str, True),
        "end_date": Field(dt.date),
        "indefinite": Field(bool),
        "note": Field(str),
    },
    EventKind.ORDER_VARIED: {
        "reference": Field(str, True),
        "court": Field(str),
        "prohibitions": Field(str),
        "end_date": Field(dt.date),
        "indefinite": Field(bool),
        "note": Field(str),
    },
    EventKind.ORDER_DISCHARGED: {
        "reference": Field(str, True),
        "court": Field(str),
        "note": Field(str),
    },
    EventKind.DEATH: {"note": Field(str)},
    EventKind.REVIEW_DECISION: {
        "outcome": Field(str, True, REVIEW_OUTCOMES),
        "further_review_date": Field(dt.date),
        "note": Field(str),
    },
    EventKind.CHECK_OPENED: {"reason": Field(str, True, CHECK_REASONS), "note": Field(str)},
    # ``checks_done`` lists the force's checklist items done, separated by "; ".
    EventKind.CHECK_CLOSED: {
        "outcome": Field(str, True, CHECK_OUTCOMES),
        "explanation": Field(str, True),
        "checks_done": Field(str),
    },
    # A missing episode opens on the date a supervisor records the person as missing;
    # ``missing_since`` is the last date they were confirmed at a notified address.
    EventKind.MISSING_RECORDED: {
        "missing_since": Field(dt.date, True),
        "basis": Field(str, True),
        "risk": Field(str, True, RISK_LEVELS),
        "believed_abroad": Field(bool),
        "country": Field(str),
        "abroad_basis": Field(str),
    },
    EventKind.MISSING_LOCATED: {
        "where": Field(str, True),
        "by": Field(str, True),
        "how_found": Field(str, True, HOW_FOUND),
        "outcome": Field(str, True, LOCATE_OUTCOMES),
        "note": Field(str),
    },
    # Work on an open episode; ``next_action``/``next_action_by`` set what happens next.
    EventKind.MISSING_ACTION: {
        "action": Field(str, True, MISSING_ACTIONS),
        "note": Field(str, True),
        "next_action": Field(str),
        "next_action_by": Field(dt.date),
        # ``owner_assigned`` actions name the new owner of the episode (a username).
        "owner": Field(str),
        # A sighting or lead reported by another force from its inbox: that force's slug.
        "from_force": Field(str),
    },
    EventKind.MISSING_REVIEW: {
        "level": Field(str, True, REVIEW_LEVELS),
        "note": Field(str, True),
        "next_action": Field(str, True),
        "next_action_by": Field(dt.date, True),
    },
    # ``reference`` identifies the circulation in the national systems (e.g. a PNC or NCA
    # reference); updates are a new ``circulation.sent`` with the same reference.
    EventKind.CIRCULATION_SENT: {
        "scope": Field(str, True, CIRCULATION_SCOPES),
        "reference": Field(str, True),
        "note": Field(str),
    },
    EventKind.CIRCULATION_CANCELLED: {"reference": Field(str, True), "reason": Field(str, True)},
    # A breach (s.91) is recorded as a crime; ``crime_reference`` names it in the later
    # warrant and outcome entries. ``what`` says which requirement was breached.
    EventKind.BREACH_RECORDED: {
        "offence": Field(str, True, BREACH_OFFENCES),
        "crime_reference": Field(str, True),
        "what": Field(str, True),
        # s.91(3): the offence is committed on the first day of the failure and continues
        # while it lasts; one prosecution per failure.
        "failed_from": Field(dt.date),
        "note": Field(str),
        # A breach of a SHPO or SRO (offence ``breach_of_order``): the order's reference.
        "order": Field(str),
    },
    EventKind.BREACH_WARRANT: {
        "crime_reference": Field(str, True),
        "status": Field(str, True, WARRANT_STATUSES),
        "court": Field(str),
        "warrant_reference": Field(str),
        "note": Field(str),
    },
    EventKind.BREACH_OUTCOME: {
        "crime_reference": Field(str, True),
        "outcome": Field(str, True, BREACH_OUTCOMES),
        "note": Field(str),
    },
    EventKind.ASSIGNMENT: {"offender_manager": Field(str, True), "force": Field(str, True)},
    EventKind.TRANSFER_OPENED: {
        "to_force": Field(str, True), "from_force": Field(str, True),
        "postcode": Field(str), "due_by": Field(dt.date, True), "note": Field(str),
    },
    EventKind.TRANSFER_ACCEPTED: {
        "to_force": Field(str, True), "offender_manager": Field(str, True), "note": Field(str),
    },
    EventKind.TRANSFER_CANCELLED: {"to_force": Field(str, True), "note": Field(str, True)},
    EventKind.IDENTITY: {
        "family_name": Field(str),
        "given_names": Field(str),
        "date_of_birth": Field(dt.date),
        "pnc_id": Field(str),
        "cro_number": Field(str),
        "ni_number": Field(str),
        "passport_number": Field(str),
    },
    # A duplicate record merged into the surviving record of the same person (docs/linkage.md,
    # "Duplicate identities"): an entry on each, naming the other; the reason is the entry's.
    # ``tasks_closed`` lists the open tasks of the merged record the merge closed.
    EventKind.MERGED_INTO: {
        "survivor": Field(int, True, minimum=1, maximum=2**62),
        "survivor_reference": Field(str, True),
        "suggestion": Field(int, minimum=1, maximum=2**62),
        "tasks_closed": Field(str),
    },
    EventKind.MERGED_FROM: {
        "merged": Field(int, True, minimum=1, maximum=2**62),
        "merged_reference": Field(str, True),
        "suggestion": Field(int, minimum=1, maximum=2**62),
    },
    EventKind.VOID: {},
}

NOTIFICATION_KINDS = frozenset(k for k in SCHEMAS if k.startswith("notification."))
#: Notifications that restart the periodic clock (s.85); the 2012 "new items" do not.
CLOCK_NOTIFICATIONS = {
    EventKind.NOTIFICATION_INITIAL: "initial",
    EventKind.NOTIFICATION_CHANGE: "change",
    EventKind.NOTIFICATION_PERIODIC: "periodic",
}
#: Start and end kinds of the periods that stop the statutory clocks, with the rules' reason.
AWAY_PAIRS = {
    EventKind.CUSTODY_START: (EventKind.CUSTODY_END, "custody"),
    EventKind.HOSPITAL_START: (EventKind.HOSPITAL_END, "hospital"),
    EventKind.ABROAD_START: (EventKind.ABROAD_END, "abroad"),
}
AWAY_ENDS = {end: start for start, (end, _) in AWAY_PAIRS.items()}


def parse_date(value: Any, field: str) -> dt.date:
    """A strict ISO ``YYYY-MM-DD`` date, or a date object."""
    if isinstance(value, dt.datetime):
        raise InvalidInput(field, "must be a date, not a date and time")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise InvalidInput(field, f"must be a date written YYYY-MM-DD, not {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not a real date") from None


def validate_details(kind: str, details: dict[str, Any] | None) -> dict[str, Any]:
    """Check ``details`` against the kind's fields and return them in JSON-ready form."""
    if kind not in SCHEMAS:
        known = ", ".join(sorted(SCHEMAS))
        raise InvalidInput("kind", f"unknown kind {kind!r}; expected one of {known}")
    details = dict(details or {})
    schema = SCHEMAS[kind]
    for name in details:
        if name not in schema:
            raise InvalidInput(f"details.{name}", f"is not a field of a {kind} event")
    clean: dict[str, Any] = {}
    for name, spec in schema.items():
        path = f"details.{name}"
        value = details.get(name)
        if value is None or value == "":
            if spec.required:
                raise InvalidInput(path, "is required")
            continue
        if spec.type is dt.date:
            clean[name] = parse_date(value, path).isoformat()
        elif spec.type is bool:
            if not isinstance(value, bool):
                raise InvalidInput(path, "must be true or false")
            clean[name] = value
        elif spec.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidInput(path, "must be a whole number")
            if not spec.minimum <= value <= spec.maximum:
                raise InvalidInput(path, f"must be from {spec.minimum} to {spec.maximum}")
            clean[name] = value
        elif spec.type is str:
            if not isinstance(value, str):
                raise InvalidInput(path, "must be text")
            value = value.strip()
            if spec.choices and value not in spec.choices:
                raise InvalidInput(path, f"must be one of {', '.join(spec.choices)}, not {value!r}")
            clean[name] = value
        else:  # pragma: no cover - no other types are declared
            raise TypeError(spec.type)
    return clean
