"""The demo's numbers: the national register and the missing plan (no database needed)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from whereabouts.demo import FOI_DATE, SCENARIO_TODAY
from whereabouts.demo.calibration import (
    AGED_10_PLUS_SHARE,
    NATIONAL_RATE_PER_100K,
    english_region_rank,
    force_targets,
    missing_by_region,
)
from whereabouts.demo.missing import missing_plan, plan_counts
from whereabouts.demo.places import PLACES

REGION = ("west-midlands", "staffordshire", "west-mercia", "warwickshire")


@pytest.fixture(scope="module")
def plan():
    return missing_plan(2017, 1.0)


def by_slug(scale: float = 1.0):
    return {t.slug: t for t in force_targets(scale)}


def test_all_43_forces_are_populated_with_a_place_and_a_unique_reference_prefix():
    targets = force_targets(1.0)
    assert len(targets) == 43
    assert all(t.registered >= 1 for t in targets)
    assert set(PLACES) == {t.slug for t in targets}
    assert len({p.prefix for p in PLACES.values()}) == 43


def test_west_midlands_police_has_exactly_the_scenarios_4380():
    assert by_slug()["west-midlands"].registered == 4380


def test_the_national_register_is_about_55000():
    total = sum(t.registered for t in force_targets(1.0))
    assert 54_000 <= total <= 56_000


def test_other_forces_follow_the_rate_per_100k_aged_10_and_over():
    kent = by_slug()["kent"]
    assert kent.registered == round(NATIONAL_RATE_PER_100K * AGED_10_PLUS_SHARE
                                    * kent.population / 100_000)


@pytest.mark.parametrize("slug, later_published", [
    ("staffordshire", 1318),  # 31 March 2021
    ("west-mercia", 1405),  # 31 March 2020
])
def test_region_forces_are_plausibly_below_their_later_published_figures(slug, later_published):
    registered = by_slug()[slug].registered
    assert 0.65 * later_published <= registered < later_published


def test_scale_shrinks_only_the_forces_outside_the_region():
    full, small = by_slug(1.0), by_slug(0.01)
    for slug in REGION:
        assert small[slug].registered == full[slug].registered
    assert small["kent"].registered == round(full["kent"].registered * 0.01)
    assert small["metropolitan"].registered >= small["metropolitan"].missing
    assert small["city-of-london"].registered == 1


@pytest.mark.parametrize("scale", [0, -1, 1.5])
def test_a_scale_outside_zero_to_one_is_refused(scale):
    with pytest.raises(ValueError, match="scale"):
        force_targets(scale)


def test_the_plan_has_the_scenarios_figures_per_force_as_at_the_foi_date(plan):
    counts = plan_counts(plan, FOI_DATE)
    assert {slug: counts.get(slug, 0) for slug in REGION} == {
        "west-midlands": 46, "staffordshire": 5, "west-mercia": 3, "warwickshire": 1}
    assert sum(counts.get(slug, 0) for slug in REGION) == 55


def test_west_midlands_has_14_believed_abroad_5_begun_in_2017_and_the_earliest_in_2006(plan):
    wm = [e for e in plan if e.force == "west-midlands"]
    assert sum(e.believed_abroad for e in wm) == 14
    assert sum(e.went_missing_on.year == 2017 for e in wm) == 5
    assert min(e.went_missing_on for e in wm).year == 2006
    assert all(e.went_missing_on <= FOI_DATE for e in wm)


def test_west_mercias_earliest_has_been_missing_for_11_years_on_the_foi_date(plan):
    earliest = min(e.went_missing_on for e in plan if e.force == "west-mercia")
    assert earliest.year == 2006
    years = FOI_DATE.year - earliest.year - ((FOI_DATE.month, FOI_DATE.day)
                                             < (earliest.month, earliest.day))
    assert years == 11


def test_three_of_staffordshires_five_are_located_before_publication(plan):
    staffs = [e for e in plan if e.force == "staffordshire"]
    located = [e for e in staffs if e.located_on is not None]
    assert len(located) == 3
    assert all(FOI_DATE < e.located_on <= SCENARIO_TODAY for e in located)
    assert all(e.located_where and e.located_by and e.located_outcome for e in located)
    assert plan_counts(plan, SCENARIO_TODAY)["staffordshire"] == 2


def test_nothing_else_in_the_region_changes_between_the_foi_date_and_publication(plan):
    region = [e for e in plan if e.force in REGION]
    assert [e for e in region if e.located_on is not None] == \
        [e for e in region if e.force == "staffordshire" and e.located_on]
    assert all(e.went_missing_on <= FOI_DATE for e in plan)


@pytest.mark.parametrize("scale", [1.0, 0.01])
def test_the_west_midlands_region_is_second_after_london_by_missing(scale):
    plan = missing_plan(2017, scale)
    regions = {t.slug: t.region for t in force_targets(scale)}
    totals = Counter()
    for force, count in plan_counts(plan, FOI_DATE).items():
        totals[regions[force]] += count
    english = [r for r, _ in totals.most_common() if r != "Wales"]
    assert english[:2] == ["London", "West Midlands"]
    assert totals["West Midlands"] == 55
    assert all(n < 55 for r, n in totals.items() if r not in ("London", "West Midlands"))
    assert english_region_rank(force_targets(scale)) == 2
    assert missing_by_region(force_targets(scale))["West Midlands"] == 55


def test_the_metropolitan_police_has_clearly_the_most_missing(plan):
    counts = plan_counts(plan, FOI_DATE)
    assert 100 <= counts["metropolitan"] <= 170
    assert counts["metropolitan"] == max(counts.values())


def test_other_forces_have_a_small_share_of_their_register_missing():
    for t in force_targets(1.0):
        if t.slug in REGION or t.slug == "metropolitan":
            continue
        assert t.missing <= max(1, round(0.0045 * t.registered)), t.slug


def test_every_believed_abroad_entry_has_a_country_and_a_basis(plan):
    for entry in plan:
        if entry.believed_abroad:
            assert entry.country and entry.basis
            if entry.travel_notified_on is not None:
                assert (entry.travel_notified_on + dt.timedelta(days=7)
                        <= entry.travel_departure < entry.travel_return < entry.missed_due_on)
        else:
            assert not entry.country and not entry.basis


def test_each_entry_is_a_missed_notification_then_a_failed_visit_before_going_missing(plan):
    for e in plan:
        assert e.last_notified_on < e.last_seen_at_home_on < e.missed_due_on
        assert e.missed_due_on < e.failed_visit_on <= e.went_missing_on
        assert e.failed_visit_outcome in ("no_reply", "no_longer_living_there")


def test_the_plan_is_the_same_for_the_same_seed_and_differs_for_another():
    assert missing_plan(2017, 0.01) == missing_plan(2017, 0.01)
    assert missing_plan(2017, 0.01) != missing_plan(2018, 0.01)
