"""How often a person is visited, and when their next visit is due: pure, as data.

No Django and nothing of the project but the calendar arithmetic of ``rules.dates``: the
sweep and the pages hand in plain dates and get plain answers, so every boundary can be
tested in a table.

Two presets ship (docs/visits.md has the sources and the check against them):

* ``national_standard``: the national minimum standard used until 2017. A home visit at
  least monthly for very high risk of serious harm, every 3 months for high, every 6 months
  for medium and every 12 months for low. A risk management plan could ask for more, never
  for less: a plan's interval applies only where it is shorter.
* ``tailored``: the NPCC "tailored approach" since 2017. The interval is the one set in the
  person's risk management plan; the force's defaults by risk level apply only until a plan
  sets one. A plan may put someone assessed low risk for at least 3 years on **reactive
  management**: no routine visits, reviewed on any new intelligence.

The compliance idea is "n contacts every k": every stretch of k (a calendar interval) must
hold at least n counted visits, so the next is due k after the n-th most recent one. Days in
custody, in hospital, abroad or missing do not count: they push the due date on by as many
days as fall in the interval (and in the days it was pushed on by).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from whereabouts.rules.dates import days_in_month, shift_month

RISK_LEVELS = ("low", "medium", "high", "very_high")
#: Visit outcomes that count as a contact: the person was seen. "Not at home", "refused
#: entry" and the outcomes that open a whereabouts check do not.
COUNTING_OUTCOMES = ("seen_at_home", "seen_elsewhere")
#: With no risk level recorded, a person is visited as if high risk until assessed: a missing
#: assessment must not drop anyone out of the visit plan.
UNASSESSED_AS = "high"


@dataclass(frozen=True)
class Interval:
    """A calendar interval: whole months (as the Act counts) or days, or both."""

    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if self.months < 0 or self.days < 0 or (self.months == 0 and self.days == 0):
            raise ValueError("an interval is a positive number of months or days")

    def after(self, day: dt.date) -> dt.date:
        """The same date ``months`` later (the month's last day if it has no such date),
        then ``days`` more: 1 March + 3 months = 1 June; 31 January + 1 month = 28/29 Feb."""
        year, month = shift_month(day.year, day.month, self.months)
        moved = dt.date(year, month, min(day.day, days_in_month(year, month)))
        return moved + dt.timedelta(days=self.days)

    def approx_days(self) -> int:
        """For comparing intervals only (a month as 30.44 days), never for a due date."""
        return round(self.months * 30.44) + self.days

    def __str__(self) -> str:
        parts = []
        if self.months:
            parts.append("month" if self.months == 1 else f"{self.months} months")
        if self.days:
            weeks, rest = divmod(self.days, 7)
            parts.append(f"{weeks} weeks" if not rest and weeks > 1 else
                         "week" if self.days == 7 else f"{self.days} days")
        return " and ".join(parts)


@dataclass(frozen=True)
class Requirement:
    """At least ``contacts`` counted visits in every ``every``."""

    every: Interval
    contacts: int = 1

    def __post_init__(self) -> None:
        if self.contacts < 1:
            raise ValueError("a requirement asks for at least one contact")

    def __str__(self) -> str:
        if self.contacts == 1:
            return f"a visit every {self.every}"
        return f"{self.contacts} visits in every {self.every}"


def _monthly(**levels: int) -> dict[str, Requirement]:
    return {level: Requirement(Interval(months=m)) for level, m in levels.items()}


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    in_use: str  # when it applied, in words
    defaults: dict[str, Requirement]
    #: The plan's interval replaces the default (True) or may only shorten it (False).
    plan_sets_interval: bool
    #: Low risk for this many years makes reactive management possible (None: not in use).
    reactive_after_years: int | None
    source: str


NATIONAL_STANDARD = Preset(
    key="national_standard",
    title="National standard (until 2017)",
    in_use="until 2017",
    defaults=_monthly(very_high=1, high=3, medium=6, low=12),
    plan_sets_interval=False,
    reactive_after_years=None,
    source="NPCC, 'New tailored approach to managing registered sex offenders introduced' "
           "(2017), describing the standard it replaced",
)
TAILORED = Preset(
    key="tailored",
    title="Tailored approach (since 2017)",
    in_use="since 2017",
    # The NPCC set no national intervals: these are a starting point for a force's own
    # defaults, which apply only until a plan sets the person's interval.
    defaults=_monthly(very_high=1, high=3, medium=6, low=12),
    plan_sets_interval=True,
    reactive_after_years=3,
    source="NPCC press release (2017); HMICFRS glossary, 'reactive management'",
)
PRESETS: dict[str, Preset] = {p.key: p for p in (TAILORED, NATIONAL_STANDARD)}


@dataclass(frozen=True)
class Policy:
    """A force's policy: a preset, with its own defaults by risk level where it set them."""

    preset: Preset
    overrides: dict[str, Requirement] = field(default_factory=dict)

    def default_for(self, level: str) -> Requirement:
        return self.overrides.get(level) or self.preset.defaults[level]


@dataclass(frozen=True)
class Plan:
    """What the person's risk management plan says about visits, as at a date."""

    requirement: Requirement | None = None
    reactive: bool = False
    set_on: dt.date | None = None


@dataclass(frozen=True)
class NextVisit:
    """The answer: the state, the date the next visit is due by, and why, in steps."""

    state: str  # "due", "overdue", "paused", "reactive"
    due_by: dt.date | None
    requirement: Requirement | None
    risk_level: str
    anchor: dt.date | None = None  # the visit (or start) the interval runs from
    paused_days: int = 0
    paused_since: dt.date | None = None
    steps: tuple[str, ...] = ()

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    def days_overdue(self, as_at: dt.date) -> int:
        return (as_at - self.due_by).days if self.overdue and self.due_by else 0


def risk_as_at(history: Sequence[tuple[dt.date, str]],
               as_at: dt.date) -> tuple[str, dt.date | None]:
    """The level in force on ``as_at`` and the first day of its unbroken run at that level."""
    level, since = "", None
    for on, value in sorted(history):
        if on > as_at:
            break
        if value != level:
            level, since = value, on
    return level, since


def _overlap_days(pauses: Sequence[tuple[dt.date, dt.date]], first: dt.date,
                  last: dt.date) -> int:
    total = 0
    for start, end in pauses:
        a, b = max(start, first), min(end, last)
        if a <= b:
            total += (b - a).days + 1
    return total


def next_visit_due(*, policy: Policy, as_at: dt.date, start: dt.date,
                   visits: Sequence[dt.date], risk_history: Sequence[tuple[dt.date, str]] = (),
                   plan: Plan | None = None,
                   pauses: Sequence[tuple[dt.date, dt.date | None]] = (),
                   explain: bool = True) -> NextVisit:
    """When the next home visit is due, as at ``as_at``.

    ``start`` is when visiting began (registration, or the first notification); ``visits``
    the dates of counted visits (see ``COUNTING_OUTCOMES``); ``risk_history`` the dated risk
    levels; ``pauses`` the days in custody, hospital, abroad or missing, first and last day
    inclusive (``None``: still going on). ``explain=False`` skips writing out the steps (the
    sweep does not show them).
    """
    steps: list[str] = []
    # ``say and say(...)``: the words are written out only when asked for (not in the sweep).
    say = steps.append if explain else None
    level, low_since = risk_as_at(risk_history, as_at)
    if level not in RISK_LEVELS:
        say and say(f"No risk level recorded: visited as {UNASSESSED_AS.replace('_', ' ')} "
                     "risk until assessed.")
        level, low_since = UNASSESSED_AS, None
    requirement = policy.default_for(level)
    say and say(f"{policy.preset.title}: {level.replace('_', ' ')} risk, {requirement} "
                 "by default.")
    plan = plan or Plan()
    years = policy.preset.reactive_after_years
    if plan.reactive:
        if years is None:
            say and say("The plan asks for reactive management, which this policy does not "
                         "have.")
        elif level == "low" and low_since is not None:
            eligible_from = Interval(months=12 * years).after(low_since)
            if eligible_from <= as_at:
                say and say(f"Low risk since {low_since:%d %B %Y} (at least {years} years): "
                             "reactive management, no routine visits; review on any new "
                             "intelligence.")
                return NextVisit("reactive", None, None, level, steps=tuple(steps))
            say and say(f"The plan asks for reactive management, possible only from "
                         f"{eligible_from:%d %B %Y} ({years} years at low risk).")
        else:
            say and say(f"The plan asks for reactive management, possible only after {years} "
                         "years assessed low risk.")
    if plan.requirement is not None:
        shorter = plan.requirement.every.approx_days() / plan.requirement.contacts < \
            requirement.every.approx_days() / requirement.contacts
        if policy.preset.plan_sets_interval or shorter:
            requirement = plan.requirement
            say and say(f"The risk management plan sets {requirement}.")
        else:
            say and say(f"The plan's {plan.requirement} is less often than the standard "
                         "allows: the standard applies.")
    counted = sorted(v for v in visits if start <= v <= as_at)
    if len(counted) >= requirement.contacts:
        anchor = counted[-requirement.contacts]
        say and say(f"Counted from the visit on {anchor:%d %B %Y}" + (
            f" ({requirement.contacts} visits back)." if requirement.contacts > 1 else "."))
    else:
        anchor = start
        say and say(f"Counted from {start:%d %B %Y}, when visiting began.")
    closed = [(a, b if b is not None else as_at) for a, b in pauses if a <= as_at]
    nominal = requirement.every.after(anchor)
    due, paused = nominal, 0
    while True:  # the days pushed on by may hold more paused days: until nothing changes
        paused = _overlap_days(closed, anchor + dt.timedelta(days=1), due)
        pushed = nominal + dt.timedelta(days=paused)
        if pushed == due:
            break
        due = pushed
    open_pause = next((a for a, b in pauses if b is None and a <= as_at), None)
    if open_pause is None:
        open_pause = next((a for a, b in pauses if b is not None and a <= as_at <= b), None)
    if paused:
        say and say(f"{paused} days in custody, hospital, abroad or missing do not count.")
    if open_pause is not None:
        say and say(f"Paused since {open_pause:%d %B %Y}: no visit is due while they are "
                     "away or missing.")
        return NextVisit("paused", None, requirement, level, anchor, paused, open_pause,
                         tuple(steps))
    say and say(f"Due by {due:%d %B %Y}.")
    state = "overdue" if as_at > due else "due"
    return NextVisit(state, due, requirement, level, anchor, paused, None, tuple(steps))
