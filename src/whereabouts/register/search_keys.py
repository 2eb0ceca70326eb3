"""Search keys: each person's names, identifiers and postcodes, normalised and indexed.

A search must not read every person (55,000 nationally) to score them in Python, so each
searchable thing is kept as a :class:`~whereabouts.register.models.SearchKey` row: a name word
with its phonetic keys (Metaphone, NYSIIS and Soundex, from ``jellyfish``), an identifier in
one canonical form, a postcode in one spelling. The search asks the index for the few rows that
share a key with what was typed and scores only those.

The rows are derived data, never the record: :func:`refresh_person` rebuilds one person's rows
from their current name, identifiers, live aliases and live addresses (a corrected or withdrawn
entry's are left out), and the register's services call it whenever one of those changes.
:func:`rebuild_all` does everyone (the backfill migration and ``whereabouts search-keys``);
the demo loader makes the same rows with :func:`keys_for` as it writes each person.

The normalising functions here are pure, so a query is normalised exactly as the stored value.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import jellyfish

from .models import SearchKeyKind

#: (alias id or None, kind, value as written, token, metaphone, nysiis, soundex)
KeyRow = tuple[int | None, str, str, str, str, str, str]
NAME_KINDS = (SearchKeyKind.FAMILY.value, SearchKeyKind.GIVEN.value)
IDENTIFIER_KINDS = (SearchKeyKind.PNC.value, SearchKeyKind.CRO.value, SearchKeyKind.NI.value,
                    SearchKeyKind.PASSPORT.value)

_NOT_LETTER = re.compile(r"[^A-Z]")
_WORD_BREAK = re.compile(r"[\s\-]+")
_SPACES = re.compile(r"[\s\-.]+")
# PNC ID: year (2 or 4 digits) / serial (up to 7 digits) and a check letter: 2001/0123456X.
_PNC = re.compile(r"^(\d{2}|\d{4})/?(\d{1,7})([A-Z])$")
# CRO number: serial (up to 6 digits) / year (2 digits) and a check letter: 123456/01X.
_CRO = re.compile(r"^(\d{1,6})/(\d{2})([A-Z])$")
# A full postcode ends in its inward code: a digit and two letters.
_INWARD = re.compile(r"\d[A-Z]{2}$")


def fold(text: str) -> str:
    """Upper case, accents taken off (É -> E), anything but A to Z dropped (O'Brien -> OBRIEN)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_LETTER.sub("", plain.upper())


def name_words(text: str) -> list[tuple[str, str]]:
    """Each word of a name as written and folded; hyphenated names give one word per part."""
    out = []
    for word in _WORD_BREAK.split(text.strip()):
        token = fold(word)
        if token:
            out.append((word, token))
    return out


@lru_cache(maxsize=100_000)
def sounds(token: str) -> tuple[str, str, str]:
    """Metaphone, NYSIIS and Soundex of a folded word. Names repeat, so this is cached."""
    return jellyfish.metaphone(token), jellyfish.nysiis(token), jellyfish.soundex(token)


def compact(text: str) -> str:
    """Upper case with spaces, hyphens and full stops taken out."""
    return _SPACES.sub("", text.upper())


def normal_pnc(text: str) -> str | None:
    """A PNC ID in one form (2-digit year, serial without leading zeros): 2001/0123456X and
    01/123456x both give 01/123456X. None if it is not shaped like one."""
    found = _PNC.match(compact(text))
    if found is None:
        return None
    year, serial, letter = found.groups()
    return f"{year[-2:]}/{int(serial)}{letter}"


def normal_cro(text: str) -> str | None:
    """A CRO number in one form (serial without leading zeros): 012345/01X gives 12345/01X."""
    found = _CRO.match(compact(text))
    if found is None:
        return None
    serial, year, letter = found.groups()
    return f"{int(serial)}/{year}{letter}"


def identifier_token(kind: str, text: str) -> str:
    """How an identifier of ``kind`` is stored and looked up."""
    if kind == SearchKeyKind.PNC:
        return normal_pnc(text) or compact(text)
    if kind == SearchKeyKind.CRO:
        return normal_cro(text) or compact(text)
    return compact(text)


def identifier_tokens(text: str) -> dict[str, str]:
    """What a typed identifier could be, kind by kind: one box takes any of the four."""
    if not compact(text):
        return {}
    return {kind: identifier_token(kind, text) for kind in IDENTIFIER_KINDS}


def normal_postcode(text: str) -> str:
    """One spelling of a postcode: upper case, one space before the inward code (b129qt and
    'B12  9QT' give 'B12 9QT'); an outward code alone ('b12') stays as it is ('B12')."""
    squeezed = compact(text)
    if len(squeezed) >= 5 and _INWARD.search(squeezed):
        return f"{squeezed[:-3]} {squeezed[-3:]}"
    return squeezed


def _name_rows(alias_id: int | None, family: str, given: str) -> list[KeyRow]:
    rows = []
    for kind, text in ((SearchKeyKind.FAMILY, family), (SearchKeyKind.GIVEN, given)):
        for word, token in name_words(text):
            rows.append((alias_id, kind.value, word[:150], token[:150], *sounds(token[:150])))
    return rows


def keys_for(*, family_name: str, given_names: str, pnc_id: str = "", cro_number: str = "",
             ni_number: str = "", passport_number: str = "",
             aliases: Iterable[tuple[int, str, str]] = (),
             postcodes: Iterable[str] = ()) -> list[KeyRow]:
    """Every search key of one person, without repeats. ``aliases`` are (id, family, given)."""
    rows = _name_rows(None, family_name, given_names)
    for alias_id, family, given in aliases:
        rows.extend(_name_rows(alias_id, family, given))
    for kind, text in ((SearchKeyKind.PNC, pnc_id), (SearchKeyKind.CRO, cro_number),
                       (SearchKeyKind.NI, ni_number), (SearchKeyKind.PASSPORT, passport_number)):
        if compact(text or ""):
            rows.append((None, kind.value, text, identifier_token(kind, text), "", "", ""))
    for postcode in postcodes:
        token = normal_postcode(postcode or "")
        if token:
            rows.append((None, SearchKeyKind.POSTCODE.value, token, token, "", "", ""))
            if " " in token:  # the district (outward code) too, so that "B12" finds it
                district = token.split()[0]
                rows.append((None, SearchKeyKind.DISTRICT.value, district, district, "", "",
                             ""))
    unique: dict[tuple[Any, ...], KeyRow] = {}
    for row in rows:
        unique.setdefault((row[0], row[1], row[3]), row)
    return list(unique.values())


# -- writing the rows --------------------------------------------------------------------------
def _models(apps: Any = None) -> tuple[Any, ...]:
    """The register's models, or their historical versions inside a migration."""
    if apps is None:
        from .models import Address, Alias, Event, Person, SearchKey

        return Person, Alias, Address, Event, SearchKey
    return tuple(apps.get_model("register", name)
                 for name in ("Person", "Alias", "Address", "Event", "SearchKey"))


def _superseded(event_model: Any, person_ids: Iterable[int] | None = None) -> set[int]:
    qs = event_model.objects.filter(supersedes__isnull=False)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    return set(qs.values_list("supersedes_id", flat=True))


def refresh_person(person_id: int) -> int:
    """Rebuild one person's search keys from their record as it now stands."""
    person_model, alias_model, address_model, event_model, key_model = _models()
    person = person_model.objects.get(pk=person_id)
    gone = _superseded(event_model, [person_id])
    aliases = [(a.pk, a.family_name, a.given_names)
               for a in alias_model.objects.filter(person_id=person_id).exclude(event_id__in=gone)]
    postcodes = address_model.objects.filter(person_id=person_id).exclude(
        event_id__in=gone).values_list("postcode", flat=True)
    rows = keys_for(family_name=person.family_name, given_names=person.given_names,
                    pnc_id=person.pnc_id, cro_number=person.cro_number,
                    ni_number=person.ni_number, passport_number=person.passport_number,
                    aliases=aliases, postcodes=postcodes)
    key_model.objects.filter(person_id=person_id).delete()
    key_model.objects.bulk_create([_row(key_model, person_id, row) for row in rows])
    return len(rows)


def _row(key_model: Any, person_id: int, row: KeyRow) -> Any:
    alias_id, kind, value, token, metaphone, nysiis, soundex = row
    return key_model(person_id=person_id, alias_id=alias_id, kind=kind, value=value,
                     token=token, metaphone=metaphone, nysiis=nysiis, soundex=soundex)


def rebuild_all(apps: Any = None, *, chunk: int = 5000) -> int:
    """Every person's search keys, rebuilt from scratch; returns the number of rows."""
    person_model, alias_model, address_model, event_model, key_model = _models(apps)
    key_model.objects.all().delete()
    gone = _superseded(event_model)
    aliases: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for pk, person_id, event_id, family, given in alias_model.objects.values_list(
            "pk", "person_id", "event_id", "family_name", "given_names").iterator(chunk):
        if event_id not in gone:
            aliases[person_id].append((pk, family, given))
    postcodes: dict[int, list[str]] = defaultdict(list)
    for person_id, event_id, postcode in address_model.objects.values_list(
            "person_id", "event_id", "postcode").iterator(chunk):
        if event_id not in gone and postcode:
            postcodes[person_id].append(postcode)
    total, batch = 0, []
    people = person_model.objects.order_by("pk").values_list(
        "pk", "family_name", "given_names", "pnc_id", "cro_number", "ni_number",
        "passport_number")
    for pk, family, given, pnc, cro, ni, passport in people.iterator(chunk):
        for row in keys_for(family_name=family, given_names=given, pnc_id=pnc, cro_number=cro,
                            ni_number=ni, passport_number=passport, aliases=aliases.get(pk, ()),
                            postcodes=postcodes.get(pk, ())):
            batch.append(_row(key_model, pk, row))
        if len(batch) >= chunk:
            key_model.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    key_model.objects.bulk_create(batch)
    return total + len(batch)
