"""Calendar helpers for the generator (the same calendar rules as the rules contract).

The generator must know, while it draws a history, when a notification period ends and when
the next notification is due, so that what it writes is what the law would expect. These are
the contract's rules restated in a few lines, so that the generator does not depend on the
engine's internals; the tests check every generated ledger against the engine itself.
"""

from __future__ import annotations

import datetime as dt

ONE_DAY = dt.timedelta(days=1)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    year, month = _shift(day.year, day.month, months)
    return dt.date(year, month, min(day.day, days_in_month(year, month)))


def period_last_day(start: dt.date, months: int) -> dt.date:
    """Last day of a period of ``months`` beginning with ``start`` (the contract's rule)."""
    year, month = _shift(start.year, start.month, months)
    last = days_in_month(year, month)
    if start.day <= last:
        return dt.date(year, month, start.day) - ONE_DAY
    return dt.date(year, month, last)


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Age in whole years; someone born on 29 February is a year older on 1 March."""
    age = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        age -= 1
    return age


def next_due(notified: dt.date, no_fixed_abode: bool = False) -> dt.date:
    """Last day for the next periodic notification after one on ``notified`` (s.85)."""
    if no_fixed_abode:
        return notified + dt.timedelta(days=6)
    return period_last_day(notified, 12)


def notified_for_due(due: dt.date) -> dt.date:
    """The latest notification date whose next periodic notification is due by ``due``."""
    day = add_months(due + ONE_DAY, -12)
    while period_last_day(day, 12) > due:
        day -= ONE_DAY
    while period_last_day(day + ONE_DAY, 12) <= due:
        day += ONE_DAY
    return day
