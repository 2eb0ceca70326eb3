"""Calendar arithmetic for periods "beginning with" a day.

The Act counts in calendar months and years (Interpretation Act 1978 Sch.1: "month" means
calendar month), never in 365-day years, so nothing here multiplies days. Every function is
pure and works on ``datetime.date`` or on proleptic ordinals (``date.toordinal()``), which the
deadline code uses because integer comparisons are the cheapest thing Python does.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap(year: int) -> bool:
    """Gregorian leap year."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Number of days in ``month`` of ``year``."""
    if month == 2 and is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """The (year, month) that is ``months`` calendar months after (year, month)."""
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def period_last_day(start: date, months: int) -> date:
    """Last day of a period of ``months`` calendar months beginning with ``start``.

    The period includes ``start`` and ends on the day before the corresponding date
    ``months`` later. Where there is no corresponding date (29 February in a common year, the
    31st of a shorter month) it ends on the last day of the month in which that date would
    fall: so 1 year from 2016-02-29 ends on 2017-02-28 and 6 months from 2019-08-31 ends on
    2020-02-29. Note that this is *not* "clamp to the month end, then subtract a day", which
    would give 2020-02-28 in the second example.
    """
    index = start.year * 12 + start.month - 1 + months  # inlined shift_month: a hot path
    year = index // 12
    month = index % 12 + 1
    day = start.day
    if day <= 28 or day <= days_in_month(year, month):
        return date(year, month, day) - ONE_DAY
    return date(year, month, days_in_month(year, month))


def day_after_period(start: date, months: int) -> date:
    """The day after the end of a period of ``months`` beginning with ``start`` (s.91B)."""
    return date.fromordinal(period_last_day(start, months).toordinal() + 1)


def birthday(date_of_birth: date, age: int) -> date:
    """The day on which a person attains ``age`` years.

    A person attains an age at the start of the anniversary of their birth. Someone born on
    29 February has no anniversary in a common year; the engine treats them as attaining the
    age on 1 March, the first day on which a full ``age`` years have passed (the reading of
    the Family Law Reform Act 1969 s.9 that avoids making them older a day early).
    """
    year = date_of_birth.year + age
    if date_of_birth.month == 2 and date_of_birth.day == 29 and not is_leap(year):
        return date(year, 3, 1)
    return date(year, date_of_birth.month, date_of_birth.day)


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on ``on`` (``on`` must not be before birth)."""
    age = on.year - date_of_birth.year
    if age > 0 and on < birthday(date_of_birth, age):
        age -= 1
    return age


@lru_cache(maxsize=64)
def month_span_days(months: int) -> tuple[int, int]:
    """Fewest and most days that ``months`` calendar months can last, wherever they start.

    Used only to decide whether a term given in weeks or days is certainly shorter or longer
    than a threshold given in months; a term inside the span cannot be placed without a rule
    the Act does not give. The scan covers 2096-2104, which holds windows with no leap day
    (2100 is a common year) and with one, and every start day including month ends.
    """
    lengths: set[int] = set()
    first = date(2096, 1, 1).toordinal()
    last = date(2104, 12, 31).toordinal()
    for ordinal in range(first, last + 1):
        start = date.fromordinal(ordinal)
        lengths.add(period_last_day(start, months).toordinal() - ordinal + 1)
        year, month = shift_month(start.year, start.month, months)
        clamped = date(year, month, min(start.day, days_in_month(year, month)))
        lengths.add(clamped.toordinal() - ordinal)
    return min(lengths), max(lengths)
