"""Server-drawn SVG charts: checked by structure (what is drawn, named and described)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from whereabouts.reports.charts import bar_chart, line_chart, month_ends

NS = "{http://www.w3.org/2000/svg}"
D = dt.date


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def no_style_or_script(root: ET.Element) -> None:
    for element in root.iter():
        assert element.tag not in (f"{NS}style", f"{NS}script")
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)


def test_a_bar_chart_has_a_title_a_description_and_a_bar_with_its_value_per_count():
    chart = bar_chart("c1", "Missing by force", "Open episodes per force.",
                      [("West Midlands Police", 46), ("Staffordshire Police", 5),
                       ("Warwickshire Police", 0)],
                      label_heading="Force", value_heading="Missing")
    root = parse(chart.svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title" and root.get("aria-describedby") == "c1-desc"
    assert root.find(f"{NS}title").text == "Missing by force"
    assert root.find(f"{NS}desc").text == "Open episodes per force."
    rects = root.findall(f"{NS}rect")
    assert len(rects) == 2  # no bar for a zero
    assert float(rects[0].get("width")) > float(rects[1].get("width")) * 9
    texts = [t.text for t in root.findall(f"{NS}text")]
    assert texts == ["West Midlands Police", "46", "Staffordshire Police", "5",
                     "Warwickshire Police", "0"]
    assert chart.header == ("Force", "Missing")
    assert chart.rows == (("West Midlands Police", "46"), ("Staffordshire Police", "5"),
                          ("Warwickshire Police", "0"))
    no_style_or_script(root)


def test_a_withheld_value_is_drawn_as_its_text_with_no_bar():
    chart = bar_chart("c2", "t", "d", [("A", "fewer than 5"), ("B", "[c]"), ("C", 12)],
                      label_heading="Force", value_heading="Missing")
    root = parse(chart.svg)
    assert len(root.findall(f"{NS}rect")) == 1
    assert [t.text for t in root.findall(f"{NS}text")] == ["A", "fewer than 5", "B", "[c]",
                                                             "C", "12"]
    assert chart.rows[0] == ("A", "fewer than 5")


def test_text_is_escaped_so_a_label_cannot_add_markup():
    chart = bar_chart("c3", "A & B <script>", "d", [("<b>x</b> & y", 1)],
                      label_heading="l", value_heading="v")
    root = parse(chart.svg)
    assert root.find(f"{NS}title").text == "A & B <script>"
    assert root.find(f"{NS}text").text == "<b>x</b> & y"
    no_style_or_script(root)


def test_a_line_chart_draws_one_line_per_series_with_a_point_per_date_and_a_legend():
    dates = [D(2017, 7, 31), D(2017, 8, 31), D(2017, 9, 30)]
    chart = line_chart("c4", "Over time", "Missing at month ends.", dates,
                       [("West Midlands Police", [44, 45, 46]), ("Warwickshire Police", [1, 1, 1])])
    root = parse(chart.svg)
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 2
    assert [len(line.get("points").split()) for line in lines] == [3, 3]
    assert lines[0].get("stroke") != lines[1].get("stroke")
    assert lines[0].get("stroke-dasharray") != lines[1].get("stroke-dasharray")  # not colour alone
    ys = [float(p.split(",")[1]) for p in lines[0].get("points").split()]
    assert ys[0] > ys[1] > ys[2]  # rising counts are drawn higher up
    legend = [t.text for t in root.findall(f"{NS}text") if "at the end" in (t.text or "")]
    assert legend == ["West Midlands Police (46 at the end)", "Warwickshire Police (1 at the end)"]
    assert chart.header == ("As at", "West Midlands Police", "Warwickshire Police")
    assert chart.rows[-1] == ("2017-09-30", "46", "1")
    no_style_or_script(root)


def test_a_line_chart_refuses_a_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="one value per date"):
        line_chart("c5", "t", "d", [D(2017, 1, 31)], [("A", [1, 2])])


@pytest.mark.parametrize("as_at, first, last_two", [
    (D(2017, 9, 30), D(2015, 10, 31), [D(2017, 8, 31), D(2017, 9, 30)]),
    (D(2017, 11, 6), D(2015, 12, 31), [D(2017, 10, 31), D(2017, 11, 6)]),
    (D(2016, 3, 1), D(2014, 4, 30), [D(2016, 2, 29), D(2016, 3, 1)]),
    (D(2017, 1, 31), D(2015, 2, 28), [D(2016, 12, 31), D(2017, 1, 31)]),
])
def test_month_ends_run_to_the_date_itself(as_at, first, last_two):
    ends = month_ends(as_at, 24)
    assert len(ends) == 24 and ends[0] == first and ends[-2:] == last_two
    assert ends == sorted(ends)
