"""From ledger rows to the rules' case: the reduced case answers exactly as the full one."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from whereabouts import rules
from whereabouts.register.case import build_case

from ..ledgers import DOB, days, disposal, event

FIELDS = ("indefinite", "first_day", "last_day", "length", "period_basis",
          "review_first_eligible", "review_basis", "next_due_kind", "next_due_last_day",
          "next_due_basis", "compliance")


def full_case(disposals, events, as_at):
    """Every notification passed on, none left out."""
    reduced = build_case(date_of_birth=DOB, as_at=as_at, disposals=disposals,
                         events=events).case
    if reduced is None:
        return None, None
    everything = tuple(
        rules.Notification(when, kind.split(".")[1], nfa)
        for kind, when, nfa in events
        if kind.startswith("notification.") and when <= as_at
    )
    return reduced, reduced._replace(notifications=everything)


@settings(max_examples=300, deadline=None)
@given(st.lists(disposal, min_size=1, max_size=3), st.lists(event, max_size=25), days)
def test_leaving_out_notifications_the_rules_do_not_read_changes_no_answer(disposals, events,
                                                                           as_at):
    events = sorted(events, key=lambda e: e[1])
    reduced, full = full_case(disposals, events, as_at)
    if reduced is None:
        return
    a, b = rules.evaluate(reduced), rules.evaluate(full)
    assert [getattr(a, f) for f in FIELDS] == [getattr(b, f) for f in FIELDS]
    waived_a = rules.evaluate(reduced._replace(apply_s83_waiver=True))
    waived_b = rules.evaluate(full._replace(apply_s83_waiver=True))
    assert [getattr(waived_a, f) for f in FIELDS] == [getattr(waived_b, f) for f in FIELDS]


@settings(max_examples=200, deadline=None)
@given(st.lists(disposal, min_size=1, max_size=3), st.lists(event, max_size=25), days)
def test_dates_as_iso_text_build_the_same_case_as_dates(disposals, events, as_at):
    events = sorted(events, key=lambda e: e[1])
    as_text = build_case(
        date_of_birth=DOB, as_at=as_at, iso=True,
        disposals=[(d[0].isoformat(), *d[1:]) for d in disposals],
        events=[(k, w.isoformat(), n) for k, w, n in events],
    )
    assert as_text == build_case(date_of_birth=DOB, as_at=as_at, disposals=disposals,
                                 events=events)


def test_a_custody_period_ends_the_day_before_the_release_entry():
    case = build_case(
        date_of_birth=DOB, as_at=dt.date(2021, 1, 1),
        disposals=[(dt.date(2019, 2, 1), "imprisonment", 20, False, False)],
        events=[("custody.start", dt.date(2019, 2, 1), False),
                ("custody.end", dt.date(2020, 2, 1), False)],
    ).case
    assert case.away == (rules.AwayPeriod(dt.date(2019, 2, 1), dt.date(2020, 1, 31), "custody"),)


def test_a_period_still_open_runs_to_the_date_asked_about():
    case = build_case(
        date_of_birth=DOB, as_at=dt.date(2021, 1, 1),
        disposals=[(dt.date(2019, 2, 1), "imprisonment", 20, False, False)],
        events=[("hospital.start", dt.date(2020, 6, 1), False)],
    ).case
    assert case.away == (rules.AwayPeriod(dt.date(2020, 6, 1), dt.date(2021, 1, 1), "hospital"),)


def test_entries_after_the_date_asked_about_do_not_count():
    person = build_case(
        date_of_birth=DOB, as_at=dt.date(2019, 1, 1),
        disposals=[(dt.date(2019, 2, 1), "caution", None, False, False)],
        events=[],
    )
    assert person.case is None and person.state == "not_subject"


def test_a_death_ends_the_case():
    person = build_case(
        date_of_birth=DOB, as_at=dt.date(2021, 1, 1),
        disposals=[(dt.date(2019, 2, 1), "caution", None, False, False)],
        events=[("death", dt.date(2020, 3, 3), False)],
    )
    assert (person.case, person.state, person.death_date) == (None, "deceased",
                                                              dt.date(2020, 3, 3))
