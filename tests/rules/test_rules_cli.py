"""``rules explain``: one JSON object and exit 0, or exit 2 and one line naming the field."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import whereabouts.rules
from whereabouts.cli.rules_command import main

from .builders import case, disposal

CASES = Path(__file__).parent / "cases"
EXAMPLE = CASES / "the contract's example case.json"
SRC = str(Path(whereabouts.rules.__file__).resolve().parents[2])


def run(argv: list[str], stdin_text: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, io.StringIO(stdin_text), out, err)
    return status, out.getvalue(), err.getvalue()


def run_case(data: Any) -> tuple[int, str, str]:
    text = data if isinstance(data, str) else json.dumps(data)
    return run(["explain", "-"], text)


def good() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text())


def with_(path: str, value: Any) -> dict[str, Any]:
    """The contract's example with the value at ``path`` (dots and [i]) replaced."""
    data = good()
    *parents, last = path.replace("[", ".").replace("]", "").split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[int(last) if last.isdigit() else last] = value
    return data


def without(path: str) -> dict[str, Any]:
    data = good()
    *parents, last = path.replace("[", ".").replace("]", "").split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    del target[last]
    return data


class TestTheContractExample:
    def test_the_example_gives_the_contracts_answer(self) -> None:
        status, out, err = run(["explain", str(EXAMPLE)])
        assert (status, err) == (0, "")
        answer = json.loads(out)
        assert list(answer) == ["notification_period", "review", "next_due", "compliance",
                                "explanation"]  # fmt: skip
        assert answer["notification_period"] == {
            "indefinite": False,
            "length": "P10Y",
            "first_day": "2019-02-01",
            "last_day": "2029-01-31",
            "basis": (
                "SOA 2003 s.82(1): imprisonment for more than 6 months but less than 30 months"
            ),
        }
        assert answer["review"]["first_eligible"] is None
        assert answer["next_due"] == {
            "kind": "periodic",
            "last_day": "2021-01-31",
            "basis": "SOA 2003 s.85(1)",
        }
        assert answer["compliance"] == "compliant"
        assert answer["explanation"] and all(isinstance(s, str) for s in answer["explanation"])

    def test_standard_input_gives_the_same_answer_as_the_file(self) -> None:
        from_file = run(["explain", str(EXAMPLE)])
        from_stdin = run(["explain", "-"], EXAMPLE.read_text())
        assert from_file == from_stdin

    def test_python_dash_m_runs_the_command_without_django(self) -> None:
        env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        done = subprocess.run(
            [sys.executable, "-m", "whereabouts.cli.rules_command", "explain", str(EXAMPLE)],
            capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["notification_period"]["last_day"] == "2029-01-31"
        probe = subprocess.run(
            [sys.executable, "-c",
             "import sys, whereabouts.cli.rules_command; print('django' in sys.modules)"],
            capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert probe.stdout.strip() == "False"


#: (sentence, case or raw text, the field the one line must name)
ERRORS: list[tuple[str, Any, str]] = [
    ("Text that is not JSON is refused", '{"date_of_birth": ', "case"),
    ("A JSON list instead of an object is refused", "[]", "case"),
    ("An empty file is refused", "", "case"),
    ("A missing date of birth is named", without("date_of_birth"), "date_of_birth"),
    ("A missing as_at is named", without("as_at"), "as_at"),
    ("Missing disposals are named", without("disposals"), "disposals"),
    ("A missing disposal date is named", without("disposals[0].date"), "disposals[0].date"),
    ("A missing disposal kind is named", without("disposals[0].kind"), "disposals[0].kind"),
    ("A missing away reason is named", without("away[0].reason"), "away[0].reason"),
    ("A missing away 'to' is named", without("away[0].to"), "away[0].to"),
    ("A missing notification kind is named", without("notifications[0].kind"),
     "notifications[0].kind"),
    ("An unknown top-level field is refused", with_("postcode", "AB1 2CD"), "postcode"),
    ("An unknown disposal field is refused", with_("disposals[0].offence", "x"),
     "disposals[0].offence"),
    ("An unknown away field is refused", with_("away[0].prison", "x"), "away[0].prison"),
    ("An unknown notification field is refused", with_("notifications[0].station", "x"),
     "notifications[0].station"),
    ("A field given twice is refused",
     '{"date_of_birth": "1985-06-15", "date_of_birth": "1985-06-16", "as_at": "2020-06-01",'
     ' "disposals": [{"date": "2019-02-01", "kind": "caution"}]}', "date_of_birth"),
    ("A date of birth given as a number is refused", with_("date_of_birth", 19850615),
     "date_of_birth"),
    ("A date of 30 February is refused", with_("disposals[0].date", "2019-02-30"),
     "disposals[0].date"),
    ("A date of 29 February in a common year is refused", with_("as_at", "2019-02-29"), "as_at"),
    ("A month 13 is refused", with_("notifications[0].date", "2020-13-01"),
     "notifications[0].date"),
    ("A date without leading zeros is refused", with_("disposals[0].date", "2019-2-1"),
     "disposals[0].date"),
    ("A date and time is refused", with_("as_at", "2020-06-01T00:00:00"), "as_at"),
    ("A compact date is refused", with_("as_at", "20200601"), "as_at"),
    ("A date with spaces is refused", with_("as_at", " 2020-06-01"), "as_at"),
    ("A date in non-ASCII digits is refused", with_("as_at", "２０２０-06-01"), "as_at"),
    ("A date of null is refused", with_("away[0].from", None), "away[0].from"),
    ("A disposal before birth is refused", with_("disposals[0].date", "1985-06-14"),
     "disposals[0].date"),
    ("A notification before birth is refused", with_("notifications[0].date", "1980-01-01"),
     "notifications[0].date"),
    ("Time away beginning before birth is refused", with_("away[0].from", "1985-06-14"),
     "away[0].from"),
    ("as_at before birth is refused", with_("as_at", "1985-06-14"), "as_at"),
    ("Time away ending before it begins is refused", with_("away[0].to", "2019-01-31"),
     "away[0].to"),
    ("An unknown disposal kind is refused", with_("disposals[0].kind", "fine"),
     "disposals[0].kind"),
    ("An unknown notification kind is refused", with_("notifications[0].kind", "annual"),
     "notifications[0].kind"),
    ("An unknown away reason is refused", with_("away[0].reason", "holiday"), "away[0].reason"),
    ("A kind given as a number is refused", with_("disposals[0].kind", 1), "disposals[0].kind"),
    ("An empty list of disposals is refused", with_("disposals", []), "disposals"),
    ("Disposals that are not a list are refused", with_("disposals", {}), "disposals"),
    ("Away periods that are not a list are refused", with_("away", None), "away"),
    ("A disposal that is not an object is refused", with_("disposals", ["caution"]),
     "disposals[0]"),
    ("Imprisonment without life needs months", without("disposals[0].months"),
     "disposals[0].months"),
    ("A conditional discharge needs months",
     case(disposal("2019-02-01", "conditional_discharge")), "disposals[0].months"),
    ("A caution takes no months", case(disposal("2019-02-01", "caution", months=3)),
     "disposals[0].months"),
    ("A hospital order takes no months", case(disposal("2019-02-01", "hospital_order", months=3)),
     "disposals[0].months"),
    ("Any other disposal takes no months", case(disposal("2019-02-01", "other", months=12)),
     "disposals[0].months"),
    ("Life imprisonment takes no months", with_("disposals[0].life", True),
     "disposals[0].months"),
    ("A restriction order on imprisonment is refused",
     with_("disposals[0].restriction_order", True), "disposals[0].restriction_order"),
    ("A restriction order on a caution is refused",
     case(disposal("2019-02-01", "caution", restriction_order=True)),
     "disposals[0].restriction_order"),
    ("Life on a caution is refused", case(disposal("2019-02-01", "caution", life=True)),
     "disposals[0].life"),
    ("Zero months are refused", with_("disposals[0].months", 0), "disposals[0].months"),
    ("Negative months are refused", with_("disposals[0].months", -3), "disposals[0].months"),
    ("Months as a decimal are refused", with_("disposals[0].months", 20.0),
     "disposals[0].months"),
    ("Months as text are refused", with_("disposals[0].months", "20"), "disposals[0].months"),
    ("Months as a boolean are refused", with_("disposals[0].months", True),
     "disposals[0].months"),
    ("Months with more digits than Python reads are refused",
     json.dumps(good()).replace('"months": 20', '"months": ' + "9" * 5000), "case"),
    ("Absurdly many months are refused", with_("disposals[0].months", 10**30),
     "disposals[0].months"),
    ("Life as text is refused", with_("disposals[0].life", "false"), "disposals[0].life"),
    ("Life as 0 is refused", with_("disposals[0].life", 0), "disposals[0].life"),
    ("No fixed abode as 1 is refused", with_("notifications[0].no_fixed_abode", 1),
     "notifications[0].no_fixed_abode"),
    ("A restriction order as null is refused", with_("disposals[0].restriction_order", None),
     "disposals[0].restriction_order"),
    ("Weeks on a conditional discharge are refused",
     case(disposal("2019-02-01", "conditional_discharge", weeks=10)), "disposals[0].weeks"),
    ("Months and weeks together are refused", with_("disposals[0].weeks", 26),
     "disposals[0].weeks"),
    ("Suspended life imprisonment is refused",
     case(disposal("2019-02-01", life=True, suspended=True)), "disposals[0].suspended"),
    ("A suspended caution is refused", case(disposal("2019-02-01", "caution", suspended=True)),
     "disposals[0].suspended"),
    ("A group of one consecutive term is refused",
     case(disposal("2019-02-01", months=3, consecutive_group="A")),
     "disposals[0].consecutive_group"),
    ("A consecutive group on a caution is refused",
     case(disposal("2019-02-01", "caution", consecutive_group="A"),
          disposal("2019-02-01", months=3, consecutive_group="A")),
     "disposals[0].consecutive_group"),
    ("A date beyond the years the engine computes is refused",
     with_("as_at", "9999-12-31"), "as_at"),
    ("A term of 26 weeks, either side of 6 calendar months, is refused",
     case(disposal("2019-02-01", weeks=26)), "disposals[0].weeks"),
    ("The s.83 waiver flag must be a boolean", with_("apply_s83_waiver", "yes"),
     "apply_s83_waiver"),
]  # fmt: skip


@pytest.mark.parametrize("data, field", [r[1:] for r in ERRORS], ids=[r[0] for r in ERRORS])
def test_a_case_it_cannot_read(data: Any, field: str) -> None:
    status, out, err = run_case(data)
    assert status == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith(f"{field}: "), err
    assert len(err.strip()) > len(field) + 2


def test_the_error_says_what_is_wrong() -> None:
    _, _, err = run_case(with_("disposals[0].date", "2019-02-30"))
    assert err == 'disposals[0].date: "2019-02-30" is not a real date\n'


def test_the_second_disposal_is_named_by_its_index() -> None:
    data = good()
    data["disposals"].append({"date": "2019-02-01", "kind": "imprisonment"})
    _, _, err = run_case(data)
    assert err.startswith("disposals[1].months: ")


def test_a_file_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "no such case.json"
    status, out, err = run(["explain", str(missing)])
    assert (status, out) == (2, "")
    assert err.startswith(f"{missing}: cannot be read") and err.count("\n") == 1


def test_a_directory_is_not_a_case(tmp_path: Path) -> None:
    status, out, err = run(["explain", str(tmp_path)])
    assert (status, out) == (2, "") and err.count("\n") == 1


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"date_of_birth": "\xe9"}')
    status, out, err = run(["explain", str(path)])
    assert (status, out) == (2, "") and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [[], ["explain"], ["explian", "case.json"], ["explain", "a.json", "b.json"], ["--verbose"]],
    ids=[
        "No sub-command prints usage",
        "explain without a case prints usage",
        "A misspelt sub-command prints usage",
        "Two cases print usage",
        "An unknown option prints usage",
    ],
)
def test_wrong_arguments_print_usage_and_exit_2(argv: list[str]) -> None:
    status, out, err = run(argv)
    assert (status, out) == (2, "")
    assert err.startswith("usage: whereabouts rules explain")


