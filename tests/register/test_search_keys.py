"""Search keys: one spelling for each identifier and postcode, and kept in step with the record."""

from __future__ import annotations

from typing import Any

import pytest

from whereabouts.register import services
from whereabouts.register.models import SearchKey
from whereabouts.register.search_keys import (
    name_words,
    normal_cro,
    normal_pnc,
    normal_postcode,
    rebuild_all,
)
from whereabouts.register.services import AddressInput

from ..conftest import TODAY


@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("2001/0123456X", "01/123456X", id="a PNC ID with a four-digit year"),
    pytest.param("01/123456x", "01/123456X", id="a PNC ID with a small check letter"),
    pytest.param("01/0123456X", "01/123456X", id="a PNC ID with a leading zero"),
    pytest.param("01 123456 X", "01/123456X", id="a PNC ID with spaces for the slash"),
    pytest.param("hello", None, id="a word is no PNC ID"),
])
def test_pnc_ids_have_one_spelling(typed, stored):
    assert normal_pnc(typed) == stored


@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("012345/01Y", "12345/01Y", id="a CRO number with a leading zero"),
    pytest.param("12345/01y", "12345/01Y", id="a CRO number with a small check letter"),
    pytest.param("SF95/123456A", None, id="a fingerprint-form CRO number is kept as typed"),
])
def test_cro_numbers_have_one_spelling(typed, stored):
    assert normal_cro(typed) == stored


@pytest.mark.parametrize(("typed", "stored"), [
    pytest.param("b129qt", "B12 9QT", id="a postcode without a space"),
    pytest.param(" B12   9QT ", "B12 9QT", id="a postcode with extra spaces"),
    pytest.param("sw1a1aa", "SW1A 1AA", id="a postcode with a letter in its district"),
    pytest.param("b12", "B12", id="a district alone"),
])
def test_postcodes_have_one_spelling(typed, stored):
    assert normal_postcode(typed) == stored


@pytest.mark.parametrize(("name", "words"), [
    pytest.param("O'Brien", ["OBRIEN"], id="an apostrophe is dropped"),
    pytest.param("Smith-Jones", ["SMITH", "JONES"], id="a hyphenated name gives both words"),
    pytest.param("Zoë  Ann", ["ZOE", "ANN"], id="accents and extra spaces are dropped"),
])
def test_names_are_split_into_folded_words(name, words):
    assert [token for _, token in name_words(name)] == words


def keys(person: Any) -> set[tuple[str, str]]:
    return set(SearchKey.objects.filter(person=person).values_list("kind", "token"))


def test_a_change_of_identity_changes_the_keys(make_person):
    person = make_person(family_name="Before", given_names="Alex")
    services.event_record(person_id=person.pk, kind="identity", effective_date=TODAY,
                         today=TODAY, recorded_by=None, source="test",
                         details={"family_name": "After", "ni_number": "QQ123456A"})
    assert ("family", "AFTER") in keys(person) and ("family", "BEFORE") not in keys(person)
    assert ("ni", "QQ123456A") in keys(person)


def test_a_withdrawn_notification_takes_its_postcode_away(make_person):
    person = make_person()
    note = services.event_record(
        person_id=person.pk, kind="notification.initial", effective_date="2020-01-01",
        today=TODAY, recorded_by=None, source="test",
        addresses=[AddressInput(kind="home", line1="1 Wrong Street", town="Dudley",
                                postcode="DY1 1AA")])
    assert ("postcode", "DY1 1AA") in keys(person) and ("district", "DY1") in keys(person)
    services.event_record(person_id=person.pk, kind="void", effective_date="2020-01-01",
                         today=TODAY, recorded_by=None, source="test", supersedes=note.pk,
                         reason="Wrong person")
    assert not {kind for kind, _ in keys(person)} & {"postcode", "district"}


def test_rebuilding_everyone_gives_the_keys_the_services_keep(make_person):
    people = [make_person(family_name=f"Name{c}", pnc_id=f"0{i}/1{i}A")
              for i, c in enumerate("abc")]
    before = {p.pk: keys(p) for p in people}
    assert rebuild_all() == sum(len(k) for k in before.values())
    assert {p.pk: keys(p) for p in people} == before
