"""Statistical disclosure control for published tables (FOI answers): pure, no Django.

A table of counts is published with its row totals, column totals and grand total. Counts
from 1 to ``threshold - 1`` are withheld ("primary" suppression, shown as "fewer than 5").
Then other cells are withheld too ("secondary", shown as "[c]") until no withheld value can
be worked out from what is published:

1. no row, column or total line has exactly one withheld entry (its value would be the
   line's total less the rest);
2. stronger: the published values, as linear equations (each line sums to its total), do
   not determine any withheld entry. An entry ``x_i`` is determined exactly when the unit
   vector ``e_i`` lies in the row space of the equations restricted to the withheld entries,
   which is tested by exact rank (fractions, no floating point).

Zeros are published: a zero discloses no one. Complements are chosen among the smallest
published cells of at least ``threshold`` first, so that a withheld small count is not
pinned down by the bounds (a complement of 0 would let "fewer than 5" + "[c]" = 1 be solved);
totals are withheld only when nothing else will do. Bounds are not checked beyond that
(see docs/figures.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Grid:
    """A table with its margins: ``values[r][c]`` for every row and column, totals included.

    The last row holds the column totals and the last column the row totals when the table
    has more than one row or column; ``lines`` lists each equation as (total, members).
    """

    values: tuple[tuple[int, ...], ...]
    lines: tuple[tuple[tuple[int, int], tuple[tuple[int, int], ...]], ...]
    interior: frozenset[tuple[int, int]]


def grid(cells: Sequence[Sequence[int]]) -> Grid:
    rows, cols = len(cells), len(cells[0]) if cells else 0
    if rows == 0 or cols == 0 or any(len(r) != cols for r in cells):
        raise ValueError("a table needs at least one cell and rows of equal length")
    if any(v < 0 for r in cells for v in r):
        raise ValueError("counts are never negative")
    with_row_totals = cols > 1
    with_col_totals = rows > 1
    values = [list(r) + ([sum(r)] if with_row_totals else []) for r in cells]
    if with_col_totals:
        values.append([sum(values[i][j] for i in range(rows)) for j in range(len(values[0]))])
    lines = []
    if with_row_totals:
        last = len(values[0]) - 1
        for i in range(len(values)):
            lines.append(((i, last), tuple((i, j) for j in range(last))))
    if with_col_totals:
        last = len(values) - 1
        for j in range(len(values[0])):
            lines.append(((last, j), tuple((i, j) for i in range(last))))
    interior = frozenset((i, j) for i in range(rows) for j in range(cols))
    return Grid(tuple(tuple(r) for r in values), tuple(lines), interior)


def determined(g: Grid, withheld: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The withheld entries whose value follows exactly from the published ones."""
    order = sorted(withheld)
    index = {pos: k for k, pos in enumerate(order)}
    matrix = []
    for total, members in g.lines:
        entries = (total, *members)
        row = [Fraction(0)] * len(order)
        signs = [(total, -1), *[(m, 1) for m in members]]
        for pos, sign in signs:
            if pos in index:
                row[index[pos]] += sign
        if any(row) and any(p in index for p in entries):
            matrix.append(row)
    base = _rank(matrix)
    found = set()
    for pos, k in index.items():
        unit = [Fraction(int(i == k)) for i in range(len(order))]
        if _rank([*matrix, unit]) == base:
            found.add(pos)
    return found


def _rank(rows: list[list[Fraction]]) -> int:
    m = [list(r) for r in rows]
    rank, cols = 0, len(m[0]) if m else 0
    for c in range(cols):
        pivot = next((r for r in range(rank, len(m)) if m[r][c] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for r in range(len(m)):
            if r != rank and m[r][c] != 0:
                factor = m[r][c] / m[rank][c]
                m[r] = [a - factor * b for a, b in zip(m[r], m[rank], strict=True)]
        rank += 1
    return rank


def suppress(cells: Sequence[Sequence[int]], threshold: int = 5
             ) -> tuple[Grid, dict[tuple[int, int], str]]:
    """The table with margins, and which entries to withhold (position -> why)."""
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    g = grid(cells)
    why: dict[tuple[int, int], str] = {}
    for i, row in enumerate(g.values):
        for j, v in enumerate(row):
            if 0 < v < threshold:
                why[(i, j)] = PRIMARY
    while True:
        changed = True
        while changed:
            changed = False
            for total, members in g.lines:
                entries = (*members, total)
                if sum(p in why for p in entries) == 1:
                    why[_complement(g, entries, why, threshold)] = SECONDARY
                    changed = True
        exposed = determined(g, set(why))
        if not exposed:
            return g, why
        target = min(exposed)
        lines = [(*m, t) for t, m in g.lines if target in (*m, t)]
        candidates = [p for entries in lines for p in entries if p not in why]
        if not candidates:  # everything on its lines is withheld: widen to the whole table
            candidates = [(i, j) for i in range(len(g.values)) for j in range(len(g.values[0]))
                          if (i, j) not in why]
        why[_best(g, candidates, threshold)] = SECONDARY


def _complement(g: Grid, entries: tuple[tuple[int, int], ...], why: dict, threshold: int
                ) -> tuple[int, int]:
    return _best(g, [p for p in entries if p not in why], threshold)


def _best(g: Grid, candidates: list[tuple[int, int]], threshold: int) -> tuple[int, int]:
    """Interior cells before totals; then a value of at least the threshold; then smallest."""
    def cost(pos: tuple[int, int]) -> tuple[bool, bool, int, tuple[int, int]]:
        v = g.values[pos[0]][pos[1]]
        return (pos not in g.interior, v < threshold, v, pos)

    return min(candidates, key=cost)


@dataclass(frozen=True)
class Published:
    """A table ready to publish: labels, and each entry a count or a withheld marker."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[int | str, ...], ...]
    threshold: int
    withheld: int


def publish(row_labels: Sequence[str], column_labels: Sequence[str],
            cells: Sequence[Sequence[int]], *, threshold: int = 5) -> Published:
    g, why = suppress(cells, threshold)
    rows = list(row_labels) + (["Total"] if len(row_labels) > 1 else [])
    cols = list(column_labels) + (["Total"] if len(column_labels) > 1 else [])
    shown = tuple(
        tuple(f"fewer than {threshold}" if why.get((i, j)) == PRIMARY
              else "[c]" if (i, j) in why else v
              for j, v in enumerate(row))
        for i, row in enumerate(g.values))
    return Published(tuple(rows), tuple(cols), shown, threshold, len(why))
