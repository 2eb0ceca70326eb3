"""Duplicate identities: the register matched against itself on real Splink runs, the pairs
kept once, decided once, and a merge that loses neither record's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whereabouts.access import audit
from whereabouts.access.models import AuditEntry
from whereabouts.cli.main import main
from whereabouts.compliance.models import Task, TaskState
from whereabouts.compliance.periods import status_counts_as_at
from whereabouts.compliance.sweep import run_sweep
from whereabouts.linkage import duplicates
from whereabouts.linkage.models import DuplicateRun, DuplicateStatus, DuplicateSuggestion
from whereabouts.missing import services as missing
from whereabouts.register import services
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Address, Alias, Disposal, Event
from whereabouts.register.recording import NotPermitted

from ..conftest import TODAY
from . import dupes
from .dupes import pair


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return make_user("sup.wm", "supervisor")


@pytest.fixture
def register(make_person: Any, make_user: Any) -> dupes.Register:
    return dupes.build(make_person, make_user)


@pytest.fixture
def found(register: dupes.Register, supervisor: Any) -> dict[tuple[int, int], Any]:
    duplicates.find_duplicates(actor=supervisor, today=TODAY)
    return {(s.person_a_id, s.person_b_id): s for s in DuplicateSuggestion.objects.all()}


def test_the_known_duplicates_are_suggested_across_forces(register, found) -> None:
    for a, b in register.duplicates:
        assert pair(a, b) in found, f"{a.full_name} / {b.full_name} not suggested"
        assert found[pair(a, b)].match_probability >= 0.9


@pytest.mark.parametrize("case", [
    "Two men called Paul Taylor born fifteen years apart are not one person",
    "Two people born on the same day with other names and addresses are not one person",
    "Brothers with the same surname and year of birth are not one person",
])
def test_people_who_only_look_alike_are_not_suggested(register, found, case) -> None:
    index = ["Paul Taylor", "same day", "Brothers"]
    a, b = register.distinct[[i for i, key in enumerate(index) if key in case][0]]
    assert pair(a, b) not in found


def test_nothing_else_is_suggested_but_the_twins_at_one_address(register, found) -> None:
    expected = {pair(a, b) for a, b in register.duplicates} | {pair(*register.twins)}
    assert set(found) == expected


def test_a_suggestion_is_one_unordered_pair_of_two_people_explained(register, found) -> None:
    smith, smyth = register.duplicates[0]
    s = found[pair(smith, smyth)]
    assert s.person_a_id < s.person_b_id
    texts = {i["field"]: i["text"] for i in s.explanation}
    assert texts["forename"] == "first names are forms of the same name (ROBERT / BOB)"
    assert texts["surname"] == "family name is spelt slightly differently (SMITH / SMYTH)"
    assert texts["ni"] == "National Insurance number agrees (QQ123456A)"
    price, hollis = register.duplicates[1]
    assert found[pair(price, hollis)].matched_names == "KAREN HOLLIS / KAREN HOLLIS"
    walsh = {i["field"]: i for i in found[pair(*register.duplicates[2])].explanation}
    assert walsh["dob"]["level"] == "transposed" and walsh["dob"]["weight"] > 0


def test_the_run_is_recorded_and_audited(register, found, supervisor) -> None:
    run = DuplicateRun.objects.get()
    assert (run.run_by, run.splink_version, run.engine) == (supervisor, "5.0.0", "duckdb")
    assert run.people == len(register.everyone)
    assert run.suggestions_made == 4 and run.pairs_scored >= 4 and run.seconds > 0
    assert run.settings_json["link_type"] == "dedupe_only"
    assert "m values not trained" in run.notes
    entry = AuditEntry.objects.filter(action="combination").latest("id")
    assert "duplicate identities" in entry.what and entry.actor == supervisor
    assert set(entry.listed_ids()) == {p for key in found for p in key}


def test_a_second_run_suggests_no_pair_again_and_never_a_decided_one(register, found,
                                                                      supervisor) -> None:
    twins = found[pair(*register.twins)]
    duplicates.mark_distinct(suggestion_id=twins.pk, actor=supervisor, session={},
                             reason="Twin brothers; PNC photographs differ")
    run = duplicates.find_duplicates(actor=supervisor, today=TODAY)
    assert (run.suggestions_made, run.pairs_skipped) == (0, 4)
    assert DuplicateSuggestion.objects.count() == 4
    assert DuplicateSuggestion.objects.get(pk=twins.pk).status == DuplicateStatus.DISTINCT


def test_only_those_who_may_decide_can_run_it(register, officer) -> None:
    with pytest.raises(NotPermitted):
        duplicates.find_duplicates(actor=officer, today=TODAY)
    assert not DuplicateRun.objects.exists()


@pytest.mark.parametrize("threshold", [0.2, 1.0, True])
def test_a_threshold_outside_half_to_one_is_refused_naming_it(register, supervisor,
                                                              threshold) -> None:
    with pytest.raises(InvalidInput) as err:
        duplicates.find_duplicates(actor=supervisor, today=TODAY, threshold=threshold)
    assert err.value.field == "threshold"
    assert not DuplicateRun.objects.exists()


def test_the_command_runs_it_by_a_user_and_says_what_it_did(register, supervisor,
                                                            capsys) -> None:
    assert main(["duplicates", "find", "--by", "sup.wm"]) == 0
    out = capsys.readouterr().out
    assert "Splink 5.0.0, duckdb" in out and "4 suggested, 0 already" in out
    assert main(["duplicates", "find", "--by", "om.one"]) == 1
    assert "may not look for duplicate identities" in capsys.readouterr().err
    assert main(["duplicates", "find", "--by", "nobody"]) == 1
    assert "no user 'nobody'" in capsys.readouterr().err


# -- merging ---------------------------------------------------------------------------------


def session_with_reasons(*people: Any) -> dict[str, Any]:
    """A session in which the user gave a reason to open each of ``people``."""
    from whereabouts.access.policy import SESSION_KEY

    return {SESSION_KEY: {str(p.pk): "Sighting or lead: duplicate identity" for p in people}}


def ledger_rows(*people: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every ledger row of ``people``, as it stands."""
    ids = [p.pk for p in people]
    return {
        "events": list(Event.objects.filter(person_id__in=ids).order_by("id").values_list(
            "id", "person_id", "kind", "effective_date", "details", "reason")),
        "addresses": list(Address.objects.filter(person_id__in=ids).order_by("id")
                          .values_list("id", "person_id", "line1", "postcode", "from_date")),
        "aliases": list(Alias.objects.filter(person_id__in=ids).order_by("id")
                        .values_list("id", "person_id", "family_name", "given_names")),
        "disposals": list(Disposal.objects.filter(person_id__in=ids).order_by("id")
                          .values_list("id", "person_id", "relevant_date", "kind")),
    }


