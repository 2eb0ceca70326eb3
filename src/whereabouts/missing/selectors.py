"""Missing figures as at a date, per force and per region. Counts only: never a name."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from whereabouts.register.models import Event, EventKind, Force, Person
from whereabouts.register.transfers import forces_as_at

from .breaches import BREACH_KINDS, BREACH_RECORDED, Breach, breaches_from
from .episodes import (
    ACTION,
    CHECK_CLOSED,
    CHECK_OPENED,
    LOCATED,
    RECORDED,
    REVIEW,
    CaseState,
    Check,
    Episode,
    case_state,
    checks_from,
    episodes_from,
    reviews_due,
)


def live_missing_entries(person: Person) -> list[tuple[str, dt.date, dict[str, object]]]:
    """One person's missing and check entries as the ledger now stands (superseded left out)."""
    entries = Event.objects.filter(person=person,
                                   kind__in=(RECORDED, LOCATED, CHECK_OPENED, CHECK_CLOSED))
    superseded = set(
        Event.objects.filter(person=person, supersedes__isnull=False)
        .values_list("supersedes_id", flat=True)
    )
    return [(e.kind, e.effective_date, e.details)
            for e in entries.order_by("effective_date", "id") if e.pk not in superseded]


def person_episodes(person: Person) -> list[Episode]:
    return episodes_from(live_missing_entries(person))


def person_checks(person: Person) -> list[Check]:
    return checks_from(live_missing_entries(person))


def live_breach_entries(person: Person) -> list[tuple[str, dt.date, dict[str, object]]]:
    """One person's breach, warrant and outcome entries as the ledger now stands."""
    entries = Event.objects.filter(person=person, kind__in=BREACH_KINDS)
    superseded = set(
        Event.objects.filter(person=person, supersedes__isnull=False)
        .values_list("supersedes_id", flat=True)
    )
    return [(e.kind, e.effective_date, e.details)
            for e in entries.order_by("effective_date", "id") if e.pk not in superseded]


def person_breaches(person: Person) -> list[Breach]:
    """The person's s.91 breaches in the order recorded, each with its warrant and outcome."""
    return breaches_from(live_breach_entries(person))


def breach_figures(first: dt.date, last: dt.date, *, by: str = "force") -> dict[str, int]:
    """Breaches recorded in ``first``..``last`` (effective dates), per force slug or region.

    Every force (or region) is present, with zero where none was recorded. Entries that take
    effect after ``last`` are not read, so a period's figure does not change when later
    breaches are recorded; a superseded or withdrawn entry never counts. A person counts
    under the force that now manages them, as in :func:`missing_figures`.
    """
    if by not in ("force", "region"):
        raise ValueError(f"by must be 'force' or 'region', not {by!r}")
    forces = dict(Force.objects.values_list("slug", "region"))
    keys = sorted(set(forces.values())) if by == "region" else sorted(forces)
    figures = dict.fromkeys(keys, 0)
    superseded = set(
        Event.objects.filter(supersedes__isnull=False).values_list("supersedes_id", flat=True)
    )
    rows = (
        Event.objects.filter(kind=BREACH_RECORDED, effective_date__lte=last)
        .order_by("person_id", "effective_date", "id")
        .values_list("pk", "person_id", "person__force_id", "kind", "effective_date", "details")
    )
    entries: dict[int, list[tuple[str, dt.date, dict[str, object]]]] = defaultdict(list)
    person_force: dict[int, str] = {}
    for pk, person_id, force, kind, when, details in rows:
        if pk not in superseded:
            entries[person_id].append((kind, when, details))
            person_force[person_id] = force
    for person_id, person_entries in entries.items():
        force = person_force[person_id]
        key = forces[force] if by == "region" else force
        figures[key] += sum(first <= b.recorded_on <= last for b in breaches_from(person_entries))
    return figures


