"""The duplicate identities pages: the list, a pair side by side, the decision; the merged
record's page, the survivor's and search after a merge."""

from __future__ import annotations

from typing import Any

import pytest

from whereabouts.access.models import AuditEntry
from whereabouts.linkage.models import DuplicateSuggestion
from whereabouts.register.models import Event

from ..conftest import TODAY
from .dupes import registered
from .leadmaker import make_suggestion


@pytest.fixture(autouse=True)
def _today(settings: Any) -> None:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return make_user("sup.wm", "supervisor")


@pytest.fixture
def records(make_person: Any, make_user: Any) -> tuple[Any, Any, Any]:
    """Robert Smith (West Midlands), Bob Smyth (West Midlands, his duplicate) and Robert
    Smyth (Staffordshire, another duplicate)."""
    staffs = make_user("om.staffs", "offender_manager", "staffordshire")
    smith = registered(make_person, family_name="Smith", given_names="Robert",
                       dob="1980-05-01", ni_number="QQ123456A", convicted="2019-02-01",
                       home=("1 High Street", "Dudley", "DY1 1AA"))
    smyth = registered(make_person, family_name="Smyth", given_names="Bob",
                       dob="1980-05-01", convicted="2023-03-01",
                       home=("22 Canal Side", "Walsall", "WS2 8AA"))
    other = registered(make_person, force="staffordshire", manager=staffs,
                       family_name="Smyth", given_names="Robert", dob="1980-05-01",
                       convicted="2023-04-01", home=("3 Lichfield Road", "Stafford",
                                                     "ST16 2AB"))
    return smith, smyth, other


def test_the_list_shows_pairs_of_my_force_and_offers_a_reason_for_another_forces(
        client, supervisor, records) -> None:
    smith, smyth, other = records
    mine = make_suggestion(smith, smyth)
    across = make_suggestion(smith, other)
    client.force_login(supervisor)
    page = client.get("/duplicates/").content.decode()
    table = page.split('id="duplicates"')[1].split("</table>")[0]
    assert f'href="/duplicates/{mine.pk}/"' in table
    assert f"/duplicates/{across.pk}/" not in page and other.reference not in page
    assert f'href="/people/{other.pk}/reason/"' in page.split('id="other-force"')[1]
    entry = AuditEntry.objects.order_by("-id").first()
    assert set(entry.listed_ids()) == {smith.pk, smyth.pk}
    assert client.get(f"/duplicates/{across.pk}/").status_code == 404
    client.post(f"/people/{other.pk}/reason/", {"reason": "sighting",
                                                "detail": "Possible duplicate identity"})
    assert client.get(f"/duplicates/{across.pk}/").status_code == 200
    assert f'href="/duplicates/{across.pk}/"' in client.get("/duplicates/").content.decode()


def test_the_pair_page_shows_both_records_side_by_side_with_why(client, supervisor,
                                                                records) -> None:
    smith, smyth, _ = records
    pair = make_suggestion(smith, smyth)
    client.force_login(supervisor)
    page = client.get(f"/duplicates/{pair.pk}/").content.decode()
    sides = page.split('id="sides"')[1].split('id="agreed"')[0]
    for text in ("Robert SMITH", "Bob SMYTH", "QQ123456A", "1 High Street", "22 Canal Side",
                 "West Midlands Police", smith.reference, smyth.reference):
        assert text in sides
    assert "First names are forms of the same name (ROBERT / BOB)" in page
    assert 'id="decision-form"' in page
    reads = AuditEntry.objects.filter(what=f"read duplicate identity suggestion {pair.pk}")
    assert set(reads.values_list("person_id", flat=True)) == {smith.pk, smyth.pk}


def test_a_merge_without_a_survivor_or_reason_shows_errors_and_changes_nothing(
        client, supervisor, records) -> None:
    smith, smyth, _ = records
    pair = make_suggestion(smith, smyth)
    client.force_login(supervisor)
    count = Event.objects.count()
    page = client.post(f"/duplicates/{pair.pk}/", {"decision": "merge"}).content.decode()
    assert "Select the record to keep" in page
    assert "Enter why the two records are the same person" in page
    assert Event.objects.count() == count
    assert DuplicateSuggestion.objects.get(pk=pair.pk).status == "open"


def test_merging_from_the_page_links_both_records_and_search_points_to_the_survivor(
        client, supervisor, records) -> None:
    smith, smyth, _ = records
    pair = make_suggestion(smith, smyth)
    client.force_login(supervisor)
    answer = client.post(f"/duplicates/{pair.pk}/", {
        "decision": "merge", "survivor": str(smith.pk),
        "reason": "Same NI number on the PNC"})
    assert answer.status_code == 302 and answer.url == f"/people/{smith.pk}/"
    survivor = client.get(f"/people/{smith.pk}/").content.decode()
    merged_from = survivor.split('id="merged-from"')[1].split("</div>")[0]
    assert f'href="/people/{smyth.pk}/"' in merged_from
    assert f'href="/people/{smyth.pk}/timeline/"' in merged_from
    merged = client.get(f"/people/{smyth.pk}/").content.decode()
    banner = merged.split('id="merged-into"')[1]
    assert f'href="/people/{smith.pk}/">{smith.reference}</a>' in banner
    assert "Same NI number on the PNC" in banner
    assert ">merged<" in merged  # the status
    timeline = client.get(f"/people/{smyth.pk}/timeline/").content.decode()
    assert "Merged into another record" in timeline and "Disposal" in timeline
    found = client.get("/search/", {"name": "Bob Smyth"}).content.decode()
    row = found.split('id="search-results"')[1]
    assert smyth.reference in row and f'href="/people/{smith.pk}/">{smith.reference}' in row
    everyone = client.get("/people/", {"all": "1"}).content.decode()
    assert smith.reference in everyone and smyth.reference not in everyone


def test_a_merged_record_of_another_force_opens_from_the_survivor(client, supervisor,
                                                                  officer, records) -> None:
    smith, _, other = records
    pair = make_suggestion(smith, other)
    client.force_login(supervisor)
    assert client.get(f"/people/{other.pk}/").status_code == 404
    client.post(f"/people/{other.pk}/reason/", {"reason": "sighting",
                                                "detail": "Possible duplicate identity"})
    client.post(f"/duplicates/{pair.pk}/", {"decision": "merge", "survivor": str(smith.pk),
                                            "reason": "Same person"})
    assert Event.objects.filter(person=other, kind="merged.into").exists()
    client.logout()
    client.force_login(officer)  # a new session: no reason given for the merged record
    assert client.get(f"/people/{other.pk}/").status_code == 200
    assert client.get(f"/people/{other.pk}/timeline/").status_code == 200


def test_marking_distinct_from_the_page_keeps_the_pair_decided(client, supervisor,
                                                               records) -> None:
    smith, smyth, _ = records
    pair = make_suggestion(smith, smyth)
    client.force_login(supervisor)
    count = Event.objects.count()
    answer = client.post(f"/duplicates/{pair.pk}/", {"decision": "distinct",
                                                     "reason": "Different PNC IDs"})
    assert answer.status_code == 302
    assert Event.objects.count() == count
    assert DuplicateSuggestion.objects.get(pk=pair.pk).status == "distinct"
    page = client.get("/duplicates/?status=distinct").content.decode()
    assert f'href="/duplicates/{pair.pk}/"' in page and "Marked distinct by sup.wm" in page
    assert 'id="decision-form"' not in client.get(f"/duplicates/{pair.pk}/").content.decode()
