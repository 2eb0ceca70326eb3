"""The England and Wales parameters, read once from ``parameters.json`` into plain fields.

The JSON file is the record (dated versions with references); this module turns the versions
the engine uses into typed attributes so that evaluating a case does no dictionary lookups in
JSON structures and no date parsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..parameters import DatedParameter, load_parameters


@dataclass(frozen=True, slots=True)
class Params:
    """The numbers of the England and Wales rules, with the references they come from."""

    short_max_months: int
    indefinite_from_months: int
    period_months: dict[str, int]
    adult_age: int
    halved_rows: frozenset[str]
    dto_numerator: int
    dto_denominator: int
    initial_days: int
    part_2_commencement: date
    periodic_months: int
    nfa_days: int
    nfa_in_force_from: date
    away_extension_days: int
    review_adult_months: int
    review_under_18_months: int
    review_in_force_from: date
    table: dict[str, DatedParameter]


def load() -> Params:
    """Read the shipped parameters; the current version of each is the law as it stands."""
    table = load_parameters(__package__ or "whereabouts.rules.england_wales", "parameters.json")
    periods = table["notification_periods"].current.value
    halving = table["under_18_halving"].current.value
    dto = table["detention_and_training_order"].current.value
    initial = table["initial_notification"].current.value
    nfa = table["no_fixed_abode_notification"]
    review = table["review"]
    period_months = {str(k): int(v) for k, v in periods["period_months"].items()}
    halved = frozenset(str(row) for row in halving["halved_rows"])
    for row in halved:
        if period_months[row] % 2:
            raise ValueError(f"halving {row!r} would give a part of a month")
    if (2 * dto["detention_numerator"]) % dto["detention_denominator"]:
        raise ValueError("the detention share of an order must be a whole number of half-months")
    return Params(
        short_max_months=int(periods["imprisonment_short_max_months"]),
        indefinite_from_months=int(periods["imprisonment_indefinite_from_months"]),
        period_months=period_months,
        adult_age=int(halving["age"]),
        halved_rows=halved,
        dto_numerator=int(dto["detention_numerator"]),
        dto_denominator=int(dto["detention_denominator"]),
        initial_days=int(initial["days"]),
        part_2_commencement=date.fromisoformat(initial["part_2_commencement"]),
        periodic_months=int(table["periodic_notification"].current.value["months"]),
        nfa_days=int(nfa.current.value["days"]),
        nfa_in_force_from=nfa.versions[0].in_force_from,
        away_extension_days=int(table["periodic_away_extension"].current.value["days"]),
        review_adult_months=12 * int(review.current.value["adult_years"]),
        review_under_18_months=12 * int(review.current.value["under_18_years"]),
        review_in_force_from=review.versions[0].in_force_from,
        table=table,
    )


PARAMS = load()
