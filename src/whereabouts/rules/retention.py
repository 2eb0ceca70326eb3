"""When a record on the register is next reviewed under MoPI (Management of Police Information).

Pure: dates in, a date out. Everyone on the register is or has been subject to the
notification requirements, so every record is in MoPI **Group 1, certain public protection
matters**: kept until the person is treated as 100 years old, and reviewed every 10 years to
check it is still necessary, adequate and up to date (docs/retention.md says what was checked
and what was chosen where the guidance could not be verified).

- The first review falls 10 years after the record was made (the registration date).
- After a decision to retain, the reviewer sets the next review: no later than 10 years on.
- The 100th birthday brings the review forward: a record is never left unreviewed past it.
"""

from __future__ import annotations

from datetime import date

from .dates import birthday

GROUP_1 = "1"
REVIEW_YEARS = 10
KEEP_UNTIL_AGE = 100


def anniversary(start: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 1 March in a common year (as
    :func:`~whereabouts.rules.dates.birthday`: never a day early)."""
    return birthday(start, years)


def latest_review(date_of_birth: date, since: date) -> date:
    """The latest date the next review may fall on, counted from ``since`` (the registration
    date, or the date of the last decision to retain): 10 years on, or the 100th birthday if
    that comes first, but never before ``since`` itself (someone already 100 is due now)."""
    hundredth = birthday(date_of_birth, KEEP_UNTIL_AGE)
    return min(anniversary(since, REVIEW_YEARS), max(hundredth, since))


def review_limit(date_of_birth: date, on: date) -> date:
    """The latest next review a decision to retain made on ``on`` may set: 10 years on, or
    the 100th birthday if sooner; for someone already 100, 10 years on (kept past 100 only
    with a decision, and reviewed again within 10 years)."""
    if on >= birthday(date_of_birth, KEEP_UNTIL_AGE):
        return anniversary(on, REVIEW_YEARS)
    return latest_review(date_of_birth, on)


def may_dispose(date_of_birth: date, on: date) -> bool:
    """Whether a Group 1 record may be disposed of on ``on``: only once the person is 100."""
    return on >= birthday(date_of_birth, KEEP_UNTIL_AGE)
