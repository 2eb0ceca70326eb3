"""Properties of the date arithmetic and the deadlines, checked on generated cases."""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from whereabouts.rules import AwayPeriod, Case, Disposal, Notification, compliance_on, evaluate
from whereabouts.rules.away import merge, nth_day_not_away
from whereabouts.rules.dates import birthday, days_in_month, period_last_day, shift_month

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
recent = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
ONE = dt.timedelta(days=1)


def corresponding(start: dt.date, months: int) -> dt.date | None:
    """The same date ``months`` later, or None when there is no such date."""
    year, month = shift_month(start.year, start.month, months)
    try:
        return dt.date(year, month, start.day)
    except ValueError:
        return None


@given(dates, st.integers(min_value=1, max_value=600))
def test_a_period_ends_the_day_before_the_corresponding_date_or_at_that_months_end(
    start: dt.date, months: int
) -> None:
    last = period_last_day(start, months)
    same = corresponding(start, months)
    year, month = shift_month(start.year, start.month, months)
    if same is not None:
        assert last == same - ONE
    else:
        assert last == dt.date(year, month, days_in_month(year, month))
    assert last <= dt.date(year, month, days_in_month(year, month))
    assert last >= dt.date(year, month, 1) - ONE
    assert last >= start


@given(dates, st.integers(min_value=1, max_value=50))
def test_a_period_of_12_months_is_a_period_of_one_year(start: dt.date, years: int) -> None:
    try:
        same = start.replace(year=start.year + years)
        expected = same - ONE
    except ValueError:  # 29 February in a common year: the end of February
        expected = dt.date(start.year + years, 2, 28)
    assert period_last_day(start, 12 * years) == expected


@given(dates, st.integers(min_value=1, max_value=120), st.integers(min_value=1, max_value=120))
def test_the_next_period_begins_the_day_after_the_last_day(
    start: dt.date, first: int, second: int
) -> None:
    assume(start.day <= 28)  # later days have no corresponding date in some months
    next_start = period_last_day(start, first) + ONE
    assert next_start == corresponding(start, first)
    assert period_last_day(next_start, second) == period_last_day(start, first + second)


@given(dates, st.integers(min_value=1, max_value=599))
def test_a_longer_period_never_ends_sooner(start: dt.date, months: int) -> None:
    assert period_last_day(start, months) < period_last_day(start, months + 1)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2010, 12, 31)), recent)
def test_under_18_is_before_the_18th_birthday(born: dt.date, on: dt.date) -> None:
    assume(on >= born)
    eighteenth = birthday(born, 18)
    assert eighteenth.year == born.year + 18
    assert (eighteenth - born).days in range(6574, 6576)
    if born.month == 2 and born.day == 29:
        assert eighteenth == dt.date(born.year + 18, 3, 1)


KINDS = st.sampled_from(
    ["imprisonment", "hospital_order", "caution", "conditional_discharge", "other"]
)


@st.composite
def disposals(draw: st.DrawFn, when: dt.date) -> Disposal:
    kind = draw(KINDS)
    if kind == "imprisonment":
        if draw(st.booleans()) and draw(st.booleans()):
            return Disposal(when, kind, life=True)
        return Disposal(when, kind, months=draw(st.integers(1, 60)))
    if kind == "conditional_discharge":
        return Disposal(when, kind, months=draw(st.integers(1, 36)))
    if kind == "hospital_order":
        return Disposal(when, kind, restriction_order=draw(st.booleans()))
    return Disposal(when, kind)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    born = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2008, 12, 31)))
    first = born + dt.timedelta(days=draw(st.integers(3650, 15000)))
    items = [
        draw(disposals(first + dt.timedelta(days=draw(st.integers(0, 3000)))))
        for _ in range(draw(st.integers(1, 3)))
    ]
    away = []
    for _ in range(draw(st.integers(0, 4))):
        start = first + dt.timedelta(days=draw(st.integers(-30, 4000)))
        away.append(
            AwayPeriod(start, start + dt.timedelta(days=draw(st.integers(0, 400))), "custody")
        )
    notes = [
        Notification(
            first + dt.timedelta(days=draw(st.integers(-100, 4000))),
            draw(st.sampled_from(["initial", "change", "periodic"])),
            draw(st.booleans()) and draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 8)))
    ]
    as_at = first + dt.timedelta(days=draw(st.integers(0, 6000)))
    return Case(born, as_at, tuple(items), tuple(away), tuple(notes))


