"""Which force's area a postcode lies in: reference data by postcode district.

A postcode's district is its outward code (``B23`` of ``B23 6AB``). The shipped table,
``postcode_districts.csv``, covers the districts of the towns the demo uses (real districts,
given to the force that polices most of each); an operator loads a complete one with
``whereabouts reference postcodes FILE`` (columns ``district,force_slug``), for example
derived from the ONS National Statistics Postcode Lookup, whose ``pfa`` column is the police
force area. A postcode whose district is not in the table belongs to no known force: no
transfer is opened for it, and the person page says the area is unknown.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

#: An outward code: one or two letters, a digit, then a digit or letter (optional).
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


def district_of(postcode: str) -> str:
    """The outward code of a postcode, in capitals; "" if it cannot be one."""
    text = "".join(postcode.split()).upper()
    if len(text) < 5:
        return text if DISTRICT.match(text) else ""
    outward = text[:-3]
    return outward if DISTRICT.match(outward) else ""


def force_for_postcode(postcode: str) -> str | None:
    """The slug of the force whose area the postcode lies in, or None if not known."""
    from .models import PostcodeDistrict

    district = district_of(postcode)
    if not district:
        return None
    return (PostcodeDistrict.objects.filter(district=district)
            .values_list("force_id", flat=True).first())


def shipped_rows() -> list[dict[str, str]]:
    with resources.files("whereabouts.register").joinpath(
            "postcode_districts.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Rejected:
    line: int
    row: dict[str, str]
    reason: str


def check_rows(rows: Iterable[dict[str, str]], force_slugs: set[str]
               ) -> tuple[dict[str, str], list[Rejected]]:
    """The good rows as district -> force, and every other row with the reason it was refused.

    Line numbers count the header as line 1, as a spreadsheet shows them.
    """
    good: dict[str, str] = {}
    rejected: list[Rejected] = []
    for line, row in enumerate(rows, start=2):
        district = "".join((row.get("district") or "").split()).upper()
        force = (row.get("force_slug") or "").strip()
        if not DISTRICT.match(district):
            reason = f"district: {row.get('district')!r} is not a postcode district (e.g. B23)"
        elif force not in force_slugs:
            reason = f"force_slug: {force!r} is not one of the 43 forces"
        elif district in good and good[district] != force:
            reason = f"district: {district} is given twice, to {good[district]} and {force}"
        else:
            good[district] = force
            continue
        rejected.append(Rejected(line, dict(row), reason))
    return good, rejected


def replace_all(good: dict[str, str], keep: Iterable[str] = ()) -> int:
    """Make the table ``good`` (in the caller's transaction); returns its size.

    Districts in ``keep`` (those of rejected rows) keep what they had, so that a typing slip
    in a file never leaves a district with no force.
    """
    from .models import PostcodeDistrict

    PostcodeDistrict.objects.exclude(district__in=[*good, *keep]).delete()
    existing = dict(PostcodeDistrict.objects.values_list("district", "force_id"))
    PostcodeDistrict.objects.bulk_create(
        [PostcodeDistrict(district=d, force_id=f) for d, f in good.items() if d not in existing])
    for district, force in good.items():
        if district in existing and existing[district] != force:
            PostcodeDistrict.objects.filter(district=district).update(force_id=force)
    return PostcodeDistrict.objects.count()


def ensure_postcode_districts() -> int:
    """Load the shipped table if the table is empty (after a flush); returns how many."""
    from .models import Force, PostcodeDistrict

    if PostcodeDistrict.objects.exists():
        return 0
    good, _ = check_rows(shipped_rows(), set(Force.objects.values_list("slug", flat=True)))
    return replace_all(good)
