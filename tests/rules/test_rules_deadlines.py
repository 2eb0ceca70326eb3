"""The next notification due (SOA 2003 ss.83 and 85), with days away and no fixed abode."""

from __future__ import annotations

from typing import Any

import pytest

from .builders import away, case, disposal, explain, notified


def next_due(data: dict[str, Any], pack: str = "england_wales") -> dict[str, Any] | None:
    due: dict[str, Any] | None = explain(data, pack)["next_due"]
    return due


#: (sentence, case, kind, last day, words in the basis)
DEADLINES: list[tuple[str, dict[str, Any], str, str, str]] = [
    ("D1: convicted on Monday 2024-03-04 and not in custody, the initial is due by 2024-03-06",
     case(disposal("2024-03-04", months=20)), "initial", "2024-03-06", "SOA 2003 s.83(1)"),
    ("D2: in custody from conviction to 2020-01-31, the initial is due by 2020-02-03",
     case(disposal("2019-02-01", months=20), away_periods=(away("2019-02-01", "2020-01-31"),)),
     "initial", "2020-02-03", "SOA 2003 s.83(1), (6)"),
    ("D3: after a periodic notification on 2023-05-10 the next is due by 2024-05-09",
     case(disposal("2023-01-01", months=20), notifications=(notified("2023-05-10"),)),
     "periodic", "2024-05-09", "SOA 2003 s.85(1)"),
    ("D4: after a notification giving no fixed abode on 2024-01-10 the next is due by 2024-01-16",
     case(disposal("2023-01-01", months=20),
          notifications=(notified("2024-01-10", "change", nfa=True),)),
     "periodic", "2024-01-16", "SI 2012/1876"),
    ("D5: a year ending on 2023-05-31 while abroad to 2023-06-05 runs on to 2023-06-08",
     case(disposal("2022-01-01", months=20), notifications=(notified("2022-06-01"),),
          away_periods=(away("2023-05-20", "2023-06-05", "abroad"),)),
     "periodic", "2023-06-08", "SOA 2003 s.85(1), (3)-(4)"),
    ("D6: after a notification on 2024-03-01 the next is due by 2025-02-28",
     case(disposal("2023-01-01", months=20), notifications=(notified("2024-03-01", "change"),)),
     "periodic", "2025-02-28", "s.85(1)"),
    ("D6: after a notification on 2024-02-28 the next is due by 2025-02-27",
     case(disposal("2023-01-01", months=20), notifications=(notified("2024-02-28", "change"),)),
     "periodic", "2025-02-27", "s.85(1)"),
    ("D7: after a notification on 2024-02-29 the next is due by 2025-02-28",
     case(disposal("2023-01-01", months=20), notifications=(notified("2024-02-29"),)),
     "periodic", "2025-02-28", "s.85(1)"),
    ("Adjacent custody and hospital periods are merged before counting the initial 3 days",
     case(disposal("2020-01-01", months=20),
          away_periods=(away("2020-01-01", "2020-01-10"),
                        away("2020-01-11", "2020-01-20", "hospital"))),
     "initial", "2020-01-23", "(6)"),
    ("Overlapping custody and abroad periods are merged before counting the initial 3 days",
     case(disposal("2020-01-01", months=20),
          away_periods=(away("2020-01-10", "2020-01-20", "abroad"),
                        away("2020-01-01", "2020-01-15"))),
     "initial", "2020-01-23", "(6)"),
    ("A single day back between two periods away counts as one of the 3 days",
     case(disposal("2020-01-01", months=20),
          away_periods=(away("2020-01-01", "2020-01-10"),
                        away("2020-01-12", "2020-01-20", "abroad"))),
     "initial", "2020-01-22", "(6)"),
    ("Days away before the relevant date do not delay the initial notification",
     case(disposal("2020-01-05", months=20), away_periods=(away("2019-12-01", "2020-01-04"),)),
     "initial", "2020-01-07", "SOA 2003 s.83(1)"),
    ("A year ending inside adjacent periods away runs on to 3 days after the last of them",
     case(disposal("2022-01-01", months=20), notifications=(notified("2022-06-01"),),
          away_periods=(away("2023-05-01", "2023-05-31"),
                        away("2023-06-01", "2023-06-10", "hospital"))),
     "periodic", "2023-06-13", "(3)-(4)"),
    ("A year ending on the first day away runs on",
     case(disposal("2022-01-01", months=20), notifications=(notified("2022-06-01"),),
          away_periods=(away("2023-05-31", "2023-06-02", "abroad"),)),
     "periodic", "2023-06-05", "(3)-(4)"),
    ("A year ending on the last day away runs on to that day plus 3",
     case(disposal("2022-01-01", months=20), notifications=(notified("2022-06-01"),),
          away_periods=(away("2023-05-01", "2023-05-31", "abroad"),)),
     "periodic", "2023-06-03", "(3)-(4)"),
    ("A year ending the day after the person returns does not run on",
     case(disposal("2022-01-01", months=20), notifications=(notified("2022-06-01"),),
          away_periods=(away("2023-05-01", "2023-05-30", "abroad"),)),
     "periodic", "2023-05-31", "SOA 2003 s.85(1)"),
    ("The 3 days after a period away skip a second period away",
     case(disposal("2022-01-01", months=20), notifications=(notified("2022-06-01"),),
          away_periods=(away("2023-05-20", "2023-06-05", "abroad"),
                        away("2023-06-07", "2023-06-09"))),
     "periodic", "2023-06-11", "(3)-(4)"),
    ("A weekly deadline that falls while away runs on too",
     case(disposal("2023-01-01", months=20), notifications=(notified("2024-01-10", nfa=True),),
          away_periods=(away("2024-01-15", "2024-01-20"),)),
     "periodic", "2024-01-23", "(3)-(4)"),
    ("A notification before the latest relevant date leaves the initial notification due",
     case(disposal("2020-03-01", months=20), notifications=(notified("2020-02-28", "initial"),)),
     "initial", "2020-03-03", "s.83(1)"),
    ("A notification on the relevant date itself is enough: the periodic clock starts",
     case(disposal("2020-03-01", months=20), notifications=(notified("2020-03-01", "initial"),)),
     "periodic", "2021-02-28", "s.85(1)"),
    ("A change notification restarts the periodic clock",
     case(disposal("2020-03-01", months=20),
          notifications=(notified("2020-03-02", "initial"), notified("2020-09-15", "change"))),
     "periodic", "2021-09-14", "s.85(1)"),
    ("The latest notification counts, whatever order the notifications are listed in",
     case(disposal("2020-03-01", months=20),
          notifications=(notified("2020-09-15", "change"), notified("2020-03-02", "initial"))),
     "periodic", "2021-09-14", "s.85(1)"),
    ("An earlier no-fixed-abode notification no longer counts once a later one gives an address",
     case(disposal("2020-03-01", months=20),
          notifications=(notified("2020-03-02", "initial", nfa=True),
                         notified("2020-03-05", "change"))),
     "periodic", "2021-03-04", "SOA 2003 s.85(1)"),
    ("Two notifications on the same day, one giving no fixed abode, mean weekly notification",
     case(disposal("2020-03-01", months=20),
          notifications=(notified("2020-03-05", "change", nfa=True),
                         notified("2020-03-05", "periodic"))),
     "periodic", "2020-03-11", "SI 2012/1876"),
    ("The initial notification is counted from the latest of several relevant dates",
     case(disposal("2018-01-01", months=20), disposal("2021-06-01", "caution"),
          notifications=(notified("2018-01-02", "initial"),)),
     "initial", "2021-06-03", "s.83(1)"),
]  # fmt: skip


