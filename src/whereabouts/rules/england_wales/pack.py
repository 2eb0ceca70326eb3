"""The England and Wales rule pack: one case in, one answer out.

The steps follow the contract's order of reasoning, and each adds a step to the explanation:
the period for each disposal (s.82), the requirement as a whole, review (ss.91A-91B), the
next notification due (ss.83, 85) and compliance as at the date asked. Steps are functions,
written out only when someone reads the explanation (the sweep never does).
"""

from __future__ import annotations

from datetime import date

from ..away import merge
from ..compliance import AWAY, ENDED, OVERDUE, status
from ..dates import birthday
from ..model import Answer, Case, build_answer
from .duties import Due, Step, initial_due, periodic_due, waiver
from .params import Params
from .periods import Classifier, DisposalPeriod, Term, disposal_period, group_terms
from .review import NOT_REVIEWABLE, not_reviewable, review
from .words import iso_duration


class EnglandWales:
    """The pack; ``in_force`` applies each dated rule as in force on its event's date.

    The registered ``england_wales`` pack (``in_force=False``) is the rules contract: the law
    as it now stands, applied to every date. ``england_wales_in_force`` answers historical
    questions: the weekly no-fixed-abode rule only from 13 August 2012, and an initial
    notification for an earlier relevant date counted from the commencement of Part 2.
    """

    def __init__(self, name: str, params: Params, in_force: bool = False) -> None:
        self._name = name
        self.params = params
        self.in_force = in_force
        self.classifier = Classifier(params)

    @property
    def name(self) -> str:
        return self._name

    def evaluate(self, case: Case) -> Answer:
        """The answer for ``case`` as at ``case.as_at`` (raises ``CaseError`` on a bad term)."""
        return self._run(case, None)

    def explain(self, case: Case) -> tuple[str, ...]:
        """The explanation of the answer for ``case``: one sentence per step of reasoning."""
        steps: list[Step] = []
        self._run(case, steps)
        return tuple(step() for step in steps)

    def _run(self, case: Case, steps: list[Step] | None) -> Answer:
        """Evaluate ``case``; when ``steps`` is a list, record each step of reasoning in it."""
        p = self.params
        disposals = case.disposals
        groups: dict[str, Term] = {}
        for d in disposals:
            if d.consecutive_group is not None:
                groups = group_terms(case, p)
                break
        adult_from = birthday(case.date_of_birth, p.adult_age)
        classifier = self.classifier
        periods = [
            disposal_period(case, i, classifier, groups, adult_from) for i in range(len(disposals))
        ]
        if steps is not None:
            steps.extend(period.sentence for period in periods)

        if len(periods) == 1:
            governing = periods[0]
            first_day = governing.relevant_date
            indefinite = governing.last_day is None
        else:
            first_day = min(period.relevant_date for period in periods)
            indefinite = any(period.last_day is None for period in periods)
            governing = _governing(periods, indefinite)
            if steps is not None:
                steps.append(_whole(len(periods), first_day, governing))
        last_day = governing.last_day
        length = None if governing.months is None else iso_duration(governing.months)

        if indefinite:
            eligible, review_basis, review_step = review(case, periods, p)
        else:
            eligible, review_basis, review_step = None, NOT_REVIEWABLE, not_reviewable
        if steps is not None:
            steps.append(review_step)

        away = case.away
        if len(away) == 1:
            merged: tuple[tuple[int, int], ...] = (
                (away[0].start.toordinal(), away[0].end.toordinal()),
            )
        else:
            merged = merge((a.start.toordinal(), a.end.toordinal()) for a in away) if away else ()
        due = self._next_due(case, periods, merged)
        if steps is not None:
            steps.extend(due.steps)
        due_last: date | None = date.fromordinal(due.last_day)
        kind: str | None = due.kind
        due_basis: str | None = due.basis
        if last_day is not None and due.last_day > last_day.toordinal():
            if steps is not None:
                steps.append(lambda: _after_end(last_day))
            due_last = kind = due_basis = None

        as_at = case.as_at
        compliance = status(as_at, last_day, away, due_last)
        if steps is not None:
            steps.append(lambda: _compliance_sentence(case, compliance, last_day, kind, due_last))
        return build_answer(
            self._name, as_at, indefinite, first_day, last_day, length, governing.basis,
            eligible, review_basis, kind, due_last, due_basis, compliance, away, case,
        )  # fmt: skip

    def _next_due(
        self, case: Case, periods: list[DisposalPeriod], merged: tuple[tuple[int, int], ...]
    ) -> Due:
        p = self.params
        disposals = case.disposals
        relevant = disposals[0].date
        for d in disposals:
            if d.date > relevant:
                relevant = d.date
        latest: date | None = None
        nfa = False
        kinds: tuple[str, ...] = ()
        for n in case.notifications:
            if latest is None or n.date > latest:
                latest, nfa, kinds = n.date, n.no_fixed_abode, (n.kind,)
            elif n.date == latest:
                nfa = nfa or n.no_fixed_abode
                if n.kind not in kinds:
                    kinds += (n.kind,)
        if latest is not None and latest >= relevant:
            return periodic_due(latest, kinds, nfa, merged, p, self.in_force)
        initial = initial_due(relevant, merged, p, self.in_force)
        if case.apply_s83_waiver and latest is not None:
            waived = waiver(case, relevant, periods, initial)
            if waived is not None:
                periodic = periodic_due(latest, kinds, nfa, merged, p, self.in_force)
                return Due(
                    periodic.kind, periodic.last_day, periodic.basis, (waived, *periodic.steps)
                )
        return initial


def _governing(periods: list[DisposalPeriod], indefinite: bool) -> DisposalPeriod:
    """The period that governs the whole requirement: the latest-ending one.

    Ties (several indefinite periods, or fixed periods ending on the same day) go to the
    latest relevant date, then to the later disposal in the list.
    """
    if indefinite:
        return max(
            (period for period in periods if period.last_day is None),
            key=lambda period: (period.relevant_date, period.index),
        )
    return max(periods, key=lambda period: (period.last_day, period.relevant_date, period.index))


def _whole(n: int, first_day: date, governing: DisposalPeriod) -> Step:
    def step() -> str:
        if governing.last_day is None:
            return (
                f"Taking the {n} disposals together, the person is subject from {first_day} for "
                f"an indefinite period, because the disposal on {governing.relevant_date} "
                "carries one."
            )
        return (
            f"Taking the {n} disposals together, the person is subject from {first_day} until "
            f"{governing.last_day}, the end of the period that ends last (the disposal on "
            f"{governing.relevant_date})."
        )

    return step


def _after_end(last_day: date) -> str:
    return (
        f"That is after the notification period ends on {last_day}, so the requirement ends "
        "before the person must make that notification: nothing more is due."
    )


def _compliance_sentence(
    case: Case, compliance: str, last_day: date | None, kind: str | None, due: date | None
) -> str:
    as_at = case.as_at
    if compliance == ENDED:
        return (
            f"As at {as_at} the requirement has ended: the notification period ended on {last_day}."
        )
    if compliance == AWAY:
        reason = next((a.reason for a in case.away if a.start <= as_at <= a.end), "away")
        return (
            f"As at {as_at} the person is away ({reason}); the time away does not stop the "
            "notification period, but deadlines wait for the person's return."
        )
    if compliance == OVERDUE:
        return f"As at {as_at} the person is overdue: the {kind} notification was due by {due}."
    if due is None:
        return f"As at {as_at} the person is compliant: no further notification falls due."
    return f"As at {as_at} the person is compliant: the {kind} notification is due by {due}."
