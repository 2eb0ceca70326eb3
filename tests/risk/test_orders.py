"""SHPOs and SROs: in force until their end date, varied, discharged; a breach is a breach
entry that the breach figures count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from whereabouts.missing.selectors import breach_figures, person_breaches
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event
from whereabouts.register.recording import NotPermitted
from whereabouts.register.selectors import live_events
from whereabouts.risk import services
from whereabouts.risk.orders import Order
from whereabouts.risk.selectors import person_orders

from ..conftest import TODAY

MADE, END = dt.date(2023, 1, 10), dt.date(2028, 1, 9)


@pytest.mark.parametrize(("order", "day", "active"), [
    pytest.param(Order("shpo", "A", MADE, "", (), END), MADE - dt.timedelta(days=1), False,
                 id="not in force the day before it was made"),
    pytest.param(Order("shpo", "A", MADE, "", (), END), MADE, True,
                 id="in force on the day it was made"),
    pytest.param(Order("shpo", "A", MADE, "", (), END), END, True,
                 id="in force on its end date"),
    pytest.param(Order("shpo", "A", MADE, "", (), END), END + dt.timedelta(days=1), False,
                 id="not in force the day after its end date"),
    pytest.param(Order("sro", "A", MADE, "", (), None), dt.date(2060, 1, 1), True,
                 id="an indefinite order stays in force"),
    pytest.param(Order("sro", "A", MADE, "", (), None, discharged_on=dt.date(2024, 3, 1)),
                 dt.date(2024, 2, 29), True, id="in force the day before its discharge"),
    pytest.param(Order("sro", "A", MADE, "", (), None, discharged_on=dt.date(2024, 3, 1)),
                 dt.date(2024, 3, 1), False, id="not in force from the day of its discharge"),
])
def test_an_order_is_in_force_from_the_day_made_until_its_end_date(order, day, active):
    assert order.active_on(day) is active


@pytest.fixture
def person(make_person: Any, officer: Any, settings: Any) -> Any:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    person = make_person()
    services.record_order(person_id=person.pk, order_type="shpo", made_on="2023-01-10",
                          reference="SHPO/23/1", court="Birmingham Crown Court",
                          prohibitions="No contact with children under 16\n\nNo internet "
                                       "device without monitoring software",
                          end_date="2028-01-09", actor=officer, today=TODAY)
    return person


def orders(person: Any) -> list[Order]:
    return person_orders(live_events(person))


def test_an_order_is_recorded_with_its_prohibitions(person):
    (order,) = orders(person)
    assert order.prohibitions == ("No contact with children under 16",
                                  "No internet device without monitoring software")
    assert order.end_date == END and order.active_on(TODAY)


@pytest.mark.parametrize(("changes", "field"), [
    pytest.param({"end_date": None}, "end_date", id="neither an end date nor indefinite"),
    pytest.param({"indefinite": True}, "end_date", id="both an end date and indefinite"),
    pytest.param({"end_date": "2023-01-10"}, "end_date", id="ending the day it was made"),
    pytest.param({"prohibitions": " \n "}, "prohibitions", id="no prohibitions"),
    pytest.param({"order_type": "asbo"}, "order_type", id="an unknown type of order"),
    pytest.param({"reference": "shpo/23/1 "}, "reference", id="a reference already used"),
    pytest.param({"made_on": "2024-06-02"}, "made_on", id="made in the future"),
])
def test_an_order_with_bad_input_names_the_field_and_writes_nothing(person, officer, changes,
                                                                    field):
    kwargs = {"person_id": person.pk, "order_type": "sro", "made_on": "2023-01-10",
              "reference": "SRO/1", "court": "Walsall Magistrates", "prohibitions": "No X",
              "end_date": "2025-01-10", "actor": officer, "today": TODAY}
    before = Event.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.record_order(**(kwargs | changes))
    assert err.value.field == field and Event.objects.count() == before


def test_a_variation_replaces_the_prohibitions_and_a_discharge_ends_the_order(person, officer):
    services.vary_order(person_id=person.pk, reference="SHPO/23/1", varied_on="2024-01-05",
                        prohibitions="No unsupervised contact with children under 16",
                        indefinite=True, actor=officer, today=TODAY)
    (order,) = orders(person)
    assert order.prohibitions == ("No unsupervised contact with children under 16",)
    assert order.indefinite and order.varied_on == dt.date(2024, 1, 5)
    services.discharge_order(person_id=person.pk, reference="SHPO/23/1",
                             discharged_on="2024-05-01", actor=officer, today=TODAY)
    (order,) = orders(person)
    assert not order.active_on(TODAY)
    with pytest.raises(InvalidInput) as err:
        services.discharge_order(person_id=person.pk, reference="SHPO/23/1",
                                 discharged_on="2024-05-02", actor=officer, today=TODAY)
    assert err.value.field == "reference"


def test_a_breach_of_an_order_is_a_breach_that_the_figures_count(person, officer):
    services.record_order_breach(person_id=person.pk, reference="SHPO/23/1",
                                 recorded_on="2024-05-20", crime_reference="CR/1",
                                 what="Found with an unmonitored phone", actor=officer,
                                 today=TODAY)
    (breach,) = person_breaches(person)
    assert breach.offence == "breach_of_order" and breach.order == "SHPO/23/1"
    assert breach_figures(dt.date(2024, 5, 1), TODAY)["west-midlands"] == 1


def test_a_breach_outside_the_order_or_of_no_order_is_refused(person, officer):
    with pytest.raises(InvalidInput) as err:
        services.record_order_breach(person_id=person.pk, reference="SHPO/23/1",
                                     recorded_on="2024-05-20", failed_from="2022-12-01",
                                     crime_reference="CR/2", what="X", actor=officer,
                                     today=TODAY)
    assert err.value.field == "failed_from"
    with pytest.raises(InvalidInput) as err:
        services.record_order_breach(person_id=person.pk, reference="NOPE",
                                     recorded_on="2024-05-20", crime_reference="CR/3",
                                     what="X", actor=officer, today=TODAY)
    assert err.value.field == "reference"
    assert person_breaches(person) == []


def test_an_analyst_or_partner_may_not_record_an_order(person, make_user):
    for role in ("analyst", "partner"):
        with pytest.raises(NotPermitted):
            services.discharge_order(person_id=person.pk, reference="SHPO/23/1",
                                     discharged_on="2024-05-01", actor=make_user(role, role),
                                     today=TODAY)


def test_the_person_page_shows_the_order_in_force_with_its_prohibitions(client, person,
                                                                       officer):
    client.force_login(officer)
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Sexual Harm Prevention Order SHPO/23/1" in page and "In force" in page
    assert "<li>No contact with children under 16</li>" in page
    assert 'id="step-order-breach"' in page
    timeline = client.get(reverse("timeline", args=[person.pk]) + "?kind=orders")
    assert "Order made (SHPO or SRO)" in timeline.content.decode()
