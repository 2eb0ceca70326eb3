"""The missing plan: who is missing in the demo, since when, and why it is believed.

The plan is data, decided before any ledger is drawn: the generator then writes each missing
person's history so that it explains the entry (regular notifications, a last confirmed
sighting at the registered address, a notification missed, a visit that found no one, and
nothing after). A later piece of work turns each entry into a missing episode in the ledger
(decision to record as missing, enquiries, circulations and, for the located, the locate);
until then the plan is kept beside the database as ``<DATA_DIR>/demo-missing-plan.json``.

**Believed abroad.** A believed-abroad entry never gets an ``abroad.start`` event. Leaving the
United Kingdom is unconfirmed (the person notified a trip and did not come back, or there is
intelligence that they left): an open ``abroad`` period would make the rules treat them as
``away``, stopping the s.85 clock, hiding the missed notification and making them look
compliant for ever. The belief, its source and the country are recorded in the plan instead;
those who notified a trip have the ``notification.travel`` in their ledger.

Figures as at 2017-09-30 (``calibration.FIXED_MISSING`` and the per-force shares):

- west-midlands 46: 14 believed abroad, 5 went missing in 2017 (recorded missing and last
  confirmed at home in 2017), the earliest in 2006;
- staffordshire 5, of whom 3 are located between 2017-10-01 and 2017-11-06 (2 remain);
- west-mercia 3, the earliest in 2006 (missing for 11 years on 2017-09-30);
- warwickshire 1; every other force a small share, the Metropolitan Police the most.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass, fields
from typing import Any

from whereabouts.demo import FOI_DATE, SCENARIO_TODAY

from .calibration import ForceTarget, force_targets
from .dates import ONE_DAY, next_due, notified_for_due
from .places import ABROAD_COUNTRIES, PLACES

#: Visit interval in days by risk of serious harm (the pre-2017 national standard, §8.2).
VISIT_INTERVAL_DAYS = {"very_high": 30, "high": 91, "medium": 182, "low": 365}
RISK_LEVELS = ("very_high", "high", "medium", "low")
#: Risk mix of the register (NPCC 2017: 2% / 18% / 30% / 50%).
RISK_WEIGHTS = (2, 18, 30, 50)
#: Missing people lean to higher risk: a visit interval short enough to notice quickly.
MISSING_RISK_WEIGHTS = (6, 34, 35, 25)


@dataclass(frozen=True)
class MissingPlanEntry:
    """One missing person in the scenario, and the facts their ledger is drawn to show."""

    person_reference: str
    force: str
    went_missing_on: dt.date
    believed_abroad: bool
    country: str
    basis: str
    risk_level: str
    last_notified_on: dt.date
    last_seen_at_home_on: dt.date
    missed_due_on: dt.date
    failed_visit_on: dt.date
    failed_visit_outcome: str
    travel_notified_on: dt.date | None = None
    travel_departure: dt.date | None = None
    travel_return: dt.date | None = None
    located_on: dt.date | None = None
    located_where: str = ""
    located_by: str = ""
    located_outcome: str = ""
    located_event: str = ""  # "visit" or "notification.change": what the ledger records
    note: str = ""
    #: How the case was driven (``episodes.case_history`` draws it): ``kept_up``, or, for a
    #: deliberate minority of the cases open on publication day, ``lapsed`` (no work for
    #: weeks or months: gone quiet and review overdue), ``supervisor_review_late`` or
    #: ``senior_review_late`` (work goes on, a review is overdue).
    history: str = "kept_up"

    def missing_on(self, as_at: dt.date) -> bool:
        """Missing as at a date: gone by then and not yet located."""
        return self.went_missing_on <= as_at and (self.located_on is None
                                                  or self.located_on > as_at)

    def to_json(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, dt.date) else v
                for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MissingPlanEntry:
        return cls(**{k: dt.date.fromisoformat(v) if k in _DATE_FIELDS and v else v
                      for k, v in data.items()})


_DATE_FIELDS = frozenset(f.name for f in fields(MissingPlanEntry) if "date" in str(f.type))


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.random() * ((last - first).days + 1)))


def _ri(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


#: Forces whose episodes begun in the FOI year were also last confirmed at home in that year,
#: so that "missing since" and "recorded missing" agree on the scenario's "begun in 2017"
#: (the issue's ``missing_opened_this_year`` counts by the missing-since date).
SINCE_IN_YEAR_FORCES = frozenset({"west-midlands"})


def _years_for(slug: str, count: int, rng: random.Random) -> list[int]:
    """Years the episodes began, by force, meeting the scenario's constraints."""
    # The rest begin from 2008: one begun in 2007 may have been last seen at home before
    # 2007-09-30, and then a second person would be missing for more than 10 years (the
    # issue's example has one in the West Midlands, the 2006 episode).
    recent = list(range(2008, 2017))
    weights = [1 + (y - 2008) * 0.25 for y in recent]
    if slug == "west-midlands":
        # 1 in 2006 (the earliest), 5 in 2017, the rest 2008-2016.
        return [2006] + [2017] * 5 + rng.choices(recent, weights, k=count - 6)
    if slug == "west-mercia":
        return [2006] + rng.choices(recent + [2017], k=count - 1)
    if slug in ("staffordshire", "warwickshire"):
        return rng.choices(list(range(2009, 2018)), k=count)
    years = list(range(2003, 2018))
    return rng.choices(years, [1 + (y - 2003) * 0.3 for y in years], k=count)


