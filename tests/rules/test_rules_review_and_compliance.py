"""Review (ss.91A-91B), compliance and its precedence, and several disposals together."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whereabouts.rules import compliance_on, evaluate, parse_case

from .builders import away, case, disposal, explain, notified

#: (sentence, date of birth, disposals, notifications, first eligible, words in the basis)
REVIEWS: list[tuple[str, str, list[dict[str, Any]], list[dict[str, Any]], str | None, str]] = [
    ("An adult first notified on 2010-03-15 may apply for review from 2025-03-15",
     "1970-01-01", [disposal("2010-03-12", months=36)], [notified("2010-03-15", "initial")],
     "2025-03-15", "s.91B(2)(a)"),
    ("A 16-year-old first notified on 2010-03-15 may apply for review from 2018-03-15",
     "1994-01-01", [disposal("2010-03-12", months=36)], [notified("2010-03-15", "initial")],
     "2018-03-15", "s.91B(2)(b)"),
    ("A first notification on 29 February counts 15 years to the end of February",
     "1970-01-01", [disposal("2012-02-27", life=True)], [notified("2012-02-29", "initial")],
     "2027-03-01", "s.91B(2)(a)"),
    ("Notifications before the relevant date do not start the review clock",
     "1970-01-01", [disposal("2010-03-12", months=36)],
     [notified("2009-01-01", "initial"), notified("2010-04-01", "initial"), notified("2011-04-01")],
     "2025-04-01", "s.91B(2)(a)"),
    ("An indefinite requirement with no notification yet has no review date",
     "1970-01-01", [disposal("2010-03-12", months=36)], [], None, "no notification"),
    ("A restricted hospital order is reviewable like any indefinite requirement",
     "1970-01-01", [disposal("2010-03-12", "hospital_order", restriction_order=True)],
     [notified("2010-03-15", "initial")], "2025-03-15", "s.91B(2)(a)"),
    ("A fixed period is never reviewed",
     "1970-01-01", [disposal("2010-03-12", months=20)], [notified("2010-03-15", "initial")],
     None, "s.91A"),
    ("With two indefinite disposals the review counts from the later one",
     "1970-01-01", [disposal("2005-01-10", months=40), disposal("2012-06-01", life=True)],
     [notified("2005-01-11", "initial"), notified("2012-06-02", "initial")],
     "2027-06-02", "s.91B(2)(a)"),
]  # fmt: skip


@pytest.mark.parametrize(
    "dob, disposals, notifications, eligible, words",
    [row[1:] for row in REVIEWS],
    ids=[row[0] for row in REVIEWS],
)
def test_first_application_for_review(
    dob: str,
    disposals: list[dict[str, Any]],
    notifications: list[dict[str, Any]],
    eligible: str | None,
    words: str,
) -> None:
    data = case(*disposals, dob=dob, notifications=tuple(notifications))
    review = explain(data)["review"]
    assert review["first_eligible"] == eligible
    assert words in review["basis"]


BASE = dict(
    notifications=(notified("2020-02-01", "initial"),),
)

#: (sentence, case, compliance)
STATES: list[tuple[str, dict[str, Any], str]] = [
    ("Within the year after a notification the person is compliant",
     case(disposal("2019-02-01", months=20), as_at="2020-06-01", **BASE), "compliant"),
    ("On the last day of the window the person is still compliant",
     case(disposal("2019-02-01", months=20), as_at="2021-01-31", **BASE), "compliant"),
    ("The day after the last day the person is overdue",
     case(disposal("2019-02-01", months=20), as_at="2021-02-01", **BASE), "overdue"),
    ("On the first day away the person is away, not overdue",
     case(disposal("2019-02-01", months=20), as_at="2021-03-01",
          away_periods=(away("2021-03-01", "2021-03-10"),), **BASE), "away"),
    ("On the last day away the person is away",
     case(disposal("2019-02-01", months=20), as_at="2021-03-10",
          away_periods=(away("2021-03-01", "2021-03-10"),), **BASE), "away"),
    ("The day after coming back an overdue person is overdue again",
     case(disposal("2019-02-01", months=20), as_at="2021-03-11",
          away_periods=(away("2021-03-01", "2021-03-10"),), **BASE), "overdue"),
    ("On the last day of the notification period the requirement has not ended",
     case(disposal("2019-02-01", "caution"), as_at="2021-01-31", **BASE), "compliant"),
    ("After the last day of the period the requirement has ended, even if overdue and away",
     case(disposal("2019-02-01", "caution"), as_at="2021-02-01",
          away_periods=(away("2021-01-01", "2021-03-01"),)), "ended"),
    ("An indefinite requirement never ends",
     case(disposal("2019-02-01", life=True), as_at="2090-01-01", **BASE), "overdue"),
    ("A person not yet notified within 3 days of conviction is overdue on the fourth",
     case(disposal("2024-03-04", months=20), as_at="2024-03-07"), "overdue"),
    ("A person in custody since conviction is away, not overdue",
     case(disposal("2024-03-04", months=20), as_at="2024-03-07",
          away_periods=(away("2024-03-04", "2025-01-01"),)), "away"),
    ("With nothing more due before the end, the person stays compliant to the end",
     case(disposal("2019-02-01", "caution"), as_at="2021-01-31",
          notifications=(notified("2020-03-01"),)), "compliant"),
]  # fmt: skip


@pytest.mark.parametrize("data, expected", [r[1:] for r in STATES], ids=[r[0] for r in STATES])
def test_compliance_and_its_precedence(data: dict[str, Any], expected: str) -> None:
    assert explain(data)["compliance"] == expected


def test_compliance_on_another_date_reuses_the_answer() -> None:
    data = case(
        disposal("2019-02-01", months=20),
        as_at="2020-06-01",
        away_periods=(away("2021-03-01", "2021-03-10"),),
        **BASE,
    )
    answer = evaluate(parse_case(data))
    assert compliance_on(answer, dt.date(2020, 6, 1)) == answer.compliance == "compliant"
    assert compliance_on(answer, dt.date(2021, 2, 1)) == "overdue"
    assert compliance_on(answer, dt.date(2021, 3, 5)) == "away"
    assert compliance_on(answer, dt.date(2029, 2, 1)) == "ended"
    assert compliance_on(parse_case(data), dt.date(2021, 2, 1)) == "overdue"


#: (sentence, disposals, indefinite, first day, last day, length, words in the basis)
TOGETHER: list[tuple[str, list[dict[str, Any]], bool, str, str | None, str | None, str]] = [
    ("A later, longer period governs: from the first disposal to the end of the last period",
     [disposal("2019-02-01", "caution"), disposal("2020-06-01", "other")],
     False, "2019-02-01", "2025-05-31", "P5Y", "any other description"),
    ("An earlier period that ends later governs, whatever came after",
     [disposal("2015-01-01", months=20), disposal("2020-01-01", "caution")],
     False, "2015-01-01", "2024-12-31", "P10Y", "more than 6 months"),
    ("Any indefinite disposal makes the whole requirement indefinite",
     [disposal("2015-01-01", "caution"), disposal("2016-01-01", months=30),
      disposal("2017-01-01", "other")],
     True, "2015-01-01", None, None, "30 months or more"),
    ("The order in which disposals are listed does not matter",
     [disposal("2020-06-01", "other"), disposal("2019-02-01", "caution")],
     False, "2019-02-01", "2025-05-31", "P5Y", "any other description"),
]  # fmt: skip


@pytest.mark.parametrize(
    "disposals, indefinite, first, last, length, words",
    [r[1:] for r in TOGETHER],
    ids=[r[0] for r in TOGETHER],
)
def test_several_disposals_together(
    disposals: list[dict[str, Any]],
    indefinite: bool,
    first: str,
    last: str | None,
    length: str | None,
    words: str,
) -> None:
    period = explain(case(*disposals))["notification_period"]
    assert (period["indefinite"], period["first_day"], period["last_day"], period["length"]) == (
        indefinite,
        first,
        last,
        length,
    )
    assert words in period["basis"]
