"""The notification period for each disposal: SOA 2003 s.82, with ss.82(2)-(4) and 131.

The s.82(1) table is applied row by row, top first. Terms of imprisonment are compared with
the 6 and 30-month thresholds exactly: a term is held as whole half-months (a detention and
training order counts at half its term, s.131(a)) plus whole days (a term given in weeks or
days), so no rounding ever moves a term across a threshold. A term in days that may be
either side of a threshold, depending on which calendar months it spans, is refused with a
message rather than guessed (docs/rules.md, "Terms in weeks or days").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ..dates import age_on, month_span_days, period_last_day
from ..model import Case, CaseError, Disposal
from .params import Params
from .words import count, months_in_words


class Term(NamedTuple):
    """A term of imprisonment as ``half_months`` half calendar months plus ``days`` days."""

    half_months: int
    days: int

    def plus(self, other: Term) -> Term:
        """The aggregate of two terms (s.82(4)(a))."""
        return Term(self.half_months + other.half_months, self.days + other.days)


@dataclass(slots=True)
class DisposalPeriod:
    """One disposal's period: ``last_day`` and ``months`` are ``None`` when indefinite.

    The sentence that explains it is written only when asked for (:meth:`sentence`). Not
    frozen only because frozen dataclasses are slower to build; nothing changes one.
    """

    index: int
    relevant_date: date
    last_day: date | None
    months: int | None
    under_18: bool
    basis: str
    cited: str
    label: str
    full_months: int | None
    disposal: Disposal
    term: Term | None
    date_of_birth: date
    params: Params

    def sentence(self) -> str:
        """The step of reasoning for this disposal, in plain English."""
        d = self.disposal
        age = age_on(self.date_of_birth, d.date)
        halved = ""
        if self.months is None or self.full_months is None:
            length = "an indefinite period"
        else:
            length = months_in_words(self.full_months)
            if self.months != self.full_months:
                halved = f", halved to {months_in_words(self.months)} as the person was under 18"
        end = "with no end date" if self.last_day is None else f"ending on {self.last_day}"
        return (
            f"On {d.date} (the relevant date; the person was {age}) the disposal was "
            f"{_describe(d, self.params, self.term)}; {self.label} gives {length} beginning "
            f"with that date{halved}, {end} ({self.cited})."
        )


def compare(term: Term, months: int) -> int | None:
    """-1, 0 or 1 as ``term`` is shorter than, equal to or longer than ``months``.

    ``None`` when the answer depends on which calendar months the term spans: a term with a
    part in days that falls inside the range of lengths the remaining months can have.
    """
    target = 2 * months
    if term.days == 0:
        return (term.half_months > target) - (term.half_months < target)
    if term.half_months >= target:
        return 1
    remaining = target - term.half_months
    shortest = month_span_days(remaining // 2)[0] if remaining >= 2 else 0
    longest = month_span_days((remaining + 1) // 2)[1]
    if term.days < shortest:
        return -1
    if term.days > longest:
        return 1
    return None


def own_term(d: Disposal, p: Params) -> Term:
    """The term a single fixed-term disposal counts as, before any aggregation."""
    if d.kind == "detention_and_training_order":
        months = d.months or 0
        return Term(2 * months * p.dto_numerator // p.dto_denominator, 0)
    if d.months is not None:
        return Term(2 * d.months, 0)
    if d.weeks is not None:
        return Term(0, 7 * d.weeks)
    return Term(0, d.days or 0)


def term_words(d: Disposal, p: Params) -> str:
    """How the disposal was given, in words (``20 months``, ``27 weeks``)."""
    if d.months is not None:
        return count(d.months, "month")
    if d.weeks is not None:
        return count(d.weeks, "week")
    return count(d.days or 0, "day")


def _total_words(term: Term) -> str:
    parts = []
    if term.half_months:
        whole, half = divmod(term.half_months, 2)
        parts.append(f"{whole}{'.5' if half else ''} months" if whole != 1 or half else "1 month")
    if term.days:
        parts.append(count(term.days, "day"))
    return " and ".join(parts)


def group_terms(case: Case, p: Params) -> dict[str, Term]:
    """s.82(3)-(4)(a): each offence in a group of consecutive terms counts as the aggregate."""
    totals: dict[str, Term] = {}
    for d in case.disposals:
        if d.consecutive_group is not None:
            so_far = totals.get(d.consecutive_group, Term(0, 0))
            totals[d.consecutive_group] = so_far.plus(own_term(d, p))
    return totals


class Classifier:
    """Applies the s.82(1) table with the thresholds and labels of one set of parameters."""

    def __init__(self, p: Params) -> None:
        self.p = p
        short, indefinite = p.short_max_months, p.indefinite_from_months
        self.labels = {
            "life": "imprisonment for life or for public protection",
            "long": f"imprisonment for a term of {indefinite} months or more",
            "restricted": "a hospital order with a restriction order",
            "imprisonment_medium": (
                f"imprisonment for more than {short} months but less than {indefinite} months"
            ),
            "imprisonment_short": f"imprisonment for {short} months or less",
            "hospital_order": "a hospital order without a restriction order",
            "caution": "a caution",
            "conditional_discharge": "a conditional discharge (for the period of the discharge)",
            "other": "any other description of disposal",
        }
        self.indefinite_rows = frozenset(("life", "long", "restricted"))

    def row(self, d: Disposal, path: str, term: Term | None, field: str) -> str:
        """The key of the table row that applies to ``d`` (``term`` for fixed terms)."""
        kind = d.kind
        if kind == "imprisonment" and d.life:
            return "life"
        if term is not None:
            return self._term_row(term, path, field)
        if kind == "hospital_order":
            return "restricted" if d.restriction_order else "hospital_order"
        if kind in ("caution", "conditional_discharge"):
            return kind
        return "other"

    def _term_row(self, term: Term, path: str, field: str) -> str:
        p = self.p
        longer = compare(term, p.indefinite_from_months)
        if longer is not None and longer >= 0:
            return "long"
        shorter = compare(term, p.short_max_months)
        if longer is None or shorter is None:
            threshold = p.indefinite_from_months if longer is None else p.short_max_months
            low, high = month_span_days(threshold)
            raise CaseError(
                f"{path}.{field}",
                f"a term of {_total_words(term)} may be more or less than {threshold} calendar "
                f"months (which last {low} to {high} days) depending on the months it spans, and "
                "the Act gives no rule for comparing them: give the term in months",
            )
        return "imprisonment_short" if shorter <= 0 else "imprisonment_medium"


def disposal_period(
    case: Case, index: int, classifier: Classifier, groups: dict[str, Term], adult_from: date
) -> DisposalPeriod:
    """The s.82 period for ``case.disposals[index]``; ``adult_from`` is the 18th birthday."""
    p = classifier.p
    d = case.disposals[index]
    kind = d.kind
    term: Term | None = None
    field = "months"
    if d.consecutive_group is not None:
        term, field = groups[d.consecutive_group], "consecutive_group"
    elif kind == "detention_and_training_order" or (kind == "imprisonment" and not d.life):
        term = own_term(d, p)
        if d.months is None:
            field = "weeks" if d.weeks is not None else "days"
    row = classifier.row(d, f"disposals[{index}]", term, field)
    under_18 = d.date < adult_from
    label = classifier.labels[row]
    cited = "SOA 2003 s.82(1)"
    if d.consecutive_group is not None or kind == "detention_and_training_order":
        cited += ", s.82(3)-(4)" if d.consecutive_group is not None else ""
        cited += ", s.131(a)" if kind == "detention_and_training_order" else ""
    full: int | None = None
    months: int | None = None
    last_day: date | None = None
    basis_tail = ""
    if row not in classifier.indefinite_rows:
        full = d.months if row == "conditional_discharge" else p.period_months[row]
        assert full is not None
        months = full
        if under_18 and row in p.halved_rows:
            months = full // 2
            cited = cited.replace("s.82(1)", "s.82(1), s.82(2)", 1)
            basis_tail = ", halved because under 18 on the relevant date"
        last_day = period_last_day(d.date, months)
    if d.suspended:
        basis_tail += "; a suspended sentence counts as imprisonment (CJA 2003 s.189(6))"
    basis = f"{cited}: {label}{basis_tail}"
    return DisposalPeriod(
        index, d.date, last_day, months, under_18, basis, cited, label, full, d, term,
        case.date_of_birth, p,
    )  # fmt: skip


def _describe(d: Disposal, p: Params, term: Term | None) -> str:
    kind = d.kind
    if kind == "imprisonment":
        if d.life:
            text = "imprisonment for life or for public protection"
        else:
            text = f"imprisonment for {term_words(d, p)}"
            if d.suspended:
                text += ", suspended"
    elif kind == "detention_and_training_order":
        text = (
            f"a detention and training order of {term_words(d, p)}, of which the period of "
            f"detention ({_total_words(own_term(d, p))}) counts as imprisonment"
        )
    elif kind == "hospital_order":
        text = (
            "a hospital order "
            + ("with" if d.restriction_order else "without")
            + (" a restriction order")
        )
    elif kind == "caution":
        text = "a caution"
    elif kind == "conditional_discharge":
        text = f"a conditional discharge of {months_in_words(d.months or 0)}"
    else:
        text = "a disposal of another description (such as a fine or community order)"
    if d.consecutive_group is not None and term is not None:
        text += (
            f', consecutive with the other terms in group "{d.consecutive_group}", '
            f"{_total_words(term)} in all"
        )
    return text
