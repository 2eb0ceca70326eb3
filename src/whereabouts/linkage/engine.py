"""The Splink model: the same settings on DuckDB (default) or Spark, trained without labels.

Both sides are tables with the same columns, one row per **name** a person is known by: the
register gives a row for the current name and one for each alias (earlier names included),
each with the person's address history (``postcodes``); a partner record gives a row for its
name and one per earlier family name it carries. Pairs are scored row against row; the best
pair per (person, record) is kept. Nothing here touches Django: :mod:`.linking` builds the
tables from the database and turns the pairs into leads.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jellyfish
import pyarrow as pa

from . import normalise

SPLINK_VERSION = "5.0.0"
ENGINES = ("duckdb", "spark")

#: Forename -> a root shared by its common short forms, so "Bob" meets "Robert".
NICKNAMES: dict[str, str] = {}
for _root, _forms in {
    "ROBERT": "BOB BOBBY ROB ROBBIE BERT", "WILLIAM": "BILL BILLY WILL WILLIE LIAM",
    "RICHARD": "RICK RICKY DICK RICH RICHIE", "JAMES": "JIM JIMMY JAMIE JIMBO",
    "JOHN": "JACK JOHNNY JON", "MICHAEL": "MIKE MICK MICKY MIKEY", "DAVID": "DAVE DAVY",
    "THOMAS": "TOM TOMMY", "ANTHONY": "TONY ANT", "CHRISTOPHER": "CHRIS KIT",
    "ANDREW": "ANDY DREW", "STEPHEN": "STEVE STEVIE STEVEN", "DANIEL": "DAN DANNY",
    "MATTHEW": "MATT MATTY", "JOSEPH": "JOE JOEY", "EDWARD": "ED EDDIE TED TEDDY NED",
    "PETER": "PETE", "PATRICK": "PAT PADDY", "NICHOLAS": "NICK NICKY", "SAMUEL": "SAM SAMMY",
    "BENJAMIN": "BEN BENNY", "ALEXANDER": "ALEX ALEC SANDY", "TIMOTHY": "TIM TIMMY",
    "KENNETH": "KEN KENNY", "RONALD": "RON RONNIE", "DONALD": "DON DONNIE",
    "GERALD": "GERRY JERRY", "LAWRENCE": "LARRY LAURIE", "FREDERICK": "FRED FREDDIE",
    "HENRY": "HARRY HAL HANK", "CHARLES": "CHARLIE CHUCK CHAS", "PHILIP": "PHIL PIP",
    "LEONARD": "LEN LENNY LEO", "RAYMOND": "RAY", "GARETH": "GAZ", "GARY": "GAZ",
    "TERENCE": "TERRY TEL", "DOUGLAS": "DOUG DOUGIE", "NATHAN": "NATE NAT",
    "ELIZABETH": "LIZ LIZZIE BETH BETTY ELIZA", "MARGARET": "MAGGIE MEG PEGGY MAGS",
    "KATHERINE": "KATE KATIE KATHY KAT", "JENNIFER": "JEN JENNY", "REBECCA": "BECKY BECS",
    "SUSAN": "SUE SUSIE", "DEBORAH": "DEBBIE DEB", "PATRICIA": "PAT TRICIA PATSY",
    "VICTORIA": "VICKY TORI", "SAMANTHA": "SAM SAMMY", "ALEXANDRA": "ALEX LEXI SANDRA",
}.items():
    NICKNAMES[_root] = _root
    for _form in _forms.split():
        NICKNAMES.setdefault(_form, _root)


def forename_root(forename: str) -> str:
    return NICKNAMES.get(forename, forename)


def sound(value: str) -> str | None:
    """Soundex of the first word of a surname: for blocking on how a name sounds."""
    first = value.split(" ")[0] if value else ""
    return jellyfish.soundex(first) if first else None


SCHEMA = pa.schema([
    ("unique_id", pa.string()), ("forename", pa.string()), ("forename_root", pa.string()),
    ("surname", pa.string()), ("surname_sx", pa.string()), ("dob", pa.string()),
    ("yob", pa.string()), ("decade", pa.string()), ("ni", pa.string()),
    ("postcode", pa.string()), ("district", pa.string()),
    ("postcodes", pa.list_(pa.string())), ("address", pa.string()),
])


@dataclass
class Side:
    """Rows for one side, built up one name at a time; see :meth:`add`."""

    prefix: str
    columns: dict[str, list[Any]] = field(default_factory=lambda: {n: [] for n in SCHEMA.names})

    def add(self, key: int, n: int, *, forename: str, surname: str, dob: dt.date | None,
            ni: str, postcode: str, postcodes: Iterable[str], address: str) -> None:
        iso = dob.isoformat() if dob else None
        c = self.columns
        c["unique_id"].append(f"{self.prefix}:{key}:{n}")
        c["forename"].append(forename or None)
        c["forename_root"].append(forename_root(forename) or None)
        c["surname"].append(surname or None)
        c["surname_sx"].append(sound(surname))
        c["dob"].append(iso)
        c["yob"].append(iso[:4] if iso else None)
        c["decade"].append(iso[:3] if iso else None)
        c["ni"].append(ni or None)
        c["postcode"].append(postcode or None)
        c["district"].append(normalise.district(postcode) or None)
        c["postcodes"].append(sorted({p for p in postcodes if p}) or None)
        c["address"].append(address or None)

    def table(self) -> pa.Table:
        return pa.table(self.columns, schema=SCHEMA)

    def __len__(self) -> int:
        return len(self.columns["unique_id"])


# -- the model ------------------------------------------------------------------------------

#: Comparison -> its levels, in order: (label, sql ("" for else), starting m and u values).
#: Training replaces the starting values wherever the data show the level; a level it never
#: sees (a tiny extract) keeps them.
#: The labels are what the explanation prints (see :mod:`.explain`).
LEVELS: dict[str, list[tuple[str, str, float, float]]] = {
    "surname": [
        ("null", "surname_l IS NULL OR surname_r IS NULL", 0, 0),
        ("exact", "surname_l = surname_r", 0.80, 0.005),
        ("similar", "JW(surname) >= 0.88", 0.08, 0.003),
        ("part", "(length(surname_l) >= 3 AND length(surname_r) >= 3 AND "
                 "(instr(surname_l, surname_r) > 0 OR instr(surname_r, surname_l) > 0))",
         0.04, 0.002),
        ("somewhat", "JW(surname) >= 0.80", 0.03, 0.02),
        ("else", "", 0.05, 0.97),
    ],
    "forename": [
        ("null", "forename_l IS NULL OR forename_r IS NULL", 0, 0),
        ("exact", "forename_l = forename_r", 0.82, 0.02),
        ("nickname", "forename_root_l = forename_root_r", 0.05, 0.005),
        ("similar", "JW(forename) >= 0.88", 0.06, 0.01),
        ("initial", "substr(forename_l, 1, 1) = substr(forename_r, 1, 1)", 0.03, 0.05),
        ("else", "", 0.04, 0.915),
    ],
    "dob": [
        ("null", "dob_l IS NULL OR dob_r IS NULL", 0, 0),
        ("exact", "dob_l = dob_r", 0.90, 0.0001),
        ("transposed", "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND "
                       "substr(dob_l, 6, 2) = substr(dob_r, 9, 2) AND "
                       "substr(dob_l, 9, 2) = substr(dob_r, 6, 2)", 0.03, 1e-05),
        ("one_digit", "LEV(dob) <= 1", 0.04, 0.0005),
        ("same_year", "yob_l = yob_r", 0.01, 0.015),
        ("else", "", 0.02, 0.98439),
    ],
    "ni": [
        ("null", "ni_l IS NULL OR ni_r IS NULL", 0, 0),
        ("exact", "ni_l = ni_r", 0.95, 1e-06),
        ("else", "", 0.05, 0.999999),
    ],
    "postcode": [
        ("null", "postcode_l IS NULL OR postcode_r IS NULL", 0, 0),
        ("exact", "postcode_l = postcode_r", 0.35, 1e-05),
        ("history", "(array_contains(postcodes_l, postcode_r) OR "
                    "array_contains(postcodes_r, postcode_l))", 0.15, 1e-05),
        ("district", "district_l = district_r", 0.15, 0.003),
        ("else", "", 0.35, 0.99698),
    ],
    "address": [
        ("null", "address_l IS NULL OR address_r IS NULL", 0, 0),
        ("similar", "JW(address) >= 0.90", 0.35, 0.001),
        ("else", "", 0.65, 0.999),
    ],
}


def _sql(condition: str, dialect: str) -> str:
    """Our two shorthands as each engine writes them."""
    import re

    jw = "jaro_winkler_similarity" if dialect == "duckdb" else "jaro_winkler"
    lev = "levenshtein"
    condition = re.sub(r"JW\((\w+)\)", lambda m: f"{jw}({m[1]}_l, {m[1]}_r)", condition)
    return re.sub(r"LEV\((\w+)\)", lambda m: f"{lev}({m[1]}_l, {m[1]}_r)", condition)


def settings(dialect: str, prior: float = 1e-5) -> dict[str, Any]:
    """Splink's settings dictionary, untrained (starting m values, u to be estimated)."""
    comparisons = []
    for name, levels in LEVELS.items():
        entries = []
        for label, condition, m, u in levels:
            if label == "null":
                entries.append({"sql_condition": _sql(condition, dialect),
                                "label_for_charts": label, "is_null_level": True})
            elif label == "else":
                entries.append({"sql_condition": "ELSE", "label_for_charts": label,
                                "m_probability": m, "u_probability": u})
            else:
                entries.append({"sql_condition": _sql(condition, dialect),
                                "label_for_charts": label, "m_probability": m,
                                "u_probability": u})
        comparisons.append({"output_column_name": name, "comparison_levels": entries,
                            "comparison_description": name})
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in BLOCKING_RULES],
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": True,  # the gamma (level) columns come with them
        "max_iterations": 15,
        "em_convergence": 0.001,
    }


