"""Notification periods (SOA 2003 s.82): one row per legal boundary, named as sentences."""

from __future__ import annotations

from typing import Any

import pytest

from whereabouts.rules import CaseError

from .builders import case, disposal, explain

ADULT = "1985-06-15"
AGED_15 = "2003-06-15"  # 15 on 2019-02-01
R = "2019-02-01"

#: (sentence, date of birth, disposal, indefinite, length, last day, words in the basis)
PERIODS: list[tuple[str, str, dict[str, Any], bool, str | None, str | None, str]] = [
    ("Life imprisonment gives an indefinite period",
     ADULT, disposal(R, life=True), True, None, None, "life or for public protection"),
    ("Imprisonment for 30 months gives an indefinite period",
     ADULT, disposal(R, months=30), True, None, None, "30 months or more"),
    ("Imprisonment for 29 months gives 10 years",
     ADULT, disposal(R, months=29), False, "P10Y", "2029-01-31",
     "more than 6 months but less than 30"),
    ("Imprisonment for 7 months gives 10 years",
     ADULT, disposal(R, months=7), False, "P10Y", "2029-01-31", "more than 6 months"),
    ("Imprisonment for 6 months gives 7 years",
     ADULT, disposal(R, months=6), False, "P7Y", "2026-01-31", "6 months or less"),
    ("Imprisonment for 1 month gives 7 years",
     ADULT, disposal(R, months=1), False, "P7Y", "2026-01-31", "6 months or less"),
    ("A hospital order with a restriction order gives an indefinite period",
     ADULT, disposal(R, "hospital_order", restriction_order=True), True, None, None,
     "with a restriction order"),
    ("A hospital order without a restriction order gives 7 years",
     ADULT, disposal(R, "hospital_order"), False, "P7Y", "2026-01-31", "without a restriction"),
    ("A caution given to an adult lasts 2 years",
     ADULT, disposal(R, "caution"), False, "P2Y", "2021-01-31", "caution"),
    ("A conditional discharge of 18 months lasts the 18 months of the discharge",
     ADULT, disposal(R, "conditional_discharge", months=18), False, "P1Y6M", "2020-07-31",
     "conditional discharge"),
    ("A conditional discharge of 1 month lasts 1 month",
     ADULT, disposal(R, "conditional_discharge", months=1), False, "P1M", "2019-02-28",
     "conditional discharge"),
    ("A conditional discharge of 3 years is written P3Y",
     ADULT, disposal(R, "conditional_discharge", months=36), False, "P3Y", "2022-01-31",
     "conditional discharge"),
    ("A fine or community order gives 5 years",
     ADULT, disposal(R, "other"), False, "P5Y", "2024-01-31", "any other description"),
    # s.82(2): under 18 on the relevant date
    ("Imprisonment for 29 months given to a 15-year-old is halved to 5 years",
     AGED_15, disposal(R, months=29), False, "P5Y", "2024-01-31", "s.82(2)"),
    ("Imprisonment for 6 months given to a 15-year-old is halved to 3 years 6 months",
     AGED_15, disposal(R, months=6), False, "P3Y6M", "2022-07-31", "s.82(2)"),
    ("A hospital order without restriction for a 15-year-old is halved to 3 years 6 months",
     AGED_15, disposal(R, "hospital_order"), False, "P3Y6M", "2022-07-31", "s.82(2)"),
    ("A caution given to a 15-year-old lasts one year",
     AGED_15, disposal(R, "caution"), False, "P1Y", "2020-01-31", "s.82(2)"),
    ("A community order for a 15-year-old is halved to 2 years 6 months",
     AGED_15, disposal(R, "other"), False, "P2Y6M", "2021-07-31", "s.82(2)"),
    ("A conditional discharge for a 15-year-old is not halved",
     AGED_15, disposal(R, "conditional_discharge", months=18), False, "P1Y6M", "2020-07-31",
     "conditional discharge"),
    ("Imprisonment for 30 months for a 15-year-old stays indefinite",
     AGED_15, disposal(R, months=30), True, None, None, "30 months or more"),
    ("Life imprisonment for a 15-year-old stays indefinite",
     AGED_15, disposal(R, life=True), True, None, None, "life"),
    ("A restricted hospital order for a 15-year-old stays indefinite",
     AGED_15, disposal(R, "hospital_order", restriction_order=True), True, None, None,
     "with a restriction order"),
    # the 18th birthday
    ("A caution given on the 18th birthday is not halved",
     "2001-02-01", disposal(R, "caution"), False, "P2Y", "2021-01-31",
     "SOA 2003 s.82(1): a caution"),
    ("A caution given the day before the 18th birthday is halved",
     "2001-02-02", disposal(R, "caution"), False, "P1Y", "2020-01-31", "s.82(2)"),
    ("Someone born on 29 February is still 17 on 28 February of their 18th year",
     "2000-02-29", disposal("2018-02-28", "caution"), False, "P1Y", "2019-02-27", "s.82(2)"),
    ("Someone born on 29 February is 18 on 1 March in a common year",
     "2000-02-29", disposal("2018-03-01", "caution"), False, "P2Y", "2020-02-29",
     "SOA 2003 s.82(1): a caution"),
    # the worked examples of domain README section 3.6
    ("P1: an adult's 20 months from 2019-02-01 ends on 2029-01-31",
     ADULT, disposal(R, months=20), False, "P10Y", "2029-01-31", "s.82(1)"),
    ("P3: a caution for a 16-year-old on 2023-08-31 ends on 2024-08-30",
     "2007-01-01", disposal("2023-08-31", "caution"), False, "P1Y", "2024-08-30", "s.82(2)"),
    ("P4: a community order for a 17-year-old on 2019-08-31 ends on 2022-02-28",
     "2002-01-01", disposal("2019-08-31", "other"), False, "P2Y6M", "2022-02-28", "s.82(2)"),
    ("P5: an 18-month conditional discharge from 2023-01-10 ends on 2024-07-09",
     ADULT, disposal("2023-01-10", "conditional_discharge", months=18), False, "P1Y6M",
     "2024-07-09", "conditional discharge"),
    ("P6: a hospital order from 2020-02-29 ends on 2027-02-28",
     ADULT, disposal("2020-02-29", "hospital_order"), False, "P7Y", "2027-02-28", "hospital"),
    # calendar rule: no corresponding date
    ("One year from 2016-02-29 ends on 2017-02-28",
     "2000-01-01", disposal("2016-02-29", "caution"), False, "P1Y", "2017-02-28", "caution"),
    ("Six months from 2019-08-31 ends on 2020-02-29, the last day of February",
     ADULT, disposal("2019-08-31", "conditional_discharge", months=6), False, "P6M", "2020-02-29",
     "conditional discharge"),
    ("One month from 2019-01-31 ends on 2019-02-28",
     ADULT, disposal("2019-01-31", "conditional_discharge", months=1), False, "P1M", "2019-02-28",
     "conditional discharge"),
    ("One month from 2019-03-31 ends on 2019-04-30, the last day of April",
     ADULT, disposal("2019-03-31", "conditional_discharge", months=1), False, "P1M", "2019-04-30",
     "conditional discharge"),
    ("One month from 2019-03-30 ends on 2019-04-29, the day before 30 April",
     ADULT, disposal("2019-03-30", "conditional_discharge", months=1), False, "P1M", "2019-04-29",
     "conditional discharge"),
    ("Ten years from 2020-01-01 ends on the last day of 2029",
     ADULT, disposal("2020-01-01", months=20), False, "P10Y", "2029-12-31", "s.82(1)"),
]  # fmt: skip


