"""Management figures per force, region and nation as at a date (docs/figures.md).

Every figure is worked out from the ledger as it stood on the date: entries that take effect
later are not read, so the answer for a date does not move when later events are recorded.
The reading (``gather``) is kept apart from the arithmetic (``assemble``, ``rank``), which is
plain data in and out so that tests can check it without a database.

A person counts under the force that now manages them, as in ``missing.selectors``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from whereabouts.missing.episodes import Episode

#: Compliance states in which the notification period is running and the person is alive.
REGISTERED_STATES = frozenset({"compliant", "overdue", "away"})
#: "Due" means the next notification's last day falls within this many days of the date.
DUE_WITHIN_DAYS = 7
RISK_LEVELS = ("very_high", "high", "medium", "low")
SCHEMA_ID = "https://github.com/whereabouts/whereabouts/docs/figures.schema.json?version=1"

#: Asked for by the issue but not held in the data model: reported as not available.
NOT_AVAILABLE = {
    "registered_by_risk_level": "Risk of serious harm (RSO risk level) is recorded only on a "
                                "missing episode, not for every registered person.",
    "mappa_category": "MAPPA category is not held in the register yet.",
    "mappa_level": "MAPPA management level is not held in the register yet.",
}
CAVEATS = (
    "Figures are as at the date given and change every day as the register changes.",
    "A person counts under the force that manages them now.",
    "Rates use the approximate resident population of the force area (all ages).",
)

#: Integer counts: summed to get a region or the nation.
COUNTS = (
    "registered", "missing", "believed_abroad", "missing_opened_this_year",
    "recorded_missing_this_year", "missing_over_1_year", "missing_over_5_years",
    "missing_over_10_years", "episodes_opened", "episodes_closed", "breaches_recorded",
    "notifications_overdue", "notifications_due", "population",
)


@dataclass
class Counts:
    """The raw figures for one force (or, summed, a region or the nation)."""

    registered: int = 0
    missing: int = 0
    believed_abroad: int = 0
    missing_opened_this_year: int = 0  # open, missing since on or after 1 January
    recorded_missing_this_year: int = 0  # open, recorded missing on or after 1 January
    missing_over_1_year: int = 0
    missing_over_5_years: int = 0
    missing_over_10_years: int = 0
    episodes_opened: int = 0
    episodes_closed: int = 0
    breaches_recorded: int = 0
    notifications_overdue: int = 0
    notifications_due: int = 0
    population: int = 0
    earliest_missing_since: dt.date | None = None
    earliest_recorded_missing: dt.date | None = None
    missing_by_risk: Counter[str] = field(default_factory=Counter)

    def add_open_episode(self, episode: Episode, as_at: dt.date) -> None:
        new_year = dt.date(as_at.year, 1, 1)
        self.missing += 1
        self.believed_abroad += episode.believed_abroad
        self.missing_opened_this_year += episode.missing_since >= new_year
        self.recorded_missing_this_year += episode.began_on >= new_year
        years = whole_years(episode.missing_since, as_at)
        self.missing_over_1_year += years >= 1
        self.missing_over_5_years += years >= 5
        self.missing_over_10_years += years >= 10
        self.earliest_missing_since = _earliest(self.earliest_missing_since,
                                                episode.missing_since)
        self.earliest_recorded_missing = _earliest(self.earliest_recorded_missing,
                                                   episode.began_on)
        self.missing_by_risk[episode.risk or "not_recorded"] += 1

    def merge(self, other: Counts) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.earliest_missing_since = _earliest(self.earliest_missing_since,
                                                other.earliest_missing_since)
        self.earliest_recorded_missing = _earliest(self.earliest_recorded_missing,
                                                   other.earliest_recorded_missing)
        self.missing_by_risk.update(other.missing_by_risk)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(self, name) for name in COUNTS}
        data["rate_per_100k"] = rate_per_100k(self.registered, self.population)
        data["missing_per_100k"] = rate_per_100k(self.missing, self.population, places=2)
        data["earliest_missing_since"] = _iso(self.earliest_missing_since)
        data["earliest_recorded_missing"] = _iso(self.earliest_recorded_missing)
        data["missing_by_risk"] = {level: self.missing_by_risk.get(level, 0)
                                   for level in (*RISK_LEVELS, "not_recorded")}
        return data


def _earliest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def whole_years(start: dt.date, end: dt.date) -> int:
    """Whole calendar years from ``start`` to ``end`` (a 29 February start counts on 1 March)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def rate_per_100k(count: int, population: int, places: int = 1) -> float | None:
    return round(100_000 * count / population, places) if population else None