def registered_by_force(as_at: dt.date) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in status_counts_as_at(as_at, as_at):
        out[row.force] = out.get(row.force, 0) + row.people
    return out


def merge_smyth_into_smith(register: Any, found: Any, supervisor: Any) -> Any:
    smith, smyth = register.duplicates[0]
    return duplicates.merge(suggestion_id=found[pair(smith, smyth)].pk, survivor_id=smith.pk,
                            reason="Same PNC ID; registered again in Staffordshire",
                            actor=supervisor, session=session_with_reasons(smyth),
                            today=TODAY)


def test_a_merge_keeps_every_row_of_both_ledgers_and_links_them(register, found,
                                                                supervisor) -> None:
    smith, smyth = register.duplicates[0]
    before = ledger_rows(smith, smyth)
    result = merge_smyth_into_smith(register, found, supervisor)
    after = ledger_rows(smith, smyth)
    for table in ("addresses", "aliases", "disposals"):
        assert after[table] == before[table]
    assert after["events"][:len(before["events"])] == before["events"]
    new = after["events"][len(before["events"]):]
    assert [(pid, kind) for _, pid, kind, *_ in new] == [(smyth.pk, "merged.into"),
                                                          (smith.pk, "merged.from")]
    assert result.merged_entry.details["survivor_reference"] == smith.reference
    assert result.survivor_entry.details["merged_reference"] == smyth.reference
    assert result.merged_entry.reason == "Same PNC ID; registered again in Staffordshire"
    s = DuplicateSuggestion.objects.get(pk=found[pair(smith, smyth)].pk)
    assert (s.status, s.survivor_id, s.merged_on, s.decided_by) == (
        "merged", smith.pk, TODAY, supervisor)
    assert services.merged_into(smyth.pk)["survivor"] == smith.pk
    assert services.merges_into(smith.pk)[0]["merged"] == smyth.pk
    assert audit.verify().ok
    assert AuditEntry.objects.filter(person_id=smyth.pk, action="alteration",
                                     what__contains="merged").exists()