@pytest.mark.parametrize(
    "dob, d, indefinite, length, last_day, words",
    [row[1:] for row in PERIODS],
    ids=[row[0] for row in PERIODS],
)
def test_notification_period(
    dob: str,
    d: dict[str, Any],
    indefinite: bool,
    length: str | None,
    last_day: str | None,
    words: str,
) -> None:
    period = explain(case(d, dob=dob))["notification_period"]
    assert period["indefinite"] is indefinite
    assert period["length"] == length
    assert period["first_day"] == d["date"]
    assert period["last_day"] == last_day
    assert words in period["basis"]
    assert period["basis"].startswith("SOA 2003 s.82(1)")


#: Beyond version 1: detention and training orders, suspended sentences, weeks and days.
EXTENSIONS: list[tuple[str, str, dict[str, Any], bool, str | None, str | None, str]] = [
    ("P2: an 8-month DTO for a 15-year-old counts as 4 months and gives 3 years 6 months",
     "2007-01-01", disposal("2022-09-15", "detention_and_training_order", months=8), False,
     "P3Y6M", "2026-03-14", "s.131(a)"),
    ("A 12-month DTO counts as 6 months' detention: 6 months or less",
     "2007-01-01", disposal("2022-09-15", "detention_and_training_order", months=12), False,
     "P3Y6M", "2026-03-14", "6 months or less"),
    ("A 14-month DTO counts as 7 months' detention: more than 6 months, halved to 5 years",
     "2007-01-01", disposal("2022-09-15", "detention_and_training_order", months=14), False,
     "P5Y", "2027-09-14", "more than 6 months"),
    ("A 24-month DTO counts as 12 months' detention and is never indefinite",
     "2007-01-01", disposal("2022-09-15", "detention_and_training_order", months=24), False,
     "P5Y", "2027-09-14", "more than 6 months"),
    ("A suspended sentence of 20 months counts as imprisonment for 20 months",
     ADULT, disposal(R, months=20, suspended=True), False, "P10Y", "2029-01-31", "s.189(6)"),
    ("A suspended sentence of 6 months counts as imprisonment for 6 months",
     ADULT, disposal(R, months=6, suspended=True), False, "P7Y", "2026-01-31", "6 months or less"),
    ("A term of 25 weeks (175 days) is certainly 6 months or less",
     ADULT, disposal(R, weeks=25), False, "P7Y", "2026-01-31", "6 months or less"),
    ("A term of 27 weeks (189 days) is certainly more than 6 months",
     ADULT, disposal(R, weeks=27), False, "P10Y", "2029-01-31", "more than 6 months"),
    ("A term of 130 weeks (910 days) is certainly less than 30 months",
     ADULT, disposal(R, weeks=130), False, "P10Y", "2029-01-31", "less than 30 months"),
    ("A term of 131 weeks (917 days) is certainly 30 months or more",
     ADULT, disposal(R, weeks=131), True, None, None, "30 months or more"),
    ("A term of 180 days is certainly 6 months or less",
     ADULT, disposal(R, days=180), False, "P7Y", "2026-01-31", "6 months or less"),
    ("A term of 185 days is certainly more than 6 months",
     ADULT, disposal(R, days=185), False, "P10Y", "2029-01-31", "more than 6 months"),
    ("Consecutive terms of 3 and 10 months count as 13 months each (s.82(4))",
     ADULT, disposal(R, months=3, consecutive_group="A"), False, "P10Y", "2029-01-31",
     "s.82(3)-(4)"),
]  # fmt: skip

