"""The register's write path: good input is recorded once, bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from whereabouts.access.models import AuditEntry
from whereabouts.register import services
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import (
    Address,
    AppendOnlyError,
    Disposal,
    Event,
    Person,
)
from whereabouts.register.selectors import ledger_case, live_events
from whereabouts.register.services import AddressInput, DisposalInput

from ..conftest import TODAY


def record(person: Any, kind: str, when: str, **kwargs: Any) -> Event:
    return services.event_record(person_id=person.pk, kind=kind, effective_date=when,
                                 today=TODAY, recorded_by=None, source="test", **kwargs)


def counts() -> tuple[int, ...]:
    return (Person.objects.count(), Event.objects.count(), Disposal.objects.count(),
            Address.objects.count(), AuditEntry.objects.count())


def test_registering_a_person_writes_the_person_an_event_and_an_audit_entry(make_person):
    before = AuditEntry.objects.count()
    person = make_person()
    assert person.force_id == "west-midlands"
    assert [e.kind for e in live_events(person)] == ["registered", "assignment"]
    assert AuditEntry.objects.count() == before + 2


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("date_of_birth", {"dob": "1980-02-30"}, "is not a real date"),
        ("date_of_birth", {"dob": "2030-01-01"}, "future"),
        ("force", {"force": "atlantis"}, "no force"),
        ("sex", {"sex": "Q"}, "must be one of"),
        ("family_name", {"family_name": "  "}, "is required"),
    ],
)
def test_a_bad_registration_names_the_field_and_changes_nothing(make_person, field, kwargs,
                                                                 message):
    make_person()  # something already there
    before = counts()
    with pytest.raises(InvalidInput) as err:
        make_person(manager=None, **kwargs)
    assert err.value.field == field
    assert message in err.value.message
    assert counts() == before


def test_a_disposal_is_recorded_with_its_event(make_person):
    person = make_person()
    event = record(person, "disposal", "2019-02-01",
                   disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=20,
                                          court="Birmingham Crown Court"))
    assert event.disposal.months == 20
    assert event.disposal.relevant_date == dt.date(2019, 2, 1)


@pytest.mark.parametrize(
    ("when", "disposal", "field"),
    [
        ("1970-01-01", DisposalInput(offence="SOA 2003 s.3", kind="caution"), "effective_date"),
        ("2019-02-01", DisposalInput(offence="SOA 2003 s.3", kind="imprisonment"),
         "disposal.months"),
        ("2019-02-01", DisposalInput(offence="SOA 2003 s.3", kind="caution", months=3),
         "disposal.months"),
        ("2019-02-01", DisposalInput(offence="SOA 2003 s.3", kind="fine"), "disposal.kind"),
        ("2019-02-01", DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=0),
         "disposal.months"),
        ("2019-02-01", DisposalInput(offence="SOA 2003 s.3", kind="caution",
                                     restriction_order=True), "disposal.restriction_order"),
        ("2019-02-01", DisposalInput(offence="", kind="caution"), "disposal.offence"),
    ],
    ids=[
        "a disposal before birth is refused",
        "imprisonment without a term is refused",
        "a caution with a term is refused",
        "an unknown disposal kind is refused",
        "a term of no months is refused",
        "a restriction order on a caution is refused",
        "a disposal without an offence is refused",
    ],
)
def test_bad_disposals_are_refused_and_change_nothing(make_person, when, disposal, field):
    person = make_person()
    before = counts()
    with pytest.raises(InvalidInput) as err:
        record(person, "disposal", when, disposal=disposal)
    assert err.value.field == field
    assert counts() == before


def test_custody_that_ends_before_it_starts_is_refused(make_person):
    person = make_person()
    record(person, "custody.start", "2020-03-01")
    before = counts()
    with pytest.raises(InvalidInput) as err:
        record(person, "custody.end", "2020-02-01")
    assert err.value.field == "effective_date"
    assert "no custody period is open" in err.value.message
    assert counts() == before


def test_a_release_with_no_custody_is_refused(make_person):
    person = make_person()
    with pytest.raises(InvalidInput, match="no custody period is open"):
        record(person, "custody.end", "2020-02-01")


def test_a_notification_for_a_person_who_does_not_exist_is_refused(db):
    before = counts()
    with pytest.raises(InvalidInput) as err:
        services.event_record(person_id=999999, kind="notification.periodic",
                              effective_date="2020-01-01", today=TODAY, recorded_by=None,
                              source="test")
    assert err.value.field == "person"
    assert counts() == before


@pytest.mark.parametrize(
    ("kind", "details", "field"),
    [
        ("notification.flying", {}, "kind"),
        ("visit", {}, "details.outcome"),
        ("visit", {"outcome": "had tea"}, "details.outcome"),
        ("notification.periodic", {"no_fixed_abode": "yes"}, "details.no_fixed_abode"),
        ("notification.periodic", {"colour": "blue"}, "details.colour"),
        ("notification.travel", {"destination": "France", "departure_date": "2020-13-01"},
         "details.departure_date"),
    ],
    ids=[
        "an unknown kind is refused",
        "a visit without an outcome is refused",
        "a visit with an unknown outcome is refused",
        "no fixed abode must be true or false",
        "an unknown detail is refused",
        "an impossible travel date is refused",
    ],
)
def test_bad_event_details_are_refused(make_person, kind, details, field):
    person = make_person()
    before = counts()
    with pytest.raises(InvalidInput) as err:
        record(person, kind, "2020-01-01", details=details)
    assert err.value.field == field
    assert counts() == before


def test_an_event_in_the_future_is_refused(make_person):
    person = make_person()
    with pytest.raises(InvalidInput, match="in the future"):
        record(person, "notification.periodic", (TODAY + dt.timedelta(days=1)).isoformat())


def test_nothing_is_recorded_after_death(make_person):
    person = make_person()
    record(person, "death", "2021-01-01")
    with pytest.raises(InvalidInput, match="after the person's death"):
        record(person, "notification.periodic", "2021-06-01")


def test_a_correction_supersedes_the_old_entry_and_keeps_it(make_person):
    person = make_person()
    wrong = record(person, "notification.periodic", "2020-05-01")
    with pytest.raises(InvalidInput) as err:
        record(person, "notification.periodic", "2020-05-02", supersedes=wrong.pk)
    assert err.value.field == "reason"
    right = record(person, "notification.periodic", "2020-05-02", supersedes=wrong.pk,
                   reason="date keyed wrongly")
    live = live_events(person)
    assert right in live and wrong not in live
    assert Event.objects.filter(pk=wrong.pk).exists()  # kept, never deleted
    with pytest.raises(InvalidInput, match="already been superseded"):
        record(person, "notification.periodic", "2020-05-03", supersedes=wrong.pk, reason="again")


def test_a_withdrawn_entry_no_longer_counts_for_the_rules(make_person):
    person = make_person()
    record(person, "disposal", "2019-02-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="caution"))
    note = record(person, "notification.initial", "2019-02-01")
    assert ledger_case(person, TODAY).case.notifications
    record(person, "void", "2019-02-01", supersedes=note.pk, reason="recorded on wrong person")
    assert not ledger_case(person, TODAY).case.notifications


def test_a_notification_carries_its_addresses(make_person):
    person = make_person()
    record(person, "notification.change", "2020-01-10", details={"change": "home_address"},
           addresses=[AddressInput(kind="home", line1="1 Test Street", town="Dudley",
                                   postcode="DY1 1AA")])
    assert [str(a) for a in person.addresses.all()] == ["1 Test Street, Dudley, DY1 1AA"]
    with pytest.raises(InvalidInput) as err:
        record(person, "visit", "2020-01-11", details={"outcome": "seen_at_home"},
               addresses=[AddressInput(kind="home", line1="2 Test Street", town="Dudley")])
    assert err.value.field == "addresses"


def test_ledger_rows_cannot_be_changed_or_deleted(make_person):
    person = make_person()
    event = live_events(person)[0]
    event.source = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_database_itself_refuses_an_update_of_the_ledger(make_person):
    from django.db import DatabaseError, transaction

    person = make_person()
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(person=person).update(source="tampered")
    assert not Event.objects.filter(source="tampered").exists()


def test_the_ledger_becomes_a_rules_case_with_days_away(make_person):
    person = make_person()
    record(person, "disposal", "2019-02-01",
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment", months=20))
    record(person, "custody.start", "2019-02-01")
    record(person, "custody.end", "2020-02-01")
    case = ledger_case(person, TODAY).case
    assert [(a.start, a.end, a.reason) for a in case.away] == [
        (dt.date(2019, 2, 1), dt.date(2020, 1, 31), "custody")
    ]
    from whereabouts import rules

    answer = rules.evaluate(case)
    assert answer.next_due_kind == "initial"
    assert answer.next_due_last_day == dt.date(2020, 2, 3)  # D2 in the domain reference
    assert answer.compliance == "overdue"
