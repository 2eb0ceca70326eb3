"""Foreign travel notified late (less than 7 days before departure) is flagged."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from whereabouts.register import recording
from whereabouts.register.selectors import live_events, travel_notices

from ..conftest import TODAY


@pytest.mark.parametrize(("departure", "late"), [
    pytest.param("2024-05-08", False, id="notified 7 days before departure is in time"),
    pytest.param("2024-05-07", True, id="notified 6 days before departure is flagged late"),
    pytest.param("2024-05-01", True, id="notified on the day of departure is flagged late"),
])
def test_travel_notified_less_than_7_days_ahead_is_flagged_late(make_person, officer,
                                                                departure, late, settings):
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    person = make_person()
    recording.record_travel(person_id=person.pk, notified_on="2024-05-01",
                            departure_date=departure, destination="Spain", actor=officer,
                            today=TODAY)
    (notice,) = travel_notices(live_events(person))
    assert notice.late is late


def test_the_person_page_flags_late_travel(client: Any, make_person, officer, settings):
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    person = make_person()
    recording.record_travel(person_id=person.pk, notified_on="2024-05-01",
                            departure_date="2024-05-04", destination="Thailand", actor=officer,
                            today=TODAY)
    client.force_login(officer)
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Notified late</strong> 3 days ahead (at least 7 required)" in page


def test_the_checks_and_whether_the_country_was_informed_are_recorded_and_shown(
        client: Any, make_person, officer, settings):
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    person = make_person()
    recording.record_travel(person_id=person.pk, notified_on="2024-05-01",
                            departure_date="2024-05-20", destination="Spain", actor=officer,
                            today=TODAY, itinerary="Malaga 20-27 May, Hotel Sol",
                            checks_done="Booking confirmed with the airline",
                            country_informed="yes", country_informed_on="2024-05-03")
    (notice,) = travel_notices(live_events(person))
    assert notice.country_informed == "yes" and notice.country_informed_on.day == 3
    client.force_login(officer)
    page = client.get(reverse("person", args=[person.pk])).content.decode()
    assert "Country informed 3 May 2024" in page and "Checks: Booking confirmed" in page


@pytest.mark.parametrize(("informed", "on", "field"), [
    pytest.param("no", "2024-05-03", "country_informed", id="a date but not informed"),
    pytest.param("yes", "2024-04-30", "country_informed_on", id="informed before notice"),
])
def test_a_date_the_country_was_informed_must_fit(make_person, officer, informed, on, field):
    from whereabouts.register.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        recording.record_travel(person_id=make_person().pk, notified_on="2024-05-01",
                                departure_date="2024-05-20", destination="Spain",
                                actor=officer, today=TODAY, country_informed=informed,
                                country_informed_on=on)
    assert err.value.field == field
