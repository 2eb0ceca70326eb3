"""Synthetic partner extracts with known answers: for the demo, the tests and the benchmarks.

Records are derived from register people with the corruption real extracts show: typing
slips, nicknames, day and month of birth swapped, double-barrelled and changed surnames, a
move to an address the police were not told of, NI numbers missing; and unrelated people
mixed in. All synthetic: the register they come from is the generated demo register.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .engine import NICKNAMES

#: Root name -> its short forms, for the other direction of :data:`engine.NICKNAMES`.
SHORT_FORMS: dict[str, list[str]] = {}
for _form, _root in NICKNAMES.items():
    if _form != _root:
        SHORT_FORMS.setdefault(_root, []).append(_form)

FORENAMES = ["Paul", "Mark", "Gary", "Lee", "Kevin", "Darren", "Wayne", "Craig", "Stuart",
             "Neil", "Shaun", "Carl", "Dean", "Glen", "Ian", "Jason", "Keith", "Martin",
             "Sarah", "Claire", "Emma", "Louise", "Joanne", "Nicola", "Lisa", "Kelly"]
SURNAMES = ["Taylor", "Brown", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Evans",
            "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
            "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris", "King", "Baker", "Patel",
            "Khan", "Begum", "Hussain", "Ali", "Singh", "Kaur", "Murphy", "Kelly", "Byrne"]
STREETS = ["Canal Side", "Station Road", "Church Lane", "Mill Street", "Park View",
           "Victoria Road", "Albert Street", "Queens Road", "The Crescent", "Oak Avenue"]
#: Postcode districts of the West Midlands, for the new addresses.
DISTRICTS = ["B6", "B7", "B8", "B9", "B10", "B11", "B12", "B19", "B21", "B23", "B33", "B44",
             "CV1", "CV2", "CV6", "DY1", "DY2", "DY4", "WS1", "WS2", "WS10", "WV1", "WV2",
             "WV10", "WV14"]
HEADER = ["REF", "SURNAME", "FORENAMES", "PREVIOUS_SURNAME", "DOB", "NINO", "ADDRESS1",
          "POSTCODE", "TENANCY_START"]
MAPPING = {"columns": {"source_id": "REF", "family_name": "SURNAME",
                       "given_names": "FORENAMES", "earlier_family_names": "PREVIOUS_SURNAME",
                       "date_of_birth": "DOB", "ni_number": "NINO", "address_line": "ADDRESS1",
                       "postcode": "POSTCODE", "date_from": "TENANCY_START"},
           "date_format": "%d/%m/%Y"}


@dataclass
class Source:
    """A register person as the generator needs them."""

    person_id: int
    forename: str
    surname: str
    dob: dt.date
    ni: str
    postcode: str
    address: str


@dataclass
class Row:
    ref: str
    surname: str
    forenames: str
    previous: str
    dob: dt.date
    ni: str
    address: str
    postcode: str
    start: dt.date | None
    person_id: int | None  # the truth: who it really is, or None for an unrelated person
    changes: tuple[str, ...] = ()

    def as_csv(self) -> list[str]:
        return [self.ref, self.surname, self.forenames, self.previous, f"{self.dob:%d/%m/%Y}",
                self.ni, self.address, self.postcode,
                f"{self.start:%d/%m/%Y}" if self.start else ""]


def typo(rng: random.Random, word: str) -> str:
    """One slip: a letter swapped with the next, dropped, doubled or replaced."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    vowels = "AEIOUY" if word.isupper() else "aeiouy"
    return word[:i] + rng.choice(vowels) + word[i + 1:]


def swap_day_month(dob: dt.date) -> dt.date | None:
    if dob.day > 12 or dob.day == dob.month:
        return None
    return dt.date(dob.year, dob.day, dob.month)


def new_address(rng: random.Random) -> tuple[str, str]:
    district = rng.choice(DISTRICTS)
    return (f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
            f"{district} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}")


def derive(rng: random.Random, source: Source, ref: str, *, since: dt.date, until: dt.date,
           moved: bool = True, strength: float = 0.35) -> Row:
    """A partner record of ``source``, corrupted; each kind of corruption with probability
    ``strength``, and a move to a new address (tenancy starting between the dates)."""
    forename, surname, dob, ni, previous = source.forename, source.surname, source.dob, \
        source.ni, ""
    changes: list[str] = []
    if rng.random() < strength and SHORT_FORMS.get(forename.upper()):
        forename = rng.choice(SHORT_FORMS[forename.upper()]).title()
        changes.append("nickname")
    elif rng.random() < strength / 2:
        forename = typo(rng, forename)
        changes.append("forename typo")
    roll = rng.random()
    if roll < strength / 3:
        surname = typo(rng, surname)
        changes.append("surname typo")
    elif roll < strength / 2:
        surname = f"{surname}-{rng.choice(SURNAMES)}"
        changes.append("double-barrelled")
    elif roll < strength * 2 / 3:
        previous, surname = surname, rng.choice(SURNAMES)
        changes.append("changed surname, earlier given")
    if rng.random() < strength / 2 and (swapped := swap_day_month(dob)) is not None:
        dob = swapped
        changes.append("day and month swapped")
    if ni and rng.random() < strength:
        ni = ""
        changes.append("no NI number")
    if moved:
        address, postcode = new_address(rng)
        start = since + dt.timedelta(days=rng.randrange(max(1, (until - since).days)))
        changes.append("moved")
    else:
        address, postcode, start = source.address, source.postcode, None
    return Row(ref, surname, forename, previous, dob, ni, address, postcode, start,
               source.person_id, tuple(changes))


def unrelated(rng: random.Random, ref: str, until: dt.date) -> Row:
    address, postcode = new_address(rng)
    dob = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(22000))
    return Row(ref, rng.choice(SURNAMES), rng.choice(FORENAMES), "", dob, "", address,
               postcode, until - dt.timedelta(days=rng.randrange(1, 700)), None)


def write_csv(path: Path, rows: Iterable[Row]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(row.as_csv() for row in rows)
    return path
