"""Training on an extract big enough to train (more than a million possible pairs): both EM
passes learn from pairs of one record from each side, and the big-extract path trains on a
sample and says so. The engine alone, no database."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from whereabouts.linkage import engine, normalise, synthetic


def sides(people: int = 400, records: int = 3000) -> tuple[engine.Side, engine.Side]:
    rng = random.Random(11)
    register, partner = engine.Side("r"), engine.Side("p")
    sources = []
    for pid in range(people):
        address, postcode = synthetic.new_address(rng)
        source = synthetic.Source(pid, rng.choice(synthetic.FORENAMES),
                                  rng.choice(synthetic.SURNAMES),
                                  dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000)),
                                  f"QQ{pid:06d}A", postcode, address)
        sources.append(source)
        register.add(pid, 0, forename=normalise.first_name(source.forename),
                     surname=normalise.name(source.surname), dob=source.dob, ni=source.ni,
                     postcode=postcode, postcodes=[postcode],
                     address=normalise.address_line(address))
    until = dt.date(2024, 6, 1)
    rows = [synthetic.derive(rng, s, "", since=until - dt.timedelta(days=700), until=until)
            for s in sources[:people // 2]]
    rows += [synthetic.unrelated(rng, "", until) for _ in range(records - len(rows))]
    for rid, row in enumerate(rows):
        partner.add(rid, 0, forename=normalise.first_name(row.forenames),
                    surname=normalise.name(row.surname), dob=row.dob, ni=row.ni,
                    postcode=row.postcode, postcodes=[row.postcode],
                    address=normalise.address_line(row.address))
    return register, partner


def m_values(result: engine.Result, name: str) -> list[float]:
    comparison = next(c for c in result.settings["comparisons"]
                      if c["output_column_name"] == name)
    return [level["m_probability"] for level in comparison["comparison_levels"]
            if "m_probability" in level]


def test_both_em_passes_learn_from_pairs_across_the_two_sides() -> None:
    register, partner = sides()
    result = engine.run(register.table(), partner.table(), min_pairs_to_train=1e6)
    assert not any("skipped" in note for note in result.notes), result.notes
    assert {"prior", "u", "em1", "em2", "predict"} <= set(result.timings)
    starting = {name: [m for label, _, m, _ in levels if label != "null"]
                for name, levels in engine.LEVELS.items()}
    # Each comparison is learnt in the pass that does not block on it: none keeps all of
    # its starting m values.
    for name in ("surname", "forename", "dob", "postcode"):
        assert m_values(result, name) != pytest.approx(starting[name]), name
    found = {(a.split(":")[1], b.split(":")[1]) for a, b in
             ((p["unique_id_l"], p["unique_id_r"]) for p in result.pairs)}
    assert len(found) >= 150  # of the 200 derived records


def test_a_big_extract_is_trained_on_a_sample_and_says_so(monkeypatch) -> None:
    monkeypatch.setattr(engine, "TRAIN_ROWS", 1000)
    register, partner = sides()
    result = engine.run(register.table(), partner.table())
    assert any("random sample of 1,000 of the extract's 3,000 rows" in note
               for note in result.notes), result.notes
    assert not any("skipped" in note for note in result.notes), result.notes
    assert "sample" in result.timings
    assert set(result.pairs[0]) >= {"unique_id_l", "unique_id_r", "match_weight",
                                    "match_probability", "gamma_surname", "mw_surname"}


def test_an_em_pass_that_fails_leaves_the_model_as_it_was(monkeypatch) -> None:
    """A rule that pairs nothing makes Splink's EM raise after it has taken the comparisons
    the rule uses out of the linker's model; the run must still score every comparison."""
    monkeypatch.setattr(engine, "EM_RULES", ["l.surname = r.surname AND l.surname = 'NOBODY'",
                                             *engine.EM_RULES[1:]])
    register, partner = sides()
    result = engine.run(register.table(), partner.table(), min_pairs_to_train=1e6)
    assert any(note.startswith("EM on l.surname = r.surname AND l.surname = 'NOBODY' skipped")
               for note in result.notes), result.notes
    assert result.pairs
    for name in engine.LEVELS:
        assert all(f"gamma_{name}" in pair for pair in result.pairs), name
    assert {c["output_column_name"] for c in result.settings["comparisons"]} == set(
        engine.LEVELS)
