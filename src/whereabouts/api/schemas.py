"""What the API reads and writes, as pydantic schemas (and so the OpenAPI description)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from whereabouts.register.events import CHANGE_REASONS, VISIT_OUTCOMES


def _plain(value: str) -> str:
    """Refuse control characters and lone surrogates: no database stores them as text."""
    for ch in value:
        code = ord(ch)
        if (code < 32 and ch not in "\t\n\r") or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            raise ValueError("must not contain control characters")
    return value


Text = Annotated[str, AfterValidator(_plain)]


def text(max_length: int, *, required: bool = False) -> Any:
    return Field(... if required else "", max_length=max_length,
                 min_length=1 if required else 0)


# -- problems ----------------------------------------------------------------------------------
class FieldError(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


# -- people ------------------------------------------------------------------------------------
class SearchParams(Schema):
    name: Text = Field("", max_length=100, description="Family name, given names or both, or "
                                                       "an alias; spelling need not be exact")
    date_of_birth: dt.date | None = None
    identifier: Text = Field("", max_length=30,
                             description="PNC ID, CRO, National Insurance or passport number")
    postcode: Text = Field("", max_length=10, description="Of any address; a district finds "
                                                         "every address in it")
    every_force: bool = Field(False, description="Also people of other forces (casework "
                                                 "roles); opening one needs a reason")
    page: int = Field(1, ge=1, le=1000)


class ForceOut(Schema):
    slug: str
    name: str


class HitOut(Schema):
    id: int
    reference: str
    family_name: str
    given_names: str
    date_of_birth: dt.date
    force: ForceOut
    score: float
    why: list[str]
    needs_reason: bool = Field(description="Reading this person needs X-Reason-For-Access")


class SearchOut(Schema):
    total: int
    page: int
    per_page: int
    results: list[HitOut]


class AliasOut(Schema):
    family_name: str
    given_names: str
    used_from: dt.date | None
    used_to: dt.date | None


class OfficerOut(Schema):
    username: str
    name: str


class StatusOut(Schema):
    compliance: str
    indefinite: bool
    period_last_day: dt.date | None
    next_due_kind: str
    next_due_last_day: dt.date | None
    review_first_eligible: dt.date | None
    explanation: list[str]


class PersonOut(Schema):
    id: int
    reference: str
    family_name: str
    given_names: str
    aliases: list[AliasOut]
    date_of_birth: dt.date
    sex: str
    force: ForceOut
    offender_manager: OfficerOut | None
    as_at: dt.date
    status: StatusOut


# -- the ledger --------------------------------------------------------------------------------
class AddressOut(Schema):
    kind: str
    line1: str
    line2: str
    town: str
    postcode: str
    from_date: dt.date


class EventOut(Schema):
    id: int
    kind: str
    effective_date: dt.date
    recorded_at: dt.datetime
    recorded_by: str | None
    source: str
    details: dict[str, Any]
    addresses: list[AddressOut]
    supersedes: int | None = Field(description="The entry this one corrects or withdraws")
    superseded_by: int | None = Field(description="The entry that corrects or withdraws this one")
    reason: str


class EventPage(Schema):
    total: int
    page: int
    per_page: int
    results: list[EventOut]


class NotificationIn(Schema):
    """An initial (s.83), periodic (s.85) or change (s.84) notification made in person."""

    kind: Literal["notification.initial", "notification.periodic", "notification.change"]
    notified_on: dt.date
    station: Text = text(300)
    no_fixed_abode: bool = False
    line1: Text = Field("", max_length=120, description="Home address (or, with no fixed "
                                                        "abode, where they can be found)")
    line2: Text = text(120)
    town: Text = text(80)
    postcode: Text = text(10)
    other_line1: Text = text(120)
    other_line2: Text = text(120)
    other_town: Text = text(80)
    other_postcode: Text = text(10)
    change: Literal[CHANGE_REASONS] | Literal[""] = Field(  # type: ignore[valid-type]
        "", description="What changed: required for a change notification")
    note: Text = text(2000)


class TravelIn(Schema):
    """Notice of travel outside the United Kingdom (s.86)."""

    kind: Literal["notification.travel"]
    notified_on: dt.date
    departure_date: dt.date
    return_date: dt.date | None = None
    destination: Text = text(300, required=True)
    station: Text = text(300)
    itinerary: Text = Field("", max_length=2000, description="Places and dates of stay, "
                                                             "carriers and flight numbers")
    checks_done: Text = Field("", max_length=2000, description="Checks done on the "
                                                               "itinerary")
    country_informed: Literal["yes", "no", ""] = Field(
        "", description="Whether the destination country was informed")
    country_informed_on: dt.date | None = Field(
        None, description="When it was informed (country_informed must be yes)")


class MovementIn(Schema):
    """Into or out of custody or hospital detention, or leaving or returning to the UK."""

    kind: Literal["custody.start", "custody.end", "hospital.start", "hospital.end",
                  "abroad.start", "abroad.end"]
    on: dt.date
    place: Text = text(300, required=True)
    note: Text = text(2000)


class VisitIn(Schema):
    """A home visit; one that finds the person gone opens a whereabouts check."""

    kind: Literal["visit"]
    visited_on: dt.date
    outcome: Literal[VISIT_OUTCOMES]  # type: ignore[valid-type]
    note: Text = text(2000)


EventIn = Annotated[NotificationIn | TravelIn | MovementIn | VisitIn,
                    Field(discriminator="kind")]


class CorrectionIn(Schema):
    reason: Text = text(2000, required=True)
    entry: EventIn


class WithdrawalIn(Schema):
    reason: Text = text(2000, required=True)


# -- tasks, missing, partners ------------------------------------------------------------------
class TaskOut(Schema):
    id: int
    person_id: int
    person_reference: str
    kind: str
    title: str
    due_kind: str
    due_last_day: dt.date
    opened_as_at: dt.date


class MissingRowOut(Schema):
    person_id: int
    reference: str
    name: str
    missing_since: dt.date
    recorded_missing_on: dt.date
    days_missing: int
    risk: str
    believed_abroad: bool
    country: str
    owner: str
    next_action: str
    next_action_by: dt.date | None
    last_review: dt.date | None
    next_review_due: dt.date
    review_overdue: bool
    gone_quiet: bool


class SharedOut(Schema):
    person_id: int
    reference: str
    name: str
    date_of_birth: dt.date
    current_address: str
    offender_manager: str
    offender_manager_email: str
    notes: list[str]
    shared_until: dt.date


class FiguresParams(Schema):
    as_at: dt.date | None = Field(None, description="Default: today")
    period_from: dt.date | None = Field(None, alias="from",
                                        description="Start of the period (default 1 January)")
    region: Text = Field("", max_length=60, description="One region; default every force")
    force: Text = Field("", max_length=40, description="One force's slug")


# -- the steps of the person page ------------------------------------------------------------
class StepFieldOut(Schema):
    name: str
    label: str
    type: Literal["date", "choice", "choices", "boolean", "integer", "text"]
    required: bool
    choices: list[str] | None = Field(description="The values allowed, for a choice")
    help: str


class StepOut(Schema):
    """A step the person page offers: its fields, and the ledger entry it writes (if one)."""

    slug: str
    title: str
    group: str = Field(description="'record' (notifications, risk, ...) or 'missing' (the "
                                   "missing path, breaches)")
    writes: str = Field(description="The kind of ledger entry it writes and can correct, or ''")
    fields: list[StepFieldOut]


class StepDoneOut(Schema):
    step: str
    done: str
    entries: list[EventOut] = Field(description="The ledger entries the step wrote")


# -- leads -------------------------------------------------------------------------------------
class LeadParams(Schema):
    status: Literal["open", "accepted", "rejected"] = Field(
        "open", description="Which leads: open (default), accepted or rejected")
    page: int = Field(1, ge=1, le=100_000)


class LeadExplanationOut(Schema):
    field: str
    level: str
    weight: float = Field(description="Splink's match weight: above 0 agreed, below disagreed")
    text: str


class LeadOut(Schema):
    id: int
    person_id: int
    person_reference: str
    kind: str = Field(description="missing, undeclared_address or known_address")
    status: str
    match_probability: float
    match_weight: float
    matched_name: str
    agency: str
    extract_id: int
    partner_name: str
    partner_address: str
    partner_date_from: dt.date | None
    routed_to: str | None
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str
    outcome: str
    explanation: list[LeadExplanationOut] | None = None


class LeadPage(Schema):
    total: int
    page: int
    per_page: int
    results: list[LeadOut]


class LeadDecisionIn(Schema):
    decision: Literal["accept", "reject"]
    reason: Text = text(2000)
