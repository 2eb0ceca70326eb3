"""The next notification due and its last day: SOA 2003 ss.83 and 85.

Only the *next* notification matters to an officer, and the contract's ``next_due`` does not
depend on the date asked about, so this module looks at the latest relevant date and the
latest notification and nothing else. Deadlines are ordinals; days away come merged
(:mod:`whereabouts.rules.away`). Sentences are returned as functions, written only when the
explanation is read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from ..away import Interval, containing, nth_day_not_away
from ..dates import period_last_day
from ..model import Case, Notification
from .params import Params
from .periods import DisposalPeriod

Step = Callable[[], str]


class Due(NamedTuple):
    """The next notification: ``last_day`` is an ordinal; ``steps`` explain it."""

    kind: str
    last_day: int
    basis: str
    steps: tuple[Step, ...]


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def initial_due(relevant: date, merged: tuple[Interval, ...], p: Params, in_force: bool) -> Due:
    """s.83(1), (6): within 3 days beginning with the relevant date, days away not counted.

    Under the law in force on the day (``in_force``), the 3 days begin with the commencement
    of Part 2 when the relevant date is earlier (s.83(1) "or, if later, the commencement").
    """
    start = relevant
    if in_force and relevant < p.part_2_commencement:
        start = p.part_2_commencement
    first = start.toordinal()
    last = nth_day_not_away(first, p.initial_days, merged) if merged else first + p.initial_days - 1
    skipped = last != first + p.initial_days - 1
    basis = "SOA 2003 s.83(1), (6)" if skipped else "SOA 2003 s.83(1)"

    def step() -> str:
        later = (
            f", or with the commencement of Part 2 on {start} as that is later"
            if start != relevant
            else ""
        )
        away = ", not counting days away" if skipped else ""
        return (
            f"No notification has been given on or after the latest relevant date ({relevant}), "
            f"so the initial notification is due within {p.initial_days} days beginning with "
            f"that date{later}{away}: the last day is {_iso(last)} ({basis})."
        )

    return Due("initial", last, basis, (step,))


def periodic_due(
    latest: date,
    kinds: tuple[str, ...],
    nfa: bool,
    merged: tuple[Interval, ...],
    p: Params,
    in_force: bool,
) -> Due:
    """s.85: a year beginning with the latest notification, or 7 days with no fixed abode.

    If that last day falls while the person is away, it moves to the third day not away after
    the period away ends (s.85(3)-(4); ``to`` + 3 in the ordinary case).
    """
    weekly = nfa and (not in_force or latest >= p.nfa_in_force_from)
    if weekly:
        last = latest.toordinal() + p.nfa_days - 1
        basis = "SOA 2003 s.85(1); SI 2012/1876 (no fixed abode)"
    else:
        last = period_last_day(latest, p.periodic_months).toordinal()
        basis = "SOA 2003 s.85(1)"
    due_in_window = last

    def window() -> str:
        span = (
            f"the {p.nfa_days} days beginning with that date, as it gave no fixed abode"
            if weekly
            else "the year beginning with that date"
        )
        return (
            f"The latest notification was given on {latest} ({_kinds(kinds)}), so the next "
            f"periodic notification is due within {span}: by {_iso(due_in_window)} ({basis})."
        )

    steps: list[Step] = [window]
    if nfa and latest < p.nfa_in_force_from:
        steps.append(lambda: _before_weekly_rule(p.nfa_in_force_from, weekly))
    period = containing(last, merged) if merged else None
    if period is not None:
        moved = nth_day_not_away(period[1] + 1, p.away_extension_days, merged)
        basis = basis.replace("s.85(1)", "s.85(1), (3)-(4)", 1)
        start, end = period
        steps.append(
            lambda: (
                f"That day falls while the person is away ({_iso(start)} to {_iso(end)}), so the "
                f"last day moves to the third day not away after that period: {_iso(moved)} "
                "(SOA 2003 s.85(3)-(4))."
            )
        )
        last = moved
    return Due("periodic", last, basis, tuple(steps))


def _before_weekly_rule(in_force_from: date, weekly: bool) -> str:
    if weekly:
        return (
            f"The weekly rule came into force on {in_force_from} (SI 2012/1876), after this "
            "notification; the contract applies the rule as it now stands to every date (the "
            "england_wales_in_force pack applies the law of the day)."
        )
    return (
        f"That notification gave no fixed abode, but the weekly rule came into force only on "
        f"{in_force_from} (SI 2012/1876), so the yearly period applies."
    )


def _kinds(kinds: tuple[str, ...]) -> str:
    words = " and ".join(kinds)
    article = "an" if words[:1] in "aeiou" else "a"
    return f"{article} {words} notification"


def waiver(case: Case, relevant: date, periods: list[DisposalPeriod], initial: Due) -> Step | None:
    """s.83(2): the step that waives the initial notification, or ``None``.

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
        return _waived(relevant, period, notified, initial.last_day)
    return None


def _waived(relevant: date, earlier: DisposalPeriod, notified: date, window_end: int) -> Step:
    def step() -> str:
        until = "indefinitely" if earlier.last_day is None else f"until {earlier.last_day}"
        return (
            f"The initial notification for {relevant} is not required: the person was "
            f"already subject because of the disposal on {earlier.relevant_date} ({until}), "
            f"had given the initial notification for it on {notified}, and remains subject "
            f"throughout the 3 days that end on {_iso(window_end)} (SOA 2003 s.83(2))."
        )

    return step


def _initial_between(
    notifications: tuple[Notification, ...], start: date, before: date
) -> date | None:
    found: date | None = None
    for n in notifications:
        if n.kind == "initial" and start <= n.date < before and (found is None or n.date < found):
            found = n.date
    return found