def _went_missing(rng: random.Random, year: int) -> dt.date:
    if year == 2006:
        # Missing for 11 full years on 2017-09-30.
        return _day(rng, dt.date(2006, 1, 1), dt.date(2006, 9, 30))
    last = min(dt.date(year, 12, 31), FOI_DATE - dt.timedelta(days=5))
    return _day(rng, dt.date(year, 1, 1), last)


_INTELLIGENCE = (
    "Information from a family member that they had gone to live in {country}",
    "Border Force record of a departure for {country}; no travel notification made",
    "Intelligence through the NCA that they were living in {country}",
    "Former partner reported that they had moved to {country}",
)
_LOCATE = (
    ("notification.change", "Attended {town} Police Station",
     "{force} front counter",
     "Notified a new home address in {town}; reported for the s.91 offence of failing to notify"),
    ("visit", "An unnotified address in {town}",
     "{force} MOSOVO team, acting on a tip-off",
     "Arrested for failing to comply with the notification requirements (s.91); "
     "charged and bailed to notify"),
    ("visit", "Stopped in a vehicle in {town}",
     "{force} roads policing (PNC wanted marker)",
     "Arrested on the s.91 warrant; interviewed and released to notify at {town}"),
)


def _entry(rng: random.Random, target: ForceTarget, index: int, year: int, abroad: bool,
           intelligence: bool) -> MissingPlanEntry:
    place = PLACES[target.slug]
    reference = f"{place.prefix}-{index:06d}"
    went = _went_missing(rng, year)
    gap = _ri(rng, 7, 45)
    last_notified = notified_for_due(went - dt.timedelta(days=gap))
    missed_due = next_due(last_notified)
    risk = rng.choices(RISK_LEVELS, MISSING_RISK_WEIGHTS)[0]
    country = rng.choice(ABROAD_COUNTRIES) if abroad else ""
    travel_notified = departure = planned_return = None
    if abroad and not intelligence:
        if risk == "very_high":
            risk = "high"
        seen = missed_due - dt.timedelta(days=_ri(rng, 90, 200))
        travel_notified = seen + dt.timedelta(days=_ri(rng, 5, 25))
        departure = travel_notified + dt.timedelta(days=_ri(rng, 7, 21))
        planned_return = departure + dt.timedelta(days=_ri(rng, 7, 28))
    else:
        longest = min(VISIT_INTERVAL_DAYS[risk], 200)
        seen = missed_due - dt.timedelta(days=_ri(rng, 20, max(21, longest)))
    seen = max(seen, last_notified + ONE_DAY)
    failed = missed_due + dt.timedelta(days=_ri(rng, 1, (went - missed_due).days))
    outcome = "no_longer_living_there" if rng.random() < 0.6 else "no_reply"
    if abroad and not intelligence:
        basis = (f"Travel notification on {travel_notified} for a trip to {country}, leaving "
                 f"{departure} and returning {planned_return}; did not return or notify since")
    elif abroad:
        basis = rng.choice(_INTELLIGENCE).format(country=country)
    else:
        basis = ""
    return MissingPlanEntry(
        person_reference=reference,
        force=target.slug,
        went_missing_on=went,
        believed_abroad=abroad,
        country=country,
        basis=basis,
        risk_level=risk,
        last_notified_on=last_notified,
        last_seen_at_home_on=seen,
        missed_due_on=missed_due,
        failed_visit_on=failed,
        failed_visit_outcome=outcome,
        travel_notified_on=travel_notified,
        travel_departure=departure,
        travel_return=planned_return,
    )


def _locate(rng: random.Random, entry: MissingPlanEntry, target: ForceTarget, on: dt.date,
            how: int) -> MissingPlanEntry:
    town = rng.choice(PLACES[target.slug].towns)[0]
    event, where, by, outcome = _LOCATE[how]
    fmt = {"town": town, "force": target.name}
    return MissingPlanEntry(**{
        **asdict(entry),
        "located_on": on,
        "located_where": where.format(**fmt),
        "located_by": by.format(**fmt),
        "located_outcome": outcome.format(**fmt),
        "located_event": event,
        "note": "Located after the FOI date: the ledger holds the sighting and the "
                "missing.located entry that closes the episode.",
    })


#: How the flagged minority's cases were let slip, in the order they are handed out.
FLAGGED_HISTORIES = ("lapsed", "supervisor_review_late", "senior_review_late")
#: Share of each force's cases open on publication day that are deliberately flagged.
FLAGGED_SHARE = 0.15
#: Forces that always have at least one flagged case (the scenario's two with open cases
#: that the board is shown for).
FLAGGED_AT_LEAST_ONE = ("west-midlands", "staffordshire")
#: A senior review can only be late once the first one has fallen due (91 days), with room.
_SENIOR_LATE_AFTER_DAYS = 100


