"""The deterministic generator: synthetic people and the ledgers the law would expect of them.

Everything is drawn from ``random.Random`` streams seeded from the build's seed and a name
(one stream per force), never from the global generator or the clock: the same seed gives the
same people, events and figures, and a force's people do not change when another force is
scaled. Every date derives from the scenario's two dates (``FOI_DATE``, ``SCENARIO_TODAY``).

What a person's ledger holds, in date order (details as ``register/events.py`` declares them):

- ``registered`` and ``disposal`` on the relevant date (a few people have an earlier, second
  disposal), then ``assignment`` to their offender manager;
- ``custody.start`` on the relevant date and ``custody.end`` about half the term later for
  immediate imprisonment (a detention and training order: its detention period); ``hospital.*``
  for hospital orders; long sentences may still be running (no ``custody.end``);
- ``notification.initial`` within three days (days away not counted) of the relevant date or of
  release, with the home address; yearly ``notification.periodic`` before each deadline; some
  ``notification.change`` on a move, with the new address; a few people with no fixed abode who
  notify weekly;
- a few trips: ``notification.travel`` at least seven days ahead, then ``abroad.start`` and
  ``abroad.end``, never across a notification deadline;
- ``risk.level`` and ``mappa`` (category 1) when first registered;
- home visits in the last two years, made 0 to 14 days before the next is due under the
  force's visit policy for the person's risk level; about 6% lapsed (no visit since a date),
  so that a supervisor sees overdue visits by officer;
- about 0.6% stop notifying in 2017 (overdue, but still seen at home: not missing);
- the missing (``missing.py``) get a history that explains their plan entry, and a case
  history of actions and reviews from the day they were recorded missing (``episodes.py``).

Every period runs past ``SCENARIO_TODAY``: everyone generated is registered on both dates.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import itertools
import json
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from whereabouts.demo import FOI_DATE, SCENARIO_TODAY

from .calibration import ForceTarget, force_targets
from .dates import ONE_DAY, add_months, age_on, next_due, period_last_day
from .episodes import (
    case_history,
    check_closed_details,
    check_opened_details,
    circulation_references,
    located_details,
    recorded_details,
)
from .missing import (
    RISK_LEVELS,
    RISK_WEIGHTS,
    VISIT_INTERVAL_DAYS,
    MissingPlanEntry,
    force_plan,
)
from .places import (
    COUNTRIES,
    FEMALE_GIVEN,
    FEMALE_SECOND,
    LOCAL_HOSPITALS,
    MALE_GIVEN,
    OFFENCES,
    PLACES,
    PRISONS,
    REGULAR_PLACES,
    SECOND_GIVEN,
    SECURE_HOSPITALS,
    STREET_FIRST,
    STREET_SECOND,
    SURNAMES,
    YOUNG_OFFENDER_INSTITUTIONS,
    Offence,
    Place,
    crown_court,
)

TODAY = SCENARIO_TODAY
#: Nothing the generator draws is later than this relevant date (a few days before the FOI).
LATEST_RELEVANT_DATE = FOI_DATE - dt.timedelta(days=3)
#: The Sex Offenders Act 1997 register began on 1 September 1997.
EARLIEST_RELEVANT_DATE = dt.date(1997, 9, 1)
#: Visits are kept for the last two years only (the demo's screens look at recent history).
VISIT_HISTORY_START = TODAY - dt.timedelta(days=730)
#: An OM's caseload for the demo user.
DEMO_CASELOAD = 50
DEMO_OFFENDER_MANAGER = "om.demo"

#: Same-day order of events, so that ids sort a day's entries as they happened.
PRIORITY = {
    "registered": 0, "risk.level": 0, "mappa": 0, "disposal": 1, "assignment": 2,
    "custody.start": 3, "hospital.start": 3,
    "custody.end": 4, "hospital.end": 4, "abroad.end": 4, "notification.initial": 5,
    "notification.change": 5, "notification.periodic": 5, "notification.travel": 5,
    "visit": 6, "abroad.start": 7, "check.opened": 7, "check.closed": 8,
    "missing.recorded": 8, "missing.located": 8, "circulation.sent": 9,
    "circulation.cancelled": 9, "missing.action": 10, "missing.review": 11,
}

# Shares (documented in docs/demo.md).
YOUTH_SHARE = 0.06
FEMALE_SHARE = 0.03
SECOND_DISPOSAL_SHARE = 0.03
MOVE_PER_YEAR = 0.10
TRIP_SHARE = 0.04
NO_FIXED_ABODE_SHARE = 0.002
OVERDUE_SHARE = 0.014
ALIAS_SHARE = 0.08

PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


#: The force's default visit interval by risk level (months, as visits/policy.py's presets).
VISIT_MONTHS = {"very_high": 1, "high": 3, "medium": 6, "low": 12}
#: The share of people whose visits lapsed (overdue at TODAY by up to about 200 days).
VISIT_LAPSE_SHARE = 0.06
#: What a demo visit checked, by outcome (nothing is checked when no one is seen at home).
VISIT_CHECKED = {"seen_at_home": "rooms; devices"}


def _roll(reference: str, what: str) -> float:
    """A number in [0, 1) fixed by the reference: for choices added after the streams were
    set, so they move none of the numbers drawn before."""
    digest = hashlib.blake2b(f"{reference}:{what}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


_TD_OFFSET = 1000
_TD = tuple(dt.timedelta(days=n) for n in range(-_TD_OFFSET, 8000))


def _days(n: int) -> dt.timedelta:
    """``timedelta(days=n)`` from a table: the generator makes about a million of them."""
    if -_TD_OFFSET <= n < 8000:
        return _TD[n + _TD_OFFSET]
    return dt.timedelta(days=n)


class Weighted:
    """``random.choices(items, weights)[0]`` without rebuilding the cumulative weights."""

    __slots__ = ("items", "cumulative", "total")

    def __init__(self, items: tuple[Any, ...], weights: tuple[float, ...]) -> None:
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


@dataclass(slots=True)
class GenDisposal:
    relevant_date: dt.date
    offence: str
    court: str
    kind: str
    months: int | None = None
    life: bool = False
    restriction_order: bool = False
    suspended: bool = False


@dataclass(slots=True)
class GenAddress:
    kind: str
    line1: str
    town: str
    postcode: str
    line2: str = ""


@dataclass(slots=True)
class GenAlias:
    family_name: str
    given_names: str
    used_from: dt.date | None = None
    used_to: dt.date | None = None


@dataclass(slots=True)
class GenEvent:
    kind: str
    date: dt.date
    details: dict[str, Any]
    seq: int = 0
    disposal: GenDisposal | None = None
    addresses: tuple[GenAddress, ...] = ()
    aliases: tuple[GenAlias, ...] = ()


@dataclass(slots=True)
class GenPerson:
    reference: str
    force: str
    family_name: str
    given_names: str
    date_of_birth: dt.date
    sex: str
    pnc_id: str
    cro_number: str
    ni_number: str
    passport_number: str
    risk_level: str
    events: list[GenEvent] = field(default_factory=list)
    offender_manager: str = ""
    #: What the generator made of them: ordinary, overdue, no_fixed_abode, missing, located.
    profile: str = "ordinary"

    def add(self, kind: str, date: dt.date, details: dict[str, Any],
            disposal: GenDisposal | None = None, addresses: tuple[GenAddress, ...] = (),
            aliases: tuple[GenAlias, ...] = ()) -> None:
        self.events.append(GenEvent(kind, date, details, len(self.events), disposal, addresses,
                                    aliases))

    def sort(self) -> None:
        self.events.sort(key=lambda e: (e.date, PRIORITY[e.kind], e.seq))


@dataclass(frozen=True)
class Recipe:
    """A kind of disposal, how often it is drawn, and the period it brings (months; 0 = none)."""

    name: str
    weight: float
    kind: str
    period_months: int | None  # None: indefinite
    band: str
    youth: bool = False


ADULT_RECIPES = (
    Recipe("long", 0.36, "imprisonment", None, "grave"),
    Recipe("life", 0.04, "imprisonment", None, "grave"),
    Recipe("restricted_hospital", 0.02, "hospital_order", None, "grave"),
    Recipe("medium", 0.26, "imprisonment", 120, "middle"),
    Recipe("short", 0.06, "imprisonment", 84, "lesser"),
    Recipe("hospital", 0.02, "hospital_order", 84, "lesser"),
    Recipe("community", 0.14, "other", 60, "lesser"),
    Recipe("discharge", 0.02, "conditional_discharge", 0, "lesser"),
    Recipe("caution", 0.08, "caution", 24, "lesser"),
)
YOUTH_RECIPES = (
    Recipe("youth_dto_short", 0.20, "imprisonment", 42, "youth", True),
    Recipe("youth_dto_long", 0.15, "imprisonment", 60, "youth", True),
    Recipe("youth_long", 0.15, "imprisonment", None, "youth", True),
    Recipe("youth_order", 0.30, "other", 30, "youth", True),
    Recipe("youth_caution", 0.20, "caution", 12, "youth", True),
)
PICK_ADULT_RECIPE = Weighted(ADULT_RECIPES, tuple(r.weight for r in ADULT_RECIPES))
PICK_YOUTH_RECIPE = Weighted(YOUTH_RECIPES, tuple(r.weight for r in YOUTH_RECIPES))
#: Age on the relevant date (adults): bands and weights.
PICK_ADULT_AGE = Weighted(((18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 80)),
                          (15, 22, 22, 20, 13, 8))
PICK_MISSING_AGE = Weighted(((18, 24), (25, 34), (35, 44), (45, 60)), (25, 35, 25, 15))
PICK_RISK = Weighted(RISK_LEVELS, RISK_WEIGHTS)
#: SOA 2003 Part 1 (the offences) came into force on 1 May 2004.
SOA_2003_PART_1 = dt.date(2004, 5, 1)


@functools.lru_cache(maxsize=16)
def _offences(band: str, new: bool) -> tuple[Offence, ...]:
    """The band's offences under the law in force: SOA 2003 from 1 May 2004, before it the
    Sexual Offences Act 1956 and the other older Acts."""
    return tuple(o for o in OFFENCES[band] if (o.from_date >= "2004-05-01") == new)


LONG_TERMS = (30, 32, 36, 36, 40, 42, 48, 48, 54, 60, 66, 72, 84, 96, 108, 120, 144, 180)


class ForceGenerator:
    """Draws one force's people from the force's own random stream."""

    def __init__(self, seed: int, target: ForceTarget, plan: list[MissingPlanEntry]) -> None:
        self.seed = seed
        self.target = target
        self.place: Place = PLACES[target.slug]
        self.rng = random.Random(f"{seed}:people:{target.slug}")
        self.plan = {e.person_reference: e for e in plan}
        towns = self.place.towns
        # The first town (the force's city) has the most people.
        self.pick_town = Weighted(towns, (3.0,) + (1.0,) * (len(towns) - 1))

    # -- small draws -------------------------------------------------------------------
    def ri(self, low: int, high: int) -> int:
        return low + int(self.rng.random() * (high - low + 1))

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + _days(int(self.rng.random() * ((last - first).days + 1)))

    def pick(self, seq: tuple[Any, ...] | list[Any]) -> Any:
        return seq[int(self.rng.random() * len(seq))]

    def town(self) -> tuple[str, tuple[str, ...]]:
        return self.pick_town(self.rng)  # type: ignore[no-any-return]

    def address(self, kind: str = "home") -> GenAddress:
        town, districts = self.town()
        postcode = (f"{self.pick(districts)} {self.ri(1, 9)}"
                    f"{self.pick(POSTCODE_LETTERS)}{self.pick(POSTCODE_LETTERS)}")
        street = f"{self.pick(STREET_FIRST)} {self.pick(STREET_SECOND)}"
        if kind == "regular_place":
            return GenAddress(kind, self.pick(REGULAR_PLACES).format(street=street), town,
                              postcode.split()[0])
        number = self.ri(1, 240)
        if self.rng.random() < 0.2:
            return GenAddress(kind, f"Flat {self.ri(1, 24)}, {number} {street}", town, postcode)
        return GenAddress(kind, f"{number} {street}", town, postcode)

    def station(self, address: GenAddress | None) -> str:
        town = address.town if address is not None else self.place.towns[0][0]
        return f"{town} Police Station"

    def names(self, sex: str) -> tuple[str, str]:
        if sex == "F":
            given = self.pick(FEMALE_GIVEN)
            if self.rng.random() < 0.5:
                given += " " + self.pick(FEMALE_SECOND)
        else:
            given = self.pick(MALE_GIVEN)
            if self.rng.random() < 0.5:
                second = self.pick(SECOND_GIVEN)
                if second != given:
                    given += " " + second
        return self.pick(SURNAMES), given

    def identifiers(self, first_year: int) -> tuple[str, str, str, str]:
        """Synthetic identifiers that cannot be anyone's (see docs/demo.md).

        PNC and CRO numbers have the real shape, but their check letter is deliberately wrong
        (the check is the year and serial modulo 23 over ``PNC_LETTERS``), so no generated
        number passes a PNC check and none can be a real record's. NI numbers use the prefix
        QQ, which is never issued. Passport numbers start 9999.
        """
        yy = first_year % 100
        serial = self.ri(1, 999999)
        right = int(f"{yy:02d}{serial:07d}") % 23
        wrong = PNC_LETTERS[(right + self.ri(1, 22)) % 23]
        pnc = f"{yy:02d}/{serial:06d}{wrong}"
        cro = ""
        if self.rng.random() < 0.9:
            cro_serial = self.ri(1, 999999)
            right = int(f"{yy:02d}{cro_serial:06d}") % 23
            cro = f"{cro_serial:06d}/{yy:02d}{PNC_LETTERS[(right + self.ri(1, 22)) % 23]}"
        ni = ""
        if self.rng.random() < 0.85:
            ni = f"QQ{self.ri(0, 999999):06d}{self.pick('ABCD')}"
        passport = f"9999{self.ri(0, 99999):05d}" if self.rng.random() < 0.4 else ""
        return pnc, cro, ni, passport

    def offence(self, band: str, on: dt.date) -> str:
        return self.pick(_offences(band, on >= SOA_2003_PART_1)).text  # type: ignore[no-any-return]

    def court(self, recipe: Recipe, months: int | None) -> str:
        if recipe.kind == "caution":
            return ""
        crown = recipe.kind == "hospital_order" and recipe.period_months is None
        crown = crown or (recipe.kind == "imprisonment" and (months is None or months > 6))
        crown = crown or self.rng.random() < 0.25
        if crown:
            return crown_court(self.pick(self.place.crown_courts))
        town = self.town()[0]
        if recipe.youth:
            return f"{town} Youth Court"
        return f"{town} Magistrates' Court"

    # -- the disposal and the time away it brings -------------------------------------
    def relevant_date(self, recipe: Recipe, months: int | None, bias: float) -> dt.date:
        """A relevant date whose period still runs on ``TODAY + 1`` (so past publication)."""
        latest = LATEST_RELEVANT_DATE
        if recipe.period_months is None:
            earliest = EARLIEST_RELEVANT_DATE
            if recipe.youth:
                earliest = dt.date(2000, 1, 1)
        else:
            period = recipe.period_months or months or 12
            earliest = add_months(TODAY, -period) + _days(2)
            while period_last_day(earliest, period) <= TODAY:
                earliest += ONE_DAY
        span = (latest - earliest).days
        return earliest + _days(int(span * self.rng.random() ** (1 / bias)))

    def draw_disposal(self) -> tuple[Recipe, GenDisposal, int]:
        """(recipe, disposal, age on the relevant date)."""
        rng = self.rng
        youth = rng.random() < YOUTH_SHARE
        recipe = (PICK_YOUTH_RECIPE if youth else PICK_ADULT_RECIPE)(rng)
        months: int | None = None
        life = restriction = suspended = False
        if recipe.name == "long":
            months = self.pick(LONG_TERMS)
        elif recipe.name == "life":
            life = True
        elif recipe.name == "restricted_hospital":
            restriction = True
        elif recipe.name == "medium":
            months = self.ri(7, 29)
            suspended = months <= 24 and rng.random() < 0.25
        elif recipe.name == "short":
            months = self.ri(1, 6)
            suspended = rng.random() < 0.5
        elif recipe.name == "discharge":
            months = self.pick((12, 12, 18, 24, 24, 36))
        elif recipe.name == "youth_dto_short":
            months = self.pick((2, 3, 4, 6))  # the detention half of a 4 to 12-month DTO
        elif recipe.name == "youth_dto_long":
            months = self.pick((7, 9, 12))  # the detention half of a 14 to 24-month DTO
        elif recipe.name == "youth_long":
            months = self.pick((30, 36, 48, 60, 72))
        bias = 1.6 if recipe.period_months is None else 1.0
        relevant = self.relevant_date(recipe, months, bias)
        if recipe.youth:
            age = self.ri(12, 17)
        else:
            age = self.ri(*PICK_ADULT_AGE(rng))
        band = recipe.band
        if band == "grave" and months is not None and months <= 48 and rng.random() < 0.5:
            band = "middle"
        if band == "middle" and months is not None and months >= 12 and rng.random() < 0.2:
            band = "grave"
        disposal = GenDisposal(relevant, self.offence(band, relevant), self.court(recipe, months),
                               recipe.kind, months, life, restriction, suspended)
        return recipe, disposal, age

    def time_away(self, recipe: Recipe, disposal: GenDisposal) -> tuple[str, str, dt.date | None]:
        """(start kind, establishment, first day back or None if still away on TODAY).

        Returns ("", "", None) when the disposal brings no detention.
        """
        start = disposal.relevant_date
        if disposal.kind == "imprisonment" and not disposal.suspended:
            if disposal.life:
                back = add_months(start, 12 * self.ri(4, 14) + self.ri(0, 36))
            elif recipe.name.startswith("youth_dto"):
                back = add_months(start, disposal.months or 1)
            else:
                back = add_months(start, math.ceil((disposal.months or 1) / 2))
                back += _days(self.ri(-14, 14))
            back = max(back, start + _days(7))
            places = YOUNG_OFFENDER_INSTITUTIONS if recipe.youth else PRISONS
            kind, where = "custody", self.pick(places)
        elif disposal.kind == "hospital_order":
            if disposal.restriction_order:
                back = add_months(start, self.ri(30, 120))
            else:
                back = add_months(start, self.ri(3, 18))
            kind = "hospital"
            where = self.pick(SECURE_HOSPITALS if disposal.restriction_order else LOCAL_HOSPITALS)
        else:
            return "", "", None
        if FOI_DATE < back <= TODAY:
            # Nothing changes in the scenario between the FOI answer and publication.
            back = TODAY + _days(self.ri(20, 300))
        return kind, where, (back if back <= TODAY else None)

    # -- people ------------------------------------------------------------------------
    def person(self, index: int) -> GenPerson:
        reference = f"{self.place.prefix}-{index:06d}"
        entry = self.plan.get(reference)
        if entry is not None:
            return self.missing_person(reference, entry)
        return self.ordinary_person(reference)

    def new_person(self, reference: str, dob: dt.date, first_year: int, risk: str) -> GenPerson:
        sex = "F" if self.rng.random() < FEMALE_SHARE else "M"
        family, given = self.names(sex)
        pnc, cro, ni, passport = self.identifiers(first_year)
        return GenPerson(reference, self.target.slug, family, given, dob, sex, pnc, cro, ni,
                         passport, risk)

    def date_of_birth(self, relevant: dt.date, age: int) -> dt.date:
        """A birth date that makes the person exactly ``age`` on ``relevant``."""
        birthday = dt.date(relevant.year - age, relevant.month,
                           min(relevant.day, 28 if relevant.month == 2 else relevant.day))
        dob = birthday - _days(self.ri(0, 360))
        while age_on(dob, relevant) > age:
            dob += ONE_DAY
        while age_on(dob, relevant) < age:
            dob -= ONE_DAY
        return dob

    def register(self, person: GenPerson, disposal: GenDisposal, first: bool) -> None:
        """``registered`` (the first time), then the disposal and, with it, any aliases."""
        if first:
            label = person.risk_level.replace("_", " ")
            person.add("registered", disposal.relevant_date,
                       {"note": f"Synthetic demo record; risk of serious harm: {label}"})
            self.risk_and_mappa(person, disposal.relevant_date)
        aliases: tuple[GenAlias, ...] = ()
        if first and self.rng.random() < ALIAS_SHARE:
            family, given = self.names(person.sex)
            if self.rng.random() < 0.5:
                family = person.family_name  # another given name only
            aliases = (GenAlias(family, given, None, None),)
        details = {}
        if disposal.kind == "caution":
            details = {"note": f"Caution given at {self.station(None)}"}
        person.add("disposal", disposal.relevant_date, details, disposal=disposal,
                   aliases=aliases)

    def away(self, person: GenPerson, kind: str, where: str, start: dt.date,
             back: dt.date | None) -> None:
        key = "establishment" if kind == "custody" else "hospital"
        person.add(f"{kind}.start", start, {key: where})
        if back is not None:
            person.add(f"{kind}.end", back, {key: where})

    def notification(self, person: GenPerson, kind: str, on: dt.date, home: GenAddress | None,
                     *, address: GenAddress | None = None, change: str = "",
                     no_fixed_abode: bool = False) -> None:
        details: dict[str, Any] = {}
        if no_fixed_abode:
            details["no_fixed_abode"] = True
        details["station"] = self.station(home)
        if change:
            details["change"] = change
        person.add(f"notification.{kind}", on, details,
                   addresses=(address,) if address is not None else ())

    def chain(self, start: dt.date, stop: dt.date) -> list[tuple[dt.date, str]]:
        """Dates and kinds of the clock notifications from ``start`` (initial) to ``stop``.

        Each periodic notification is made on or before its deadline (0-34 days early); a move
        brings a change notification, which restarts the clock.
        """
        rng = self.rng
        out = [(start, "initial")]
        last = start
        while True:
            due = next_due(last)
            if rng.random() < MOVE_PER_YEAR:
                moved = last + _days(self.ri(30, 330))
                if moved < due - _days(5) and moved <= stop:
                    out.append((moved, "change"))
                    last = moved
                    continue
            made = due - _days(self.ri(0, 34))
            if made > stop:
                if due > stop:
                    return out
                made = stop  # the deadline falls before ``stop``: notify in time all the same
            if made <= last:
                return out
            out.append((made, "periodic"))
            last = made

    def ordinary_person(self, reference: str) -> GenPerson:
        rng = self.rng
        recipe, disposal, age = self.draw_disposal()
        dob = self.date_of_birth(disposal.relevant_date, age)
        risk = PICK_RISK(rng)
        earlier: GenDisposal | None = None
        if rng.random() < SECOND_DISPOSAL_SHARE:
            earlier = self.earlier_disposal(disposal, dob)
        first_year = (earlier or disposal).relevant_date.year
        person = self.new_person(reference, dob, first_year, risk)
        home = self.address()
        if earlier is not None:
            self.register(person, earlier, True)
            ends = period_last_day(earlier.relevant_date, 24 if earlier.kind == "caution" else 60)
            home = self.community(person, earlier.relevant_date, home,
                                  until=min(disposal.relevant_date - ONE_DAY, ends), simple=True)
        self.register(person, disposal, earlier is None)
        kind, where, back = self.time_away(recipe, disposal)
        if kind:
            self.away(person, kind, where, disposal.relevant_date, back)
            if back is None:
                person.profile = "away"
                return person
            free_from = back
        else:
            free_from = disposal.relevant_date
        self.community(person, free_from, home, until=TODAY, simple=False)
        return person

    def earlier_disposal(self, later: GenDisposal, dob: dt.date) -> GenDisposal | None:
        """A first, lesser disposal two to six years before the governing one."""
        relevant = later.relevant_date - _days(self.ri(730, 2190))
        if relevant < EARLIEST_RELEVANT_DATE or age_on(dob, relevant) < 18:
            return None
        kind = self.pick(("other", "caution", "other"))
        court = "" if kind == "caution" else f"{self.town()[0]} Magistrates' Court"
        return GenDisposal(relevant, self.offence("lesser", relevant), court, kind)

    def community(self, person: GenPerson, free_from: dt.date, home: GenAddress, *,
                  until: dt.date, simple: bool) -> GenAddress:
        """Notifications from ``free_from`` to ``until``; unless ``simple``, also the profile
        (overdue, no fixed abode), a trip and visits. Returns the last home address."""
        rng = self.rng
        initial = min(free_from + _days(self.pick((0, 0, 0, 1, 1, 2))), until)
        chain = self.chain(initial, until)
        if not simple and rng.random() < OVERDUE_SHARE:
            cut = self.overdue_cut(chain)
            if cut is not None:
                chain = chain[:cut + 1]
                person.profile = "overdue"
        for on, kind in chain:
            address = None
            if kind == "initial":
                address = home
            elif kind == "change":
                home = self.address()
                address = home
            self.notification(person, kind, on, home, address=address,
                              change="home_address" if kind == "change" else "")
        if simple:
            return home
        nfa_from: dt.date | None = None
        if person.profile == "ordinary" and rng.random() < NO_FIXED_ABODE_SHARE:
            nfa_from = self.no_fixed_abode(person, chain[-1][0])
        trips: list[tuple[dt.date, dt.date]] = []
        if person.profile == "ordinary" and rng.random() < TRIP_SHARE:
            trip = self.trip(person, [on for on, _ in chain], home)
            if trip is not None:
                trips.append(trip)
        self.visits(person, start=initial, trips=trips, nfa_from=nfa_from)
        return home

    def overdue_cut(self, chain: list[tuple[dt.date, str]]) -> int | None:
        """Index of the last notification before the person stopped, or None if none fits.

        In the West Midlands region the missed deadline is before the FOI date, so nothing in
        the region changes between the FOI answer and publication.
        """
        if self.target.in_scenario_region:
            first, last = dt.date(2017, 4, 1), FOI_DATE - _days(5)
        else:
            first, last = dt.date(2017, 5, 1), TODAY - _days(5)
        for i, (on, _) in enumerate(chain[:-1]):
            if first <= next_due(on) <= last:
                return i
        return None

    def no_fixed_abode(self, person: GenPerson, last: dt.date) -> dt.date | None:
        """Lose the home; from then on notify a regular place weekly (SI 2012/1876)."""
        first = max(last + ONE_DAY, TODAY - _days(180))
        final = min(next_due(last), TODAY - _days(21))
        if first > final:
            return None
        since = self.day_between(first, final)
        place = self.address("regular_place")
        self.notification(person, "change", since, place, address=place, change="home_address",
                          no_fixed_abode=True)
        made = since
        while True:
            made = made + _days(7 - self.pick((1, 1, 1, 2, 3)))
            if made > TODAY:
                break
            self.notification(person, "periodic", made, place, no_fixed_abode=True)
        person.profile = "no_fixed_abode"
        return since

    def trip(self, person: GenPerson, notified: list[dt.date],
             home: GenAddress) -> tuple[dt.date, dt.date] | None:
        """A notified trip abroad between two clock notifications in the last two years."""
        bounds = [*notified, TODAY]
        gaps = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False)
                if a >= VISIT_HISTORY_START and (b - a).days >= 100]
        if not gaps:
            return None
        after, before = self.pick(gaps)
        told = after + _days(self.ri(10, 40))
        leaves = told + _days(self.ri(7, 30))
        back = leaves + _days(self.ri(4, 21))
        if back + _days(5) >= before:
            return None
        country = self.pick(COUNTRIES)
        person.add("notification.travel", told, {
            "departure_date": leaves.isoformat(), "return_date": back.isoformat(),
            "destination": country, "station": self.station(home)})
        person.add("abroad.start", leaves, {"country": country})
        person.add("abroad.end", back, {"country": country})
        return leaves, back

    def risk_and_mappa(self, person: GenPerson, on: dt.date) -> None:
        """The risk level as assessed at registration, and MAPPA category 1 at a level that
        follows it. Drawn from the reference, not the force's stream, so nothing else moves."""
        person.add("risk.level", on, {"level": person.risk_level,
                                      "note": "Assessed on registration (synthetic)"})
        roll = _roll(person.reference, "mappa")
        level = {"very_high": "3" if roll < 0.3 else "2",
                 "high": "2" if roll < 0.4 else "1"}.get(person.risk_level, "1")
        person.add("mappa", on, {"category": "1", "level": level,
                                 "note": "Synthetic: decided on registration"})

    def visit_outcome(self) -> str:
        r = self.rng.random()
        if r < 0.88:
            return "seen_at_home"
        if r < 0.95:
            return "no_reply"
        if r < 0.98:
            return "seen_elsewhere"
        return "access_denied"

    def visits(self, person: GenPerson, *, start: dt.date, trips: list[tuple[dt.date, dt.date]],
               nfa_from: dt.date | None) -> None:
        interval = VISIT_INTERVAL_DAYS[person.risk_level]
        months = VISIT_MONTHS[person.risk_level]
        first = max(start + ONE_DAY, VISIT_HISTORY_START)
        on = first + _days(self.ri(0, interval - 1))
        # Some visits lapse: none made after a date, so they are overdue at TODAY (the
        # backlog inspectors find). Drawn from the reference; the force's stream draws the
        # same numbers as before, so every other figure stays as it was.
        lapsed = _roll(person.reference, "lapse")
        stop = (TODAY - _days(round(lapsed / VISIT_LAPSE_SHARE * 200)) - _days(interval)
                if lapsed < VISIT_LAPSE_SHARE else None)
        while on <= TODAY:
            if not any(leaves <= on < back for leaves, back in trips):
                if nfa_from is not None and on >= nfa_from:
                    outcome = "seen_elsewhere"
                else:
                    outcome = self.visit_outcome()
                if stop is None or on <= stop:
                    visit_kind = "planned" if _roll(person.reference, str(on)) < 0.4 \
                        else "unannounced"
                    details = {"outcome": outcome, "visit_kind": visit_kind}
                    if outcome in VISIT_CHECKED:
                        details["checked"] = VISIT_CHECKED[outcome]
                    person.add("visit", on, details)
            # 0 to 14 days before the next is due under the force's policy.
            on = add_months(on, months) - _days(self.ri(-7, 7) + 7)

    # -- the missing -------------------------------------------------------------------
    def missing_person(self, reference: str, entry: MissingPlanEntry) -> GenPerson:
        """A history that explains the plan entry, and nothing after it (except a locate)."""
        rng = self.rng
        last = entry.last_notified_on
        # Notifications before the last one, yearly, back to the initial notification.
        earlier_count = self.ri(0, 6)
        dates = [last]
        for _ in range(earlier_count):
            previous = add_months(dates[-1], -12) + _days(self.ri(1, 30))
            while next_due(previous) < dates[-1]:
                previous += ONE_DAY
            dates.append(previous)
        # A ten-year requirement where it still runs on TODAY; otherwise indefinite.
        while True:
            initial = dates[-1]
            free_from = initial - _days(self.pick((0, 0, 1, 2)))
            if last.year >= 2012 and rng.random() < 0.35:
                months = self.ri(12, 28)
            elif rng.random() < 0.1:
                months = 0  # life
            else:
                months = self.pick(LONG_TERMS)
            if months == 0:
                relevant = add_months(free_from, -12 * self.ri(4, 9))
            else:
                relevant = add_months(free_from, -math.ceil(months / 2)) + _days(self.ri(-10, 10))
            ok = relevant >= EARLIEST_RELEVANT_DATE
            if 0 < months < 30:
                ok = ok and period_last_day(relevant, 120) > TODAY
            if ok or len(dates) == 1:
                break
            dates.pop()
        if not ok:  # the last notification was the initial and still too early: life term
            months = 0
            relevant = max(EARLIEST_RELEVANT_DATE, add_months(free_from, -48))
        dates.reverse()
        if months == 0:
            recipe = ADULT_RECIPES[1]
            disposal = GenDisposal(relevant, self.offence("grave", relevant),
                                   crown_court(self.pick(self.place.crown_courts)),
                                   "imprisonment", None, True)
        else:
            recipe = ADULT_RECIPES[0] if months >= 30 else ADULT_RECIPES[3]
            disposal = GenDisposal(relevant, self.offence(recipe.band, relevant),
                                   crown_court(self.pick(self.place.crown_courts)),
                                   "imprisonment", months)
        age = self.ri(*PICK_MISSING_AGE(rng))
        dob = self.date_of_birth(relevant, age)
        person = self.new_person(reference, dob, relevant.year, entry.risk_level)
        person.profile = "missing" if entry.located_on is None else "located"
        self.register(person, disposal, True)
        self.away(person, "custody", self.pick(PRISONS), relevant, free_from)
        home = self.address()
        for i, on in enumerate(dates):
            kind = "initial" if i == 0 else "periodic"
            self.notification(person, kind, on, home, address=home if i == 0 else None)
        # Regular visits up to the last sighting at home; then the failed visit.
        interval = VISIT_INTERVAL_DAYS[entry.risk_level]
        seen = entry.last_seen_at_home_on
        visit_days = []
        on = seen
        while on > dates[0] and on > seen - _days(730):
            visit_days.append(on)
            on -= _days(interval + self.ri(-7, 7))
        for on in reversed(visit_days):
            outcome = "seen_at_home" if on == seen or rng.random() < 0.9 else "no_reply"
            person.add("visit", on, {"outcome": outcome})
        if entry.travel_notified_on is not None:
            assert entry.travel_departure is not None and entry.travel_return is not None
            person.add("notification.travel", entry.travel_notified_on, {
                "departure_date": entry.travel_departure.isoformat(),
                "return_date": entry.travel_return.isoformat(),
                "destination": entry.country, "station": self.station(home)})
        person.add("visit", entry.failed_visit_on, {
            "outcome": entry.failed_visit_outcome,
            "note": "No answer; neighbours have not seen them for some weeks"
            if entry.failed_visit_outcome == "no_reply"
            else "New occupier says they left; no forwarding address"})
        person.add("check.opened", entry.failed_visit_on, check_opened_details(entry))
        person.add("check.closed", entry.went_missing_on, check_closed_details(entry))
        person.add("missing.recorded", entry.went_missing_on, recorded_details(entry))
        for scope, reference in circulation_references(entry):
            person.add("circulation.sent", entry.went_missing_on,
                       {"scope": scope, "reference": reference})
        # The case history has a stream of its own, so that it leaves every other draw (and
        # so every other person) as it was.
        history = random.Random(f"{self.seed}:history:{entry.person_reference}")
        for kind, on, details in case_history(entry, history):
            person.add(kind, on, details)
        if entry.located_on is not None:
            if entry.located_event == "notification.change":
                new_home = self.address()
                self.notification(person, "change", entry.located_on, new_home,
                                  address=new_home, change="home_address")
            else:
                person.add("visit", entry.located_on, {
                    "outcome": "seen_elsewhere",
                    "note": f"Located: {entry.located_where}. {entry.located_outcome}"[:500]})
            person.add("missing.located", entry.located_on, located_details(entry))
            for _, reference in circulation_references(entry):
                person.add("circulation.cancelled", entry.located_on,
                           {"reference": reference, "reason": "located"})
        return person

    # -- the whole force ---------------------------------------------------------------
    def people(self) -> list[GenPerson]:
        people = [self.person(i) for i in range(1, self.target.registered + 1)]
        self.assign(people)
        for person in people:
            person.sort()
        return people

    def assign(self, people: list[GenPerson]) -> None:
        """An offender manager for everyone: ``om.demo`` takes a West Midlands caseload."""
        slug = self.target.slug
        rest = people
        if slug == "west-midlands":
            chosen = self.demo_caseload(people)
            for person in chosen:
                person.offender_manager = DEMO_OFFENDER_MANAGER
            taken = {id(p) for p in chosen}
            rest = [p for p in people if id(p) not in taken]
        managers = offender_manager_usernames(self.target)
        for i, person in enumerate(rest):
            person.offender_manager = managers[i % len(managers)]
        for person in people:
            registered = person.events[0]
            person.add("assignment", registered.date,
                       {"offender_manager": person.offender_manager, "force": slug})

    def demo_caseload(self, people: list[GenPerson]) -> list[GenPerson]:
        """About 50 people for ``om.demo``: several missing, some overdue, the rest ordinary."""
        rng = random.Random(f"{self.seed}:caseload:{self.target.slug}")
        by_profile: dict[str, list[GenPerson]] = {}
        for person in people:
            by_profile.setdefault(person.profile, []).append(person)
        missing = by_profile.get("missing", [])
        abroad = [p for p in missing if self.plan[p.reference].believed_abroad]
        chosen = rng.sample(abroad, min(1, len(abroad)))
        chosen += rng.sample([p for p in missing if p not in chosen],
                             min(3, len(missing) - len(chosen)))
        chosen += rng.sample(by_profile.get("overdue", []),
                             min(3, len(by_profile.get("overdue", []))))
        for profile in ("no_fixed_abode", "away"):
            chosen += rng.sample(by_profile.get(profile, []),
                                 min(1, len(by_profile.get(profile, []))))
        ordinary = by_profile.get("ordinary", [])
        chosen += rng.sample(ordinary, min(DEMO_CASELOAD - len(chosen), len(ordinary)))
        return sorted(chosen, key=lambda p: p.reference)