#: Near-linear: every rule is an equality on a selective key, each pairing a strong key
#: (date of birth, NI number, postcode) with a second one, so that a common date of birth or
#: a surname's sound alone does not pair every record with a crowd. Measured on the
#: benchmark's synthetic extracts (docs/benchmarks.md), they find every true pair the
#: broader rules before them found (99.95% at 1,000,000 records) from 12 times fewer pairs;
#: on FEBRL4 (dates of birth often missing), 99.74% against 99.88%.
BLOCKING_RULES = [
    "l.ni = r.ni",
    "l.dob = r.dob AND l.surname_sx = r.surname_sx",
    "l.dob = r.dob AND substr(l.forename, 1, 1) = substr(r.forename, 1, 1)",
    "l.dob = r.dob AND l.forename_root = r.forename_root",  # Bob and Robert
    "l.postcode = r.postcode AND l.yob = r.yob",
    "l.postcode = r.postcode AND l.surname_sx = r.surname_sx",  # no date of birth
    # Day and month of birth swapped or mistyped:
    "l.surname_sx = r.surname_sx AND l.yob = r.yob "
    "AND substr(l.forename, 1, 1) = substr(r.forename, 1, 1)",
    "l.forename_root = r.forename_root AND l.surname_sx = r.surname_sx AND l.yob = r.yob",
]

