"""A small register and a housing extract with known answers, built through the services."""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whereabouts.linkage.extracts import import_extract
from whereabouts.linkage.models import PartnerExtract
from whereabouts.missing import services as missing
from whereabouts.register import services
from whereabouts.register.services import AddressInput

from ..conftest import TODAY

FORENAMES = ["Paul", "Mark", "Gary", "Lee", "Kevin", "Darren", "Wayne", "Craig", "Stuart",
             "Neil", "Shaun", "Carl", "Dean", "Glen", "Ian", "Jason", "Keith", "Martin"]
SURNAMES = ["Taylor", "Brown", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Evans",
            "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
            "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris", "King", "Baker"]
HEADER = ["REF", "SURNAME", "FORENAMES", "PREVIOUS", "DOB", "NINO", "ADDR1", "POSTCODE",
          "START"]
MAPPING = {"columns": {"source_id": "REF", "family_name": "SURNAME", "given_names": "FORENAMES",
                       "earlier_family_names": "PREVIOUS", "date_of_birth": "DOB",
                       "ni_number": "NINO", "address_line": "ADDR1", "postcode": "POSTCODE",
                       "date_from": "START"}}


@dataclass
class Scenario:
    missing: Any  # Robert Smith: missing; the extract has "Bob Smyth", dob day/month swapped
    moved: Any  # Karen Price, once Karen Hollis: a tenancy under the old name, undeclared
    known: Any  # Dean Walsh: at the address he notified
    extract: PartnerExtract


def _address(person: Any, line1: str, town: str, postcode: str, on: str) -> None:
    services.event_record(person_id=person.pk, kind="notification.initial", effective_date=on,
                          today=TODAY, recorded_by=None, source="test",
                          addresses=[AddressInput(kind="home", line1=line1, town=town,
                                                  postcode=postcode)])


def extract_only(tmp_path: Path) -> PartnerExtract:
    """An extract of one row (for what is refused before any matching)."""
    path = tmp_path / "one.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, ["H1", "Smyth", "Bob", "", "05/01/1980", "", "", "",
                                          ""]])
    return import_extract(path=path, agency="DWP", today=TODAY, actor=None,
                          mapping={**MAPPING, "date_format": "%d/%m/%Y"})


def build(make_person: Any, supervisor: Any, tmp_path: Path, *, filler: int = 12,
          namesake: bool = False) -> Scenario:
    """``namesake``: add H5, a Dean Walshe born the same year on another day, elsewhere, with
    no NI number: a pair scored below the threshold but above a half (a candidate)."""
    rng = random.Random(5)
    smith = make_person(family_name="Smith", given_names="Robert James", dob="1980-05-01",
                        ni_number="QQ123456A")
    _address(smith, "1 High Street", "Dudley", "DY1 1AA", "2020-01-01")
    missing.record_missing(person_id=smith.pk, recorded_on="2024-03-20",
                           missing_since="2024-03-10", basis="Not at his address", risk="high",
                           actor=supervisor, today=TODAY)
    price = make_person(family_name="Price", given_names="Karen", dob="1975-03-14", sex="F")
    services.event_record(person_id=price.pk, kind="identity", effective_date="2020-01-01",
                          today=TODAY, recorded_by=None, source="test",
                          aliases=[("Hollis", "Karen", dt.date(1995, 1, 1),
                                    dt.date(2010, 1, 1))])
    _address(price, "4 Mill Lane", "Wolverhampton", "WV1 1AA", "2020-01-01")
    walsh = make_person(family_name="Walsh", given_names="Dean", dob="1969-11-23",
                        ni_number="QQ654321B")
    _address(walsh, "9 Park Road", "Walsall", "WS1 2AB", "2020-01-01")
    rows = [
        ["H1", "Smyth", "Bob", "", "05/01/1980", "QQ123456A", "22 Canal Side", "WS2 8AA",
         "01/04/2024"],
        ["H2", "Hollis", "Karen", "", "14/03/1975", "", "7 Tower Street", "B12 9AA",
         "15/04/2024"],
        ["H3", "Walsh", "Dean", "", "23/11/1969", "QQ654321B", "9 Park Road", "WS1 2AB",
         "01/01/2021"],
        ["H4", "Lonely", "Nobody", "", "not a date", "", "", "", ""],
    ]
    if namesake:
        rows.append(["H5", "Walshe", "Dean", "", "02/07/1969", "", "5 Elm Road", "B20 1XY",
                     "01/03/2024"])
    for i in range(filler):
        fore, sur = rng.choice(FORENAMES), rng.choice(SURNAMES)
        dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))
        person = make_person(family_name=sur, given_names=fore, dob=dob.isoformat())
        _address(person, f"{i + 10} Church Road", "Dudley", f"DY{i % 9 + 1} 3AB", "2019-06-01")
        other = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))
        rows.append([f"U{i}", rng.choice(SURNAMES) + "s", rng.choice(FORENAMES), "",
                     f"{other:%d/%m/%Y}", "", f"{i + 3} Station Road", f"B{i % 20 + 1} 4CD",
                     "01/02/2024"])
    path = tmp_path / "housing.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    extract = import_extract(path=path, agency="Walsall Housing", today=TODAY, actor=None,
                             mapping={**MAPPING, "date_format": "%d/%m/%Y"})
    return Scenario(smith, price, walsh, extract)