PARTNERS = {
    "Consecutive terms of 3 and 10 months count as 13 months each (s.82(4))": disposal(
        R, months=10, consecutive_group="A"
    ),
}


@pytest.mark.parametrize(
    "sentence, dob, d, indefinite, length, last_day, words",
    EXTENSIONS,
    ids=[row[0] for row in EXTENSIONS],
)
def test_optional_fields_beyond_version_1(
    sentence: str,
    dob: str,
    d: dict[str, Any],
    indefinite: bool,
    length: str | None,
    last_day: str | None,
    words: str,
) -> None:
    disposals = [d] + ([PARTNERS[sentence]] if sentence in PARTNERS else [])
    period = explain(case(*disposals, dob=dob))["notification_period"]
    assert (period["indefinite"], period["length"], period["last_day"]) == (
        indefinite,
        length,
        last_day,
    )
    assert words in period["basis"]


def test_two_consecutive_terms_of_18_months_make_both_indefinite() -> None:
    data = case(
        disposal("2019-02-01", months=18, consecutive_group="x"),
        disposal("2019-02-01", months=18, consecutive_group="x"),
    )
    period = explain(data)["notification_period"]
    assert period["indefinite"] is True
    assert period["last_day"] is None
    assert "s.82(3)-(4)" in period["basis"]


def test_the_same_terms_without_a_group_give_10_years() -> None:
    data = case(disposal("2019-02-01", months=18), disposal("2019-02-01", months=18))
    assert explain(data)["notification_period"]["length"] == "P10Y"


def test_consecutive_terms_given_on_different_days_each_count_from_their_own_date() -> None:
    data = case(
        disposal("2019-02-01", months=4, consecutive_group="x"),
        disposal("2020-03-01", months=4, consecutive_group="x"),
    )
    period = explain(data)["notification_period"]
    assert period["first_day"] == "2019-02-01"
    assert period["last_day"] == "2030-02-28"  # 8 months in all: 10 years from 2020-03-01
    assert period["length"] == "P10Y"


@pytest.mark.parametrize(
    "field, d",
    [
        ("disposals[0].weeks", disposal(R, weeks=26)),
        ("disposals[0].days", disposal(R, days=182)),
        ("disposals[0].days", disposal(R, days=913)),
    ],
    ids=[
        "A term of 26 weeks may be either side of 6 calendar months and is refused",
        "A term of 182 days may be either side of 6 calendar months and is refused",
        "A term of 913 days may be either side of 30 calendar months and is refused",
    ],
)
def test_a_term_in_days_that_straddles_a_threshold_is_refused(
    field: str, d: dict[str, Any]
) -> None:
    with pytest.raises(CaseError) as caught:
        explain(case(d))
    assert caught.value.field == field
    assert "give the term in months" in caught.value.message


def test_the_explanation_gives_one_sentence_per_step() -> None:
    data = case(
        disposal("2019-02-01", months=20),
        away_periods=({"from": "2019-02-01", "to": "2020-01-31", "reason": "custody"},),
        notifications=({"date": "2020-02-01", "kind": "initial"},),
        as_at="2020-06-01",
    )
    explanation = explain(data)["explanation"]
    assert len(explanation) == 4
    assert all(sentence.endswith(".") and "\n" not in sentence for sentence in explanation)
    assert "10 years" in explanation[0] and "2029-01-31" in explanation[0]
    assert "2021-01-31" in explanation[2]
    assert explanation[3].startswith("As at 2020-06-01 the person is compliant")


def test_the_explanation_of_a_halved_period_says_why() -> None:
    sentence = explain(case(disposal(R, "caution"), dob=AGED_15))["explanation"][0]
    assert "the person was 15" in sentence
    assert (
        "2 years beginning with that date, halved to 1 year as the person was under 18" in sentence
    )