#: Deterministic rules for the prior (probability two random records match).
DETERMINISTIC_RULES = ["l.ni = r.ni AND l.dob = r.dob",
                       "l.forename = r.forename AND l.surname = r.surname AND l.dob = r.dob"]
#: EM passes, each leaving out what it blocks on: names, ni, postcode; then dob.
EM_RULES = ["l.dob = r.dob", "l.surname = r.surname AND l.forename = r.forename"]
#: Pairs each EM pass learns from on a big extract (a sample of the blocked pairs, both
#: sides sampled alike, so the share of matches among them is kept).
EM_PAIRS = 1e6


@dataclass
class Result:
    pairs: list[dict[str, Any]]
    settings: dict[str, Any]
    notes: list[str]
    pairs_scored: int
    seconds: float
    #: Seconds per phase (prior, u, em, predict, ...), for the benchmarks.
    timings: dict[str, float] = field(default_factory=dict)


def spark_session(cores: int = 2, memory: str = "2g", partitions: int | None = None) -> Any:
    """A local Spark session with Splink's similarity functions on the class path."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (SparkSession.builder.master(f"local[{cores}]").appName("whereabouts-link")
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.memory", memory)
            .config("spark.sql.shuffle.partitions", str(partitions or max(4, cores * 2)))
            .config("spark.default.parallelism", str(partitions or max(4, cores * 2)))
            .config("spark.ui.enabled", "false")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.codegen.wholeStage", "false" if partitions == 1 else "true")
            .config("spark.driver.extraJavaOptions",
                    "-XX:+UseSerialGC -XX:TieredStopAtLevel=1" if partitions == 1 else "")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())


def run(register: pa.Table, partner: pa.Table, *, engine: str = "duckdb",
        threshold: float = 0.9, seed: int = 7, spark: Any = None,
        u_pairs: float = 2e6, trained: dict[str, Any] | None = None,
        min_pairs_to_train: float = 1e6, memory_limit: str = "") -> Result:
    """Train on the two tables (no labels) and return the pairs at or above ``threshold``.

    ``trained``: a model already trained (its saved settings), to score with and not train:
    one model for many extracts, or the same model on the other engine. With fewer than
    ``min_pairs_to_train`` possible pairs, random pairs and EM would learn from a handful of
    examples: only the prior is estimated and the starting m and u values stand.
    ``memory_limit``: DuckDB's (default :data:`DUCKDB_MEMORY_LIMIT`); beyond it DuckDB
    spills to a temporary directory, removed after the run."""
    from splink import Linker

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    started = time.perf_counter()
    logging.getLogger("splink").setLevel(logging.ERROR)
    if engine == "duckdb":
        spill = tempfile.TemporaryDirectory(prefix="whereabouts-link-")
        db_api: Any = _duckdb_api(spill.name, memory_limit or DUCKDB_MEMORY_LIMIT)
        dialect = "duckdb"
    else:
        from splink import SparkAPI

        db_api = SparkAPI(spark_session=spark or spark_session(),
                          break_lineage_method="persist")
        dialect = "spark"
    run_id = uuid.uuid4().hex[:8]  # a Spark session may be shared by several runs
    names = (f"register_{run_id}", f"partner_{run_id}")
    left = db_api.register(register, dataset_display_name=names[0])
    right = db_api.register(partner, dataset_display_name=names[1])
    model = for_dialect(trained, dialect) if trained else settings(dialect)
    linker = Linker([left, right], model, log_level=None)
    notes: list[str] = []
    timings: dict[str, float] = {"setup": time.perf_counter() - started}
    if trained is None and len(partner) > 2 * TRAIN_ROWS:
        linker = _train_on_sample(db_api, (left, right), partner, seed=seed, u_pairs=u_pairs,
                                  notes=notes, timings=timings, names=names)
    elif trained is None:
        small = len(register) * len(partner) < min_pairs_to_train
        _train(linker, seed=seed, u_pairs=u_pairs, big=len(partner) >= 200_000, notes=notes,
               prior_only=small, timings=timings, sides=names)
    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold,
                                           warning_mode="never")
    timings["predict"] = time.perf_counter() - t
    t = time.perf_counter()
    pairs = _fetch(predictions)
    timings["fetch"] = time.perf_counter() - t
    if engine == "duckdb":
        db_api._con.close()
        spill.cleanup()
    return Result(pairs=pairs, settings=linker.misc.save_model_to_json(overwrite=True),
                  notes=notes, pairs_scored=len(pairs), seconds=time.perf_counter() - started,
                  timings=timings)


def for_dialect(trained: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A trained model's settings with each level's SQL written for ``dialect`` (the levels
    are found by their labels; the trained m and u values stay)."""
    import copy

    model = copy.deepcopy(trained)
    model["sql_dialect"] = dialect
    for comparison in model["comparisons"]:
        ours = {label: sql for label, sql, _, _ in LEVELS[comparison["output_column_name"]]}
        for level in comparison["comparison_levels"]:
            label = level.get("label_for_charts")
            if label in ours and label != "else":
                level["sql_condition"] = _sql(ours[label], dialect)
    return model