def inside_away(day: dt.date, case: Case) -> bool:
    return any(a.start <= day <= a.end for a in case.away)


@settings(max_examples=300)
@given(cases())
def test_a_deadline_never_falls_inside_a_period_away(case: Case) -> None:
    answer = evaluate(case)
    if answer.next_due_last_day is not None:
        assert not inside_away(answer.next_due_last_day, case)


@settings(max_examples=300)
@given(cases())
def test_the_next_deadline_is_never_before_what_it_counts_from(case: Case) -> None:
    answer = evaluate(case)
    due = answer.next_due_last_day
    if due is None:
        assert answer.last_day is not None
        return
    latest_relevant = max(d.date for d in case.disposals)
    if answer.next_due_kind == "initial":
        assert due >= latest_relevant + 2 * ONE
    else:
        latest = max(n.date for n in case.notifications)
        assert latest >= latest_relevant
        assert due >= latest + 6 * ONE
    if answer.last_day is not None:
        assert due <= answer.last_day


@settings(max_examples=200)
@given(cases())
def test_halving_gives_exactly_half_of_every_fixed_period_but_conditional_discharge(
    case: Case,
) -> None:
    """Each disposal for someone aged 40 and for someone aged 15 on its relevant date."""
    for d in case.disposals:
        aged_15 = d.date.replace(year=d.date.year - 15, day=1)
        aged_40 = d.date.replace(year=d.date.year - 40, day=1)
        single_adult = evaluate(case._replace(date_of_birth=aged_40, disposals=(d,)))
        single_young = evaluate(case._replace(date_of_birth=aged_15, disposals=(d,)))
        assert single_adult.indefinite == single_young.indefinite
        if single_adult.indefinite or d.kind == "conditional_discharge":
            assert single_adult.length == single_young.length
        else:
            assert _months(single_young.length) * 2 == _months(single_adult.length)


def _months(iso: str | None) -> int:
    assert iso is not None and iso.startswith("P")
    years, _, rest = iso[1:].partition("Y")
    if not rest and "M" in years:
        return int(years[:-1])
    return 12 * int(years) + (int(rest[:-1]) if rest else 0)


@settings(max_examples=200)
@given(cases(), recent)
def test_compliance_on_another_date_equals_evaluating_on_that_date(
    case: Case, day: dt.date
) -> None:
    assume(day >= case.date_of_birth)
    answer = evaluate(case)
    assert compliance_on(answer, day) == evaluate(case._replace(as_at=day)).compliance


@settings(max_examples=200)
@given(cases(), st.randoms())
def test_the_order_of_notifications_and_periods_away_does_not_matter(
    case: Case, rnd: object
) -> None:
    notes, away = list(case.notifications), list(case.away)
    rnd.shuffle(notes)  # type: ignore[attr-defined]
    rnd.shuffle(away)  # type: ignore[attr-defined]
    shuffled = case._replace(notifications=tuple(notes), away=tuple(away))
    a, b = evaluate(case), evaluate(shuffled)
    assert (a.next_due_kind, a.next_due_last_day, a.compliance, a.review_first_eligible) == (
        b.next_due_kind, b.next_due_last_day, b.compliance, b.review_first_eligible,
    )  # fmt: skip


intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 30)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=6,
)


@given(intervals)
def test_merging_keeps_exactly_the_same_days_away(raw: list[tuple[int, int]]) -> None:
    merged = merge(raw)
    days = {d for a, b in raw for d in range(a, b + 1)}
    assert {d for a, b in merged for d in range(a, b + 1)} == days
    for (_, end), (start, _) in zip(merged, merged[1:], strict=False):
        assert start > end + 1  # neither overlapping nor adjacent


@given(intervals, st.integers(0, 250), st.integers(1, 10))
def test_the_nth_day_not_away_matches_counting_day_by_day(
    raw: list[tuple[int, int]], first: int, n: int
) -> None:
    days_away = {d for a, b in raw for d in range(a, b + 1)}
    day, counted = first - 1, 0
    while counted < n:
        day += 1
        if day not in days_away:
            counted += 1
    assert nth_day_not_away(first, n, merge(raw)) == day
