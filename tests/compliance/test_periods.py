"""The stored status periods give, for every date, the answer the rules give as at that date.

The figures as at any date count the periods that cover it (``compliance.periods``); these
tests hold them to putting the ledger through the rules as at the date, on random ledgers
(no database) and on ledgers changed through the services (with the database).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from whereabouts.compliance.periods import (
    REGISTERED,
    Period,
    person_periods,
    refresh_status_periods,
    status_counts_as_at,
)
from whereabouts.compliance.sweep import FOREVER, status_from_case
from whereabouts.register import services
from whereabouts.register.case import build_case
from whereabouts.register.selectors import RawLedger
from whereabouts.register.services import DisposalInput

from ..conftest import TODAY
from ..ledgers import DOB, START, disposal, event


def covering(periods: list[Period], day: dt.date) -> list[Period]:
    return [p for p in periods if p.starts_on <= day <= p.ends_on]


@settings(max_examples=400, deadline=None)
@given(st.lists(disposal, min_size=1, max_size=2), st.lists(event, max_size=16),
       st.lists(st.integers(min_value=0, max_value=9000), min_size=1, max_size=12))
def test_on_any_date_the_periods_say_what_the_rules_say_as_at_that_date(disposals, events,
                                                                         offsets):
    events = sorted(events, key=lambda e: e[1])
    disposals = sorted(disposals, key=lambda d: d[0])
    periods = person_periods(RawLedger(1, None, DOB, "west-midlands", disposals, events))
    for offset in offsets:
        day = START + dt.timedelta(days=offset)
        status = status_from_case(build_case(date_of_birth=DOB, as_at=day, disposals=disposals,
                                             events=events), day)
        found = covering(periods, day)
        if status.compliance in REGISTERED:
            assert [(p.compliance, p.next_due_last_day) for p in found] == [
                (status.compliance, status.next_due_last_day)], day
        else:
            assert found == [], day


@settings(max_examples=200, deadline=None)
@given(st.lists(disposal, min_size=1, max_size=2), st.lists(event, max_size=16))
def test_periods_do_not_overlap_and_neighbours_with_the_same_answer_are_joined(disposals,
                                                                               events):
    periods = person_periods(RawLedger(1, None, DOB, "west-midlands",
                                       sorted(disposals, key=lambda d: d[0]),
                                       sorted(events, key=lambda e: e[1])))
    for a, b in zip(periods, periods[1:], strict=False):
        assert a.ends_on < b.starts_on
        assert a.ends_on + dt.timedelta(days=1) < b.starts_on or a[2:] != b[2:]
    assert all(p.starts_on <= p.ends_on <= FOREVER for p in periods)


def test_a_person_with_no_disposal_has_no_period():
    events = [("notification.initial", dt.date(2010, 1, 1), False)]
    assert person_periods(RawLedger(1, None, DOB, "west-midlands", [], events)) == []


def record(person, kind: str, when: str, **kwargs) -> None:
    services.event_record(person_id=person.pk, kind=kind, effective_date=when, today=TODAY,
                          recorded_by=None, source="test", **kwargs)


def counts(as_at: dt.date) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in status_counts_as_at(as_at, as_at + dt.timedelta(days=7)):
        out[row.compliance] = out.get(row.compliance, 0) + row.people
        out["due"] = out.get("due", 0) + row.people * row.due_soon
    return out


def test_the_counts_follow_a_new_entry_and_the_past_stays_as_it_was(make_person):
    person = make_person()
    record(person, "disposal", "2018-06-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=40))
    record(person, "notification.initial", "2018-06-01")
    assert counts(dt.date(2019, 5, 28)) == {"compliant": 1, "due": 1}
    assert counts(dt.date(2019, 7, 1)) == {"overdue": 1, "due": 0}
    assert counts(dt.date(2018, 5, 31)) == {}
    record(person, "notification.periodic", "2019-05-30")
    assert counts(dt.date(2019, 7, 1)) == {"compliant": 1, "due": 0}
    assert counts(dt.date(2019, 5, 28)) == {"compliant": 1, "due": 1}


def test_a_correction_of_an_entry_the_rules_read_is_taken_into_account(make_person):
    person = make_person()
    record(person, "disposal", "2018-06-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=40))
    record(person, "notification.initial", "2018-06-01")
    wrong = services.event_record(person_id=person.pk, kind="notification.periodic",
                                  effective_date="2019-05-30", today=TODAY, recorded_by=None,
                                  source="test")
    assert counts(dt.date(2019, 7, 1))["compliant"] == 1
    services.event_record(person_id=person.pk, kind="void", effective_date="2019-05-30",
                          today=TODAY, recorded_by=None, source="test", supersedes=wrong.pk,
                          reason="entered on the wrong person")
    assert counts(dt.date(2019, 7, 1)).get("overdue") == 1


def test_a_move_to_another_force_counts_from_its_date_and_the_past_stays(make_person,
                                                                         make_user):
    person = make_person()
    record(person, "disposal", "2018-06-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=40))
    record(person, "notification.initial", "2018-06-01")
    day = dt.date(2019, 1, 1)
    assert [(r.force, r.people) for r in status_counts_as_at(day, day)] == [
        ("west-midlands", 1)]
    officer = make_user("om.staffs", "offender_manager", force="staffordshire")
    record(person, "assignment", "2024-06-01",
           details={"offender_manager": officer.username, "force": "staffordshire"})
    assert [(r.force, r.people) for r in status_counts_as_at(day, day)] == [
        ("west-midlands", 1)]  # where they were on that date
    moved = dt.date(2024, 6, 1)
    assert [(r.force, r.people) for r in status_counts_as_at(moved, moved)] == [
        ("staffordshire", 1)]
    assert [(r.force, r.people) for r in status_counts_as_at(moved - dt.timedelta(days=1),
                                                            moved)] == [("west-midlands", 1)]


def test_a_rebuild_gives_the_same_periods_as_bringing_them_up_to_date(make_person):
    from whereabouts.compliance.models import StatusPeriod

    for months in (12, 40):
        person = make_person()
        record(person, "disposal", "2015-03-01",
               disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment",
                                      months=months))
        record(person, "notification.initial", "2015-03-02")
        refresh_status_periods()
    fields = ("person_id", "force", "starts_on", "ends_on", "compliance", "next_due_last_day")
    before = sorted(StatusPeriod.objects.values_list(*fields))
    refresh_status_periods(rebuild=True)
    assert sorted(StatusPeriod.objects.values_list(*fields)) == before != []