#: DuckDB's memory limit for a run (its own default is 80% of the machine's memory, and the
#: machine has other work and no swap); past it, joins and sorts spill to disk.
DUCKDB_MEMORY_LIMIT = "4GB"


def _duckdb_api(spill: str, memory_limit: str) -> Any:
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect(config={"memory_limit": memory_limit,
                                        "temp_directory": spill,
                                        "preserve_insertion_order": False})
    return DuckDBAPI(connection=connection)


def _fetch(predictions: Any) -> list[dict[str, Any]]:
    """The scored pairs with what :mod:`.linking` and :mod:`.explain` read (the ids, the
    match weight and probability, each comparison's level and weight), not the two records'
    values that Splink keeps beside them: at 10,000,000 records a million pairs of dicts
    with every value took gigabytes."""
    keep = [c.name for c in predictions.columns
            if (bare := c.unquote().name) in ("unique_id_l", "unique_id_r", "match_weight",
                                              "match_probability")
            or bare.startswith(("gamma_", "mw_"))]
    return predictions.query_sql(  # in a fixed order: DuckDB keeps no insertion order here
        f"SELECT {', '.join(keep)} FROM {{this}} ORDER BY unique_id_l, unique_id_r"
    ).as_record_list()


def _em_rule(rule: str, sides: tuple[str, str] | None) -> str:
    """An EM blocking rule that pairs only records of different sides *before* the join.

    Splink's EM blocks the two tables stacked together and drops same-side pairs after the
    join, so a rule like "same names" first paired every partner record with every other of
    the same name (an estimated 900 million pairs at 1,000,000 records: 142 s of a 240 s
    run). Splink orders
    each pair by source dataset name, so the left record is of the side whose name sorts
    first; saying so lets the database filter each side before joining."""
    if sides is None:
        return rule
    first, second = sorted(sides)
    return f"({rule}) AND l.source_dataset = '{first}' AND r.source_dataset = '{second}'"