@pytest.mark.parametrize(
    "data, kind, last_day, words", [row[1:] for row in DEADLINES], ids=[row[0] for row in DEADLINES]
)
def test_next_notification_due(data: dict[str, Any], kind: str, last_day: str, words: str) -> None:
    due = next_due(data)
    assert due is not None
    assert (due["kind"], due["last_day"]) == (kind, last_day)
    assert words in due["basis"]


def test_next_due_does_not_depend_on_as_at() -> None:
    answers = {
        as_at: next_due(case(disposal("2023-01-01", months=20), as_at=as_at,
                             notifications=(notified("2023-05-10"),)))
        for as_at in ("2023-05-10", "2024-05-09", "2030-01-01")
    }  # fmt: skip
    assert len({str(a) for a in answers.values()}) == 1


class TestNoneDueAtTheEnd:
    """next_due is null when the requirement ends before the next notification's last day."""

    def test_a_year_that_would_end_after_the_period_leaves_nothing_due(self) -> None:
        data = case(disposal("2019-02-01", "caution"), notifications=(notified("2020-03-01"),))
        assert explain(data)["notification_period"]["last_day"] == "2021-01-31"
        assert next_due(data) is None

    def test_a_year_ending_on_the_last_day_of_the_period_is_still_due(self) -> None:
        data = case(disposal("2019-02-01", "caution"), notifications=(notified("2020-02-01"),))
        due = next_due(data)
        assert due is not None and due["last_day"] == "2021-01-31"

    def test_an_initial_notification_that_would_fall_after_the_period_is_not_due(self) -> None:
        data = case(
            disposal("2019-02-01", "caution"),
            dob="2003-06-15",
            away_periods=(away("2019-02-01", "2020-02-10"),),
        )
        assert explain(data)["notification_period"]["last_day"] == "2020-01-31"
        assert next_due(data) is None

    def test_an_indefinite_requirement_always_has_a_next_notification(self) -> None:
        data = case(disposal("2019-02-01", life=True), notifications=(notified("2090-01-01"),))
        due = next_due(data)
        assert due is not None and due["last_day"] == "2090-12-31"


