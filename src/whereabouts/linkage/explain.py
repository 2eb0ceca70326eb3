"""Plain English for a scored pair: what agreed and what did not, field by field.

Splink gives each comparison a level (its ``gamma_`` column) and a match weight (``mw_``):
log2 of how much more often that level is seen for the same person than for two people.
Each item here says the level in words, with both sides' values, and whether it counted
for or against the match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .engine import LEVELS


@dataclass(frozen=True)
class Values:
    """What one side said, for the sentences."""

    forename: str
    surname: str
    dob: dt.date
    ni: str
    postcode: str
    address: str


def _d(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


#: The postcode's words for two records of the register (a duplicate identity), where
#: neither side is "their notified address" against a partner's record.
_BETWEEN_RECORDS = {
    "exact": "postcode of the current addresses agrees ({theirs})",
    "history": "postcode is one of the other record's addresses, current or earlier "
               "({theirs})",
    "else": "postcodes differ, current and earlier ({pair})",
}


def sentence(field: str, level: str, ours: Values, theirs: Values, *,
             records: bool = False) -> str:
    """One comparison's level in words; ``ours`` is the register, ``theirs`` the partner
    (with ``records``, both are records of the register: a duplicate identity)."""
    if records and field == "postcode" and level in _BETWEEN_RECORDS:
        return _BETWEEN_RECORDS[level].format(
            theirs=theirs.postcode, pair=f"{ours.postcode or 'none'} / {theirs.postcode}")
    pair = {
        "surname": f"{ours.surname} / {theirs.surname}",
        "forename": f"{ours.forename} / {theirs.forename}",
        "dob": f"{_d(ours.dob)} / {_d(theirs.dob)}",
        "ni": f"{ours.ni} / {theirs.ni}",
        "postcode": f"{ours.postcode or 'none'} / {theirs.postcode}",
        "address": f"{ours.address or 'none'} / {theirs.address}",
    }[field]
    words: dict[tuple[str, str], str] = {
        ("surname", "exact"): f"family name agrees ({theirs.surname})",
        ("surname", "similar"): f"family name is spelt slightly differently ({pair})",
        ("surname", "part"): f"one family name is part of the other ({pair}), as with a "
                             f"double-barrelled or changed name",
        ("surname", "somewhat"): f"family name is only somewhat similar ({pair})",
        ("surname", "else"): f"family name differs ({pair})",
        ("surname", "null"): "family name is missing on one side",
        ("forename", "exact"): f"first name agrees ({theirs.forename})",
        ("forename", "nickname"): f"first names are forms of the same name ({pair})",
        ("forename", "similar"): f"first name is spelt slightly differently ({pair})",
        ("forename", "initial"): f"only the first initial agrees ({pair})",
        ("forename", "else"): f"first name differs ({pair})",
        ("forename", "null"): "first name is missing on one side",
        ("dob", "exact"): f"date of birth agrees ({_d(theirs.dob)})",
        ("dob", "transposed"): f"date of birth agrees with day and month swapped ({pair})",
        ("dob", "one_digit"): f"date of birth differs by one digit ({pair})",
        ("dob", "same_year"): f"only the year of birth agrees ({pair})",
        ("dob", "else"): f"date of birth differs ({pair})",
        ("dob", "null"): "date of birth is missing on one side",
        ("ni", "exact"): f"National Insurance number agrees ({theirs.ni})",
        ("ni", "else"): f"National Insurance number differs ({pair})",
        ("ni", "null"): "no National Insurance number on one side",
        ("postcode", "exact"): f"postcode agrees with their notified address ({theirs.postcode})",
        ("postcode", "history"): f"postcode is one they notified before ({theirs.postcode})",
        ("postcode", "district"): f"postcode district agrees ({pair})",
        ("postcode", "else"): f"postcode differs: not an address they notified ({pair})",
        ("postcode", "null"): "no postcode on one side",
        ("address", "similar"): f"first line of the address agrees ({pair})",
        ("address", "else"): f"first line of the address differs ({pair})",
        ("address", "null"): "no address on one side",
    }
    return words[(field, level)]


def level_label(field: str, gamma: int) -> str:
    """Splink numbers a comparison's levels from the bottom: else is 0, null is -1."""
    if gamma == -1:
        return "null"
    labels = [level[0] for level in LEVELS[field] if level[0] != "null"]
    return labels[len(labels) - 1 - gamma]


def explain(pair: dict[str, Any], ours: Values, theirs: Values, *,
            records: bool = False) -> list[dict[str, Any]]:
    """Items in the order of the model: field, level, sentence, weight (Splink's match weight:
    above 0 for the match, below against, 0 for a field missing on one side). ``records``:
    both sides are records of the register (see :func:`sentence`)."""
    items = []
    for field in LEVELS:
        level = level_label(field, int(pair[f"gamma_{field}"]))
        weight = 0.0 if level == "null" else round(float(pair.get(f"mw_{field}") or 0.0), 2)
        items.append({"field": field, "level": level, "weight": weight,
                      "text": sentence(field, level, ours, theirs, records=records)})
    return items


def summary(items: list[dict[str, Any]]) -> str:
    """One line: the sentences, strongest evidence first, joined with semicolons."""
    ranked = sorted(items, key=lambda i: -abs(i["weight"]))
    text = "; ".join(i["text"] for i in ranked if i["level"] != "null")
    return text[:1].upper() + text[1:]
