"""Finding people: by name (aliases too, tolerant of spelling), date of birth, identifier and
postcode, only among the people the requesting user may see.

Candidates come from the search keys (``search_keys.py``) by index, always inside
``access.policy.searchable_people(user)``; only those few are scored in Python. Every field that
is filled in must match (a name *and* a date of birth narrows the search). One query per
field filled in, one to read the people found: the count does not grow with the results.

How a name word matches a word of a person's name, best first (each person is scored on the
name or alias that matches best, and every word typed must match a word of that one name):

==========  ====================================================  ========
exact       the same letters (case, accents, hyphens, apostrophes  1.0
            ignored)
begins      what was typed is the start of the word (``Jo``,       0.90–0.95
            ``Smi``)
sounds      same Metaphone or NYSIIS key, or same Soundex and      0.70–0.85
            close in spelling (Jaro-Winkler at least 0.8)
spelt       close in spelling (Jaro-Winkler at least 0.85, or one  0.50–0.65
            letter added, dropped, changed or swapped)
==========  ====================================================  ========

A typing slip is found when the word still shares a phonetic key or its first two letters
with the name (which is nearly always, Soundex keeping the first letter and dropping vowels);
a slip in the first two letters that also changes the sound is not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import jellyfish
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from whereabouts.access import policy

from .models import Person, SearchKey, SearchKeyKind
from .search_keys import (
    NAME_KINDS,
    identifier_tokens,
    name_words,
    normal_postcode,
    sounds,
)

#: At most this many people are shown, best first; a broader search asks for more detail.
MAX_RESULTS = 500
DOB_SWAPPED = 0.8
IDENTIFIER_LABELS = {SearchKeyKind.PNC: "PNC ID", SearchKeyKind.CRO: "CRO number",
                     SearchKeyKind.NI: "National Insurance number",
                     SearchKeyKind.PASSPORT: "passport number"}

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class SearchQuery:
    """What was typed. Empty fields are not searched on."""

    name: str = ""
    date_of_birth: dt.date | None = None
    identifier: str = ""
    postcode: str = ""
    every_force: bool = False

    @property
    def empty(self) -> bool:
        return not (self.words or self.date_of_birth or self.identifier.strip()
                    or normal_postcode(self.postcode))

    @property
    def words(self) -> list[str]:
        """The name's words, folded, without repeats, in the order typed."""
        return list(dict.fromkeys(token for _, token in name_words(self.name)))

    def describe(self) -> str:
        """What was searched for, for the audit log (what the user typed, nothing found)."""
        parts = []
        if self.name.strip():
            parts.append(f"name {self.name.strip()!r}")
        if self.date_of_birth:
            parts.append(f"date of birth {self.date_of_birth.isoformat()}")
        if self.identifier.strip():
            parts.append(f"identifier {self.identifier.strip()!r}")
        if self.postcode.strip():
            parts.append(f"postcode {normal_postcode(self.postcode)!r}")
        return ", ".join(parts) + (" in every force" if self.every_force else "")


@dataclass
class Hit:
    """One person found: how well and why."""

    person: Person
    score: float
    why: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int  # before the cut to MAX_RESULTS

    @property
    def cut(self) -> bool:
        return self.total > len(self.hits)


# -- names -------------------------------------------------------------------------------------
def _starting(prefix: str) -> Q:
    """Folded words that start with ``prefix``: a range, not LIKE, so that the index serves it
    on SQLite and PostgreSQL alike (the bound is the prefix with its last letter moved on)."""
    stripped = prefix.rstrip("Z")
    if not stripped:
        return Q(token__gte=prefix)
    return Q(token__gte=prefix, token__lt=stripped[:-1] + chr(ord(stripped[-1]) + 1))


