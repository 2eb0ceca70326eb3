"""The words an officer reads for each comparison level, and how levels are numbered."""

from __future__ import annotations

import datetime as dt

import pytest

from whereabouts.linkage.engine import LEVELS
from whereabouts.linkage.explain import Values, explain, level_label, sentence, summary

OURS = Values("ROBERT", "SMITH", dt.date(1980, 5, 1), "QQ123456A", "DY1 1AA", "1 HIGH STREET")
THEIRS = Values("BOB", "SMYTH", dt.date(1980, 1, 5), "QQ123456A", "WS2 8AA", "22 CANAL SIDE")


@pytest.mark.parametrize(("field", "level", "text"), [
    pytest.param("dob", "transposed", "date of birth agrees with day and month swapped "
                 "(1 May 1980 / 5 January 1980)",
                 id="a date of birth with day and month swapped says so with both dates"),
    pytest.param("dob", "exact", "date of birth agrees (5 January 1980)",
                 id="an agreeing date of birth is given once"),
    pytest.param("surname", "similar", "family name is spelt slightly differently "
                 "(SMITH / SMYTH)", id="a similar family name shows both spellings"),
    pytest.param("surname", "part", "one family name is part of the other (SMITH / SMYTH), "
                 "as with a double-barrelled or changed name",
                 id="a family name inside the other is explained as double-barrelled"),
    pytest.param("forename", "nickname", "first names are forms of the same name "
                 "(ROBERT / BOB)", id="a nickname is recognised as the same name"),
    pytest.param("ni", "exact", "National Insurance number agrees (QQ123456A)",
                 id="an agreeing NI number is named"),
    pytest.param("postcode", "district", "postcode district agrees (DY1 1AA / WS2 8AA)",
                 id="only the district agreeing says district"),
    pytest.param("postcode", "else", "postcode differs: not an address they notified "
                 "(DY1 1AA / WS2 8AA)", id="a postcode they never notified says so"),
    pytest.param("postcode", "history", "postcode is one they notified before (WS2 8AA)",
                 id="a postcode from their address history says before"),
    pytest.param("address", "null", "no address on one side",
                 id="a missing address is neither for nor against"),
])
def test_each_level_reads_as_a_sentence(field: str, level: str, text: str) -> None:
    assert sentence(field, level, OURS, THEIRS) == text


@pytest.mark.parametrize(("level", "text"), [
    pytest.param("else", "postcodes differ, current and earlier (DY1 1AA / WS2 8AA)",
                 id="between two records a different postcode does not say never notified"),
    pytest.param("history", "postcode is one of the other record's addresses, current or "
                 "earlier (WS2 8AA)", id="between two records an earlier postcode says so"),
    pytest.param("exact", "postcode of the current addresses agrees (WS2 8AA)",
                 id="between two records an agreeing postcode is the current addresses'"),
    pytest.param("district", "postcode district agrees (DY1 1AA / WS2 8AA)",
                 id="between two records the district reads as for a partner"),
])
def test_between_two_records_of_the_register_the_postcode_reads_as_such(level: str,
                                                                        text: str) -> None:
    assert sentence("postcode", level, OURS, THEIRS, records=True) == text
    assert sentence("dob", "exact", OURS, THEIRS, records=True) == sentence(
        "dob", "exact", OURS, THEIRS)


def test_every_level_of_the_model_has_words() -> None:
    for field, levels in LEVELS.items():
        for level in levels:
            assert sentence(field, level[0], OURS, THEIRS)


@pytest.mark.parametrize(("field", "gamma", "label"), [
    pytest.param("dob", -1, "null", id="minus one is the null level"),
    pytest.param("dob", 0, "else", id="zero is the else level"),
    pytest.param("dob", 4, "exact", id="the highest number is the first level after null"),
    pytest.param("dob", 3, "transposed", id="the next is the transposed date"),
    pytest.param("ni", 1, "exact", id="a two-level comparison counts the same way"),
])
def test_splinks_level_numbers_map_to_our_labels(field: str, gamma: int, label: str) -> None:
    assert level_label(field, gamma) == label


def test_the_summary_puts_the_strongest_evidence_first_and_leaves_out_blanks() -> None:
    pair = {"gamma_surname": 3, "mw_surname": 3.2, "gamma_forename": 3, "mw_forename": 2.0,
            "gamma_dob": 3, "mw_dob": 6.5, "gamma_ni": -1, "mw_ni": 0.0,
            "gamma_postcode": 0, "mw_postcode": -1.5, "gamma_address": -1, "mw_address": 0}
    items = explain(pair, OURS, THEIRS)
    assert [i["level"] for i in items] == ["similar", "nickname", "transposed", "null", "else",
                                          "null"]
    assert summary(items).startswith("Date of birth agrees with day and month swapped")
    assert "National Insurance" not in summary(items)