class TestTheLawInForceOnTheDay:
    """The england_wales pack applies today's rules to every date (the contract); the
    england_wales_in_force pack applies each dated rule as in force on the event's date."""

    NFA_2010 = case(
        disposal("2009-01-01", months=20),
        notifications=(notified("2010-03-01", "change", nfa=True),),
    )

    def test_the_contract_applies_weekly_notification_to_a_no_fixed_abode_notice_of_2010(
        self,
    ) -> None:
        due = next_due(self.NFA_2010)
        assert due is not None and due["last_day"] == "2010-03-07"
        assert "weekly rule came into force on 2012-08-13" in " ".join(
            explain(self.NFA_2010)["explanation"]
        )

    def test_the_law_of_the_day_gives_a_year_before_13_august_2012(self) -> None:
        due = next_due(self.NFA_2010, "england_wales_in_force")
        assert due is not None and due["last_day"] == "2011-02-28"
        assert due["basis"] == "SOA 2003 s.85(1)"

    def test_the_law_of_the_day_gives_7_days_from_13_august_2012(self) -> None:
        data = case(disposal("2009-01-01", months=20),
                    notifications=(notified("2012-08-13", "change", nfa=True),))  # fmt: skip
        due = next_due(data, "england_wales_in_force")
        assert due is not None and due["last_day"] == "2012-08-19"

    def test_an_initial_notification_for_a_1999_conviction_counts_from_1_may_2004(self) -> None:
        data = case(disposal("1999-06-01", life=True), as_at="2004-05-02")
        in_force = next_due(data, "england_wales_in_force")
        assert in_force is not None and in_force["last_day"] == "2004-05-03"
        contract = next_due(data)
        assert contract is not None and contract["last_day"] == "1999-06-03"


class TestWaiverOfASecondInitialNotification:
    """s.83(2), applied only when the case asks for it (``apply_s83_waiver``)."""

    @staticmethod
    def second_conviction(**extra: Any) -> dict[str, Any]:
        return case(
            disposal("2019-02-01", months=20),
            disposal("2023-03-01", "caution"),
            notifications=(notified("2019-02-02", "initial"), notified("2022-06-01")),
            as_at="2023-04-01",
            **extra,
        )

    def test_without_the_field_the_contract_asks_for_an_initial_notification(self) -> None:
        due = next_due(self.second_conviction())
        assert due == {"kind": "initial", "last_day": "2023-03-03", "basis": "SOA 2003 s.83(1)"}

    def test_with_the_field_false_nothing_changes(self) -> None:
        assert next_due(self.second_conviction(apply_s83_waiver=False))["kind"] == "initial"  # type: ignore[index]

    def test_someone_already_subject_and_notified_needs_no_second_initial(self) -> None:
        data = self.second_conviction(apply_s83_waiver=True)
        due = next_due(data)
        assert due == {"kind": "periodic", "last_day": "2023-05-31", "basis": "SOA 2003 s.85(1)"}
        assert "s.83(2)" in " ".join(explain(data)["explanation"])
        assert explain(data)["compliance"] == "compliant"

    def test_no_waiver_when_the_earlier_requirement_ends_within_the_3_days(self) -> None:
        data = case(
            disposal("2021-03-02", "caution"),  # ends 2023-03-01
            disposal("2023-03-01", "caution"),
            notifications=(notified("2021-03-02", "initial"),),
            apply_s83_waiver=True,
        )
        assert next_due(data)["kind"] == "initial"  # type: ignore[index]

    def test_no_waiver_without_an_initial_notification_for_the_earlier_event(self) -> None:
        data = case(
            disposal("2019-02-01", months=20),
            disposal("2023-03-01", "caution"),
            notifications=(notified("2022-06-01", "periodic"),),
            apply_s83_waiver=True,
        )
        assert next_due(data)["kind"] == "initial"  # type: ignore[index]

    def test_no_waiver_when_the_only_initial_notification_predates_the_earlier_event(self) -> None:
        data = case(
            disposal("2019-02-01", months=20),
            disposal("2023-03-01", "caution"),
            notifications=(notified("2019-01-15", "initial"),),
            apply_s83_waiver=True,
        )
        assert next_due(data)["kind"] == "initial"  # type: ignore[index]