def episodes_by_person(as_at: dt.date, person_ids: Iterable[int] | None = None
                       ) -> dict[int, tuple[str, list[Episode]]]:
    """Every person's episodes from entries effective on or before ``as_at``, with the force
    (only these people's, when ``person_ids`` is given).

    Entries that take effect later are left out, so the answer for a date does not change
    when later events are recorded.
    """
    events = Event.objects.all()
    if person_ids is not None:
        events = events.filter(person_id__in=list(person_ids))
    superseded = set(
        events.filter(supersedes__isnull=False).values_list("supersedes_id", flat=True)
    )
    rows = (
        events.filter(kind__in=(EventKind.MISSING_RECORDED, EventKind.MISSING_LOCATED),
                      effective_date__lte=as_at)
        .order_by("person_id", "effective_date", "id")
        .values_list("pk", "person_id", "person__force_id", "kind", "effective_date", "details")
    )
    entries: dict[int, list[tuple[str, dt.date, dict[str, object]]]] = defaultdict(list)
    forces: dict[int, str] = {}
    for pk, person_id, force, kind, when, details in rows:
        if pk in superseded:
            continue
        entries[person_id].append((kind, when, details))
        forces[person_id] = force
    then = forces_as_at(as_at)  # a person handed over since counts where they were then
    return {pid: (then.get(pid, forces[pid]), episodes_from(e)) for pid, e in entries.items()}


@dataclass
class MissingFigures:
    """The figures for one force or region as at a date."""

    missing: int = 0
    believed_abroad: int = 0
    begun_in_year: int = 0  # open episodes that began in the calendar year of the date
    over_1_year: int = 0
    over_5_years: int = 0
    over_10_years: int = 0
    earliest_began: dt.date | None = None

    def add(self, episode: Episode, as_at: dt.date) -> None:
        self.missing += 1
        self.believed_abroad += episode.believed_abroad
        self.begun_in_year += episode.began_on.year == as_at.year
        years = _whole_years(episode.missing_since, as_at)
        self.over_1_year += years >= 1
        self.over_5_years += years >= 5
        self.over_10_years += years >= 10
        if self.earliest_began is None or episode.began_on < self.earliest_began:
            self.earliest_began = episode.began_on


