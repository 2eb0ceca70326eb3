"""The sweep: statuses from the ledger, tasks for missed deadlines, idempotent and atomic."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whereabouts.compliance import sweep as sweep_module
from whereabouts.compliance.models import ComplianceStatus, SweepRun, Task, TaskState
from whereabouts.compliance.sweep import run_sweep, status_from_case
from whereabouts.register import services
from whereabouts.register.selectors import ledger_case
from whereabouts.register.services import DisposalInput

from ..conftest import TODAY


def record(person: Any, kind: str, when: str, **kwargs: Any) -> None:
    services.event_record(person_id=person.pk, kind=kind, effective_date=when, today=TODAY,
                          recorded_by=None, source="test", **kwargs)


@pytest.fixture
def register(make_person: Any) -> dict[str, Any]:
    """Four people: compliant, overdue, in custody, and with an ended requirement."""
    compliant = make_person()
    record(compliant, "disposal", "2019-02-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="other"))
    record(compliant, "notification.initial", "2019-02-02")
    record(compliant, "notification.periodic", "2020-01-30")
    overdue = make_person()
    record(overdue, "disposal", "2018-06-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=40))
    record(overdue, "notification.initial", "2018-06-01")
    away = make_person()
    record(away, "disposal", "2020-01-06",
           disposal=DisposalInput(offence="SOA 2003 s.1", kind="imprisonment", life=True))
    record(away, "custody.start", "2020-01-06")
    ended = make_person()
    record(ended, "disposal", "2010-01-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="caution"))
    record(ended, "notification.initial", "2010-01-01")
    return {"compliant": compliant, "overdue": overdue, "away": away, "ended": ended}


def statuses() -> dict[int, tuple[Any, ...]]:
    return {
        row[0]: row[1:]
        for row in ComplianceStatus.objects.values_list(
            "person_id", *sweep_module.FIELDS).order_by("person_id")
    }


def tasks() -> list[tuple[Any, ...]]:
    return list(Task.objects.values_list("person_id", "kind", "due_kind", "due_last_day",
                                         "state", "assigned_to_id").order_by("pk"))


def test_the_sweep_records_each_persons_status_as_at_the_date(register):
    result = run_sweep(dt.date(2020, 6, 1))
    assert result.people == 4
    got = {p.pk: ComplianceStatus.objects.get(person=p).compliance
           for p in register.values()}
    assert got == {
        register["compliant"].pk: "compliant",
        register["overdue"].pk: "overdue",
        register["away"].pk: "away",
        register["ended"].pk: "ended",
    }
    assert ComplianceStatus.objects.get(person=register["compliant"]).next_due_last_day == \
        dt.date(2021, 1, 29)


def test_an_overdue_notification_opens_one_task_for_the_offender_manager(register):
    run_sweep(dt.date(2020, 6, 1))
    overdue = register["overdue"]
    task = Task.objects.get(person=overdue)
    assert task.state == TaskState.OPEN
    assert task.due_kind == "periodic"
    assert task.due_last_day == dt.date(2019, 5, 31)
    assert task.assigned_to == overdue.offender_manager
    assert Task.objects.count() == 1


def test_running_the_sweep_twice_changes_nothing(register):
    first = run_sweep(dt.date(2020, 6, 1))
    snapshot = (statuses(), tasks(), SweepRun.objects.count())
    second = run_sweep(dt.date(2020, 6, 1))
    assert first.statuses_changed == 4
    assert (second.statuses_changed, second.tasks_opened, second.tasks_closed) == (0, 0, 0)
    assert (statuses(), tasks(), SweepRun.objects.count()) == snapshot


def test_a_late_notification_closes_the_task_on_the_next_sweep(register):
    run_sweep(dt.date(2020, 6, 1))
    record(register["overdue"], "notification.periodic", "2020-06-02")
    result = run_sweep(dt.date(2020, 6, 3))
    assert result.tasks_closed == 1
    assert Task.objects.get(person=register["overdue"]).state == TaskState.DONE
    assert ComplianceStatus.objects.get(person=register["overdue"]).compliance == "compliant"


def test_the_stored_status_can_be_rebuilt_from_the_ledger(register):
    as_at = dt.date(2020, 6, 1)
    run_sweep(as_at)
    for person in register.values():
        rebuilt = status_from_case(ledger_case(person, as_at), as_at)
        assert statuses()[person.pk] == tuple(rebuilt)


def test_an_interrupted_sweep_leaves_the_previous_state_intact(register, monkeypatch):
    run_sweep(dt.date(2020, 6, 1))
    before = (statuses(), tasks(), SweepRun.objects.count())
    calls = {"n": 0}
    real = sweep_module.status_and_validity

    def failing(person_case: Any, as_at: dt.date) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return real(person_case, as_at)

    monkeypatch.setattr(sweep_module, "status_and_validity", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        run_sweep(dt.date(2021, 6, 1), full=True)
    assert (statuses(), tasks(), SweepRun.objects.count()) == before


def test_a_death_ends_the_status_and_no_task_is_opened(register):
    record(register["overdue"], "death", "2019-01-01")
    run_sweep(dt.date(2020, 6, 1))
    assert ComplianceStatus.objects.get(person=register["overdue"]).compliance == "deceased"
    assert not Task.objects.exists()


def test_a_person_with_no_disposal_yet_is_not_subject(make_person):
    person = make_person()
    run_sweep(dt.date(2020, 6, 1))
    assert ComplianceStatus.objects.get(person=person).compliance == "not_subject"


def test_the_sweep_reads_in_chunks_without_losing_anyone(register):
    run_sweep(dt.date(2020, 6, 1), chunk=1)
    one = statuses()
    ComplianceStatus.objects.all().delete()
    run_sweep(dt.date(2020, 6, 1), chunk=1000)
    assert statuses() == one


def test_the_sweep_command_prints_what_it_did(register, capsys):
    from whereabouts.cli.main import main

    assert main(["sweep", "--as-at", "2020-06-01"]) == 0
    out = capsys.readouterr().out
    assert "Swept 4 people as at 2020-06-01" in out
    assert "1 tasks opened" in out


def test_the_bulk_reader_and_the_single_person_reader_build_the_same_case(register):
    from whereabouts.register.selectors import iter_cases

    nfa = register["compliant"]
    record(nfa, "notification.change", "2020-03-01",
           details={"change": "home_address", "no_fixed_abode": True})
    wrong = services.event_record(person_id=nfa.pk, kind="abroad.start",
                                  effective_date="2020-04-01", today=TODAY, recorded_by=None,
                                  source="test")
    services.event_record(person_id=nfa.pk, kind="void", effective_date="2020-04-01",
                          today=TODAY, recorded_by=None, source="test", supersedes=wrong.pk,
                          reason="wrong person")
    record(nfa, "hospital.start", "2020-05-01")
    record(nfa, "hospital.end", "2020-05-20")
    as_at = dt.date(2020, 6, 1)
    bulk = {pid: case for pid, _, case in iter_cases(as_at, chunk=2)}
    for person in register.values():
        assert bulk[person.pk] == ledger_case(person, as_at)
    case = bulk[nfa.pk].case
    assert case.notifications[-1].no_fixed_abode is True
    assert [(a.reason, a.start, a.end) for a in case.away] == [
        ("hospital", dt.date(2020, 5, 1), dt.date(2020, 5, 19))
    ]


def test_a_sweep_interrupted_while_writing_leaves_the_previous_state_intact(register,
                                                                            monkeypatch):
    run_sweep(dt.date(2020, 6, 1))
    before = (statuses(), tasks(), SweepRun.objects.count())
    real = sweep_module._write_statuses

    def write_then_fail(*args: Any) -> None:
        real(*args)
        raise RuntimeError("disk full")

    monkeypatch.setattr(sweep_module, "_write_statuses", write_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        run_sweep(dt.date(2021, 6, 1))
    assert (statuses(), tasks(), SweepRun.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_give_the_same_statuses_as_one(make_person):
    people = []
    for i in range(7):
        person = make_person(dob=f"198{i}-01-0{i + 1}")
        record(person, "disposal", f"201{i}-03-01",
               disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment",
                                      months=5 + i * 6))
        if i % 2:
            record(person, "notification.initial", f"201{i}-03-02")
        people.append(person)
    as_at = dt.date(2020, 6, 1)
    run_sweep(as_at, workers=1, chunk=3)
    one, one_tasks = statuses(), tasks()
    ComplianceStatus.objects.all().delete()
    Task.objects.all().delete()
    result = run_sweep(as_at, workers=2, chunk=3)
    assert result.people == 7
    assert statuses() == one
    assert tasks() == one_tasks


def test_a_new_day_with_nothing_due_rewrites_no_status_but_records_the_date(register):
    run_sweep(dt.date(2020, 6, 1))
    result = run_sweep(dt.date(2020, 6, 2))
    assert result.statuses_changed == 0
    assert SweepRun.objects.latest("id").as_at == dt.date(2020, 6, 2)


def test_a_later_sweep_works_out_again_only_those_whose_status_may_have_changed(register,
                                                                               monkeypatch):
    run_sweep(dt.date(2020, 6, 1))
    record(register["compliant"], "notification.periodic", "2020-06-01")
    seen: list[Any] = []
    real = sweep_module.status_and_validity

    def spy(person_case: Any, as_at: dt.date) -> Any:
        seen.append(person_case)
        return real(person_case, as_at)

    monkeypatch.setattr(sweep_module, "status_and_validity", spy)
    result = run_sweep(dt.date(2020, 6, 2))
    # Only the person with a new entry: the others' statuses hold until a deadline passes.
    assert len(seen) == 1
    assert result.people == 4
    full = run_sweep(dt.date(2020, 6, 2), full=True)
    assert full.statuses_changed == 0  # the full sweep agrees with the short one


def test_a_passing_deadline_is_seen_without_any_new_entry(register):
    run_sweep(dt.date(2021, 1, 1))
    compliant = register["compliant"]
    assert ComplianceStatus.objects.get(person=compliant).compliance == "compliant"
    run_sweep(dt.date(2021, 1, 30))  # the periodic notification was due by 2021-01-29
    assert ComplianceStatus.objects.get(person=compliant).compliance == "overdue"
    assert Task.objects.filter(person=compliant, state=TaskState.OPEN).count() == 1


def test_sweeping_as_at_an_earlier_date_works_everyone_out_again(register):
    run_sweep(dt.date(2021, 1, 30))
    run_sweep(dt.date(2019, 3, 1))
    rebuilt = {p.pk: tuple(status_from_case(ledger_case(p, dt.date(2019, 3, 1)),
                                            dt.date(2019, 3, 1)))
               for p in register.values()}
    assert statuses() == {pid: rebuilt[pid] for pid in statuses()}
