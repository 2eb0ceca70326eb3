"""The generator on its own: deterministic, and every ledger consistent with the rules."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whereabouts import rules
from whereabouts.demo import FOI_DATE, SCENARIO_TODAY
from whereabouts.demo.dates import next_due, notified_for_due, period_last_day
from whereabouts.demo.generator import PNC_LETTERS, GenPerson, generate, people_digest
from whereabouts.register.case import LedgerDisposal, LedgerEvent, build_case
from whereabouts.register.events import CLOCK_NOTIFICATIONS

REGION = ("staffordshire", "warwickshire", "west-mercia", "west-midlands")
SCALE = 0.01


@pytest.fixture(scope="module")
def batches():
    return list(generate(2017, SCALE))


@pytest.fixture(scope="module")
def people(batches) -> list[GenPerson]:
    return [p for b in batches for p in b.people]


def case_of(person: GenPerson, as_at: dt.date):
    disposals = [LedgerDisposal(e.disposal.relevant_date, e.disposal.kind, e.disposal.months,
                                e.disposal.life, e.disposal.restriction_order)
                 for e in person.events if e.disposal is not None]
    events = [LedgerEvent(e.kind, e.date, bool(e.details.get("no_fixed_abode")))
              for e in person.events]
    return build_case(date_of_birth=person.date_of_birth, as_at=as_at, disposals=disposals,
                      events=events)


def answer(person: GenPerson, as_at: dt.date) -> rules.Answer:
    person_case = case_of(person, as_at)
    assert person_case.case is not None, person.reference
    return rules.evaluate(person_case.case)


def test_the_same_seed_gives_the_same_people_and_events(batches):
    assert people_digest(generate(2017, SCALE)) == people_digest(batches)


def test_another_seed_gives_other_people(batches):
    assert people_digest(generate(2018, SCALE)) != people_digest(batches)


def test_the_region_is_the_same_whatever_the_scale_of_the_rest(batches):
    small = [b for b in batches if b.target.slug in REGION]
    other = list(generate(2017, 0.02, forces=REGION))
    assert people_digest(small) == people_digest(other)


def test_every_person_is_subject_on_both_dates_and_the_region_has_its_figures(people):
    registered = Counter()
    for person in people:
        for as_at in (FOI_DATE, SCENARIO_TODAY):
            result = answer(person, as_at)
            assert result.compliance != "ended", (person.reference, as_at)
            assert result.indefinite or result.last_day > SCENARIO_TODAY
        registered[person.force] += 1
    assert registered["west-midlands"] == 4380
    assert registered["staffordshire"] == 1009


def test_only_the_missing_and_a_few_who_stopped_notifying_are_overdue(people):
    overdue = Counter()
    for person in people:
        result = answer(person, SCENARIO_TODAY)
        if result.compliance == "overdue":
            overdue[person.profile] += 1
            assert person.profile in ("missing", "located", "overdue"), person.reference
        elif person.profile == "missing":
            pytest.fail(f"{person.reference} is missing but {result.compliance}")
    region = [p for p in people if p.force in REGION]
    share = sum(p.profile == "overdue" for p in region) / len(region)
    assert 0.003 <= share <= 0.012


def test_people_in_the_region_overdue_on_publication_were_overdue_on_the_foi_date(people):
    for person in people:
        if person.force in REGION and person.profile == "overdue":
            assert answer(person, FOI_DATE).compliance == "overdue", person.reference


def test_a_share_are_under_18_on_the_relevant_date_and_most_are_men(people):
    def young(p: GenPerson) -> bool:
        first = next(e.disposal for e in p.events if e.disposal is not None)
        return first.relevant_date < dt.date(p.date_of_birth.year + 18, p.date_of_birth.month,
                                             min(p.date_of_birth.day, 28))
    share = sum(map(young, people)) / len(people)
    assert 0.03 <= share <= 0.1
    assert sum(p.sex == "M" for p in people) / len(people) > 0.94


def test_notifications_are_yearly_except_for_the_few_with_no_fixed_abode(people):
    weekly = [p for p in people if p.profile == "no_fixed_abode"]
    assert 0 < len(weekly) < 0.005 * len(people)
    for person in people:
        if person.profile in ("missing", "located", "overdue"):
            continue  # they stop notifying: see the next test
        clock = [e for e in person.events if e.kind in CLOCK_NOTIFICATIONS]
        for earlier, later in zip(clock, clock[1:], strict=False):
            if later.kind == "notification.initial":  # after a second disposal
                continue
            nfa = bool(earlier.details.get("no_fixed_abode"))
            assert later.date <= next_due(earlier.date, nfa), person.reference


def stopped_on(person: GenPerson) -> dt.date:
    """The last notification before the first missed deadline."""
    clock = [e for e in person.events if e.kind in CLOCK_NOTIFICATIONS]
    for earlier, later in zip(clock, clock[1:], strict=False):
        if later.date > next_due(earlier.date, bool(earlier.details.get("no_fixed_abode"))):
            return earlier.date
    return clock[-1].date


def test_histories_are_compliant_every_quarter_until_a_person_stops(people):
    """Not just on the two dates: a sample of ledgers is never overdue along the way, except
    after the point where the missing and the few overdue stopped notifying."""
    sample = people[::15] + [p for p in people if p.profile != "ordinary"]
    for person in sample:
        stopped = stopped_on(person) if person.profile in ("missing", "located",
                                                          "overdue") else None
        day = person.events[0].date
        while day <= SCENARIO_TODAY:
            result = answer(person, day)
            if result.compliance == "overdue":
                assert stopped is not None and day > stopped, (person.reference, day)
            day += dt.timedelta(days=91)


def test_identifiers_have_the_synthetic_patterns(people):
    for p in people:
        yy, serial, letter = re.fullmatch(r"(\d\d)/(\d{6})([A-Z])", p.pnc_id).groups()
        assert PNC_LETTERS[int(yy + serial.zfill(7)) % 23] != letter  # never a valid PNC ID
        if p.cro_number:
            serial, yy, letter = re.fullmatch(r"(\d{6})/(\d\d)([A-Z])", p.cro_number).groups()
            assert PNC_LETTERS[int(yy + serial) % 23] != letter
        assert p.ni_number == "" or re.fullmatch(r"QQ\d{6}[A-D]", p.ni_number)
        assert p.passport_number == "" or re.fullmatch(r"9999\d{5}", p.passport_number)


@given(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), st.integers(1, 240))
def test_the_generators_period_rule_is_the_engines(start, months):
    from whereabouts.rules.dates import period_last_day as engine

    assert period_last_day(start, months) == engine(start, months)


@given(st.dates(dt.date(1995, 1, 1), dt.date(2030, 12, 31)))
def test_notified_for_due_is_the_latest_notification_with_that_deadline_or_earlier(due):
    notified = notified_for_due(due)
    assert next_due(notified) <= due < next_due(notified + dt.timedelta(days=1))
