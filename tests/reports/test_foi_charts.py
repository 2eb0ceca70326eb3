"""The FOI pack's charts show only what its published tables show."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from whereabouts.reports.disclosure import publish
from whereabouts.reports.figures import Scope
from whereabouts.reports.foi import (
    DURATION_BANDS,
    LOCATE_BANDS,
    covering_note_pdf,
    published_charts,
)

NS = "{http://www.w3.org/2000/svg}"
FORCES = ["Force A", "Force B", "Force C"]


def tables_from(missing, located, threshold=5):
    return {
        "registered": ("r", publish(FORCES, ["Registered"], [[100], [200], [300]],
                                    threshold=threshold)),
        "missing": ("m", publish(FORCES, DURATION_BANDS, missing, threshold=threshold)),
        "located": ("l", publish(FORCES, LOCATE_BANDS, located, threshold=threshold)),
    }


def drawn(svg: str) -> list[tuple[str, str]]:
    """(label, value text) per bar, in order: texts come in pairs."""
    texts = [t.text for t in ET.fromstring(svg).findall(f"{NS}text")]
    return list(zip(texts[::2], texts[1::2], strict=True))


def published(cell) -> str:
    return f"{cell:,}" if isinstance(cell, int) else str(cell)


cells = st.integers(min_value=0, max_value=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=4, max_size=4), min_size=3, max_size=3),
       st.lists(st.lists(cells, min_size=6, max_size=6), min_size=3, max_size=3))
def test_every_value_drawn_is_a_published_cell_and_withheld_cells_have_no_bar(missing,
                                                                              located):
    tables = tables_from(missing, located)
    by_force, by_time, to_locate = published_charts(dt.date(2017, 9, 30), Scope(), tables)
    m, loc = tables["missing"][1], tables["located"][1]
    assert drawn(by_force.svg) == [(f, published(m.cells[i][-1])) for i, f in enumerate(FORCES)]
    assert drawn(by_time.svg) == [(b, published(v)) for b, v in zip(DURATION_BANDS, m.cells[-1],
                                                                     strict=False)]
    assert drawn(to_locate.svg) == [(b, published(v)) for b, v in zip(LOCATE_BANDS,
                                                                       loc.cells[-1], strict=False)]
    for chart, source in ((by_force, [row[-1] for row in m.cells[:-1]]),
                          (by_time, list(m.cells[-1][:-1])), (to_locate, list(loc.cells[-1][:-1]))):
        bars = len(ET.fromstring(chart.svg).findall(f"{NS}rect"))
        assert bars == sum(1 for v in source if isinstance(v, int) and v > 0)


def test_the_pdf_note_names_the_date_the_caveat_and_the_reference():
    from io import BytesIO

    from pypdf import PdfReader

    tables = tables_from([[1, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]],
                         [[0] * 6, [5] * 6, [7] * 6])
    pdf = covering_note_pdf(dt.date(2017, 11, 6), "region West Midlands", 5, tables, "FOI-9")
    assert pdf.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "as at 6 November 2017" in text
    assert "The register changes every day" in text and "FOI-9" in text
    assert "fewer than 5" in text and "region West Midlands" in text