def test_a_merged_record_takes_no_further_entry(register, found, supervisor) -> None:
    smith, smyth = register.duplicates[0]
    merge_smyth_into_smith(register, found, supervisor)
    count = Event.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.event_record(person_id=smyth.pk, kind="notification.periodic",
                              effective_date=TODAY, today=TODAY, recorded_by=None,
                              source="test")
    assert err.value.field == "person" and smith.reference in err.value.message
    assert Event.objects.count() == count


def test_figures_count_one_person_from_the_merge_date_and_none_change_before(
        register, found, supervisor) -> None:
    day_before = TODAY - dt.timedelta(days=1)
    earlier = dt.date(2023, 6, 1)
    before = {d: registered_by_force(d) for d in (earlier, day_before, TODAY)}
    merge_smyth_into_smith(register, found, supervisor)
    assert registered_by_force(earlier) == before[earlier]
    assert registered_by_force(day_before) == before[day_before]
    now = registered_by_force(TODAY)
    assert now["staffordshire"] == before[TODAY]["staffordshire"] - 1
    assert now["west-midlands"] == before[TODAY]["west-midlands"]


def test_the_merged_records_open_tasks_are_closed_with_the_merge_and_not_reopened(
        register, found, supervisor) -> None:
    smith, smyth = register.duplicates[0]
    run_sweep(TODAY, workers=1)
    open_before = list(Task.objects.filter(person=smyth, state=TaskState.OPEN))
    assert open_before, "the Staffordshire record is overdue: the sweep opened a task"
    result = merge_smyth_into_smith(register, found, supervisor)
    assert sorted(result.tasks_closed) == sorted(t.pk for t in open_before)
    assert all(f"{t.pk}: {t.title}" in result.merged_entry.details["tasks_closed"]
               for t in open_before)
    assert not Task.objects.filter(person=smyth, state=TaskState.OPEN).exists()
    run_sweep(TODAY + dt.timedelta(days=1), workers=1)
    assert not Task.objects.filter(person=smyth, state=TaskState.OPEN).exists()
    smyth.refresh_from_db()
    assert smyth.compliance_status.compliance == "merged"


def test_a_record_with_an_open_missing_episode_cannot_be_merged_away(register, found,
                                                                     supervisor,
                                                                     make_user) -> None:
    smith, smyth = register.duplicates[0]
    staffs = make_user("sup.staffs", "supervisor", "staffordshire")
    missing.record_missing(person_id=smyth.pk, recorded_on="2024-05-20",
                           missing_since="2024-05-10", basis="Not at his address",
                           risk="high", actor=staffs, today=TODAY)
    count = Event.objects.count()
    with pytest.raises(InvalidInput) as err:
        merge_smyth_into_smith(register, found, supervisor)
    assert err.value.field == "survivor"
    assert "open missing episode (recorded missing on 20 May 2024)" in err.value.message
    assert Event.objects.count() == count
    assert DuplicateSuggestion.objects.get(pk=found[pair(smith, smyth)].pk).status == "open"
    # Keeping the missing record as the survivor is allowed.
    result = duplicates.merge(suggestion_id=found[pair(smith, smyth)].pk,
                              survivor_id=smyth.pk, reason="Same person; keep the episode",
                              actor=supervisor, session=session_with_reasons(smyth),
                              today=TODAY)
    assert result.merged == smith


