"""The facts a rule pack reads and the answer it gives: immutable plain records.

The facts are named tuples rather than frozen dataclasses: a national sweep builds millions
of them, and a frozen dataclass sets each field through ``object.__setattr__``.

Nothing here knows a jurisdiction's law; the field names follow the rules contract
(docs: /work/shared/design/rules-contract.md, "Input (version 1)") plus the optional
fields added after checking the Act (see docs/rules.md). Optional fields default so that a
case written for version 1 means exactly what it meant before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import NamedTuple


class CaseError(ValueError):
    """A case the engine cannot read: names the field (a path such as ``disposals[1].months``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Disposal(NamedTuple):
    """The disposal for one Schedule 3 offence; ``date`` is the relevant date (s.82(6))."""

    date: date
    kind: str
    months: int | None = None
    life: bool = False
    restriction_order: bool = False
    # Beyond version 1 (checked against the Act; docs/rules.md):
    weeks: int | None = None
    days: int | None = None
    suspended: bool = False
    consecutive_group: str | None = None


class AwayPeriod(NamedTuple):
    """Whole days away, ``start`` and ``end`` inclusive (JSON ``from`` and ``to``)."""

    start: date
    end: date
    reason: str


class Notification(NamedTuple):
    """A notification given in person."""

    date: date
    kind: str
    no_fixed_abode: bool = False


class Case(NamedTuple):
    """Everything the engine reads about one person, as at ``as_at``."""

    date_of_birth: date
    as_at: date
    disposals: tuple[Disposal, ...]
    away: tuple[AwayPeriod, ...] = ()
    notifications: tuple[Notification, ...] = ()
    # Beyond version 1: apply the s.83(2) waiver of a repeated initial notification.
    apply_s83_waiver: bool = False


@dataclass(frozen=True)
class Answer:
    """What the law requires of the person, and whether they are meeting it, as at ``as_at``.

    ``away_periods`` is carried so that :func:`compliance_on` can answer for another date
    without evaluating the case again. ``explanation`` is written on first access, by the pack
    that gave the answer (from ``case``): a sweep over every case never asks for it, and an
    answer holds no closures or sentences that the garbage collector would have to visit.
    """

    pack: str
    as_at: date
    indefinite: bool
    first_day: date
    last_day: date | None
    length: str | None
    period_basis: str
    review_first_eligible: date | None
    review_basis: str
    next_due_kind: str | None
    next_due_last_day: date | None
    next_due_basis: str | None
    compliance: str
    away_periods: tuple[AwayPeriod, ...] = ()
    case: Case | None = field(default=None, repr=False, compare=False)

    @cached_property
    def explanation(self) -> tuple[str, ...]:
        """One plain-English sentence per step of reasoning, in order."""
        if self.case is None:
            return ()
        from .registry import get_pack

        return get_pack(self.pack).explain(self.case)


_ANSWER_FIELDS = tuple(f.name for f in fields(Answer))


def build_answer(*values: object) -> Answer:
    """An :class:`Answer` from its field values in order, without the frozen ``__init__``.

    A frozen dataclass sets each of its fields through ``object.__setattr__``, which made
    building the answer a sixth of the cost of evaluating a case; filling ``__dict__`` at
    once gives the same object. Rule packs use this; everyone else can call ``Answer(...)``.
    """
    if len(values) != len(_ANSWER_FIELDS):
        raise TypeError(f"an Answer has {len(_ANSWER_FIELDS)} fields, not {len(values)}")
    answer = object.__new__(Answer)
    answer.__dict__.update(zip(_ANSWER_FIELDS, values, strict=True))
    return answer
