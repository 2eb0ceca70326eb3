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