@pytest.mark.parametrize("case,change,field", [
    ("A merge without a reason is refused", {"reason": "  "}, "reason"),
    ("A survivor outside the pair is refused", {"survivor": "other"}, "survivor"),
])
def test_bad_merge_input_is_refused_naming_the_field_and_changes_nothing(
        register, found, supervisor, case, change, field) -> None:
    smith, smyth = register.duplicates[0]
    count, audits = Event.objects.count(), AuditEntry.objects.count()
    survivor = register.everyone[-1].pk if change.get("survivor") else smith.pk
    with pytest.raises(InvalidInput) as err:
        duplicates.merge(suggestion_id=found[pair(smith, smyth)].pk, survivor_id=survivor,
                         reason=change.get("reason", "Same person"), actor=supervisor,
                         session=session_with_reasons(smyth), today=TODAY)
    assert err.value.field == field
    assert (Event.objects.count(), AuditEntry.objects.count()) == (count, audits)
    assert DuplicateSuggestion.objects.get(pk=found[pair(smith, smyth)].pk).status == "open"


def test_a_record_cannot_be_merged_into_itself(register, supervisor) -> None:
    smith = register.duplicates[0][0]
    count = Event.objects.count()
    with pytest.raises(InvalidInput) as err:
        duplicates.merge_records(merged_id=smith.pk, survivor_id=smith.pk, reason="Same",
                                 actor=supervisor, session={}, today=TODAY)
    assert err.value.field == "survivor" and "into itself" in err.value.message
    assert Event.objects.count() == count


def test_a_pair_is_decided_once(register, found, supervisor) -> None:
    twins = found[pair(*register.twins)]
    duplicates.mark_distinct(suggestion_id=twins.pk, actor=supervisor, session={},
                             reason="Twins")
    count = Event.objects.count()
    for decide in (
        lambda: duplicates.mark_distinct(suggestion_id=twins.pk, actor=supervisor,
                                         session={}),
        lambda: duplicates.merge(suggestion_id=twins.pk, survivor_id=twins.person_a_id,
                                 reason="Same", actor=supervisor, session={}, today=TODAY),
    ):
        with pytest.raises(InvalidInput) as err:
            decide()
        assert err.value.field == "suggestion" and "marked distinct by sup.wm" in \
            err.value.message
    assert Event.objects.count() == count
    marked = DuplicateSuggestion.objects.get(pk=twins.pk)
    assert (marked.decision_reason, marked.decided_by) == ("Twins", supervisor)


def test_without_a_reason_for_the_other_forces_record_the_pair_is_not_found(
        register, found, supervisor) -> None:
    smith, smyth = register.duplicates[0]
    with pytest.raises(NotPermitted):
        duplicates.merge(suggestion_id=found[pair(smith, smyth)].pk, survivor_id=smith.pk,
                         reason="Same", actor=supervisor, session={}, today=TODAY)
    assert pair(smith, smyth) not in {(s.person_a_id, s.person_b_id) for s in
                                      duplicates.suggestions_for(supervisor, {})}
    half = duplicates.half_visible_for(supervisor, {})
    assert [(ours, other) for s, ours, other in half
            if (s.person_a_id, s.person_b_id) == pair(smith, smyth)] == [(smith, smyth.pk)]


def test_an_offender_manager_may_not_decide(register, found, officer) -> None:
    twins = found[pair(*register.twins)]
    with pytest.raises(NotPermitted):
        duplicates.mark_distinct(suggestion_id=twins.pk, actor=officer, session={})
    assert not duplicates.suggestions_for(officer, {}).exists()
