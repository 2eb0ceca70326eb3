"""The register against itself: Splink's ``dedupe_only`` over the register's side alone.

The same comparisons and levels as the partner linkage (:data:`.engine.LEVELS`, so
:mod:`.explain` words the pairs the same way), with these differences:

- one table, one row per name a person is known by (current name and aliases), with a
  ``person`` column: two rows of the same person are never a pair (every blocking rule,
  and every rule used in training, says ``l.person <> r.person``);
- blocking only on keys that a second record of the same person would very probably share
  (:data:`BLOCKING_RULES`): the same date of birth, NI number or surname sound with year
  of birth; a shared postcode alone is not enough (two people at one hostel are not one);
- training without labels, and without EM: duplicates on a register are rare (a few in
  tens of thousands), too few for expectation maximisation to learn the m values from, and
  it would learn from the many near-pairs of different people instead. The prior is
  estimated from near-certain pairs and the u values from random pairs (nearly all of which
  are different people, which is what u is); the m values stay at the model's starting
  values, the same as the partner linkage's. The notes say so.
- a floor under the prior (:data:`DUPLICATE_RATE`): on a register with very few certain
  duplicates the estimate says "almost never", and then no probable pair (a date of birth,
  a nickname and a misspelt surname agreeing) would ever reach the threshold. The floor
  assumes that 1 person in 100 may have a second record, which is the order of what data
  quality reviews of police systems report; the notes say which prior was used.

Nothing here touches Django; :mod:`.duplicates` builds the table and keeps the pairs. The
partner linkage's functions in :mod:`.engine` are used as they are, not changed.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import pyarrow as pa

from . import engine

#: Near-linear, as for the partner linkage: every rule an equality on a selective key.
BLOCKING_RULES = [
    "l.dob = r.dob AND l.person <> r.person",
    "l.ni = r.ni AND l.person <> r.person",
    "l.surname_sx = r.surname_sx AND l.yob = r.yob AND l.person <> r.person",
    "l.forename_root = r.forename_root AND l.surname_sx = r.surname_sx "
    "AND l.decade = r.decade AND l.person <> r.person",
]
#: Near-certain pairs, for the prior.
DETERMINISTIC_RULES = [
    "l.ni = r.ni AND l.dob = r.dob AND l.person <> r.person",
    "l.forename = r.forename AND l.surname = r.surname AND l.dob = r.dob "
    "AND l.person <> r.person",
]


#: The share of people assumed, at least, to have a second record on the register.
DUPLICATE_RATE = 0.01


def prior_floor(people: int) -> float:
    """The probability that two random rows are one person if :data:`DUPLICATE_RATE` of
    ``people`` have one duplicate each: that many pairs among all pairs."""
    if people < 2:
        return 0.0
    return min(0.5, DUPLICATE_RATE * people / (people * (people - 1) / 2))


def with_person(table: pa.Table) -> pa.Table:
    """The side's table with a ``person`` column, from each row's ``prefix:person:n`` id."""
    people = [uid.split(":")[1] for uid in table.column("unique_id").to_pylist()]
    return table.append_column("person", pa.array(people, pa.string()))


def settings(dialect: str = "duckdb", prior: float = 1e-6) -> dict[str, Any]:
    """The partner linkage's settings with ``dedupe_only`` and our blocking rules."""
    model = engine.settings(dialect, prior)
    model["link_type"] = "dedupe_only"
    model["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": rule} for rule in BLOCKING_RULES]
    return model


def run(register: pa.Table, *, threshold: float = 0.9, seed: int = 7,
        u_pairs: float = 2e6, min_pairs_to_train: float = 1e6) -> engine.Result:
    """Score every blocked pair of rows of different people; keep those at or above
    ``threshold``. ``register`` is :meth:`.engine.Side.table` (``with_person`` is applied
    here). With fewer than ``min_pairs_to_train`` possible pairs the u values are not
    estimated either (a handful of random pairs says little) and the starting values stand."""
    from splink import DuckDBAPI, Linker

    started = time.perf_counter()
    logging.getLogger("splink").setLevel(logging.ERROR)
    table = with_person(register)
    db_api = DuckDBAPI()
    data = db_api.register(table, dataset_display_name=f"register_{uuid.uuid4().hex[:8]}")
    linker = Linker(data, settings("duckdb"), log_level=None)
    notes: list[str] = []
    rows = len(table)
    try:
        linker.training.estimate_probability_two_random_records_match(
            DETERMINISTIC_RULES, recall=0.7)
    except Exception as exc:  # no near-certain pair at all: keep the default prior
        notes.append(f"prior left at its default: {exc}")
    if rows * (rows - 1) / 2 < min_pairs_to_train:
        notes.append("too few possible pairs to learn u from: the starting values stand")
    else:
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed,
                                                         num_chunks=1)
    notes.append("m values not trained (duplicates are too rare on a register for EM): "
                 "the model's starting values stand")
    trained = linker.misc.save_model_to_json(overwrite=True)
    estimated = float(trained["probability_two_random_records_match"])
    floor = prior_floor(len(set(table.column("person").to_pylist())))
    if estimated < floor:
        trained["probability_two_random_records_match"] = floor
        notes.append(f"prior raised from the estimate {estimated:.3g} to the floor {floor:.3g} "
                     f"({DUPLICATE_RATE:.0%} of people with a second record)")
        linker = Linker(data, trained, log_level=None)
    else:
        notes.append(f"prior estimated at {estimated:.3g}")
    pairs = linker.inference.predict(threshold_match_probability=threshold,
                                     warning_mode="never").as_record_list()
    return engine.Result(pairs=pairs, settings=linker.misc.save_model_to_json(overwrite=True),
                         notes=notes, pairs_scored=len(pairs),
                         seconds=time.perf_counter() - started)