def _name_filter(words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition |= _starting(word)
        if len(word) < 2:
            continue  # an initial: only names that begin with it
        metaphone, nysiis, soundex = sounds(word)
        for column, key in (("metaphone", metaphone), ("nysiis", nysiis),
                            ("soundex", soundex)):
            if key:
                condition |= Q(**{column: key})
        if len(word) >= 4:
            condition |= _starting(word[:2])  # slips after the first two letters
    return condition


def word_match(word: str, token: str, keys: tuple[str, str, str]) -> tuple[float, str] | None:
    """How well a typed word matches a stored word: (score, exact|begins|sounds|spelt)."""
    if token == word:
        return 1.0, "exact"
    if token.startswith(word):
        return 0.9 + 0.05 * len(word) / len(token), "begins"
    if len(word) < 2:
        return None
    similarity = jellyfish.jaro_winkler_similarity(word, token)
    metaphone, nysiis, soundex = sounds(word)
    if ((metaphone and metaphone == keys[0]) or (nysiis and nysiis == keys[1])
            or (soundex == keys[2] and similarity >= 0.8)):
        return 0.7 + 0.15 * similarity, "sounds"
    if similarity >= 0.85 or (len(word) >= 4 and
                              jellyfish.damerau_levenshtein_distance(word, token) <= 1):
        return 0.5 + 0.15 * similarity, "spelt"
    return None


def _describe_name(matches: list[tuple[str, str, str, str]], alias: bool) -> str:
    """``sounds like SMYTHE (alias)``: the words not typed exactly; ``name`` if all were."""
    parts = []
    for how, word, value, kind in matches:
        shown = value.upper() if kind == SearchKeyKind.FAMILY else value
        if how == "begins":
            parts.append(f"{shown} begins {word}")
        elif how == "sounds":
            parts.append(f"sounds like {shown}")
        elif how == "spelt":
            parts.append(f"spelt like {shown}")
    if not parts:
        return "alias" if alias else "name"
    return ", ".join(parts) + (" (alias)" if alias else "")


def _by_name(visible: Any, words: list[str]) -> dict[int, tuple[float, str]]:
    rows = (SearchKey.objects.filter(_name_filter(words), kind__in=NAME_KINDS,
                                     person__in=visible)
            .values_list("person_id", "alias_id", "kind", "value", "token", "metaphone",
                         "nysiis", "soundex"))
    names: dict[tuple[int, int | None], list[tuple[Any, ...]]] = defaultdict(list)
    for person_id, alias_id, *rest in rows:
        names[(person_id, alias_id)].append(tuple(rest))
    found: dict[int, tuple[float, str]] = {}
    for (person_id, alias_id), stored in names.items():
        total, matches = 0.0, []
        for word in words:
            best: tuple[float, str, str, str] | None = None
            for kind, value, token, *keys in stored:
                scored = word_match(word, token, tuple(keys))  # type: ignore[arg-type]
                if scored and (best is None or scored[0] > best[0]):
                    best = (scored[0], scored[1], value, kind)
            if best is None:
                break  # every word typed must match a word of this one name
            total += best[0]
            matches.append((best[1], word, best[2], best[3]))
        else:
            score = total / len(words)
            # The best name wins; on a tie, the current name rather than an alias.
            if (person_id not in found or score > found[person_id][0]
                    or (score == found[person_id][0] and alias_id is None)):
                found[person_id] = (score, _describe_name(matches, alias_id is not None))
    return found


# -- the other fields --------------------------------------------------------------------------
def _swapped(day: dt.date) -> dt.date | None:
    if day.day > 12 or day.day == day.month:
        return None
    return dt.date(day.year, day.day, day.month)


def _by_date_of_birth(visible: Any, born: dt.date) -> dict[int, tuple[float, str]]:
    swapped = _swapped(born)
    dates = [born] + ([swapped] if swapped else [])
    found = {}
    for person_id, dob in visible.filter(date_of_birth__in=dates).values_list(
            "pk", "date_of_birth"):
        found[person_id] = ((1.0, "date of birth") if dob == born else
                            (DOB_SWAPPED, "date of birth with day and month swapped"))
    return found


def _by_identifier(visible: Any, text: str) -> dict[int, tuple[float, str]]:
    condition = Q()
    for kind, token in identifier_tokens(text).items():
        condition |= Q(kind=kind, token=token)
    found = {}
    for person_id, kind in SearchKey.objects.filter(condition, person__in=visible).values_list(
            "person_id", "kind"):
        found[person_id] = (1.0, IDENTIFIER_LABELS[SearchKeyKind(kind)])
    return found


def _by_postcode(visible: Any, text: str) -> dict[int, tuple[float, str]]:
    postcode = normal_postcode(text)
    if " " in postcode:
        condition = Q(kind=SearchKeyKind.POSTCODE, token=postcode)
        why = f"postcode {postcode}"
    else:  # a district: any address in it, or an address known only by its district
        condition = Q(kind__in=(SearchKeyKind.POSTCODE, SearchKeyKind.DISTRICT), token=postcode)
        why = f"postcode district {postcode}"
    people = SearchKey.objects.filter(condition, person__in=visible).values_list(
        "person_id", flat=True)
    return dict.fromkeys(people, (1.0, why))


# -- the search --------------------------------------------------------------------------------
def search_people(user: User, query: SearchQuery) -> SearchResult:
    """The people ``user`` may see who match every field of ``query``, best first."""
    visible = policy.searchable_people(user, every_force=query.every_force)
    if query.empty:
        return SearchResult([], 0)
    found: list[dict[int, tuple[float, str]]] = []
    words = query.words
    if words:
        found.append(_by_name(visible, words))
    if query.date_of_birth:
        found.append(_by_date_of_birth(visible, query.date_of_birth))
    if query.identifier.strip():
        found.append(_by_identifier(visible, query.identifier))
    if normal_postcode(query.postcode):
        found.append(_by_postcode(visible, query.postcode))
    common = set(found[0]).intersection(*found[1:])
    scored = sorted(((sum(f[pid][0] for f in found) / len(found), pid) for pid in common),
                    key=lambda pair: (-pair[0], pair[1]))
    best = dict((pid, score) for score, pid in scored[:MAX_RESULTS])
    people = visible.filter(pk__in=list(best)).select_related("force") if best else []
    hits = [Hit(person, best[person.pk], [f[person.pk][1] for f in found]) for person in people]
    hits.sort(key=lambda h: (-round(h.score, 6), h.person.family_name, h.person.given_names,
                             h.person.reference))
    return SearchResult(hits, len(common))


__all__ = ["MAX_RESULTS", "Hit", "SearchQuery", "SearchResult", "search_people", "word_match"]
