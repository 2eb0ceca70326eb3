"""Driving an open case: actions and reviews, who may review, and flags on the board."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whereabouts.missing import services
from whereabouts.missing.selectors import missing_board
from whereabouts.missing.services import NotPermitted
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event

from ..conftest import TODAY


@pytest.fixture
def senior(make_user: Any) -> Any:
    return make_user("insp.wm", "senior_officer")


@pytest.fixture
def gone(make_person: Any, supervisor: Any) -> Any:
    person = make_person()
    services.record_missing(person_id=person.pk, recorded_on="2024-03-01",
                            missing_since="2024-02-20", basis="No trace", risk="high",
                            actor=supervisor, today=TODAY)
    return person


def row(user: Any, as_at: dt.date) -> Any:
    [only] = missing_board(user, as_at)
    return only


def test_a_new_case_starts_with_first_enquiries_and_reviews_on_schedule(gone, supervisor):
    r = row(supervisor, dt.date(2024, 3, 2))
    assert (r.state.next_action, r.state.next_action_by) == ("Make the first enquiries",
                                                             dt.date(2024, 3, 4))
    assert r.supervisor_review_due == dt.date(2024, 3, 29)  # 28 days
    assert r.senior_review_due == dt.date(2024, 5, 31)  # 91 days
    assert not r.review_overdue and not r.gone_quiet


def test_an_action_sets_the_next_action_and_keeps_the_case_from_going_quiet(gone, officer,
                                                                           supervisor):
    services.record_action(person_id=gone.pk, done_on="2024-03-20", action="partner_check",
                           note="DWP: no new claim", next_action="Ask housing",
                           next_action_by="2024-03-27", actor=officer, today=TODAY)
    r = row(supervisor, dt.date(2024, 4, 10))
    assert (r.state.next_action, r.state.last_activity) == ("Ask housing", dt.date(2024, 3, 20))
    assert not r.gone_quiet
    assert row(supervisor, dt.date(2024, 4, 18)).gone_quiet  # 29 days without action


def test_a_supervisor_review_moves_the_next_review_on_28_days(gone, supervisor):
    services.record_review(person_id=gone.pk, reviewed_on="2024-03-28", level="supervisor",
                           note="Enquiries in hand", next_action="Re-visit associates",
                           next_action_by="2024-04-04", actor=supervisor, today=TODAY)
    r = row(supervisor, dt.date(2024, 4, 20))
    assert r.supervisor_review_due == dt.date(2024, 4, 25)
    assert not r.review_overdue
    assert row(supervisor, dt.date(2024, 4, 26)).review_overdue


def test_a_senior_review_moves_the_next_senior_review_on_six_months(gone, senior, supervisor):
    services.record_review(person_id=gone.pk, reviewed_on="2024-05-30", level="senior",
                           note="Refer to NCA", next_action="International circulation",
                           next_action_by="2024-06-01", actor=senior, today=TODAY)
    assert row(supervisor, dt.date(2024, 6, 1)).senior_review_due == dt.date(2024, 11, 28)


def test_an_offender_manager_may_not_review_and_a_supervisor_may_not_make_a_senior_review(
    gone, officer, supervisor
):
    before = Event.objects.count()
    with pytest.raises(NotPermitted, match="supervisor or senior officer"):
        services.record_review(person_id=gone.pk, reviewed_on="2024-03-28", level="supervisor",
                               note="n", next_action="a", next_action_by="2024-04-01",
                               actor=officer, today=TODAY)
    with pytest.raises(NotPermitted, match="only a senior officer"):
        services.record_review(person_id=gone.pk, reviewed_on="2024-03-28", level="senior",
                               note="n", next_action="a", next_action_by="2024-04-01",
                               actor=supervisor, today=TODAY)
    assert Event.objects.count() == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reviewed_on": "2024-02-28"}, "reviewed_on"),
        ({"next_action_by": "2024-03-01"}, "next_action_by"),
        ({"next_action": ""}, "details.next_action"),
        ({"level": "chief"}, "details.level"),
    ],
    ids=[
        "a review before the episode began is refused",
        "a next action due before the review is refused",
        "a review without a next action is refused",
        "an unknown review level is refused",
    ],
)
def test_bad_reviews_are_refused_and_change_nothing(gone, senior, kwargs, field):
    fields = {"reviewed_on": "2024-03-28", "level": "supervisor", "note": "n",
              "next_action": "Visit", "next_action_by": "2024-04-02"}
    fields.update(kwargs)
    before = Event.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.record_review(person_id=gone.pk, actor=senior, today=TODAY, **fields)
    assert err.value.field == field
    assert Event.objects.count() == before


def test_actions_need_an_open_episode_and_a_next_action_when_a_date_is_given(
    gone, officer, make_person
):
    with pytest.raises(InvalidInput, match="not recorded as missing"):
        services.record_action(person_id=make_person().pk, done_on="2024-03-20",
                               action="enquiry", note="n", actor=officer, today=TODAY)
    with pytest.raises(InvalidInput) as err:
        services.record_action(person_id=gone.pk, done_on="2024-03-20", action="enquiry",
                               note="n", next_action_by="2024-03-25", actor=officer,
                               today=TODAY)
    assert err.value.field == "next_action"


def test_the_board_sees_a_new_action_at_once_though_it_keeps_worked_out_states(gone,
                                                                                supervisor):
    first = row(supervisor, TODAY)  # works the state out and keeps it
    assert row(supervisor, TODAY).state == first.state  # read back
    services.record_action(person_id=gone.pk, done_on="2024-05-01", action="sighting",
                           note="Seen in Dudley", actor=supervisor, today=TODAY,
                           next_action="Visit the Dudley address", next_action_by="2024-06-03")
    after = row(supervisor, TODAY)
    assert after.state.next_action == "Visit the Dudley address"
    assert after.state.last_activity == dt.date(2024, 5, 1)


def test_the_board_sees_a_withdrawn_action_at_once(gone, supervisor):
    event = services.record_action(person_id=gone.pk, done_on="2024-05-01", action="lead",
                                   note="A tip-off", actor=supervisor, today=TODAY,
                                   next_action="Check the tip-off", next_action_by="2024-06-03")
    assert row(supervisor, TODAY).state.next_action == "Check the tip-off"
    from whereabouts.register import services as register

    register.event_record(person_id=gone.pk, kind="void", effective_date="2024-05-01",
                          today=TODAY, recorded_by=supervisor, source="test",
                          supersedes=event.pk, reason="Recorded against the wrong person")
    assert row(supervisor, TODAY).state.next_action == "Make the first enquiries"


def test_a_state_kept_for_one_date_is_not_used_for_another(gone, supervisor):
    services.record_action(person_id=gone.pk, done_on="2024-05-01", action="enquiry",
                           note="Sister visited", actor=supervisor, today=TODAY,
                           next_action="Ring the hostel", next_action_by="2024-05-20")
    assert row(supervisor, TODAY).state.next_action == "Ring the hostel"
    assert row(supervisor, dt.date(2024, 4, 1)).state.next_action == "Make the first enquiries"


def test_kept_states_equal_states_worked_out_from_the_whole_ledger(gone, supervisor, senior):
    from whereabouts.missing.episodes import case_state
    from whereabouts.missing.selectors import live_missing_entries, person_episodes

    for day in ("2024-03-05", "2024-03-20", "2024-04-02"):
        services.record_action(person_id=gone.pk, done_on=day, action="enquiry", note=day,
                               actor=supervisor, today=TODAY, next_action=f"after {day}",
                               next_action_by="2024-06-30")
    services.record_review(person_id=gone.pk, reviewed_on="2024-04-02", level="senior",
                           note="Fine", next_action="Senior's next", next_action_by="2024-07-01",
                           actor=senior, today=TODAY)
    from whereabouts.register.models import Event

    entries = [(e.kind, e.effective_date, e.details)
               for e in Event.objects.filter(person=gone).order_by("effective_date", "id")]
    [episode] = person_episodes(gone)
    assert live_missing_entries(gone)  # the episode is in the ledger
    expected = case_state(episode, entries)
    assert row(supervisor, TODAY).state == expected
    assert row(supervisor, TODAY).state == expected  # and when read back
    assert expected.next_action == "Senior's next"