def offender_manager_usernames(target: ForceTarget) -> list[str]:
    """``om.<force>.NNN``: one for about every 50 people the force manages (om.demo aside)."""
    managed = target.registered
    if target.slug == "west-midlands":
        managed = max(1, managed - DEMO_CASELOAD)
    count = max(1, math.ceil(managed / 50))
    return [f"om.{target.slug}.{n:03d}" for n in range(1, count + 1)]


@dataclass(frozen=True)
class ForceBatch:
    target: ForceTarget
    people: list[GenPerson]
    plan: list[MissingPlanEntry]


def generate(seed: int = 2017, scale: float = 1.0,
             forces: Iterable[str] | None = None) -> Iterator[ForceBatch]:
    """Every force's people (in forces.csv order), one force at a time to keep memory flat."""
    wanted = set(forces) if forces is not None else None
    for target in force_targets(scale):
        if wanted is not None and target.slug not in wanted:
            continue
        plan = force_plan(seed, target)
        yield ForceBatch(target, ForceGenerator(seed, target, plan).people(), plan)


# -- a digest of what was generated, to compare builds --------------------------------------
def _canon(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def person_lines(person: GenPerson) -> Iterator[str]:
    """Canonical text lines for one person and their ledger (also produced from the database
    by ``build.database_digest``, so that the two can be compared)."""
    yield "|".join(str(_canon(v)) for v in (
        person.reference, person.force, person.offender_manager, person.family_name,
        person.given_names, person.date_of_birth, person.sex, person.pnc_id, person.cro_number,
        person.ni_number, person.passport_number))
    for event in person.events:
        yield event_line(event.kind, event.date, event.details)
        if event.disposal is not None:
            d = event.disposal
            yield "D|" + "|".join(str(_canon(v)) for v in (
                d.relevant_date, d.offence, d.court, d.kind, d.months, d.life,
                d.restriction_order, d.suspended))
        for a in event.addresses:
            yield "A|" + "|".join((a.kind, a.line1, a.line2, a.town, a.postcode,
                                   event.date.isoformat()))
        for al in event.aliases:
            yield "N|" + "|".join(str(_canon(v)) for v in (
                al.family_name, al.given_names, al.used_from, al.used_to))


def event_line(kind: str, date: dt.date, details: dict[str, Any]) -> str:
    return f"E|{kind}|{date.isoformat()}|{json.dumps(details, sort_keys=True)}"


def people_digest(batches: Iterable[ForceBatch]) -> str:
    """SHA-256 over every person and ledger, people in reference order."""
    digest = hashlib.sha256()
    people = [p for batch in batches for p in batch.people]
    for person in sorted(people, key=lambda p: p.reference):
        for line in person_lines(person):
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()
