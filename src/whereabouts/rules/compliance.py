"""Compliance as at a date: the contract's four states, in its order of precedence.

This is jurisdiction-neutral: it needs only the end of the requirement, the days away and the
last day of the next notification, which every rule pack's answer carries. Kept apart from
evaluation so that a caller can ask "and on another date?" without re-running the rules.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .model import Answer, AwayPeriod, Case

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

ENDED = "ended"
AWAY = "away"
OVERDUE = "overdue"
COMPLIANT = "compliant"


def status(
    as_at: date,
    last_day: date | None,
    away_periods: Sequence[AwayPeriod],
    next_due_last_day: date | None,
) -> str:
    """``ended`` / ``away`` / ``overdue`` / ``compliant``, first that applies."""
    if last_day is not None and as_at > last_day:
        return ENDED
    for period in away_periods:
        if period.start <= as_at <= period.end:
            return AWAY
    if next_due_last_day is not None and next_due_last_day < as_at:
        return OVERDUE
    return COMPLIANT


def compliance_on(subject: Answer | Case, as_at: date, pack: str = "england_wales") -> str:
    """Compliance on ``as_at`` for an answer already computed (cheap) or for a case.

    ``next_due`` does not depend on the date asked about, so an answer computed for one date
    answers for any other: only the comparison with ``as_at`` changes.
    """
    if isinstance(subject, Case):
        from .registry import get_pack

        subject = get_pack(pack).evaluate(subject)
    return status(as_at, subject.last_day, subject.away_periods, subject.next_due_last_day)
