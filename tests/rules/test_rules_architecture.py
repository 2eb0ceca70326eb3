"""The engine stays pure, its parameters stay dated, and rule packs are found by name."""

from __future__ import annotations

import ast
import datetime as dt
import json
import sys
from pathlib import Path

import pytest

import whereabouts.rules
from whereabouts.rules import Answer, Case, Disposal, evaluate, get_pack, pack_names, register_pack
from whereabouts.rules.dates import month_span_days
from whereabouts.rules.england_wales.params import PARAMS

PACKAGE = Path(whereabouts.rules.__file__).parent
STDLIB = set(sys.stdlib_module_names)


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_rules_import_only_the_standard_library_and_themselves(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside whereabouts.rules
                continue
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top in STDLIB or name.startswith("whereabouts.rules"), f"{path}: {name}"


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_rules_never_read_the_clock(path: Path) -> None:
    text = path.read_text()
    for forbidden in ("today(", "now(", "utcnow(", "time.time(", "localtime("):
        assert forbidden not in text, f"{path} calls {forbidden}"


def test_every_parameter_is_dated_and_referenced() -> None:
    raw = json.loads((PACKAGE / "england_wales" / "parameters.json").read_text())
    for name, spec in raw.items():
        if name.startswith("$"):
            continue
        assert spec["description"]
        for version in spec["versions"]:
            dt.date.fromisoformat(version["in_force_from"])
            assert version["reference"].strip(), name


def test_parameters_carry_the_dates_the_law_came_into_force() -> None:
    table = PARAMS.table
    assert table["notification_periods"].versions[0].in_force_from == dt.date(2004, 5, 1)
    assert table["no_fixed_abode_notification"].versions[0].in_force_from == dt.date(2012, 8, 13)
    assert table["review"].versions[0].in_force_from == dt.date(2012, 7, 30)
    assert table["no_fixed_abode_notification"].in_force_on(dt.date(2012, 8, 12)) is None
    assert table["no_fixed_abode_notification"].in_force_on(dt.date(2012, 8, 13)) is not None
    assert "SI 2012/1876" in table["no_fixed_abode_notification"].current.reference


def test_the_calendar_spans_used_for_terms_in_days() -> None:
    assert month_span_days(6) == (181, 184)
    assert month_span_days(30) == (911, 915)


def test_both_england_and_wales_packs_are_registered() -> None:
    assert {"england_wales", "england_wales_in_force"} <= set(pack_names())
    with pytest.raises(KeyError, match="england_wales"):
        get_pack("scotland")


def test_a_second_jurisdiction_can_be_added_beside_england_and_wales() -> None:
    class Everywhere:
        """A toy pack: a requirement of exactly one year, reviewed never."""

        name = "test_toy_pack"

        def evaluate(self, case: Case) -> Answer:
            base = evaluate(case)
            return Answer(self.name, case.as_at, False, base.first_day, base.first_day, "P1Y",
                          "toy", None, "toy", None, None, None, "compliant", (), case)  # fmt: skip

        def explain(self, case: Case) -> tuple[str, ...]:
            return ("A toy pack explains nothing.",)

    register_pack(Everywhere())
    case = Case(
        dt.date(1980, 1, 1), dt.date(2020, 1, 1), (Disposal(dt.date(2019, 1, 1), "caution"),)
    )
    assert evaluate(case, pack="test_toy_pack").period_basis == "toy"
    assert evaluate(case, pack="test_toy_pack").explanation == ("A toy pack explains nothing.",)
    assert evaluate(case).period_basis.startswith("SOA 2003")
    with pytest.raises(ValueError):
        register_pack(Everywhere())


def test_an_answer_is_frozen() -> None:
    answer = evaluate(
        Case(dt.date(1980, 1, 1), dt.date(2020, 1, 1), (Disposal(dt.date(2019, 1, 1), "caution"),))
    )
    with pytest.raises(dataclasses_frozen_error()):
        answer.compliance = "ended"  # type: ignore[misc]
    assert answer.explanation == answer.explanation  # written once, then kept


def dataclasses_frozen_error() -> type[Exception]:
    import dataclasses

    return dataclasses.FrozenInstanceError
