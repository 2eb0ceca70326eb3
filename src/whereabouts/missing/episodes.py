"""Reading missing episodes from ledger entries (plain data in, plain data out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

RECORDED = "missing.recorded"
LOCATED = "missing.located"


class Episode(NamedTuple):
    """One period for which a person was recorded as missing."""

    began_on: dt.date  # the date they were recorded as missing
    missing_since: dt.date  # last confirmed at a notified address
    believed_abroad: bool
    country: str
    risk: str
    located_on: dt.date | None = None
    how_found: str = ""
    outcome: str = ""

    def open_on(self, as_at: dt.date) -> bool:
        """Missing as at a date: recorded by then and not located by then."""
        return self.began_on <= as_at and (self.located_on is None or self.located_on > as_at)


def episodes_from(entries: Iterable[tuple[str, dt.date, dict[str, Any]]]) -> list[Episode]:
    """Episodes from live entries ``(kind, effective_date, details)`` sorted by date then id.

    Entries of other kinds are ignored; a located entry with no episode open is ignored too
    (the services refuse to write one, so it can only come from a withdrawn episode).
    """
    episodes: list[Episode] = []
    current: Episode | None = None
    for kind, when, details in entries:
        if kind == RECORDED and current is None:
            current = Episode(
                began_on=when,
                missing_since=dt.date.fromisoformat(details["missing_since"]),
                believed_abroad=bool(details.get("believed_abroad", False)),
                country=details.get("country", ""),
                risk=details.get("risk", ""),
            )
        elif kind == LOCATED and current is not None:
            episodes.append(current._replace(located_on=when,
                                             how_found=details.get("how_found", ""),
                                             outcome=details.get("outcome", "")))
            current = None
    if current is not None:
        episodes.append(current)
    return episodes


def open_episode(episodes: list[Episode]) -> Episode | None:
    """The episode still open, if any (at most one: the services see to it)."""
    return next((e for e in episodes if e.located_on is None), None)


CHECK_OPENED = "check.opened"
CHECK_CLOSED = "check.closed"


class Check(NamedTuple):
    """A whereabouts check: opened when there is reason to doubt where someone is."""

    opened_on: dt.date
    reason: str
    closed_on: dt.date | None = None
    outcome: str = ""


def checks_from(entries: Iterable[tuple[str, dt.date, dict[str, Any]]]) -> list[Check]:
    """Checks from live entries sorted by date then id (other kinds are ignored)."""
    checks: list[Check] = []
    current: Check | None = None
    for kind, when, details in entries:
        if kind == CHECK_OPENED and current is None:
            current = Check(when, details.get("reason", ""))
        elif kind == CHECK_CLOSED and current is not None:
            checks.append(current._replace(closed_on=when, outcome=details.get("outcome", "")))
            current = None
    if current is not None:
        checks.append(current)
    return checks


ACTION = "missing.action"
REVIEW = "missing.review"


class CaseState(NamedTuple):
    """Where an open episode stands: its next action, its reviews and when work was last done."""

    next_action: str
    next_action_by: dt.date | None
    last_activity: dt.date
    last_supervisor_review: dt.date | None
    last_senior_review: dt.date | None
    owner: str = ""  # username of the owner assigned to the episode; "" means the person's OM


def case_state(episode: Episode,
               entries: Iterable[tuple[str, dt.date, dict[str, Any]]]) -> CaseState:
    """The state of ``episode`` from the live entries on or after the day it began.

    Every entry about the case (an action, a review, a circulation) counts as activity.
    (Plain local variables rather than a tuple rebuilt per entry: long cases have hundreds
    of entries and the board reads every open case's.)
    """
    next_action, next_by = "Make the first enquiries", episode.began_on + dt.timedelta(days=3)
    last_activity, owner = episode.began_on, ""
    reviews: dict[str, dt.date | None] = {"supervisor": None, "senior": None}
    began, located = episode.began_on, episode.located_on
    for kind, when, details in entries:
        if when < began or (located and when > located):
            continue
        if kind in (ACTION, REVIEW, "circulation.sent") and when > last_activity:
            last_activity = when
        if kind in (ACTION, REVIEW) and details.get("next_action"):
            by = details.get("next_action_by")
            next_action, next_by = details["next_action"], dt.date.fromisoformat(by) if by else None
        if kind == ACTION and details.get("action") == "owner_assigned" and details.get("owner"):
            owner = details["owner"]
        if kind == REVIEW and details.get("level") in reviews:
            reviews[details["level"]] = when
    return CaseState(next_action, next_by, last_activity, reviews["supervisor"],
                     reviews["senior"], owner)


def reviews_due(episode: Episode, state: CaseState, *, supervisor_days: int,
                senior_first_days: int, senior_days: int) -> tuple[dt.date, dt.date]:
    """When the next supervisor review and the next senior review fall due."""
    supervisor = (state.last_supervisor_review or episode.began_on) + dt.timedelta(
        days=supervisor_days)
    if state.last_senior_review is None:
        senior = episode.began_on + dt.timedelta(days=senior_first_days)
    else:
        senior = state.last_senior_review + dt.timedelta(days=senior_days)
    return supervisor, senior
