"""Recording a person as missing and as located: what is refused, and what the figures say."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whereabouts.access.models import AuditEntry
from whereabouts.missing import services
from whereabouts.missing.selectors import missing_figures, person_episodes
from whereabouts.missing.services import NotPermitted
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event

from ..conftest import TODAY


def missing(person: Any, actor: Any, **overrides: Any) -> Event:
    fields = {"recorded_on": "2024-03-10", "missing_since": "2024-03-01",
              "basis": "Not at the address; notification missed", "risk": "high"}
    fields.update(overrides)
    return services.record_missing(person_id=person.pk, actor=actor, today=TODAY, **fields)


def located(person: Any, actor: Any, **overrides: Any) -> Event:
    fields = {"located_on": "2024-04-02", "where": "Dudley bus station", "by": "PC 1234",
              "how_found": "arrest", "outcome": "arrested"}
    fields.update(overrides)
    return services.record_located(person_id=person.pk, actor=actor, today=TODAY, **fields)


def ledger_size() -> tuple[int, int]:
    return Event.objects.count(), AuditEntry.objects.count()


def test_a_supervisor_records_a_person_as_missing_and_an_episode_opens(person, supervisor):
    missing(person, supervisor)
    [episode] = person_episodes(person)
    assert (episode.began_on, episode.missing_since, episode.located_on) == (
        dt.date(2024, 3, 10), dt.date(2024, 3, 1), None)
    assert missing_figures(dt.date(2024, 3, 10))["west-midlands"].missing == 1
    assert missing_figures(dt.date(2024, 3, 9))["west-midlands"].missing == 0


def test_located_closes_the_episode_and_the_earlier_figures_do_not_move(person, supervisor,
                                                                         officer):
    missing(person, supervisor)
    located(person, officer)
    [episode] = person_episodes(person)
    assert (episode.located_on, episode.how_found, episode.outcome) == (
        dt.date(2024, 4, 2), "arrest", "arrested")
    assert missing_figures(dt.date(2024, 4, 1))["west-midlands"].missing == 1
    assert missing_figures(dt.date(2024, 4, 2))["west-midlands"].missing == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"missing_since": "2024-07-01"}, "missing_since", "in the future"),
        ({"missing_since": "2024-03-11"}, "missing_since", "after the date recorded"),
        ({"missing_since": "1970-01-01"}, "missing_since", "before the date of birth"),
        ({"risk": "extreme"}, "details.risk", "must be one of"),
        ({"basis": ""}, "details.basis", "is required"),
        ({"believed_abroad": True, "country": "Spain"}, "abroad_basis", "is required"),
        ({"believed_abroad": True}, "country", "is required"),
        ({"recorded_on": "2024-02-30"}, "recorded_on", "not a real date"),
    ],
    ids=[
        "a missing-since date in the future is refused",
        "a missing-since date after the decision is refused",
        "a missing-since date before birth is refused",
        "an unknown risk level is refused",
        "a decision without a basis is refused",
        "believed abroad without the basis for the belief is refused",
        "believed abroad without a country is refused",
        "an impossible date is refused",
    ],
)
def test_bad_missing_records_are_refused_and_change_nothing(person, supervisor, overrides,
                                                            field, message):
    before = ledger_size()
    with pytest.raises(InvalidInput) as err:
        missing(person, supervisor, **overrides)
    assert (err.value.field, message in err.value.message) == (field, True)
    assert ledger_size() == before


def test_a_second_open_episode_for_the_same_person_is_refused(person, supervisor):
    missing(person, supervisor)
    before = ledger_size()
    with pytest.raises(InvalidInput, match="already recorded as missing"):
        missing(person, supervisor, recorded_on="2024-03-20")
    assert ledger_size() == before


def test_a_located_date_before_the_episode_began_is_refused(person, supervisor):
    missing(person, supervisor)
    before = ledger_size()
    with pytest.raises(InvalidInput) as err:
        located(person, supervisor, located_on="2024-03-09")
    assert err.value.field == "located_on"
    assert ledger_size() == before


@pytest.mark.parametrize("field", ["outcome", "how_found", "where", "by"])
def test_closing_without_an_outcome_or_its_facts_is_refused(person, supervisor, field):
    missing(person, supervisor)
    before = ledger_size()
    with pytest.raises(InvalidInput) as err:
        located(person, supervisor, **{field: ""})
    assert err.value.field == f"details.{field}"
    assert ledger_size() == before


def test_locating_someone_who_is_not_missing_is_refused(person, supervisor):
    with pytest.raises(InvalidInput, match="not recorded as missing"):
        located(person, supervisor)


def test_only_a_supervisor_of_the_persons_force_records_someone_as_missing(person, officer,
                                                                           make_user):
    before = ledger_size()
    for actor in (officer, make_user("sup.staffs", "supervisor", force="staffordshire"),
                  make_user("analyst", "analyst")):
        with pytest.raises(NotPermitted):
            missing(person, actor)
    assert ledger_size() == before


def test_a_mistaken_episode_is_withdrawn_not_deleted(person, supervisor, officer):
    missing(person, supervisor)
    located(person, officer)
    with pytest.raises(InvalidInput, match="reason"):
        services.withdraw_episode(person_id=person.pk, reason=" ", actor=supervisor, today=TODAY)
    services.withdraw_episode(person_id=person.pk, reason="Wrong person: PNC mismatch",
                              actor=supervisor, today=TODAY)
    assert person_episodes(person) == []
    assert missing_figures(dt.date(2024, 3, 15))["west-midlands"].missing == 0
    assert Event.objects.filter(person=person, kind="missing.recorded").exists()
    # and a new episode can be opened afterwards
    missing(person, supervisor, recorded_on="2024-05-01", missing_since="2024-04-20")
    assert len(person_episodes(person)) == 1


def test_figures_count_years_missing_and_those_believed_abroad(make_person, supervisor):
    long_gone, abroad = make_person(), make_person()
    missing(long_gone, supervisor, recorded_on="2012-02-01", missing_since="2012-01-10")
    missing(abroad, supervisor, believed_abroad=True, country="Poland",
            abroad_basis="Travel notified to Krakow, did not return")
    figures = missing_figures(dt.date(2024, 6, 1))["west-midlands"]
    assert (figures.missing, figures.believed_abroad, figures.begun_in_year) == (2, 1, 1)
    assert (figures.over_1_year, figures.over_5_years, figures.over_10_years) == (1, 1, 1)
    assert figures.earliest_began == dt.date(2012, 2, 1)
    region = missing_figures(dt.date(2024, 6, 1), by="region")
    assert region["West Midlands"].missing == 2 and region["London"].missing == 0


def test_the_figures_command_prints_counts_and_never_a_name(person, supervisor, capsys):
    from whereabouts.cli.main import main

    missing(person, supervisor)
    assert main(["missing", "figures", "--as-at", "2024-06-01", "--by", "region"]) == 0
    out = capsys.readouterr().out
    assert "West Midlands" in out and " 1 " in out
    assert person.family_name not in out and person.reference not in out


def test_time_to_notice_and_to_locate_are_summarised_per_force(make_person, supervisor):
    from whereabouts.missing.selectors import Distribution, time_to_notice_and_locate

    people = [make_person() for _ in range(3)]
    for person, since in zip(people, ["2024-02-20", "2024-02-01", "2024-01-01"], strict=True):
        missing(person, supervisor, missing_since=since)  # recorded 2024-03-10
    located(people[0], supervisor, located_on="2024-03-20")
    table = time_to_notice_and_locate(dt.date(2024, 1, 1), dt.date(2024, 6, 1))
    notice, locate = table["west-midlands"]
    assert (notice.count, notice.median, notice.longest) == (3, 38, 69)  # 19, 38 and 69 days
    assert locate == Distribution(1, 10, 10.0, 10, (0, 1, 0, 0, 0, 0))  # 10 days: 8 to 30
    assert notice.buckets == (0, 1, 2, 0, 0, 0)  # 19 and 38 days
    assert table["staffordshire"] == (Distribution(0, None, None, None),) * 2
    before_locate = time_to_notice_and_locate(dt.date(2024, 1, 1), dt.date(2024, 3, 15))
    assert before_locate["west-midlands"][1].count == 0


def test_the_times_command_prints_counts_and_days_only(person, supervisor, capsys):
    from whereabouts.cli.main import main

    missing(person, supervisor)
    assert main(["missing-times", "--from", "2024-01-01", "--to", "2024-06-01"]) == 0
    out = capsys.readouterr().out
    assert "west-midlands" in out and person.reference not in out
    assert main(["missing-times", "--from", "2024-06-01", "--to", "2024-01-01"]) == 2


@pytest.mark.parametrize(("days", "bucket"), [
    pytest.param(0, "up to a week", id="noticed the same day falls in the first week"),
    pytest.param(7, "up to a week", id="seven days is still within a week"),
    pytest.param(8, "8 to 30 days", id="eight days is past the first week"),
    pytest.param(30, "8 to 30 days", id="thirty days is the end of the second range"),
    pytest.param(31, "31 to 90 days", id="thirty-one days starts the third range"),
    pytest.param(365, "91 days to a year", id="a year of days is still within a year"),
    pytest.param(366, "1 to 5 years", id="a day over a year starts the years"),
    pytest.param(5 * 365 + 2, "over 5 years", id="past five years is the last range"),
])
def test_each_day_count_is_drawn_in_one_range(days, bucket):
    from whereabouts.missing.selectors import BUCKETS, Distribution

    bars = Distribution.of([days]).bars()
    assert [label for label, n, _ in bars if n] == [bucket]
    assert [pct for label, _, pct in bars if label == bucket] == [100]
    assert len(bars) == len(BUCKETS)
