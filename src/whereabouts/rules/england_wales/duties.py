"""The next notification due and its last day: SOA 2003 ss.83 and 85.

Only the *next* notification matters to an officer, and the contract's ``next_due`` does not
depend on the date asked about, so this module looks at the latest relevant date and the
latest notification and nothing else. Deadlines are ordinals; days away come merged
(:mod:`whereabouts.rules.away`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..away import Interval, containing, nth_day_not_away
from ..dates import period_last_day
from ..model import Case, Notification
from .params import Params
from .periods import DisposalPeriod


@dataclass(frozen=True, slots=True)
class Due:
    """The next notification: ``last_day`` is an ordinal; ``sentences`` explain it."""

    kind: str
    last_day: int
    basis: str
    sentences: tuple[str, ...]


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def initial_due(
    case: Case,
    relevant: date,
    merged: tuple[Interval, ...],
    p: Params,
    in_force: bool,
) -> Due:
    """s.83(1), (6): within 3 days beginning with the relevant date, days away not counted.

    Under the law in force on the day (``in_force``), the 3 days begin with the commencement
    of Part 2 when the relevant date is earlier (s.83(1) "or, if later, the commencement").
    """
    start = relevant
    note = ""
    if in_force and relevant < p.part_2_commencement:
        start = p.part_2_commencement
        note = f", or with the commencement of Part 2 on {start.isoformat()} as that is later"
    first = start.toordinal()
    last = nth_day_not_away(first, p.initial_days, merged)
    skipped = last != first + p.initial_days - 1
    basis = "SOA 2003 s.83(1), (6)" if skipped else "SOA 2003 s.83(1)"
    away_note = ", not counting days away" if skipped else ""
    sentence = (
        f"No notification has been given on or after the latest relevant date "
        f"({relevant.isoformat()}), so the initial notification is due within "
        f"{p.initial_days} days beginning with that date{note}{away_note}: "
        f"the last day is {_iso(last)} ({basis})."
    )
    return Due("initial", last, basis, (sentence,))


def periodic_due(
    latest: date,
    latest_kinds: str,
    nfa: bool,
    merged: tuple[Interval, ...],
    p: Params,
    in_force: bool,
) -> Due:
    """s.85: a year beginning with the latest notification, or 7 days with no fixed abode.

    If that last day falls while the person is away, it moves to the third day not away after
    the period away ends (s.85(3)-(4); ``to`` + 3 in the ordinary case).
    """
    sentences: list[str] = []
    weekly = nfa and (not in_force or latest >= p.nfa_in_force_from)
    if weekly:
        last = latest.toordinal() + p.nfa_days - 1
        basis = "SOA 2003 s.85(1); SI 2012/1876 (no fixed abode)"
        window = f"the {p.nfa_days} days beginning with that date, as it gave no fixed abode"
    else:
        last = period_last_day(latest, p.periodic_months).toordinal()
        basis = "SOA 2003 s.85(1)"
        window = "the year beginning with that date"
    sentences.append(
        f"The latest notification was given on {latest.isoformat()} ({latest_kinds}), so the "
        f"next periodic notification is due within {window}: by {_iso(last)} ({basis})."
    )
    if nfa and not weekly:
        sentences.append(
            f"That notification gave no fixed abode, but the weekly rule came into force only "
            f"on {p.nfa_in_force_from.isoformat()} (SI 2012/1876), so the yearly period applies."
        )
    elif nfa and latest < p.nfa_in_force_from:
        sentences.append(
            f"The weekly rule came into force on {p.nfa_in_force_from.isoformat()} "
            "(SI 2012/1876), after this notification; the contract applies the rule as it now "
            "stands to every date (the england_wales_in_force pack applies the law of the day)."
        )
    period = containing(last, merged)
    if period is not None:
        moved = nth_day_not_away(period[1] + 1, p.away_extension_days, merged)
        basis = basis.replace("s.85(1)", "s.85(1), (3)-(4)", 1)
        sentences.append(
            f"That day falls while the person is away ({_iso(period[0])} to {_iso(period[1])}), "
            f"so the last day moves to the third day not away after that period: "
            f"{_iso(moved)} (SOA 2003 s.85(3)-(4))."
        )
        last = moved
    return Due("periodic", last, basis, tuple(sentences))


def waiver(
    case: Case,
    relevant: date,
    periods: list[DisposalPeriod],
    initial: Due,
) -> str | None:
    """s.83(2): the sentence that waives the initial notification, or ``None``.

    The initial notification for a conviction, finding or caution is not required if,
    immediately before it, the person was already subject because of an earlier event, had
    made an initial notification for that event, and remains subject because of it
    throughout the 3-day period (as extended by days away). Only the latest relevant date is
    considered, as in the contract.
    """
    for period in periods:
        if period.relevant_date >= relevant:
            continue
        if period.last_day is not None and period.last_day.toordinal() < initial.last_day:
            continue
        notified = _initial_between(case.notifications, period.relevant_date, relevant)
        if notified is None:
            continue
        until = "indefinitely" if period.last_day is None else f"until {period.last_day}"
        return (
            f"The initial notification for {relevant.isoformat()} is not required: the person "
            f"was already subject because of the disposal on {period.relevant_date.isoformat()}"
            f" ({until}), had given the initial notification for it on {notified.isoformat()}, "
            f"and remains subject throughout the 3 days that ended on "
            f"{_iso(initial.last_day)} (SOA 2003 s.83(2))."
        )
    return None


def _initial_between(
    notifications: tuple[Notification, ...], start: date, before: date
) -> date | None:
    found: date | None = None
    for n in notifications:
        if n.kind == "initial" and start <= n.date < before and (found is None or n.date < found):
            found = n.date
    return found
