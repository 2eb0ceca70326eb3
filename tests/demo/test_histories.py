"""The case histories of the demo's missing episodes, from the plan alone (no database).

The whole national plan is cheap to draw (303 entries), so these run at full scale: every
action and review inside its episode, details as ``validate_details`` returns them, the same
history for the same seed, and, through the missing board's own rules (``case_state`` and
``reviews_due``), most open cases up to date on publication day and a deliberate minority not.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest
from django.conf import settings

from whereabouts.demo import SCENARIO_TODAY
from whereabouts.demo.episodes import (
    SENIOR_DAYS,
    SENIOR_FIRST_DAYS,
    SUPERVISOR_DAYS,
    case_history,
)
from whereabouts.demo.missing import FLAGGED_HISTORIES, MissingPlanEntry, missing_plan
from whereabouts.missing.episodes import Episode, case_state, reviews_due
from whereabouts.register.events import validate_details

SEED = 2017
History = list[tuple[str, dt.date, dict[str, Any]]]


@pytest.fixture(scope="module")
def plan() -> list[MissingPlanEntry]:
    return missing_plan(SEED, 1.0)


def history_of(entry: MissingPlanEntry, seed: int = SEED) -> History:
    """What the generator writes for the entry (the same named stream)."""
    return case_history(entry, random.Random(f"{seed}:history:{entry.person_reference}"))


@pytest.fixture(scope="module")
def histories(plan) -> dict[str, History]:
    return {e.person_reference: history_of(e) for e in plan}


def flags(entry: MissingPlanEntry, history: History) -> tuple[bool, bool]:
    """(review overdue, gone quiet) on publication day, as the board works them out."""
    episode = Episode(entry.went_missing_on, entry.last_seen_at_home_on, entry.believed_abroad,
                      entry.country, entry.risk_level)
    # The ledger also holds the circulation sent on the day the episode began.
    state = case_state(episode, [("circulation.sent", entry.went_missing_on, {}), *history])
    supervisor, senior = reviews_due(episode, state, supervisor_days=SUPERVISOR_DAYS,
                                     senior_first_days=SENIOR_FIRST_DAYS,
                                     senior_days=SENIOR_DAYS)
    return (min(supervisor, senior) < SCENARIO_TODAY,
            (SCENARIO_TODAY - state.last_activity).days > SUPERVISOR_DAYS)


def test_the_review_intervals_are_the_boards():
    assert (SUPERVISOR_DAYS, SENIOR_FIRST_DAYS, SENIOR_DAYS) == (
        settings.WHEREABOUTS_REVIEW_SUPERVISOR_DAYS,
        settings.WHEREABOUTS_REVIEW_SENIOR_FIRST_DAYS,
        settings.WHEREABOUTS_REVIEW_SENIOR_DAYS)


def test_every_episode_has_actions_and_reviews_and_only_inside_the_episode(plan, histories):
    for entry in plan:
        history = histories[entry.person_reference]
        kinds = Counter(kind for kind, _, _ in history)
        assert kinds["missing.action"] >= 1, entry.person_reference
        # A case let slip within its first month may never have been reviewed.
        assert kinds["missing.review"] >= 1 or entry.history == "lapsed", entry.person_reference
        end = SCENARIO_TODAY if entry.located_on is None else entry.located_on - dt.timedelta(1)
        for kind, on, _ in history:
            assert entry.went_missing_on < on <= end, (entry.person_reference, kind, on)
        assert [on for _, on, _ in history] == sorted(on for _, on, _ in history)


def test_every_detail_is_what_validate_details_returns(histories):
    seen = Counter()
    for history in histories.values():
        for kind, _, details in history:
            clean = validate_details(kind, details)
            assert clean == details and list(clean) == list(details), (kind, details)
            seen[kind, details.get("level") or details["action"]] += 1
    assert set(seen) == {("missing.review", "supervisor"), ("missing.review", "senior"),
                         *(("missing.action", a) for a in
                           ("enquiry", "partner_check", "sighting", "lead", "other"))}


def test_long_episodes_keep_a_sane_volume(plan, histories):
    for entry in plan:
        history = histories[entry.person_reference]
        end = entry.located_on or SCENARIO_TODAY
        years = (end - entry.went_missing_on).days / 365.25
        actions = sum(kind == "missing.action" for kind, _, _ in history)
        reviews = sum(kind == "missing.review" for kind, _, _ in history)
        assert actions <= 12 + 4 * years, entry.person_reference
        assert reviews <= 3 + 18 * years, entry.person_reference
    assert sum(map(len, histories.values())) < 40_000


def test_the_same_seed_gives_the_same_histories_and_another_seed_others(plan, histories):
    sample = plan[::20]
    assert [history_of(e) for e in sample] == [histories[e.person_reference] for e in sample]
    assert [history_of(e, seed=2018) for e in sample] != [histories[e.person_reference]
                                                          for e in sample]


def test_a_minority_of_open_cases_is_flagged_and_the_rest_are_up_to_date(plan, histories):
    open_now = [e for e in plan if e.missing_on(SCENARIO_TODAY)]
    flagged = {}
    for entry in open_now:
        overdue, quiet = flags(entry, histories[entry.person_reference])
        if entry.history == "kept_up":
            assert (overdue, quiet) == (False, False), entry.person_reference
        else:
            flagged[entry.person_reference] = entry
            assert overdue, entry.person_reference
            assert quiet == (entry.history == "lapsed"), entry.person_reference
    assert 0.10 <= len(flagged) / len(open_now) <= 0.20
    assert {e.history for e in flagged.values()} == set(FLAGGED_HISTORIES)
    forces = Counter(e.force for e in flagged.values())
    assert forces["west-midlands"] >= 1 and forces["staffordshire"] >= 1
    assert any(e.history == "lapsed" for e in flagged.values() if e.force == "west-midlands")
    assert all(e.history == "kept_up" for e in plan if e.located_on is not None)


def test_the_last_next_action_of_a_live_case_is_still_ahead(plan, histories):
    for entry in plan:
        if not entry.missing_on(SCENARIO_TODAY) or entry.history == "lapsed":
            continue
        last = histories[entry.person_reference][-1][2]["next_action_by"]
        assert dt.date.fromisoformat(last) > SCENARIO_TODAY, entry.person_reference


def test_the_flagged_cases_are_the_same_whatever_the_scale(plan):
    def flagged(entries: list[MissingPlanEntry]) -> list[tuple[str, dt.date, str]]:
        return sorted((e.force, e.went_missing_on, e.history) for e in entries
                      if e.history != "kept_up")

    assert flagged(missing_plan(SEED, 0.01)) == flagged(plan)
