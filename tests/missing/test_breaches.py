"""Breaches of the notification requirements (s.91): the crime, its warrant and its outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from whereabouts.access.models import AuditEntry
from whereabouts.missing import breach_services as services
from whereabouts.missing.breaches import (
    Breach,
    breaches_from,
    outcome_step_allowed,
    warrant_step_allowed,
)
from whereabouts.missing.selectors import breach_figures, person_breaches
from whereabouts.missing.services import NotPermitted
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event
from whereabouts.register.services import DisposalInput

from ..conftest import TODAY

D = dt.date
REF = "WM/1001/24"


# --- the pure derivation -------------------------------------------------------------------

def recorded(on: str, ref: str = REF, offence: str = "fail_to_comply") -> tuple:
    return ("breach.recorded", D.fromisoformat(on),
            {"offence": offence, "crime_reference": ref, "what": "annual notification missed"})


def warrant(on: str, status: str, ref: str = REF, number: str = "") -> tuple:
    details = {"crime_reference": ref, "status": status}
    if number:
        details["warrant_reference"] = number
    return ("breach.warrant", D.fromisoformat(on), details)


def outcome(on: str, result: str, ref: str = REF) -> tuple:
    return ("breach.outcome", D.fromisoformat(on), {"crime_reference": ref, "outcome": result})


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("", "applied", True),
        ("", "issued", False),
        ("", "executed", False),
        ("applied", "issued", True),
        ("applied", "refused", True),
        ("applied", "withdrawn", True),
        ("applied", "executed", False),
        ("applied", "applied", False),
        ("issued", "executed", True),
        ("issued", "withdrawn", True),
        ("issued", "refused", False),
        ("issued", "issued", False),
        ("executed", "applied", True),
        ("executed", "withdrawn", False),
        ("withdrawn", "applied", True),
        ("withdrawn", "issued", False),
        ("refused", "applied", True),
        ("refused", "issued", False),
    ],
    ids=[
        "the first warrant entry is an application",
        "a warrant cannot be issued before it is applied for",
        "a warrant cannot be executed before it is applied for",
        "an application may be granted",
        "an application may be refused",
        "an application may be withdrawn",
        "a warrant applied for but not issued cannot be executed",
        "an application cannot be made twice over",
        "an issued warrant may be executed",
        "an issued warrant may be withdrawn",
        "an issued warrant cannot then be refused",
        "an issued warrant cannot be issued again",
        "after a warrant is executed a new one may be applied for",
        "an executed warrant cannot be withdrawn",
        "after a warrant is withdrawn a new one may be applied for",
        "a withdrawn warrant cannot be issued",
        "after a refusal a new application may be made",
        "a refused application cannot be issued",
    ],
)
def test_warrant_steps(current, new, allowed):
    assert warrant_step_allowed(current, new) is allowed


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("", "no_further_action", True),
        ("", "convicted", True),
        ("charged", "convicted", True),
        ("charged", "acquitted", True),
        ("charged", "cautioned", False),
        ("charged", "charged", False),
        ("cautioned", "charged", False),
        ("no_further_action", "charged", False),
        ("reasonable_excuse_accepted", "no_further_action", False),
        ("convicted", "acquitted", False),
    ],
    ids=[
        "a breach with no outcome may be closed with no further action",
        "a breach with no outcome may be closed by a conviction",
        "a charge may be followed by a conviction",
        "a charge may be followed by an acquittal",
        "a charge cannot be followed by a caution",
        "a breach cannot be charged twice",
        "a cautioned breach cannot then be charged",
        "no further action cannot then become a charge",
        "an accepted reasonable excuse is final",
        "a conviction is final",
    ],
)
def test_outcome_steps(current, new, allowed):
    assert outcome_step_allowed(current, new) is allowed


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([recorded("2024-03-01")],
         ("", "", None, "", None, True)),
        ([recorded("2024-03-01"), warrant("2024-03-05", "applied"),
          warrant("2024-03-06", "issued", number="MC/77")],
         ("issued", "MC/77", D(2024, 3, 6), "", None, True)),
        ([recorded("2024-03-01"), warrant("2024-03-05", "applied"),
          warrant("2024-03-06", "issued", number="MC/77"), warrant("2024-04-01", "executed")],
         ("executed", "MC/77", D(2024, 4, 1), "", None, True)),
        ([recorded("2024-03-01"), warrant("2024-03-05", "applied"),
          warrant("2024-03-06", "issued", number="MC/77"), warrant("2024-03-20", "withdrawn"),
          warrant("2024-04-02", "applied")],
         ("applied", "", D(2024, 4, 2), "", None, True)),
        ([recorded("2024-03-01"), outcome("2024-03-09", "no_further_action")],
         ("", "", None, "no_further_action", D(2024, 3, 9), False)),
        ([recorded("2024-03-01"), outcome("2024-03-09", "charged"),
          outcome("2024-05-01", "convicted")],
         ("", "", None, "convicted", D(2024, 5, 1), False)),
        ([recorded("2024-03-01"), warrant("2024-03-05", "applied", ref="WM/9999/24"),
          outcome("2024-03-09", "charged", ref="WM/9999/24")],
         ("", "", None, "", None, True)),
        ([warrant("2024-02-01", "applied"), recorded("2024-03-01")],
         ("", "", None, "", None, True)),
        ([recorded("2024-03-01"), warrant("2024-03-05", "applied", ref=" wm/1001/24 ")],
         ("applied", "", D(2024, 3, 5), "", None, True)),
        ([recorded("2024-03-01"), ("missing.recorded", D(2024, 3, 2), {"missing_since":
                                                                     "2024-02-01"}),
          ("visit", D(2024, 3, 3), {"outcome": "no_reply"})],
         ("", "", None, "", None, True)),
    ],
    ids=[
        "a breach just recorded is open with no warrant",
        "the warrant follows the latest warrant entry",
        "an executed warrant keeps the reference it was issued with",
        "a new application after a withdrawal starts a warrant with no reference yet",
        "an outcome closes the breach",
        "a conviction after a charge is the outcome",
        "entries naming a crime reference never recorded are ignored",
        "a warrant entry dated before its breach was recorded is ignored",
        "crime references match ignoring case and surrounding spaces",
        "entries of other kinds are ignored",
    ],
)
def test_a_breach_is_read_from_its_entries(entries, expected):
    [breach] = breaches_from(entries)
    assert (breach.recorded_on, breach.crime_reference) == (D(2024, 3, 1), REF)
    assert (breach.warrant_status, breach.warrant_reference, breach.warrant_updated_on,
            breach.outcome, breach.outcome_on, breach.open) == expected


def test_breaches_are_kept_apart_in_the_order_recorded_and_a_reused_reference_is_ignored():
    breaches = breaches_from([
        recorded("2024-01-10", "WM/1/24"),
        recorded("2024-02-10", "WM/2/24", offence="false_information"),
        warrant("2024-02-11", "applied", ref="WM/1/24"),
        recorded("2024-02-12", "wm/1/24"),
        outcome("2024-02-20", "cautioned", ref="WM/2/24"),
    ])
    assert [(b.crime_reference, b.offence, b.warrant_status, b.outcome) for b in breaches] == [
        ("WM/1/24", "fail_to_comply", "applied", ""),
        ("WM/2/24", "false_information", "", "cautioned"),
    ]
    assert breaches[0].open and not breaches[1].open
    assert not breaches[0].warrant_outstanding


def test_only_an_issued_warrant_is_outstanding():
    assert Breach(D(2024, 1, 1), "fail_to_comply", REF, "x", "issued").warrant_outstanding
    for status in ("", "applied", "executed", "withdrawn", "refused"):
        assert not Breach(D(2024, 1, 1), "fail_to_comply", REF, "x", status).warrant_outstanding


# --- the services --------------------------------------------------------------------------

def breach(person: Any, actor: Any, **overrides: Any) -> Event:
    fields = {"recorded_on": "2024-03-01", "offence": "fail_to_comply",
              "crime_reference": REF,
              "what": "annual notification due by 2024-02-20 not made"}
    fields.update(overrides)
    return services.record_breach(person_id=person.pk, actor=actor, today=TODAY, **fields)


def warrant_step(person: Any, actor: Any, status: str, on: str, **overrides: Any) -> Event:
    fields: dict[str, Any] = {"crime_reference": REF, "on": on, "status": status}
    if status == "issued":
        fields.update(court="Birmingham Magistrates' Court", warrant_reference="BMC/W/77")
    fields.update(overrides)
    return services.record_warrant(person_id=person.pk, actor=actor, today=TODAY, **fields)


def result(person: Any, actor: Any, outcome: str, on: str, **overrides: Any) -> Event:
    fields = {"crime_reference": REF, "on": on, "outcome": outcome}
    fields.update(overrides)
    return services.record_breach_outcome(person_id=person.pk, actor=actor, today=TODAY,
                                          **fields)


def ledger_size() -> tuple[int, int]:
    return Event.objects.count(), AuditEntry.objects.count()


def test_a_breach_is_recorded_warrant_sought_executed_and_the_person_convicted(person,
                                                                               officer,
                                                                               supervisor):
    before = ledger_size()
    event = breach(person, officer, note="  Two letters sent  ")
    assert (event.kind, event.effective_date) == ("breach.recorded", D(2024, 3, 1))
    assert event.details == {"offence": "fail_to_comply", "crime_reference": REF,
                             "what": "annual notification due by 2024-02-20 not made",
                             "note": "Two letters sent"}
    warrant_step(person, supervisor, "applied", "2024-03-05", crime_reference=" wm/1001/24")
    warrant_step(person, supervisor, "issued", "2024-03-06")
    [open_breach] = person_breaches(person)
    assert open_breach.open and open_breach.warrant_outstanding
    assert open_breach.warrant_reference == "BMC/W/77"
    warrant_step(person, officer, "executed", "2024-04-02")
    result(person, officer, "charged", "2024-04-02")
    result(person, officer, "convicted", "2024-05-20", note="4 months suspended")
    [closed] = person_breaches(person)
    assert closed == Breach(D(2024, 3, 1), "fail_to_comply", REF,
                            "annual notification due by 2024-02-20 not made",
                            "executed", "BMC/W/77", D(2024, 4, 2), "convicted", D(2024, 5, 20))
    assert not closed.open
    # every entry names the breach by the reference it was recorded with, and is audited
    assert {e.details["crime_reference"] for e in Event.objects.filter(
        person=person, kind__startswith="breach.")} == {REF}
    assert ledger_size() == (before[0] + 6, before[1] + 6)


def test_a_withdrawn_warrant_can_be_applied_for_again_and_no_further_action_closes_it(
        person, officer):
    breach(person, officer)
    warrant_step(person, officer, "applied", "2024-03-02")
    warrant_step(person, officer, "refused", "2024-03-03", court="Walsall Magistrates' Court")
    warrant_step(person, officer, "applied", "2024-03-10")
    warrant_step(person, officer, "issued", "2024-03-11", warrant_reference="WMC/1")
    warrant_step(person, officer, "withdrawn", "2024-03-20", warrant_reference="wmc/1")
    result(person, officer, "reasonable_excuse_accepted", "2024-03-20",
           note="In hospital; discharge papers seen")
    [closed] = person_breaches(person)
    assert (closed.warrant_status, closed.warrant_reference, closed.outcome) == (
        "withdrawn", "WMC/1", "reasonable_excuse_accepted")


@pytest.fixture
def with_disposal(person: Any, officer: Any) -> Any:
    register.event_record(person_id=person.pk, kind="disposal", effective_date="2010-06-01",
                          today=TODAY, recorded_by=officer, source="test",
                          disposal=DisposalInput(offence="SOA 2003 s.3", kind="caution"))
    return person


def died(person: Any, actor: Any) -> None:
    register.event_record(person_id=person.pk, kind="death", effective_date="2024-04-01",
                          today=TODAY, recorded_by=actor, source="test")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"recorded_on": "2024-06-02"}, "recorded_on", "in the future"),
        ({"recorded_on": "1980-04-30"}, "recorded_on", "before the date of birth"),
        ({"recorded_on": "2010-05-31"}, "recorded_on", "before the notification requirements"),
        ({"recorded_on": "2024-02-30"}, "recorded_on", "not a real date"),
        ({"recorded_on": "2024-04-02"}, "recorded_on", "after the person's death"),
        ({"offence": "being late"}, "offence", "must be one of"),
        ({"crime_reference": "   "}, "crime_reference", "is required"),
        ({"crime_reference": "X" * 41}, "crime_reference", "at most 40"),
        ({"what": " "}, "what", "is required"),
        ({"what": None}, "what", "is required"),
    ],
    ids=[
        "a breach recorded in the future is refused",
        "a breach recorded before the person was born is refused",
        "a breach before the notification requirements began is refused",
        "an impossible date is refused",
        "a breach recorded after the person's death is refused",
        "an offence that is not s.91(1)(a) or (b) is refused",
        "a blank crime reference is refused",
        "an overlong crime reference is refused",
        "a breach that does not say what was breached is refused",
        "a breach with no description at all is refused",
    ],
)
def test_bad_breach_records_are_refused_and_change_nothing(with_disposal, officer, overrides,
                                                           field, message):
    died(with_disposal, officer)
    before = ledger_size()
    with pytest.raises(InvalidInput) as err:
        breach(with_disposal, officer, **overrides)
    assert (err.value.field, message in err.value.message) == (field, True), err.value
    assert ledger_size() == before


def test_the_breach_date_is_checked_against_the_start_only_when_a_disposal_is_recorded(
        person, officer):
    breach(person, officer, recorded_on="2001-01-01")
    assert person_breaches(person)[0].recorded_on == D(2001, 1, 1)


def test_a_withdrawn_disposal_no_longer_sets_the_start(with_disposal, officer):
    disposal = Event.objects.get(person=with_disposal, kind="disposal")
    register.event_record(person_id=with_disposal.pk, kind="void", effective_date="2010-06-01",
                          today=TODAY, recorded_by=officer, source="test",
                          supersedes=disposal.pk, reason="Wrong person")
    breach(with_disposal, officer, recorded_on="2009-01-01")
    assert len(person_breaches(with_disposal)) == 1


Step = Callable[[Any, Any], Any]


def applied(p: Any, a: Any) -> Event:
    return warrant_step(p, a, "applied", "2024-03-05")


def issued(p: Any, a: Any) -> Event:
    return warrant_step(p, a, "issued", "2024-03-06")


def refused(p: Any, a: Any) -> Event:
    return warrant_step(p, a, "refused", "2024-03-06")


def charged(p: Any, a: Any) -> Event:
    return result(p, a, "charged", "2024-03-10")


def nfa(p: Any, a: Any) -> Event:
    return result(p, a, "no_further_action", "2024-03-10")


def convicted(p: Any, a: Any) -> Event:
    return result(p, a, "convicted", "2024-04-10")


@pytest.mark.parametrize(
    ("steps", "call", "field", "message"),
    [
        ([], lambda p, a: breach(p, a, crime_reference=" wm/1001/24 ", recorded_on="2024-03-02"),
         "crime_reference", "already recorded for this person"),
        ([], lambda p, a: warrant_step(p, a, "applied", "2024-03-05",
                                       crime_reference="WM/9999/24"),
         "crime_reference", "no breach with the crime reference"),
        ([], lambda p, a: warrant_step(p, a, "applied", "2024-03-05", crime_reference=""),
         "crime_reference", "is required"),
        ([], lambda p, a: warrant_step(p, a, "applied", "2024-02-29"),
         "on", "before the breach was recorded"),
        ([], lambda p, a: warrant_step(p, a, "applied", "2024-06-02"), "on", "in the future"),
        ([], lambda p, a: warrant_step(p, a, "applied", "5 March 2024"), "on", "YYYY-MM-DD"),
        ([], lambda p, a: warrant_step(p, a, "issued", "2024-03-05"),
         "status", "not applied for"),
        ([], lambda p, a: warrant_step(p, a, "wanted", "2024-03-05"), "status", "must be one of"),
        ([applied], lambda p, a: warrant_step(p, a, "executed", "2024-03-06"),
         "status", "can only be issued, refused or withdrawn, not executed"),
        ([applied], lambda p, a: warrant_step(p, a, "applied", "2024-03-06"),
         "status", "the warrant is applied"),
        ([applied], lambda p, a: warrant_step(p, a, "issued", "2024-03-06",
                                              warrant_reference=" "),
         "warrant_reference", "required when a warrant is issued"),
        ([applied], lambda p, a: warrant_step(p, a, "issued", "2024-03-04"),
         "on", "before the last warrant entry"),
        ([applied, refused], lambda p, a: warrant_step(p, a, "issued", "2024-03-07"),
         "status", "the warrant is refused"),
        ([applied, issued], lambda p, a: warrant_step(p, a, "executed", "2024-03-07",
                                                      warrant_reference="OTHER/1"),
         "warrant_reference", "is not the warrant on record"),
        ([], lambda p, a: result(p, a, "charged", "2024-03-02", crime_reference="WM/9999/24"),
         "crime_reference", "no breach with the crime reference"),
        ([], lambda p, a: result(p, a, "charged", "2024-02-29"),
         "on", "before the breach was recorded"),
        ([], lambda p, a: result(p, a, "charged", "2024-06-02"), "on", "in the future"),
        ([], lambda p, a: result(p, a, "let off", "2024-03-10"), "outcome", "must be one of"),
        ([nfa], lambda p, a: result(p, a, "charged", "2024-03-11"),
         "outcome", "already has the outcome no_further_action"),
        ([charged], lambda p, a: result(p, a, "cautioned", "2024-03-11"),
         "outcome", "only convicted or acquitted may follow"),
        ([charged, convicted], lambda p, a: result(p, a, "acquitted", "2024-04-11"),
         "outcome", "already has the outcome convicted"),
        ([charged], lambda p, a: result(p, a, "convicted", "2024-03-09"),
         "on", "before the outcome charged"),
    ],
    ids=[
        "a crime reference already recorded for the person is refused, whatever its case",
        "a warrant for a crime reference never recorded is refused",
        "a warrant naming no crime reference is refused",
        "a warrant dated before the breach was recorded is refused",
        "a warrant dated in the future is refused",
        "a warrant date not written YYYY-MM-DD is refused",
        "a warrant issued without an application is refused",
        "an unknown warrant status is refused",
        "executing a warrant that was only applied for is refused",
        "applying twice for the same warrant is refused",
        "issuing a warrant without its reference is refused",
        "a warrant step dated before the last one is refused",
        "issuing a warrant the court refused is refused",
        "executing a warrant with another warrant's reference is refused",
        "an outcome for a crime reference never recorded is refused",
        "an outcome dated before the breach was recorded is refused",
        "an outcome dated in the future is refused",
        "an unknown outcome is refused",
        "a second outcome after no further action is refused",
        "a caution after a charge is refused",
        "an acquittal after a conviction is refused",
        "a conviction dated before the charge is refused",
    ],
)
def test_bad_warrants_and_outcomes_are_refused_and_change_nothing(person, officer, steps,
                                                                  call, field, message):
    breach(person, officer)
    for step in steps:
        step(person, officer)
    before = (ledger_size(), person_breaches(person))
    with pytest.raises(InvalidInput) as err:
        call(person, officer)
    assert (err.value.field, message in err.value.message) == (field, True), err.value
    assert (ledger_size(), person_breaches(person)) == before


def test_nothing_can_be_recorded_against_a_breach_that_was_withdrawn(person, officer,
                                                                     supervisor):
    event = breach(person, officer)
    register.event_record(person_id=person.pk, kind="void", effective_date="2024-03-01",
                          today=TODAY, recorded_by=supervisor, source="test",
                          supersedes=event.pk, reason="Notification had been made on time")
    assert person_breaches(person) == []
    for call in (applied, nfa):
        with pytest.raises(InvalidInput) as err:
            call(person, officer)
        assert err.value.field == "crime_reference"
    # the reference is free again, for a corrected record
    breach(person, officer, offence="false_information", what="false home address given")
    [again] = person_breaches(person)
    assert (again.offence, again.what) == ("false_information", "false home address given")


def test_a_corrected_breach_replaces_the_one_it_supersedes(person, officer):
    event = breach(person, officer)
    applied(person, officer)
    register.event_record(person_id=person.pk, kind="breach.recorded",
                          effective_date="2024-03-01", today=TODAY, recorded_by=officer,
                          source="test", supersedes=event.pk, reason="Wrong requirement",
                          details={**event.details, "what": "change of home address not made"})
    [corrected] = person_breaches(person)
    assert (corrected.what, corrected.warrant_status) == (
        "change of home address not made", "applied")


# --- who may record ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("username", "role", "force"),
    [
        ("partner", "partner", "west-midlands"),
        ("analyst", "analyst", "west-midlands"),
        ("auditor", "auditor", None),
        ("om.staffs", "offender_manager", "staffordshire"),
        ("sup.staffs", "supervisor", "staffordshire"),
        ("no.profile", None, None),
    ],
    ids=[
        "a partner agency user is refused",
        "an analyst is refused",
        "an auditor is refused",
        "an offender manager of another force is refused",
        "a supervisor of another force is refused",
        "a user with no role is refused",
    ],
)
def test_only_supervisors_and_offender_managers_of_the_persons_force_record_breaches(
        person, officer, make_user, username, role, force):
    breach(person, officer)
    applied(person, officer)
    outsider = make_user(username, role, force=force)
    before = ledger_size()
    for call in (lambda: breach(person, outsider, crime_reference="WM/2002/24"),
                 lambda: issued(person, outsider),
                 lambda: nfa(person, outsider)):
        with pytest.raises(NotPermitted):
            call()
    assert ledger_size() == before


# --- figures -------------------------------------------------------------------------------

def test_breach_figures_count_breaches_recorded_in_the_period_per_force_and_region(
        make_person, officer, make_user):
    wm_one, wm_two = make_person(), make_person()
    staffs_om = make_user("om.staffs", "offender_manager", force="staffordshire")
    staffs = make_person(force="staffordshire", manager=staffs_om)
    breach(wm_one, officer, recorded_on="2024-03-01")
    breach(wm_two, officer, recorded_on="2024-03-31", crime_reference="WM/1002/24")
    breach(staffs, staffs_om, recorded_on="2024-03-15", crime_reference="SP/55/24")
    breach(wm_one, officer, recorded_on="2024-02-29", crime_reference="WM/0999/24")

    march = breach_figures(D(2024, 3, 1), D(2024, 3, 31))
    assert (march["west-midlands"], march["staffordshire"], march["dyfed-powys"]) == (2, 1, 0)
    assert len(march) == 43 and sum(march.values()) == 3
    region = breach_figures(D(2024, 3, 1), D(2024, 3, 31), by="region")
    assert (region["West Midlands"], region["London"]) == (3, 0)
    assert breach_figures(D(2024, 2, 1), D(2024, 3, 31))["west-midlands"] == 3
    with pytest.raises(ValueError):
        breach_figures(D(2024, 3, 1), D(2024, 3, 31), by="person")


def test_a_periods_figure_does_not_change_when_later_breaches_and_outcomes_are_recorded(
        person, make_person, officer):
    breach(person, officer, recorded_on="2024-03-01")
    march = breach_figures(D(2024, 3, 1), D(2024, 3, 31))
    breach(person, officer, recorded_on="2024-04-01", crime_reference="WM/2002/24")
    breach(make_person(), officer, recorded_on="2024-05-01", crime_reference="WM/3003/24")
    nfa(person, officer)
    assert breach_figures(D(2024, 3, 1), D(2024, 3, 31)) == march
    assert march["west-midlands"] == 1
    assert breach_figures(D(2024, 4, 1), D(2024, 5, 31))["west-midlands"] == 2


def test_a_withdrawn_breach_drops_out_of_the_figures(person, officer, supervisor):
    event = breach(person, officer)
    assert breach_figures(D(2024, 3, 1), D(2024, 3, 31))["west-midlands"] == 1
    register.event_record(person_id=person.pk, kind="void", effective_date="2024-03-01",
                          today=TODAY, recorded_by=supervisor, source="test",
                          supersedes=event.pk, reason="Recorded against the wrong person")
    assert breach_figures(D(2024, 3, 1), D(2024, 3, 31))["west-midlands"] == 0
    assert Event.objects.filter(person=person, kind="breach.recorded").exists()