def _whole_years(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    return years - ((end.month, end.day) < (start.month, start.day))


def missing_figures(as_at: dt.date, *, by: str = "force") -> dict[str, MissingFigures]:
    """Open episodes as at ``as_at``, grouped by force slug or by region.

    Every force (or region) is present, with zeros where no one is missing, so that a
    table of figures never hides a force by leaving it out.
    """
    forces = dict(Force.objects.values_list("slug", "region"))
    keys = sorted(set(forces.values())) if by == "region" else sorted(forces)
    figures = {key: MissingFigures() for key in keys}
    for force, episodes in episodes_by_person(as_at).values():
        for episode in episodes:
            if episode.open_on(as_at):
                figures[forces[force] if by == "region" else force].add(episode, as_at)
    return figures


@dataclass(frozen=True)
class BoardRow:
    person: Person
    episode: Episode
    days_missing: int
    state: CaseState
    supervisor_review_due: dt.date
    senior_review_due: dt.date
    as_at: dt.date

    @property
    def risk_label(self) -> str:
        return self.episode.risk.replace("_", " ")

    @property
    def review_overdue(self) -> bool:
        return min(self.supervisor_review_due, self.senior_review_due) < self.as_at

    @property
    def owner(self) -> str:
        """The username of the episode's owner: as assigned, or the person's offender manager."""
        if self.state.owner:
            return self.state.owner
        manager = self.person.offender_manager
        return manager.get_username() if manager else ""

    @property
    def last_review(self) -> dt.date | None:
        reviews = [d for d in (self.state.last_supervisor_review, self.state.last_senior_review)
                   if d is not None]
        return max(reviews) if reviews else None

    @property
    def next_review_due(self) -> dt.date:
        return min(self.supervisor_review_due, self.senior_review_due)

    @property
    def gone_quiet(self) -> bool:
        """No recorded action for longer than the supervisor's review interval."""
        interval = settings.WHEREABOUTS_REVIEW_SUPERVISOR_DAYS
        return (self.as_at - self.state.last_activity).days > interval


CASE_KINDS = (RECORDED, LOCATED, ACTION, REVIEW, "circulation.sent")
ACTIVITY_KINDS = (ACTION, REVIEW, "circulation.sent")


def _case_entries(person_ids: list[int], as_at: dt.date
                  ) -> dict[int, list[tuple[str, dt.date, dict[str, object]]]]:
    """The live activity entries of these people up to ``as_at``, oldest first.

    Superseded entries are left out in Python from one small query: a join on
    ``supersedes`` makes SQLite build a temporary index over the whole ledger.
    """
    entries: dict[int, list[tuple[str, dt.date, dict[str, object]]]] = defaultdict(list)
    if not person_ids:
        return entries
    superseded = set(Event.objects.filter(person_id__in=person_ids, supersedes__isnull=False)
                     .values_list("supersedes_id", flat=True))
    for pk, pid, kind, when, details in (
        Event.objects.filter(person_id__in=person_ids, kind__in=ACTIVITY_KINDS,
                             effective_date__lte=as_at)
        .order_by("effective_date", "id")
        .values_list("pk", "person_id", "kind", "effective_date", "details")
    ):
        if pk not in superseded:
            entries[pid].append((kind, when, details))
    return entries


def case_states(open_now: dict[int, Episode], as_at: dt.date) -> dict[int, CaseState]:
    """Each open episode's state, worked out again only for people whose ledger changed.

    The ledger is append-only: any new entry for a person, a correction or a withdrawal
    included, has a higher id than every entry before it, so a person's highest event id
    stamps the version of their ledger. A state is kept (in the process's cache) under the
    person, that stamp, the episode and the date, and read back while all four are the same.
    A board read by a supervisor all day reads only the cases that moved since the last look.
    """
    if not open_now:
        return {}
    stamps = dict(Event.objects.filter(person_id__in=list(open_now)).order_by()
                  .values("person_id").annotate(last=Max("id")).values_list("person_id", "last"))
    keys = {pid: f"case-state:{pid}:{stamps.get(pid)}:{as_at}:{episode.began_on}"
            for pid, episode in open_now.items()}
    states: dict[int, CaseState] = {}
    found = cache.get_many(list(keys.values()))
    for pid, key in keys.items():
        if key in found:
            states[pid] = CaseState(*found[key])
    missing = [pid for pid in open_now if pid not in states]
    entries = _case_entries(missing, as_at)
    fresh = {pid: case_state(open_now[pid], entries[pid]) for pid in missing}
    cache.set_many({keys[pid]: tuple(state) for pid, state in fresh.items()}, timeout=24 * 3600)
    return states | fresh


def missing_board(user: object, as_at: dt.date, *, abroad_only: bool = False) -> list[BoardRow]:
    """The open episodes of the people ``user`` may see, longest missing first.

    Scoped by the access policy like every read of a person; the caller logs the look.
    """
    from whereabouts.access import policy

    visible = policy.visible_people(user)  # type: ignore[arg-type]
    ids = set(visible.order_by().values_list("pk", flat=True))
    open_now = {
        pid: episode
        for pid, (_, episodes) in episodes_by_person(as_at).items()
        if pid in ids
        for episode in episodes
        if episode.open_on(as_at) and (episode.believed_abroad or not abroad_only)
    }
    states = case_states(open_now, as_at)
    people = visible.filter(pk__in=open_now).select_related("offender_manager")
    rows = []
    for person in people:
        episode = open_now[person.pk]
        state = states[person.pk]
        supervisor_due, senior_due = reviews_due(
            episode, state, supervisor_days=settings.WHEREABOUTS_REVIEW_SUPERVISOR_DAYS,
            senior_first_days=settings.WHEREABOUTS_REVIEW_SENIOR_FIRST_DAYS,
            senior_days=settings.WHEREABOUTS_REVIEW_SENIOR_DAYS)
        rows.append(BoardRow(person, episode, (as_at - episode.missing_since).days, state,
                             supervisor_due, senior_due, as_at))
    rows.sort(key=lambda r: (-r.days_missing, r.person.reference))
    return rows


RISK_ORDER = {"very_high": 0, "high": 1, "medium": 2, "low": 3}
_FAR = dt.date.max

#: How the board can be sorted: each key puts what needs attention first.
BOARD_SORTS: dict[str, tuple[str, object]] = {
    "days": ("Longest missing", lambda r: -r.days_missing),
    "risk": ("Highest risk", lambda r: RISK_ORDER.get(r.episode.risk, 9)),
    "next_action": ("Next action due soonest", lambda r: r.state.next_action_by or _FAR),
    "review_due": ("Review due soonest", lambda r: r.next_review_due),
    "last_review": ("Longest since a review",
                    lambda r: r.last_review or dt.date.min),
    "owner": ("Owner", lambda r: r.owner),
    "recorded": ("Recorded missing most recently", lambda r: -r.episode.began_on.toordinal()),
}


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows: every filter left empty shows every open episode."""

    abroad: bool = False
    risk: str = ""
    owner: str = ""
    flagged: bool = False  # review overdue or gone quiet
    sort: str = "days"

    def apply(self, rows: list[BoardRow]) -> list[BoardRow]:
        chosen = [r for r in rows
                  if (not self.abroad or r.episode.believed_abroad)
                  and (not self.risk or r.episode.risk == self.risk)
                  and (not self.owner or r.owner == self.owner)
                  and (not self.flagged or r.review_overdue or r.gone_quiet)]
        key = BOARD_SORTS.get(self.sort, BOARD_SORTS["days"])[1]
        return sorted(chosen, key=lambda r: (key(r), -r.days_missing,  # type: ignore[operator]
                                             r.person.reference))


@dataclass(frozen=True)
class Distribution:
    """Days, summarised: how many, and the median, 90th percentile and longest."""

    count: int
    median: float | None
    p90: float | None
    longest: int | None
    buckets: tuple[int, ...] = (0,) * 6  # how many fall in each of BUCKETS

    @classmethod
    def of(cls, days: list[int]) -> Distribution:
        if not days:
            return cls(0, None, None, None)
        ordered = sorted(days)
        counts = [0] * len(BUCKETS)
        for d in ordered:
            counts[next(i for i, (_, upper) in enumerate(BUCKETS) if d <= upper)] += 1
        return cls(len(ordered), statistics.median(ordered),
                   statistics.quantiles(ordered, n=10, method="inclusive")[8]
                   if len(ordered) > 1 else float(ordered[0]), ordered[-1], tuple(counts))

    def bars(self) -> list[tuple[str, int, int]]:
        """(label, count, percent of the largest bucket) for drawing the distribution."""
        top = max(self.buckets) or 1
        return [(label, n, round(100 * n / top)) for (label, _), n in zip(BUCKETS, self.buckets,
                                                                          strict=True)]


#: The ranges of days a distribution is drawn in: (label, last day in the range).
BUCKETS: tuple[tuple[str, int | float], ...] = (
    ("up to a week", 7), ("8 to 30 days", 30), ("31 to 90 days", 90),
    ("91 days to a year", 365), ("1 to 5 years", 5 * 365 + 1), ("over 5 years", float("inf")),
)


def time_to_notice_and_locate(first: dt.date, last: dt.date, *,
                              by: str = "force") -> dict[str, tuple[Distribution, Distribution]]:
    """Per force (or region), for episodes that began (notice) or were located (locate) in
    ``first``..``last``: days from last confirmed to recorded missing, and from recorded
    missing to located. Entries after ``last`` are not read."""
    forces = dict(Force.objects.values_list("slug", "region"))
    notice: dict[str, list[int]] = defaultdict(list)
    locate: dict[str, list[int]] = defaultdict(list)
    for force, episodes in episodes_by_person(last).values():
        key = forces[force] if by == "region" else force
        for episode in episodes:
            if first <= episode.began_on <= last:
                notice[key].append((episode.began_on - episode.missing_since).days)
            if episode.located_on is not None and first <= episode.located_on <= last:
                locate[key].append((episode.located_on - episode.began_on).days)
    keys = sorted(set(forces.values())) if by == "region" else sorted(forces)
    return {k: (Distribution.of(notice[k]), Distribution.of(locate[k])) for k in keys}
