"""Turning a person's ledger into the plain case the legislation engine reads.

The engine knows nothing of Django; this module is the one bridge. It works on plain tuples
so that the sweep can feed it rows straight from a bulk query, and a single page can feed it
one person's events: both take the same path, so they cannot disagree.

Conventions (documented in docs/register.md):
- only entries that took effect on or before ``as_at`` count, and a superseded or withdrawn
  entry never counts;
- a custody, hospital or abroad period starts on the start entry's date (the first whole day
  away) and the end entry's date is the first day back, so the rules' ``to`` is the day before;
- a period still open on ``as_at`` is treated as running to ``as_at``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from whereabouts import rules

from .events import AWAY_ENDS, AWAY_PAIRS, CLOCK_NOTIFICATIONS
from .models import EventKind

ONE_DAY = dt.timedelta(days=1)

#: The event kinds the engine needs; everything else in a ledger is for people, not rules.
RULE_EVENT_KINDS = frozenset(
    [*CLOCK_NOTIFICATIONS, *AWAY_PAIRS, *AWAY_ENDS, EventKind.DEATH, EventKind.MERGED_INTO]
)


class LedgerDisposal(NamedTuple):
    relevant_date: dt.date
    kind: str
    months: int | None
    life: bool
    restriction_order: bool


class LedgerEvent(NamedTuple):
    kind: str
    effective_date: dt.date
    no_fixed_abode: bool


class PersonCase(NamedTuple):
    """The engine's case, or why there is none (``deceased`` / ``merged`` / ``not_subject``)."""

    case: rules.Case | None
    state: str  # "case", "deceased", "merged" or "not_subject"
    #: The date of death, or of the merge into another record (``merged``).
    death_date: dt.date | None = None
    #: The reason of a custody, hospital or abroad period still open on ``as_at``, if any:
    #: the rules see it as ending on ``as_at``, so deadlines after it are provisional.
    open_away: str | None = None


_CLOCK = {str(k): v for k, v in CLOCK_NOTIFICATIONS.items()}
_STARTS = {str(k): reason for k, (_, reason) in AWAY_PAIRS.items()}
_ENDS = {str(end): str(start) for end, start in AWAY_ENDS.items()}
_DEATH = str(EventKind.DEATH)
#: A record merged into another of the same person: from that date it is no longer a person
#: on the register in its own right (its duties are the surviving record's), so, as after a
#: death, there is no case for the rules; the rules engine itself never sees the entry.
_MERGED = str(EventKind.MERGED_INTO)


def _same(value: dt.date) -> dt.date:
    return value


def build_case(
    *,
    date_of_birth: dt.date,
    as_at: dt.date,
    disposals: Sequence[LedgerDisposal],
    events: Iterable[LedgerEvent],
    iso: bool = False,
) -> PersonCase:
    """The case as at ``as_at``; ``events`` must be live entries sorted by date then id.

    Plain tuples of the same shape as :class:`LedgerDisposal` and :class:`LedgerEvent` are
    accepted too: the sweep passes rows straight from its query. With ``iso=True`` their dates
    are ISO strings (as SQLite gives them), compared as text and turned into dates only for
    what is kept: on a national register that saves converting most of the dates read.

    Only the notifications the rules can use are passed on (see :func:`needed_notifications`),
    which keeps a long ledger as cheap to evaluate as a short one.
    """
    limit: object = as_at.isoformat() if iso else as_at
    conv = dt.date.fromisoformat if iso else _same
    counted = [d for d in disposals if d[0] <= limit]  # type: ignore[operator]
    if not counted:
        return PersonCase(None, "not_subject")
    notes: list[tuple[dt.date, str, bool]] = []
    away: list[rules.AwayPeriod] = []
    open_since: dict[str, dt.date] = {}
    for kind, when, no_fixed_abode in events:
        if when > limit:  # type: ignore[operator]
            break
        clock = _CLOCK.get(kind)
        if clock is not None:
            notes.append((when, clock, no_fixed_abode))
        elif kind in _STARTS:
            open_since.setdefault(kind, when)
        elif kind in _ENDS:
            start_kind = _ENDS[kind]
            start = open_since.pop(start_kind, None)
            if start is not None and when > start:
                away.append(rules.AwayPeriod(conv(start), conv(when) - ONE_DAY,
                                             _STARTS[start_kind]))
        elif kind == _DEATH:
            return PersonCase(None, "deceased", conv(when))
        elif kind == _MERGED:
            return PersonCase(None, "merged", conv(when))
    open_away = None
    for start_kind, start in open_since.items():
        first = conv(start)
        open_away = _STARTS[start_kind]
        away.append(rules.AwayPeriod(first, max(first, as_at), open_away))
    if len(away) > 1:
        away.sort(key=lambda a: (a.start, a.end))
    relevant_dates = [d[0] for d in counted]
    case = rules.Case(
        date_of_birth,
        as_at,
        tuple(
            rules.Disposal(conv(when), kind, None if life and kind == "imprisonment" else months,
                           bool(life), bool(restriction_order))
            for when, kind, months, life, restriction_order in counted
        ),
        tuple(away),
        tuple(
            rules.Notification(conv(when), kind, bool(nfa))
            for when, kind, nfa in needed_notifications(notes, relevant_dates)
        ),
    )
    return PersonCase(case, "case", None, open_away)


def needed_notifications(
    notes: list[tuple[dt.date, str, bool]], relevant_dates: Sequence[object]
) -> list[tuple[dt.date, str, bool]]:
    """The notifications the rules read, from a date-sorted list of all of them.

    The engine reads (see rules/england_wales): every notification on the latest date (the
    periodic clock and whether it is weekly), the first on or after each relevant date (the
    initial duty and the review date), and the first initial one on or after each relevant
    date (the s.83(2) waiver). Anything else cannot change an answer; a property-based test
    checks that the answers with and without the others are the same.
    """
    if len(notes) <= 2:
        return notes
    latest = notes[-1][0]
    keep = {i for i in range(len(notes)) if notes[i][0] == latest}
    dates = [n[0] for n in notes]
    for relevant in relevant_dates:
        i = bisect_left(dates, relevant)  # type: ignore[arg-type]
        if i < len(notes):
            keep.add(i)
        for j in range(i, len(notes)):
            if notes[j][1] == "initial":
                keep.add(j)
                break
    return [notes[i] for i in sorted(keep)]