def test_help_goes_to_standard_output() -> None:
    status, out, err = run(["--help"])
    assert (status, err) == (0, "") and out.startswith("usage:")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["2019-02-01", "2019-02-30", "caution", "imprisonment", "custody"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["date", "kind", "months", "from", "to", "x"]), children,
                      max_size=3),
    max_leaves=10,
)  # fmt: skip
FIELDS = [
    "date_of_birth", "as_at", "disposals", "away", "notifications", "disposals[0]",
    "disposals[0].date", "disposals[0].kind", "disposals[0].months", "disposals[0].life",
    "disposals[0].restriction_order", "disposals[0].weeks", "disposals[0].consecutive_group",
    "away[0]", "away[0].from", "away[0].to", "away[0].reason", "notifications[0].date",
    "notifications[0].kind", "notifications[0].no_fixed_abode", "apply_s83_waiver",
]  # fmt: skip


def _answered_or_refused(status: int, out: str, err: str) -> None:
    if status == 0:
        assert err == "" and set(json.loads(out)) == {
            "notification_period", "review", "next_due", "compliance", "explanation",
        }  # fmt: skip
    else:
        assert status == 2 and out == "" and err.count("\n") == 1 and ": " in err


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_at_all_is_answered_or_refused_in_one_line(value: Any) -> None:
    _answered_or_refused(*run_case(value))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(FIELDS), json_values)
def test_any_value_in_any_field_is_answered_or_refused_in_one_line(field: str, value: Any) -> None:
    _answered_or_refused(*run_case(with_(field, value)))
