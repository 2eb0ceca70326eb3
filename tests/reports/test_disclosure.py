"""Disclosure control as a property: for random tables, nothing withheld can be worked out."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whereabouts.reports.disclosure import PRIMARY, determined, publish, suppress

counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
tables = st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols), min_size=1,
                          max_size=6))


def alternative(g, withheld, pos):
    """A change to the withheld entries, moving ``pos``, that keeps every line's sum: found by
    search over -1/0/+1 (enough here: a two-way table's equations are totally unimodular, so
    their smallest dependencies are such vectors). None if there is none."""
    order = sorted(withheld)
    for signs in itertools.product((-1, 0, 1), repeat=len(order)):
        change = dict(zip(order, signs, strict=True))
        if change[pos] == 0:
            continue
        if all(sum(change.get(m, 0) for m in members) == change.get(total, 0)
               for total, members in g.lines):
            return change
    return None


@settings(max_examples=300, deadline=None)
@given(tables, st.integers(1, 6))
def test_no_line_is_left_with_exactly_one_withheld_entry(cells, threshold):
    g, why = suppress(cells, threshold)
    for total, members in g.lines:
        assert sum(p in why for p in (*members, total)) != 1
    for i, row in enumerate(g.values):
        for j, v in enumerate(row):
            if 0 < v < threshold:
                assert why.get((i, j)) == PRIMARY  # every small count, margins included
            if v == 0 or v >= threshold:
                assert why.get((i, j)) != PRIMARY


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda cols: st.lists(
    st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=4)), st.integers(2, 6))
def test_no_withheld_value_follows_from_the_published_ones(cells, threshold):
    g, why = suppress(cells, threshold)
    assert determined(g, set(why)) == set()
    if len(why) <= 9:  # an independent check by search, where it is quick
        for pos in why:
            assert alternative(g, set(why), pos) is not None, pos


def test_the_rank_test_finds_what_the_one_missing_rule_misses():
    """Withheld entries on no line alone can still be solved: the rank test sees it."""
    cells = [[3, 10], [10, 10]]
    g, _ = suppress(cells)
    withheld = {(0, 0), (0, 1), (0, 2)}  # a whole row, its total included
    assert determined(g, withheld) == withheld  # each column total gives its cell back


def test_a_published_table_says_fewer_than_5_and_c():
    table = publish(["Force A", "Force B", "Force C"], ["Under 1 year", "1 year or more"],
                    [[2, 10], [7, 9], [12, 20]])
    assert table.row_labels[-1] == table.column_labels[-1] == "Total"
    assert table.cells[0][0] == "fewer than 5"
    flat = [c for row in table.cells for c in row]
    assert "[c]" in flat and table.withheld == sum(not isinstance(c, int) for c in flat)
    assert table.cells[-1][-1] == 60  # the grand total is not small: it stays


def test_a_single_column_table_protects_its_one_small_row():
    table = publish(["A", "B", "C"], ["Missing"], [[3], [40], [12]])
    assert table.cells == (("fewer than 5",), (40,), ("[c]",), (55,))  # 12: the smaller


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[-1]])
