"""The visit policy: the next visit due under each preset, boundary by boundary."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whereabouts.visits.policy import (
    NATIONAL_STANDARD,
    TAILORED,
    Interval,
    Plan,
    Policy,
    Requirement,
    next_visit_due,
)

D = dt.date.fromisoformat
NATIONAL = Policy(NATIONAL_STANDARD)
TAILORED_POLICY = Policy(TAILORED)
START = D("2020-01-01")


def due(policy: Policy, level: str | None, last_visit: str | None, as_at: str = "2024-06-01",
        plan: Plan | None = None, pauses=(), risk_since: str = "2020-01-01", visits=()):
    risk = [(D(risk_since), level)] if level else []
    seen = [D(v) for v in visits] or ([D(last_visit)] if last_visit else [])
    return next_visit_due(policy=policy, as_at=D(as_at), start=START, visits=seen,
                          risk_history=risk, plan=plan, pauses=pauses)


EVERY_2_MONTHS = Plan(Requirement(Interval(months=2)))
EVERY_9_MONTHS = Plan(Requirement(Interval(months=9)))
EVERY_6_WEEKS = Plan(Requirement(Interval(days=42)))


@pytest.mark.parametrize(("policy", "level", "last", "plan", "expected"), [
    # The national standard: 1, 3, 6 and 12 months by risk level.
    pytest.param(NATIONAL, "very_high", "2024-03-01", None, "2024-04-01",
                 id="a very-high-risk person last visited on 1 March is due by 1 April "
                    "under the national standard"),
    pytest.param(NATIONAL, "high", "2024-03-01", None, "2024-06-01",
                 id="a high-risk person last visited on 1 March is due by 1 June under the "
                    "national standard"),
    pytest.param(NATIONAL, "medium", "2024-03-01", None, "2024-09-01",
                 id="a medium-risk person last visited on 1 March is due by 1 September "
                    "under the national standard"),
    pytest.param(NATIONAL, "low", "2024-03-01", None, "2025-03-01",
                 id="a low-risk person last visited on 1 March is due by 1 March next year "
                    "under the national standard"),
    pytest.param(NATIONAL, "very_high", "2024-01-31", None, "2024-02-29",
                 id="a month after 31 January is the last day of February in a leap year"),
    pytest.param(NATIONAL, "very_high", "2023-01-31", None, "2023-02-28",
                 id="a month after 31 January is 28 February in a common year"),
    pytest.param(NATIONAL, "low", "2024-02-29", None, "2025-02-28",
                 id="a year after 29 February is 28 February"),
    pytest.param(NATIONAL, None, "2024-03-01", None, "2024-06-01",
                 id="a person with no risk level recorded is visited as high risk"),
    pytest.param(NATIONAL, "high", "2024-03-01", EVERY_2_MONTHS, "2024-05-01",
                 id="under the national standard a plan may ask for visits more often"),
    pytest.param(NATIONAL, "high", "2024-03-01", EVERY_9_MONTHS, "2024-06-01",
                 id="under the national standard a plan may not ask for visits less often"),
    pytest.param(NATIONAL, "high", None, None, "2020-04-01",
                 id="never visited: due an interval after visiting began"),
    # The tailored approach: the plan sets the interval; the force's defaults until it does.
    pytest.param(TAILORED_POLICY, "high", "2024-03-01", None, "2024-06-01",
                 id="under the tailored approach with no plan the force default applies"),
    pytest.param(TAILORED_POLICY, "high", "2024-03-01", EVERY_9_MONTHS, "2024-12-01",
                 id="under the tailored approach the plan may set a longer interval"),
    pytest.param(TAILORED_POLICY, "very_high", "2024-03-01", EVERY_6_WEEKS, "2024-04-12",
                 id="under the tailored approach the plan may set an interval in weeks"),
    pytest.param(TAILORED_POLICY, "low", "2024-03-01", Plan(reactive=True), "2025-03-01",
                 id="reactive management waits for three years at low risk: not yet "
                    "eligible, the default applies"),
    pytest.param(Policy(TAILORED, {"high": Requirement(Interval(months=4))}), "high",
                 "2024-03-01", None, "2024-07-01",
                 id="a force's own default for a risk level replaces the preset's"),
])
def test_the_next_visit_due(policy, level, last, plan, expected):
    risk_since = "2023-01-01"  # under 3 years at any level
    answer = due(policy, level, last, plan=plan, risk_since=risk_since)
    assert answer.due_by == D(expected)


@pytest.mark.parametrize(("as_at", "state"), [
    pytest.param("2024-06-01", "due", id="on the day it is due a visit is not yet overdue"),
    pytest.param("2024-06-02", "overdue", id="the day after it is due the visit is overdue"),
])
def test_overdue_from_the_day_after_the_due_date(as_at, state):
    assert due(NATIONAL, "high", "2024-03-01", as_at=as_at).state == state


@pytest.mark.parametrize(("low_since", "state"), [
    pytest.param("2021-06-01", "reactive",
                 id="low risk for exactly three years: reactive management, no visit due"),
    pytest.param("2021-06-02", "overdue",
                 id="low risk for a day under three years: routine visits continue"),
])
def test_reactive_management_after_three_years_at_low_risk(low_since, state):
    answer = due(TAILORED_POLICY, "low", "2023-01-01", plan=Plan(reactive=True),
                 risk_since=low_since)
    assert answer.state == state
    assert (answer.due_by is None) == (state == "reactive")


def test_reactive_management_ends_when_the_risk_rises():
    history = [(D("2019-01-01"), "low"), (D("2024-05-01"), "medium")]
    answer = next_visit_due(policy=TAILORED_POLICY, as_at=D("2024-06-01"), start=START,
                            visits=[D("2024-03-01")], risk_history=history,
                            plan=Plan(reactive=True))
    assert (answer.state, answer.due_by) == ("due", D("2024-09-01"))


def test_three_years_at_low_risk_must_be_unbroken():
    history = [(D("2019-01-01"), "low"), (D("2022-01-01"), "medium"), (D("2022-06-01"), "low")]
    answer = next_visit_due(policy=TAILORED_POLICY, as_at=D("2024-06-01"), start=START,
                            visits=[D("2024-03-01")], risk_history=history,
                            plan=Plan(reactive=True))
    assert answer.state == "due"


def test_the_national_standard_has_no_reactive_management():
    answer = due(NATIONAL, "low", "2024-03-01", plan=Plan(reactive=True),
                 risk_since="2015-01-01")
    assert (answer.state, answer.due_by) == ("due", D("2025-03-01"))


@pytest.mark.parametrize(("pause", "expected"), [
    pytest.param(("2024-04-01", "2024-04-10"), "2024-06-11",
                 id="ten days in custody after the last visit push the due date on ten days"),
    pytest.param(("2024-02-01", "2024-02-29"), "2024-06-01",
                 id="custody before the last visit changes nothing"),
    pytest.param(("2024-06-01", "2024-06-05"), "2024-06-06",
                 id="days away on the due date itself push it on"),
    pytest.param(("2024-06-02", "2024-06-05"), "2024-06-01",
                 id="days away after the due date change nothing"),
    pytest.param(("2024-02-20", "2024-03-05"), "2024-06-05",
                 id="only the days after the visit count of an absence that spans it"),
])
def test_days_away_or_missing_pause_the_interval(pause, expected):
    answer = due(NATIONAL, "high", "2024-03-01", as_at="2024-06-20",
                 pauses=[(D(pause[0]), D(pause[1]))])
    assert answer.due_by == D(expected)


def test_days_pushed_on_into_a_later_absence_push_it_on_again():
    pauses = [(D("2024-05-01"), D("2024-05-31")), (D("2024-06-10"), D("2024-06-19"))]
    answer = due(NATIONAL, "high", "2024-03-01", as_at="2024-07-01", pauses=pauses)
    # 1 June + 31 days = 2 July, and 10 more days fall in that stretch.
    assert answer.due_by == D("2024-07-12")


def test_while_away_or_missing_no_visit_is_due():
    answer = due(NATIONAL, "high", "2024-01-01", pauses=[(D("2024-05-01"), None)])
    assert (answer.state, answer.due_by, answer.paused_since) == ("paused", None, D("2024-05-01"))


@pytest.mark.parametrize(("visits", "expected"), [
    pytest.param(["2024-01-10", "2024-02-20"], "2024-04-10",
                 id="two contacts every three months: due three months after the "
                    "second-to-last visit"),
    pytest.param(["2024-02-20"], "2020-04-01",
                 id="two contacts every three months with one visit: counted from the start"),
])
def test_n_contacts_every_k(visits, expected):
    plan = Plan(Requirement(Interval(months=3), contacts=2))
    answer = due(TAILORED_POLICY, "high", None, plan=plan, visits=visits, as_at="2024-03-01")
    assert answer.due_by == D(expected)


dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2024, 5, 31))


@given(last=dates, pause_start=dates, pause_days=st.integers(0, 400),
       level=st.sampled_from(["low", "medium", "high", "very_high"]))
def test_a_pause_never_brings_the_due_date_forward(last, pause_start, pause_days, level):
    as_at = dt.date(2024, 6, 1)
    without = due(NATIONAL, level, last.isoformat())
    pause = (pause_start, min(pause_start + dt.timedelta(days=pause_days), as_at))
    answer = next_visit_due(policy=NATIONAL, as_at=as_at, start=START, visits=[last],
                            risk_history=[(START, level)], pauses=[pause])
    if answer.due_by is not None:
        assert answer.due_by >= without.due_by
        assert (answer.due_by - without.due_by).days <= pause_days + 1


@given(first=dates, gap=st.integers(0, 500))
def test_a_later_visit_never_brings_the_due_date_forward(first, gap):
    later = min(first + dt.timedelta(days=gap), dt.date(2024, 6, 1))
    one = due(TAILORED_POLICY, "medium", first.isoformat())
    two = due(TAILORED_POLICY, "medium", None, visits=[first.isoformat(), later.isoformat()])
    assert two.due_by >= one.due_by