def _flag_histories(seed: int, slug: str,
                    entries: list[MissingPlanEntry]) -> list[MissingPlanEntry]:
    """Mark a deliberate minority of the cases open on publication day as let slip.

    About ``FLAGGED_SHARE`` of the force's open cases (at least one in the forces of
    ``FLAGGED_AT_LEAST_ONE``), drawn from the force's own stream, so that the rest of the plan
    is untouched; the candidates are taken in the order they went missing, so the choice does
    not depend on the scale of the national register. The first flagged case of a force has
    ``lapsed`` (gone quiet), then the other kinds in turn.
    """
    rng = random.Random(f"{seed}:missing-history:{slug}")
    open_now = sorted((i for i, e in enumerate(entries) if e.missing_on(SCENARIO_TODAY)),
                      key=lambda i: (entries[i].went_missing_on, entries[i].person_reference))
    count = round(len(open_now) * FLAGGED_SHARE)
    if slug in FLAGGED_AT_LEAST_ONE:
        count = max(count, 1)
    chosen = rng.sample(open_now, min(count, len(open_now)))
    out = list(entries)
    for n, i in enumerate(chosen):
        history = FLAGGED_HISTORIES[n % len(FLAGGED_HISTORIES)]
        recent = (SCENARIO_TODAY - entries[i].went_missing_on).days < _SENIOR_LATE_AFTER_DAYS
        if history == "senior_review_late" and recent:
            history = "supervisor_review_late"
        out[i] = MissingPlanEntry(**{**asdict(entries[i]), "history": history})
    return out


def force_plan(seed: int, target: ForceTarget) -> list[MissingPlanEntry]:
    """The missing plan for one force (its own random stream: independent of other forces)."""
    rng = random.Random(f"{seed}:missing:{target.slug}")
    count = min(target.missing, target.registered)
    if count == 0:
        return []
    # Who (by position in the force) comes from its own stream, so that everything else in
    # the plan is the same whatever the scale of the force.
    who = random.Random(f"{seed}:missing-who:{target.slug}")
    indices = sorted(who.sample(range(1, target.registered + 1), count))
    years = _years_for(target.slug, count, rng)
    who.shuffle(indices)  # which person gets which year
    if target.slug == "west-midlands":
        abroad_count = 14
    elif target.slug == "metropolitan":
        abroad_count = round(count * 0.4)
    else:
        abroad_count = sum(1 for _ in range(count) if rng.random() < 0.3)
    abroad_flags = [True] * abroad_count + [False] * (count - abroad_count)
    rng.shuffle(abroad_flags)
    entries = []
    for index, year, abroad in zip(indices, years, abroad_flags, strict=True):
        intelligence = abroad and rng.random() < 0.4
        entry = _entry(rng, target, index, year, abroad, intelligence)
        while (target.slug in SINCE_IN_YEAR_FORCES and year == FOI_DATE.year
               and entry.last_seen_at_home_on.year < year):
            # Drawn again (from the same stream) until the last sighting is in the year too.
            entry = _entry(rng, target, index, year, abroad, intelligence)
        entries.append(entry)
    if target.slug == "staffordshire":
        # Three located between the FOI answer and publication, none on the same day.
        days = sorted(rng.sample(range((SCENARIO_TODAY - FOI_DATE).days), 3))
        for n, (i, offset) in enumerate(zip(rng.sample(range(count), 3), days, strict=True)):
            on = FOI_DATE + dt.timedelta(days=offset + 1)
            entries[i] = _locate(rng, entries[i], target, on, n)
    entries = _flag_histories(seed, target.slug, entries)
    entries.sort(key=lambda e: e.person_reference)
    return entries


def missing_plan(seed: int = 2017, scale: float = 1.0) -> list[MissingPlanEntry]:
    """Every force's missing plan, in forces.csv order; needs no database."""
    plan: list[MissingPlanEntry] = []
    for target in force_targets(scale):
        plan.extend(force_plan(seed, target))
    return plan


def plan_counts(plan: list[MissingPlanEntry], as_at: dt.date) -> dict[str, int]:
    """Missing people per force as at a date."""
    counts: dict[str, int] = {}
    for entry in plan:
        if entry.missing_on(as_at):
            counts[entry.force] = counts.get(entry.force, 0) + 1
    return counts


def plan_to_json(plan: list[MissingPlanEntry], *, seed: int, scale: float) -> dict[str, Any]:
    return {
        "seed": seed,
        "scale": scale,
        "as_at": FOI_DATE.isoformat(),
        "published": SCENARIO_TODAY.isoformat(),
        "believed_abroad_rule": "no abroad.start is recorded: leaving the UK is unconfirmed, "
                                "and an open abroad period would stop the s.85 clock",
        "entries": [entry.to_json() for entry in plan],
    }
