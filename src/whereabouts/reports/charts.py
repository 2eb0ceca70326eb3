"""Charts drawn on the server as SVG: plain data in, a string of SVG out (no Django).

For the figures page (inline) and the FOI pack (files). Built to pass a strict Content
Security Policy and to be read without sight:

- no script, no ``<style>`` and no ``style`` attribute: colour and lines are presentation
  attributes (``fill``, ``stroke``), which the policy does not treat as inline style;
- ``role="img"`` with ``<title>`` and ``<desc>`` named by ``aria-labelledby`` and
  ``aria-describedby``, and every chart comes with the same figures as a table
  (:attr:`Chart.header` and :attr:`Chart.rows`) for the page to show beside it;
- lines differ by dash pattern and marker shape as well as colour, and every bar carries
  its value as text, so nothing is told by colour alone.

A bar whose value is withheld (text such as "fewer than 5" or "[c]" in an FOI table) is
drawn with no bar, only the text: a chart from published cells shows nothing the table
does not.

Why not a library: pygal writes a ``<style>`` element and inline styles (blocked by the
policy), matplotlib is heavy for a few bars and lines. This module is tested by structure
(``tests/reports/test_charts.py``), not by pixels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

#: GOV.UK Design System colours: blue, red, green, orange, purple, black, brown, pink.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#0b0c0c", "#b58840",
           "#d53880")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 2", "12 2", "6 2 2 2")
MARKERS = ("circle", "square", "triangle", "diamond")
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FONT = "font-family=\"Arial, sans-serif\""

Value = int | str  # a count, or a withheld cell's text


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the same figures as a table."""

    ident: str
    title: str
    description: str
    svg: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(ident: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(ident)} role="img" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" width="100%" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" {FONT}>',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def _text(x: float, y: float, text: str, *, size: int = 16, anchor: str = "start") -> str:
    return (f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" fill="{TEXT}" '
            f'text-anchor="{anchor}">{escape(text)}</text>')


def bar_chart(ident: str, title: str, description: str, bars: Sequence[tuple[str, Value]],
              *, label_heading: str, value_heading: str, width: int = 640) -> Chart:
    """Horizontal bars, one per ``(label, value)``, in the order given."""
    bar_height, gap, label_width = 24, 10, 230
    numbers = [v for _, v in bars if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    scale = (width - label_width - 110) / top
    height = max(1, len(bars)) * (bar_height + gap) + gap
    out = _open(ident, title, description, width, height)
    for i, (label, value) in enumerate(bars):
        y = gap + i * (bar_height + gap)
        baseline = y + bar_height - 7
        out.append(_text(0, baseline, label))
        if isinstance(value, int):
            length = value * scale
            if value:
                out.append(f'<rect x="{label_width}" y="{y}" width="{_num(length)}" '
                           f'height="{bar_height}" fill="{COLOURS[0]}"/>')
            out.append(_text(label_width + length + 6, baseline, f"{value:,}"))
        else:
            out.append(_text(label_width, baseline, value))
    out.append("</svg>")
    rows = tuple((label, f"{v:,}" if isinstance(v, int) else v) for label, v in bars)
    return Chart(ident, title, description, "\n".join(out), (label_heading, value_heading),
                 rows)


def _nice_top(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at or above ``value`` (at least 1)."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= value:
                return step * m
        step *= 10


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{colour}"/>'
    if kind == "square":
        return (f'<rect x="{_num(x - 4)}" y="{_num(y - 4)}" width="8" height="8" '
                f'fill="{colour}"/>')
    if kind == "triangle":
        points = f"{_num(x)},{_num(y - 5)} {_num(x + 5)},{_num(y + 4)} {_num(x - 5)},{_num(y + 4)}"
    else:
        points = f"{_num(x)},{_num(y - 5)} {_num(x + 5)},{_num(y)} {_num(x)},{_num(y + 5)} " \
                 f"{_num(x - 5)},{_num(y)}"
    return f'<polygon points="{points}" fill="{colour}"/>'


def line_chart(ident: str, title: str, description: str, dates: Sequence[dt.date],
               series: Sequence[tuple[str, Sequence[int]]], *, width: int = 640) -> Chart:
    """One line per ``(name, values)``, a value for each of ``dates`` (oldest first)."""
    if any(len(values) != len(dates) for _, values in series):
        raise ValueError("every series needs one value per date")
    left, right, top_margin, plot_height = 48, 16, 12, 240
    legend_row = 24
    plot_width = width - left - right
    height = top_margin + plot_height + 40 + legend_row * len(series)
    top = _nice_top(max((v for _, values in series for v in values), default=0))
    out = _open(ident, title, description, width, height)
    bottom = top_margin + plot_height

    def x_of(i: int) -> float:
        return left + (plot_width * i / (len(dates) - 1) if len(dates) > 1 else plot_width / 2)

    def y_of(v: int) -> float:
        return bottom - plot_height * v / top

    for tick in range(5):
        value = top * tick / 4
        y = y_of(value)  # type: ignore[arg-type]
        out.append(f'<line x1="{left}" y1="{_num(y)}" x2="{width - right}" y2="{_num(y)}" '
                   f'stroke="{GRID}" stroke-width="1"/>')
        out.append(_text(left - 6, y + 5, _num(value), size=14, anchor="end"))
    every = max(1, round(len(dates) / 6))
    for i, day in enumerate(dates):
        if i % every == 0 or i == len(dates) - 1:
            out.append(_text(x_of(i), bottom + 20, f"{day:%b %Y}", size=13, anchor="middle"))
    for n, (name, values) in enumerate(series):
        colour, dash, marker = (COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)],
                                MARKERS[n % len(MARKERS)])
        points = " ".join(f"{_num(x_of(i))},{_num(y_of(v))}" for i, v in enumerate(values))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                   f'stroke-width="3"{dashes}/>')
        out.extend(_marker(marker, x_of(i), y_of(v), colour) for i, v in enumerate(values))
        y = bottom + 40 + n * legend_row
        out.append(f'<line x1="{left}" y1="{y - 5}" x2="{left + 40}" y2="{y - 5}" '
                   f'stroke="{colour}" stroke-width="3"{dashes}/>')
        out.append(_marker(marker, left + 20, y - 5, colour))
        out.append(_text(left + 50, y, f"{name} ({values[-1]:,} at the end)" if values
                         else name, size=14))
    out.append("</svg>")
    header = ("As at", *(name for name, _ in series))
    rows = tuple((day.isoformat(), *(f"{values[i]:,}" for _, values in series))
                 for i, day in enumerate(dates))
    return Chart(ident, title, description, "\n".join(out), header, rows)


def month_ends(as_at: dt.date, count: int) -> list[dt.date]:
    """The last ``count`` month ends on or before ``as_at``, oldest first, and ``as_at``
    itself last when it is not a month end."""
    ends: list[dt.date] = []
    first_of_month = as_at.replace(day=1)
    next_month = (first_of_month + dt.timedelta(days=32)).replace(day=1)
    end = next_month - dt.timedelta(days=1)
    if end > as_at:
        end = first_of_month - dt.timedelta(days=1)
    while len(ends) < count:
        ends.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
    ends.reverse()
    if ends[-1] != as_at:
        ends = ends[1:] + [as_at]
    return ends