#: A partner side of more than twice this many rows is trained on a random sample of this
#: many rows (u and m; the prior is still the whole extract's), then scored whole.
TRAIN_ROWS = 1_000_000


def _train_on_sample(db_api: Any, sides: tuple[Any, Any], partner: pa.Table, *,
                     seed: int, u_pairs: float, notes: list[str], timings: dict[str, float],
                     names: tuple[str, str]) -> Any:
    """Train u and m on the register against a random sample of ``TRAIN_ROWS`` of the
    partner's rows, then estimate the prior on the whole extract; the linker to score the
    whole extract with (EM, the slow part, no longer grows with the extract)."""
    import random

    from splink import Linker

    left, right = sides
    t = time.perf_counter()
    rows = sorted(random.Random(seed).sample(range(len(partner)), TRAIN_ROWS))
    sample_name = names[1].replace("partner_", "sample_")
    sample = db_api.register(partner.take(rows), dataset_display_name=sample_name)
    trainer = Linker([left, sample], settings(db_api.sql_dialect.sql_dialect_str),
                     log_level=None)
    timings["sample"] = time.perf_counter() - t
    _train(trainer, seed=seed, u_pairs=u_pairs, big=True, notes=notes, prior_only=False,
           timings=timings, sides=(names[0], sample_name))
    notes.append(f"u and m learnt from a random sample of {TRAIN_ROWS:,} of the extract's "
                 f"{len(partner):,} rows; the prior from the whole extract")
    model = trainer.misc.save_model_to_json(overwrite=True)
    linker = Linker([left, right], model, log_level=None)
    t = time.perf_counter()
    _prior(linker, notes)
    timings["prior"] = time.perf_counter() - t
    return linker


def _prior(linker: Any, notes: list[str]) -> None:
    try:
        linker.training.estimate_probability_two_random_records_match(
            DETERMINISTIC_RULES, recall=0.7)
    except Exception as exc:  # too few certain pairs (a tiny extract): keep the default
        notes.append(f"prior left at its default: {exc}")


def _em(linker: Any, rule: str, **kwargs: Any) -> None:
    """One EM pass; if it raises, the linker's model is put back as it was before.

    Splink 5's EM session takes the comparisons its blocking rule uses out of the linker's
    own model (and sets the model's prior to the blocked one), and puts the trained model
    back only when the pass ends. A pass that raised (a rule with no pairs; an m value
    underflowing below 1e-300 on a small extract) left the linker without those
    comparisons: its predictions had no level for the names, and keeping the leads failed
    (``KeyError: 'gamma_surname'``, in about one demo build in six)."""
    saved = linker._settings_obj.core_model_settings.copy()
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(rule, **kwargs)
    except Exception:
        linker._settings_obj.core_model_settings = saved
        raise


def _train(linker: Any, *, seed: int, u_pairs: float, big: bool, notes: list[str],
           prior_only: bool, timings: dict[str, float] | None = None,
           sides: tuple[str, str] | None = None) -> None:
    """The prior from near-certain pairs, u from random pairs, m by EM: no labels.

    EM learns from the pattern counts of the levels (the model has no term-frequency
    adjustments, so this gives the same estimates) and, on a big extract, from a sample of
    ``EM_PAIRS`` of each rule's pairs."""
    timings = {} if timings is None else timings
    t = time.perf_counter()
    _prior(linker, notes)
    timings["prior"] = time.perf_counter() - t
    if prior_only:
        notes.append("too few possible pairs to learn m and u from: the starting values stand")
        return
    t = time.perf_counter()
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed,
                                                     num_chunks=1)
    timings["u"] = time.perf_counter() - t
    for n, rule in enumerate(EM_RULES):
        t = time.perf_counter()
        try:
            _em(linker, _em_rule(rule, sides), estimate_without_term_frequencies=True,
                max_pairs=EM_PAIRS if big else None, record_sample_proportion=0.05)
        except Exception as exc:  # no pairs to learn from: the starting m values stand
            notes.append(f"EM on {rule} skipped: {exc}")
        timings[f"em{n + 1}"] = time.perf_counter() - t
