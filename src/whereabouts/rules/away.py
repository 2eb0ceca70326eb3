"""Days away: custody, hospital, or outside the United Kingdom.

Time away does not stop a notification period running, but it is not counted in the
3-day windows of ss.83(6), 84(5) and 85(3)-(4). Periods are merged first (overlapping *and*
adjacent ones), so that counting "the third day not away" is a walk over a handful of
intervals rather than a loop over days: the cost does not grow with the years involved.

Intervals are pairs of ordinals ``(first_day_away, last_day_away)``, both inclusive.
"""

from __future__ import annotations

from collections.abc import Iterable

Interval = tuple[int, int]


def merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted, merged intervals; two periods merge when they overlap or touch."""
    ordered = sorted(intervals)
    if len(ordered) < 2:
        return tuple(ordered)  # the common case: nothing to merge
    merged: list[Interval] = []
    start, end = ordered[0]
    for next_start, next_end in ordered[1:]:
        if next_start <= end + 1:
            if next_end > end:
                end = next_end
        else:
            merged.append((start, end))
            start, end = next_start, next_end
    merged.append((start, end))
    return tuple(merged)


def containing(day: int, merged: tuple[Interval, ...]) -> Interval | None:
    """The merged interval that contains ``day``, if any."""
    for start, end in merged:
        if start > day:
            return None
        if day <= end:
            return (start, end)
    return None


def nth_day_not_away(first: int, n: int, merged: tuple[Interval, ...]) -> int:
    """The ``n``-th day on or after ``first`` that is not a day away (``n`` >= 1).

    "Within 3 days beginning with D", with days away not counted, ends on
    ``nth_day_not_away(D, 3, merged)``.
    """
    cursor = first
    remaining = n
    for start, end in merged:
        if end < cursor:
            continue
        if start > cursor:
            free = start - cursor
            if free >= remaining:
                return cursor + remaining - 1
            remaining -= free
        cursor = end + 1
    return cursor + remaining - 1
