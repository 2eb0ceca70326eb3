"""When an indefinite requirement may first be reviewed: SOA 2003 ss.91A-91B.

The contract counts 15 years (8 if under 18 on the relevant date) beginning with the first
notification given on or after the relevant date, and the application may be made on the
day after that period ends (s.91B(2)). Where several disposals are indefinite, the engine
counts from the *latest* of them: each is a requirement in its own right, and a later one
cannot be reviewed before its own period has run (docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..dates import day_after_period
from ..model import Case
from .params import Params
from .periods import DisposalPeriod


def review(
    case: Case, periods: list[DisposalPeriod], p: Params
) -> tuple[date | None, str, Callable[[], str]]:
    """(first eligible date or ``None``, basis, the step that explains it)."""
    indefinite = [period for period in periods if period.last_day is None]
    if not indefinite:
        return None, NOT_REVIEWABLE, not_reviewable
    chosen = max(indefinite, key=lambda period: (period.relevant_date, period.index))
    relevant = chosen.relevant_date
    first: date | None = None
    for n in case.notifications:
        if n.date >= relevant and (first is None or n.date < first):
            first = n.date
    which = "(b)" if chosen.under_18 else "(a)"
    months = p.review_under_18_months if chosen.under_18 else p.review_adult_months
    years = months // 12
    if first is None:
        return (
            None,
            f"SOA 2003 s.91B(2){which}: no notification on or after the relevant date yet",
            lambda: (
                f"The requirement is indefinite, but no notification has been given on or after "
                f"{relevant} from which to count the {years} years before a review "
                f"(SOA 2003 s.91B(2){which})."
            ),
        )
    eligible = day_after_period(first, months)
    counted_from = first

    def step() -> str:
        age = "under 18" if chosen.under_18 else "18 or over"
        sentence = (
            f"The requirement is indefinite; the person was {age} on {relevant}, so an "
            f"application for review may first be made on the day after the {years} years "
            f"beginning with the first notification on or after that date ({counted_from}): "
            f"{eligible} (SOA 2003 s.91B(2){which})."
        )
        if eligible < p.review_in_force_from:
            sentence += f" Reviews exist only since {p.review_in_force_from} (SI 2012/1883)."
        return sentence

    return (
        eligible,
        f"SOA 2003 s.91B(2){which}: {years} years beginning with the first notification on or "
        "after the relevant date",
        step,
    )


NOT_REVIEWABLE = "SOA 2003 s.91A: review applies only to indefinite notification requirements"


def not_reviewable() -> str:
    """The step for a fixed period."""
    return "The requirement is for a fixed period, so there is no review under s.91A."
