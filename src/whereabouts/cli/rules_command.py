"""``whereabouts rules explain CASE.json|-``: the rules contract on the command line.

Prints one JSON object on standard output and returns 0; a case it cannot read returns 2
with exactly one line on standard error naming the field and what is wrong, and nothing on
standard output. Imports only the standard library and :mod:`whereabouts.rules`, so it starts
in a fraction of a second (no Django).

    python -m whereabouts.cli.rules_command explain case.json
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from whereabouts.rules import CaseError, answer_to_dict, decode_json, evaluate, parse_case

USAGE = (
    "usage: whereabouts rules explain CASE.json\n"
    "       whereabouts rules explain -      (read the case from standard input)\n"
    "Prints what Part 2 of the Sexual Offences Act 2003 requires of the person in the case,\n"
    "as at its as_at date, as one JSON object. Exit status 2 if the case cannot be read.\n"
)


def main(argv: list[str], stdin: TextIO | None, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``rules`` with ``argv`` (what follows ``rules``); returns the exit status."""
    if argv in (["-h"], ["--help"], ["help"]):
        stdout.write(USAGE)
        return 0
    if len(argv) != 2 or argv[0] != "explain":
        stderr.write(USAGE)
        return 2
    source = argv[1]
    try:
        text = _read(source, stdin)
        case = parse_case(decode_json(text))
        answer = evaluate(case)
    except CaseError as error:
        stderr.write(_one_line(str(error)) + "\n")
        return 2
    stdout.write(json.dumps(answer_to_dict(answer), indent=2, ensure_ascii=False) + "\n")
    return 0


def _read(source: str, stdin: TextIO | None) -> str:
    """The text of the case; a file that cannot be read is a :class:`CaseError` naming it."""
    name = "standard input" if source == "-" else source
    try:
        if source == "-":
            if stdin is None:
                raise OSError("no standard input")
            return stdin.read()
        with open(source, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise CaseError(name, f"cannot be read: {reason}") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))
