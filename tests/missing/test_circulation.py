"""Circulation: sent on recording missing, cancelled on locate, exported per its schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry
from whereabouts.missing import services
from whereabouts.missing.circulation import bulletin, circulations
from whereabouts.register.errors import InvalidInput

from ..conftest import TODAY

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads((DOCS / "circulation.schema.json").read_text())


@pytest.fixture
def gone(make_person: Any, supervisor: Any, settings: Any) -> Any:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    person = make_person()
    services.record_missing(person_id=person.pk, recorded_on="2024-03-10",
                            missing_since="2024-03-01", basis="No trace", risk="very_high",
                            believed_abroad=True, country="Spain",
                            abroad_basis="Travel notified to Malaga, no return",
                            actor=supervisor, today=TODAY)
    return person


def test_recording_someone_missing_circulates_them_nationally(gone):
    assert [(c["scope"], c["status"]) for c in circulations(gone)] == [("national", "active")]


def test_an_international_circulation_is_recorded_and_located_cancels_every_one(gone,
                                                                                supervisor):
    services.record_circulation(person_id=gone.pk, sent_on="2024-03-12", scope="international",
                                reference="NCA-2024-0001", actor=supervisor, today=TODAY)
    services.record_located(person_id=gone.pk, located_on="2024-04-01", where="Dover port",
                            by="Border Force", how_found="found_abroad_and_returned",
                            outcome="arrested", actor=supervisor, today=TODAY)
    assert {(c["reference"], c["status"], c["cancelled_on"]) for c in circulations(gone)} == {
        (f"{gone.reference}/20240310", "cancelled", "2024-04-01"),
        ("NCA-2024-0001", "cancelled", "2024-04-01"),
    }


def test_a_circulation_for_someone_not_missing_or_before_the_episode_is_refused(gone,
                                                                                 supervisor,
                                                                                 make_person):
    with pytest.raises(InvalidInput) as err:
        services.record_circulation(person_id=gone.pk, sent_on="2024-03-01",
                                    scope="international", reference="X", actor=supervisor,
                                    today=TODAY)
    assert err.value.field == "sent_on"
    with pytest.raises(InvalidInput, match="not recorded as missing"):
        services.record_circulation(person_id=make_person().pk, sent_on="2024-03-12",
                                    scope="national", reference="X", actor=supervisor,
                                    today=TODAY)


def test_the_bulletin_follows_the_documented_schema(gone):
    content = bulletin(gone, TODAY)
    jsonschema.validate(content, SCHEMA)
    assert content["episode"]["country"] == "Spain"
    assert content["status"] == "missing"


def test_the_documented_example_follows_the_schema():
    jsonschema.validate(json.loads((DOCS / "circulation.example.json").read_text()), SCHEMA)


def test_the_json_export_is_for_the_forces_casework_staff_and_is_logged_as_a_disclosure(
    client, gone, supervisor, officer
):
    url = reverse("circulation-json", args=[gone.pk])
    for user in (supervisor, officer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        jsonschema.validate(response.json(), SCHEMA)
        entry = AuditEntry.objects.latest("id")
        assert (entry.action, entry.person_id, entry.actor) == ("disclosure", gone.pk, user)
    assert client.get(reverse("circulation", args=[gone.pk])).status_code == 200


@pytest.mark.parametrize("role", ["analyst", "partner", "auditor", "administrator", None])
def test_other_roles_cannot_see_the_bulletin(client, gone, make_user, role):
    client.force_login(make_user(f"user.{role}", role))
    assert client.get(reverse("circulation-json", args=[gone.pk])).status_code == 404
    assert client.get(reverse("circulation", args=[gone.pk])).status_code == 404


def test_another_forces_staff_and_anonymous_visitors_cannot_see_the_bulletin(client, gone,
                                                                            make_user):
    response = client.get(reverse("circulation-json", args=[gone.pk]))
    assert response.status_code == 302
    client.force_login(make_user("sup.staffs", "supervisor", force="staffordshire"))
    assert client.get(reverse("circulation-json", args=[gone.pk])).status_code == 404


def test_someone_never_missing_has_no_bulletin(client, make_person, officer):
    client.force_login(officer)
    assert client.get(reverse("circulation", args=[make_person().pk])).status_code == 404
