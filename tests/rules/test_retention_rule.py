"""MoPI review dates (whereabouts.rules.retention): Group 1, reviewed every 10 years, kept
until the person is 100. One row per boundary."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whereabouts.rules.retention import latest_review, may_dispose, review_limit

D = dt.date


@pytest.mark.parametrize(("date_of_birth", "since", "expected", "why"), [
    (D(1980, 5, 1), D(2024, 6, 1), D(2034, 6, 1), "ten years on"),
    (D(1980, 5, 1), D(2024, 2, 29), D(2034, 3, 1), "29 February ten years on is 1 March"),
    (D(1980, 5, 1), D(2020, 2, 29), D(2030, 3, 1), "also when the tenth year is common"),
    (D(1932, 6, 1), D(2024, 6, 1), D(2032, 6, 1), "the 100th birthday comes first"),
    (D(1934, 6, 1), D(2024, 6, 1), D(2034, 6, 1), "100th birthday on the tenth anniversary"),
    (D(1934, 6, 2), D(2024, 6, 1), D(2034, 6, 1), "100 the day after: ten years on"),
    (D(1924, 6, 1), D(2024, 6, 1), D(2024, 6, 1), "100 today: due today"),
    (D(1920, 1, 1), D(2024, 6, 1), D(2024, 6, 1), "already over 100: due at once"),
    (D(1928, 2, 29), D(2024, 6, 1), D(2028, 2, 29), "born on 29 February: a leap 100th"),
    (D(1928, 2, 29), D(2020, 1, 1), D(2028, 2, 29),
     "the 100th birthday on 29 February before the tenth anniversary"),
])
def test_the_next_review_is_ten_years_on_or_the_100th_birthday_if_sooner(
        date_of_birth, since, expected, why):
    assert latest_review(date_of_birth, since) == expected, why


@pytest.mark.parametrize(("date_of_birth", "on", "expected", "why"), [
    (D(1980, 5, 1), D(2024, 6, 1), D(2034, 6, 1), "under 100: as the review date"),
    (D(1930, 1, 1), D(2024, 6, 1), D(2030, 1, 1), "under 100: no later than the birthday"),
    (D(1924, 6, 1), D(2024, 6, 1), D(2034, 6, 1), "100 today: retained, ten years on"),
    (D(1920, 1, 1), D(2024, 6, 1), D(2034, 6, 1), "over 100: ten years on"),
])
def test_a_decision_to_retain_sets_the_next_review_no_later_than_the_limit(
        date_of_birth, on, expected, why):
    assert review_limit(date_of_birth, on) == expected, why


@pytest.mark.parametrize(("date_of_birth", "on", "expected"), [
    (D(1924, 6, 2), D(2024, 6, 1), False),  # 100 tomorrow
    (D(1924, 6, 1), D(2024, 6, 1), True),  # 100 today
    (D(1924, 2, 29), D(2024, 2, 28), False),  # leap-day birth, the day before
    (D(1924, 2, 29), D(2024, 2, 29), True),
    (D(1923, 2, 28), D(2023, 2, 28), True),
])
def test_a_group_1_record_may_be_disposed_of_only_from_the_100th_birthday(
        date_of_birth, on, expected):
    assert may_dispose(date_of_birth, on) is expected


@given(st.dates(D(1900, 1, 1), D(2020, 12, 31)), st.dates(D(1990, 1, 1), D(2060, 12, 31)))
def test_the_review_is_never_before_the_start_nor_more_than_ten_years_on(date_of_birth, since):
    review = latest_review(date_of_birth, since)
    assert since <= review <= D(since.year + 10, 12, 31)
    assert (review - since).days <= 3653
    limit = review_limit(date_of_birth, since)
    assert limit >= review and (limit > since or review == since)
