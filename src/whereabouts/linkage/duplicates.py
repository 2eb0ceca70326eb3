"""Duplicate identities: records of the register that may be one person, and their merge.

``whereabouts duplicates find`` matches the register against itself (:mod:`.dedupe`, every
force at once: a person registered again in another force under a slightly different name is
the case that matters most) and keeps each probable pair once, as a
:class:`~.models.DuplicateSuggestion`. An officer who may (``duplicates.decide``) and can open
both records decides it once:

- **distinct**: kept, and the pair is never suggested again;
- **merge**: one record (the *merged* one) is joined to the other (the *survivor*). Nothing
  is rewritten or deleted: the merged record keeps its whole ledger and takes a last entry,
  ``merged.into``, naming the survivor; the survivor takes ``merged.from``, naming it. From
  the merge date the merged record is no longer a person on the register in its own right
  (``register.case``: no case for the rules, status "merged", so the figures count one
  person from that date and are unchanged before it) and takes no further entry.

A merge is refused, naming what is open, while the record to be merged has an open missing
episode, an open whereabouts check or a transfer waiting: those are decisions about the
person that an officer closes on that record first (or keeps that record). Its open tasks
(overdue notification, visit or ARMS assessment, all opened by the sweeps) are closed by the
merge, listed in its entry: the duties now stand on the survivor, whose own tasks say what
is due. There is no unmerge (docs/linkage.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.compliance.models import Task, TaskState
from whereabouts.missing.selectors import person_checks, person_episodes
from whereabouts.register import services
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event, EventKind, Person, Transfer, TransferState
from whereabouts.register.recording import NotPermitted

from . import dedupe, engine, explain
from .linking import register_side
from .models import DuplicateRun, DuplicateStatus, DuplicateSuggestion

DEFAULT_THRESHOLD = 0.9


def merged_people() -> set[int]:
    """Every record merged into another: left out of a run, and of the suggestions."""
    return set(Event.objects.filter(kind=EventKind.MERGED_INTO)
               .values_list("person_id", flat=True))


def best_pairs(pairs: list[dict[str, Any]]) -> dict[tuple[int, int], dict[str, Any]]:
    """The strongest pair of rows (names) for each unordered pair of people, lower id first;
    ``left``/``right`` are the rows of the lower and the higher id (the comparison levels
    and weights are the same either way round)."""
    best: dict[tuple[int, int], dict[str, Any]] = {}
    for pair in pairs:
        a, b = pair["unique_id_l"], pair["unique_id_r"]
        pa_, pb_ = int(a.split(":")[1]), int(b.split(":")[1])
        if pa_ == pb_:  # never a person with itself (the blocking rules already see to it)
            continue
        key, rows = ((pa_, pb_), (a, b)) if pa_ < pb_ else ((pb_, pa_), (b, a))
        if key not in best or pair["match_weight"] > best[key]["match_weight"]:
            best[key] = {**pair, "left": rows[0], "right": rows[1]}
    return best


def find_duplicates(*, actor: AbstractBaseUser | None, today: dt.date,
                    threshold: float = DEFAULT_THRESHOLD) -> DuplicateRun:
    """Match the whole register against itself and keep the probable pairs not yet
    suggested (or decided) as suggestions. ``actor`` None is the system."""
    if actor is not None and not policy.may(actor, "duplicates.decide"):
        raise NotPermitted("not found")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) \
            or not 0.5 <= threshold < 1:
        raise InvalidInput("threshold", "must be at least 0.5 and below 1")
    side, values, _ = register_side()
    table = side.table()
    merged = merged_people()
    if merged:
        people = pc.list_element(pc.split_pattern(table.column("unique_id"), ":"), 1)
        keep = pc.invert(pc.is_in(people, value_set=pa.array([str(p) for p in merged])))
        table = table.filter(keep)
    if len(table) < 2:
        raise InvalidInput("register", "has fewer than two records to compare")
    result = dedupe.run(table, threshold=threshold)
    return _keep(result, values, actor=actor, threshold=threshold,
                 people=len(set(values[u][0] for u in table.column("unique_id").to_pylist())))


@transaction.atomic
def _keep(result: engine.Result, values: Mapping[str, tuple[int, explain.Values]], *,
          actor: AbstractBaseUser | None, threshold: float, people: int) -> DuplicateRun:
    now = timezone.now()
    run = DuplicateRun.objects.create(
        run_at=now, run_by=actor, splink_version=engine.SPLINK_VERSION,
        settings_json=result.settings, threshold=threshold, people=people,
        pairs_scored=result.pairs_scored, seconds=round(result.seconds, 2),
        notes="\n".join(result.notes))
    best = best_pairs(result.pairs)
    ids = {p for key in best for p in key}
    known = set(DuplicateSuggestion.objects.filter(person_a_id__in=ids)
                .values_list("person_a_id", "person_b_id"))
    made = []
    for (a, b), pair in sorted(best.items()):
        if (a, b) in known:
            continue
        left, right = values[pair["left"]][1], values[pair["right"]][1]
        made.append(DuplicateSuggestion(
            run=run, person_a_id=a, person_b_id=b,
            match_probability=float(pair["match_probability"]),
            match_weight=float(pair["match_weight"]),
            matched_names=f"{left.forename} {left.surname} / {right.forename} "
                          f"{right.surname}"[:300],
            explanation=explain.explain(pair, left, right, records=True), created_at=now))
    DuplicateSuggestion.objects.bulk_create(made, batch_size=2000)
    run.suggestions_made = len(made)
    run.pairs_skipped = len(best) - len(made)
    run.save(update_fields=["suggestions_made", "pairs_skipped"])
    audit.record(actor=actor, action=AuditAction.COMBINATION,
                 what=f"matched the register against itself for duplicate identities "
                      f"(run {run.pk}): {len(made)} pairs suggested, {run.pairs_skipped} "
                      f"already suggested or decided",
                 reason="duplicate identities (docs/linkage.md)",
                 listed=sorted({p for s in made for p in (s.person_a_id, s.person_b_id)}))
    return run


# -- reading ---------------------------------------------------------------------------------


def _scope(user: Any, session: Any) -> QuerySet[Person]:
    if not policy.may(user, "duplicates.decide"):
        return Person.objects.none()
    return policy.openable_people(user, session)


def suggestions_for(user: Any, session: Any, *, status: str = DuplicateStatus.OPEN
                    ) -> QuerySet[DuplicateSuggestion]:
    """The pairs ``user`` may see: both records openable (their force's, or a reason given
    for the other in this session). Open pairs with a merged record are left out: that
    record has been merged into another since (a later run compares the survivor)."""
    scope = _scope(user, session).values("pk")
    found = (DuplicateSuggestion.objects.filter(status=status, person_a__in=scope,
                                                person_b__in=scope)
             .select_related("person_a__force", "person_b__force", "decided_by", "survivor"))
    if status == DuplicateStatus.OPEN:
        gone = merged_people()
        found = found.exclude(Q(person_a__in=gone) | Q(person_b__in=gone))
    return found


def half_visible_for(user: Any, session: Any) -> list[tuple[DuplicateSuggestion, Person, int]]:
    """Open pairs with one record the user may open and the other of another force that
    they may open only with a reason: (pair, their record, the other's id), so that the list
    can offer the reason page. Only for users who may give reasons."""
    if not policy.may(user, "duplicates.decide") or not policy.may(
            user, "person.open_with_reason"):
        return []
    mine = _scope(user, session).values("pk")
    gone = merged_people()
    pairs = (DuplicateSuggestion.objects.filter(status=DuplicateStatus.OPEN)
             .filter(Q(person_a__in=mine) ^ Q(person_b__in=mine))
             .exclude(Q(person_a__in=gone) | Q(person_b__in=gone))
             .select_related("person_a__force", "person_b__force"))
    allowed = set(_scope(user, session).filter(
        pk__in=[p for s in pairs for p in (s.person_a_id, s.person_b_id)])
        .values_list("pk", flat=True))
    out = []
    for s in pairs:
        ours, other = ((s.person_a, s.person_b_id) if s.person_a_id in allowed
                       else (s.person_b, s.person_a_id))
        out.append((s, ours, other))
    return out


def suggestion_for(user: Any, session: Any, suggestion_id: int) -> DuplicateSuggestion:
    """One pair the user may see (both records openable), or NotPermitted ("not found")."""
    scope = _scope(user, session).values("pk")
    found = (DuplicateSuggestion.objects.filter(pk=suggestion_id, person_a__in=scope,
                                                person_b__in=scope)
             .select_related("person_a__force", "person_b__force", "run", "decided_by",
                             "survivor").first())
    if found is None:
        raise NotPermitted("not found")
    return found


# -- deciding --------------------------------------------------------------------------------


def _open_suggestion(user: Any, session: Any, suggestion_id: int) -> DuplicateSuggestion:
    suggestion = suggestion_for(user, session, suggestion_id)
    locked = DuplicateSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != DuplicateStatus.OPEN:
        who = locked.decided_by.get_username() if locked.decided_by else "the system"
        status = locked.get_status_display().lower()
        raise InvalidInput("suggestion", f"was already decided ({status} by {who} on "
                                         f"{locked.decided_at:%d %B %Y}): a pair is decided "
                                         f"once")
    for person in (suggestion.person_a, suggestion.person_b):
        merged = services.merged_into(person.pk)
        if merged is not None:
            raise InvalidInput("suggestion", f"{person.reference} has since been merged into "
                                             f"{merged['survivor_reference']}")
    if not (policy.visible_people(user).filter(pk__in=[suggestion.person_a_id,
                                                       suggestion.person_b_id]).exists()):
        raise NotPermitted("not found")  # a pair of two other forces is theirs to decide
    return suggestion


@transaction.atomic
def mark_distinct(*, suggestion_id: int, actor: AbstractBaseUser, session: Any,
                  reason: str = "") -> DuplicateSuggestion:
    """Two different people: kept, never suggested again. Nothing is written to either
    ledger."""
    suggestion = _open_suggestion(actor, session, suggestion_id)
    reason = services.checked_text(reason, "reason", required=False, max_length=2000)
    suggestion.status = DuplicateStatus.DISTINCT
    suggestion.decided_by, suggestion.decided_at = actor, timezone.now()
    suggestion.decision_reason = reason
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(actor=actor, action=AuditAction.ALTERATION,
                 what=f"marked duplicate suggestion {suggestion.pk} distinct: "
                      f"{suggestion.person_a.reference} and {suggestion.person_b.reference} "
                      f"are different people", reason=reason,
                 listed=[suggestion.person_a_id, suggestion.person_b_id])
    return suggestion


@dataclass(frozen=True)
class MergeResult:
    suggestion: DuplicateSuggestion | None
    merged: Person
    survivor: Person
    merged_entry: Event
    survivor_entry: Event
    tasks_closed: list[int]


def what_is_open(person: Person, today: dt.date) -> list[str]:
    """What an officer must close on ``person`` before it can be merged into another."""
    found = []
    episode = next((e for e in person_episodes(person) if e.open_on(today)), None)
    if episode is not None:
        found.append(f"an open missing episode (recorded missing on "
                     f"{episode.began_on:%d %B %Y})")
    check = next((c for c in person_checks(person) if c.closed_on is None), None)
    if check is not None:
        found.append(f"an open whereabouts check (opened on {check.opened_on:%d %B %Y})")
    transfer = Transfer.objects.filter(person=person, state=TransferState.PENDING).first()
    if transfer is not None:
        found.append(f"a transfer to {transfer.to_force_id} waiting since "
                     f"{transfer.opened_on:%d %B %Y}")
    return found


@transaction.atomic
def merge(*, suggestion_id: int, survivor_id: int, reason: str, actor: AbstractBaseUser,
          session: Any, today: dt.date) -> MergeResult:
    """Merge the pair's other record into ``survivor_id``; see the module docstring."""
    suggestion = _open_suggestion(actor, session, suggestion_id)
    pair = {suggestion.person_a_id: suggestion.person_a, suggestion.person_b_id:
            suggestion.person_b}
    if survivor_id not in pair:
        raise InvalidInput("survivor", f"must be one of the pair's two records "
                                       f"({suggestion.person_a.reference} or "
                                       f"{suggestion.person_b.reference})")
    merged_id = next(p for p in pair if p != survivor_id)
    result = merge_records(merged_id=merged_id, survivor_id=survivor_id, reason=reason,
                           actor=actor, session=session, today=today, suggestion=suggestion)
    suggestion.status = DuplicateStatus.MERGED
    suggestion.survivor_id = survivor_id
    suggestion.merged_on = today
    suggestion.decided_by, suggestion.decided_at = actor, timezone.now()
    suggestion.decision_reason = reason.strip()
    suggestion.save(update_fields=["status", "survivor", "merged_on", "decided_by",
                                   "decided_at", "decision_reason"])
    return MergeResult(suggestion, result.merged, result.survivor, result.merged_entry,
                       result.survivor_entry, result.tasks_closed)


@transaction.atomic
def merge_records(*, merged_id: int, survivor_id: int, reason: str, actor: AbstractBaseUser,
                  session: Any, today: dt.date,
                  suggestion: DuplicateSuggestion | None = None) -> MergeResult:
    """Join ``merged_id`` to ``survivor_id``: an entry on each, the merged record's open
    tasks closed. Checks everything first; a refusal changes nothing."""
    if not policy.may(actor, "duplicates.decide"):
        raise NotPermitted("not found")
    reason = services.checked_text(reason, "reason", max_length=2000)
    if merged_id == survivor_id:
        raise InvalidInput("survivor", "is the record being merged: a record cannot be merged "
                                       "into itself")
    scope = policy.openable_people(actor, session)
    people = Person.objects.select_for_update().in_bulk([merged_id, survivor_id])
    if len(people) != 2 or scope.filter(pk__in=[merged_id, survivor_id]).count() != 2:
        raise NotPermitted("not found")
    merged, survivor = people[merged_id], people[survivor_id]
    for field, person in (("merged", merged), ("survivor", survivor)):
        earlier = services.merged_into(person.pk)
        if earlier is not None:
            raise InvalidInput(field, f"{person.reference} was already merged into "
                                      f"{earlier['survivor_reference']}")
    still_open = what_is_open(merged, today)
    if still_open:
        raise InvalidInput("survivor", f"{merged.reference} cannot be merged into "
                                       f"{survivor.reference} while it has "
                                       f"{'; '.join(still_open)}: close it on "
                                       f"{merged.reference} first, or keep "
                                       f"{merged.reference} as the surviving record")
    tasks = list(Task.objects.select_for_update().filter(person=merged, state=TaskState.OPEN)
                 .order_by("due_last_day", "id"))
    extra = {"suggestion": suggestion.pk} if suggestion is not None else {}
    merged_entry = services.event_record(
        person_id=merged.pk, kind=EventKind.MERGED_INTO, effective_date=today, today=today,
        recorded_by=actor, source="web",
        details={"survivor": survivor.pk, "survivor_reference": survivor.reference,
                 "tasks_closed": "; ".join(f"{t.pk}: {t.title}" for t in tasks)[:2000],
                 **extra},
        reason=reason)
    survivor_entry = services.event_record(
        person_id=survivor.pk, kind=EventKind.MERGED_FROM, effective_date=today, today=today,
        recorded_by=actor, source="web",
        details={"merged": merged.pk, "merged_reference": merged.reference, **extra},
        reason=reason)
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(state=TaskState.DONE,
                                                            closed_as_at=today)
    audit.record(actor=actor, action=AuditAction.ALTERATION, person_id=merged.pk,
                 what=f"merged {merged.reference} into {survivor.reference} (duplicate "
                      f"identity); {len(tasks)} open tasks closed", reason=reason)
    audit.record(actor=actor, action=AuditAction.ALTERATION, person_id=survivor.pk,
                 what=f"merged {merged.reference} into {survivor.reference} (duplicate "
                      f"identity)", reason=reason)
    return MergeResult(suggestion, merged, survivor, merged_entry, survivor_entry,
                       [t.pk for t in tasks])