def rank(values: Mapping[str, int | float | None]) -> dict[str, int | None]:
    """Standard competition ranking, highest first ("1224"): ties share the better rank.

    A key whose value is None has no rank.
    """
    ordered = sorted((v for v in values.values() if v is not None), reverse=True)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {key: None if v is None else first[v] for key, v in values.items()}


@dataclass(frozen=True)
class ForceInfo:
    slug: str
    name: str
    region: str
    country: str
    population: int


@dataclass(frozen=True)
class Scope:
    """What a report covers: the nation, one region or one force."""

    region: str = ""
    force: str = ""

    @property
    def label(self) -> str:
        return (f"force {self.force}" if self.force else f"region {self.region}" if self.region
                else "England and Wales")


NATION = Scope()


def count_forces(
    forces: Iterable[ForceInfo],
    *,
    as_at: dt.date,
    first: dt.date,
    episodes: Iterable[tuple[str, list[Episode]]],
    statuses: Iterable[tuple[str, str, dt.date | None]] = (),
    status_counts: Iterable[tuple[str, str, bool, int]] = (),
    breaches: Mapping[str, int],
) -> dict[str, Counts]:
    """Each force's counts from plain data: ``(force, episodes)`` per person read up to
    ``as_at``, ``(force, compliance, next_due_last_day)`` per person as at ``as_at`` or, already
    counted, ``(force, compliance, due within the window, people)``, and breaches recorded per
    force in ``first``..``as_at``."""
    counts = {f.slug: Counts(population=f.population) for f in forces}
    for force, person_episodes in episodes:
        row = counts[force]
        for episode in person_episodes:
            if episode.open_on(as_at):
                row.add_open_episode(episode, as_at)
            row.episodes_opened += first <= episode.began_on <= as_at
            row.episodes_closed += (episode.located_on is not None
                                    and first <= episode.located_on <= as_at)
    due_by = as_at + dt.timedelta(days=DUE_WITHIN_DAYS)
    for force, compliance, next_due in statuses:
        if compliance not in REGISTERED_STATES:
            continue
        row = counts[force]
        row.registered += 1
        row.notifications_overdue += compliance == "overdue"
        row.notifications_due += (compliance == "compliant" and next_due is not None
                                  and as_at <= next_due <= due_by)
    for force, compliance, due_soon, people in status_counts:
        if compliance not in REGISTERED_STATES:
            continue
        row = counts[force]
        row.registered += people
        row.notifications_overdue += people if compliance == "overdue" else 0
        row.notifications_due += people if compliance == "compliant" and due_soon else 0
    for force, n in breaches.items():
        counts[force].breaches_recorded += n
    return counts


def assemble(as_at: dt.date, first: dt.date, forces: list[ForceInfo],
             counts: Mapping[str, Counts], scope: Scope = Scope()) -> dict[str, Any]:
    """The report for ``scope``: its forces, its regions and a total, ranked nationally."""
    scope = scope or NATION
    regions: dict[str, Counts] = {}
    region_country: dict[str, str] = {}
    for f in forces:
        regions.setdefault(f.region, Counts()).merge(counts[f.slug])
        region_country[f.region] = f.country
    force_rank = rank({f.slug: counts[f.slug].missing for f in forces})
    force_rate_rank = rank({f.slug: rate_per_100k(counts[f.slug].registered, f.population)
                            for f in forces})
    region_rank = rank({r: c.missing for r, c in regions.items()})
    english_rank = rank({r: c.missing for r, c in regions.items()
                         if region_country[r] == "England"})
    chosen = [f for f in forces
              if (not scope.force or f.slug == scope.force)
              and (not scope.region or f.region == scope.region)]
    if not chosen:
        raise LookupError(f"no such {('force' if scope.force else 'region')}: "
                          f"{scope.force or scope.region}")
    total = Counts()
    for f in chosen:
        total.merge(counts[f.slug])
    chosen_regions = sorted({f.region for f in chosen})
    return {
        "schema": SCHEMA_ID,
        "as_at": as_at.isoformat(),
        "period": {"from": first.isoformat(), "to": as_at.isoformat()},
        "scope": scope.label,
        "forces": [
            {"force": f.slug, "name": f.name, "region": f.region, **counts[f.slug].as_dict(),
             "rank_by_missing": force_rank[f.slug], "rank_by_rate": force_rate_rank[f.slug]}
            for f in sorted(chosen, key=lambda f: (-counts[f.slug].missing, f.slug))
        ],
        "regions": [
            {"region": r, "country": region_country[r], **regions[r].as_dict(),
             "rank_in_england": english_rank.get(r), "rank_in_england_and_wales": region_rank[r]}
            for r in chosen_regions
        ],
        "total": total.as_dict(),
        "not_available": dict(NOT_AVAILABLE),
        "caveats": list(CAVEATS),
    }
