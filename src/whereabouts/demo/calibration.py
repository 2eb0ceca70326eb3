"""How many people the demo puts on each force's register, and how many of them are missing.

The numbers are the generator's, derived here from ``forces.csv`` and a few documented
constants (docs/demo.md gives the reasoning and the sources):

- **Registered.** West Midlands Police is fixed at the scenario's 4,380. Every other force gets
  ``round(NATIONAL_RATE_PER_100K * AGED_10_PLUS_SHARE * population / 100_000)``: the published
  rates are per 100,000 people aged 10 and over, and ``forces.csv`` holds total populations, so
  nine in ten people are assumed to be 10 or over (an assumption, unverified). The rate is the
  one that brings England and Wales to about 55,000 in 2017, between the NPCC's "over 52,000"
  (March 2016) and about 60,200 (March 2019).
- **Missing as at 2017-09-30.** The four West Midlands forces have the scenario's figures
  (46, 5, 3, 1). The Metropolitan Police has ``METROPOLITAN_MISSING_SHARE`` of its register
  (the 2015 FOI survey found 167 of 396 UK missing RSOs there). Every other force has between
  0.2% and 0.4% of its register, the share fixed per force by a hash of its slug so that it
  does not move with the seed. With these shares every English region but London stays below
  the West Midlands region's 55, so the region ranks second, as the scenario says.

``scale`` shrinks the register of every force outside the West Midlands region (for quick test
builds); missing counts are never scaled, so the ranking holds at any scale, and a scaled
force keeps at least as many people as it has missing, and at least one.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache

from whereabouts.register.forces import force_rows

#: Registered sex offenders per 100,000 people aged 10 and over, England and Wales, 2017.
NATIONAL_RATE_PER_100K = 99.2
#: Share of the population aged 10 and over (assumed; unverified: check before publishing).
AGED_10_PLUS_SHARE = 0.9
#: The scenario's figures for the West Midlands region, as at 2017-09-30.
SCENARIO_REGION = "West Midlands"
FIXED_REGISTERED = {"west-midlands": 4380}
FIXED_MISSING = {"west-midlands": 46, "staffordshire": 5, "west-mercia": 3, "warwickshire": 1}
#: Share of the Metropolitan Police register missing (about 126 of 7,848).
METROPOLITAN_MISSING_SHARE = 0.016
#: Every other force: between these shares of its register, fixed per force.
MISSING_SHARE_LOW = 0.002
MISSING_SHARE_HIGH = 0.004
#: One offender manager for about this many people (NSPCC FOI 2015: about 1 : 50).
PEOPLE_PER_OFFENDER_MANAGER = 50


@dataclass(frozen=True)
class ForceTarget:
    slug: str
    name: str
    region: str
    country: str
    population: int
    registered_full: int
    registered: int  # at the build's scale
    missing: int  # as at 2017-09-30, never scaled

    @property
    def in_scenario_region(self) -> bool:
        return self.region == SCENARIO_REGION

    @property
    def offender_managers(self) -> int:
        return max(1, math.ceil(self.registered / PEOPLE_PER_OFFENDER_MANAGER))


def registered_full(slug: str, population: int) -> int:
    """The full-scale register of one force as at 2017-09-30."""
    if slug in FIXED_REGISTERED:
        return FIXED_REGISTERED[slug]
    return round(NATIONAL_RATE_PER_100K * AGED_10_PLUS_SHARE * population / 100_000)


def missing_share(slug: str) -> float:
    """The share of a force's register missing on 2017-09-30 (outside the fixed forces)."""
    if slug == "metropolitan":
        return METROPOLITAN_MISSING_SHARE
    fraction = int(hashlib.sha256(slug.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return MISSING_SHARE_LOW + (MISSING_SHARE_HIGH - MISSING_SHARE_LOW) * fraction


def missing_full(slug: str, registered: int) -> int:
    if slug in FIXED_MISSING:
        return FIXED_MISSING[slug]
    return round(registered * missing_share(slug))


@lru_cache(maxsize=16)
def force_targets(scale: float = 1.0) -> tuple[ForceTarget, ...]:
    """Every force's target, in forces.csv order."""
    if not 0 < scale <= 1:
        raise ValueError(f"scale must be more than 0 and at most 1, not {scale}")
    targets = []
    for row in force_rows():
        full = registered_full(row["slug"], row["population"])
        missing = missing_full(row["slug"], full)
        if row["region"] == SCENARIO_REGION:
            built = full
        else:
            built = min(full, max(1, round(full * scale), missing))
        targets.append(ForceTarget(row["slug"], row["name"], row["region"], row["country"],
                                   row["population"], full, built, missing))
    return tuple(targets)


def missing_by_region(targets: tuple[ForceTarget, ...]) -> dict[str, int]:
    """Missing as at 2017-09-30 per region, largest first (Wales included, marked by name)."""
    totals: dict[str, int] = {}
    for t in targets:
        totals[t.region] = totals.get(t.region, 0) + t.missing
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


def english_region_rank(targets: tuple[ForceTarget, ...], region: str = SCENARIO_REGION) -> int:
    """1-based rank of ``region`` among the English regions by missing as at 2017-09-30."""
    english = {t.region for t in targets if t.country == "England"}
    ordered = [r for r in missing_by_region(targets) if r in english]
    return ordered.index(region) + 1
