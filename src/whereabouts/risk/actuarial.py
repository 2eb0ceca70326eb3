"""Where an optional static actuarial scorer (such as Risk Matrix 2000/S) would plug in.

**None is shipped.** The RM2000/S rules in the domain reference are marked "unverified:
check before encoding"; the scoring guide is copyrighted and for trained users only, APP no
longer uses the tool, and HMPPS uses OSP instead (docs/visits.md, "Risk Matrix 2000/S: not
shipped"). Encoding rules we could not check against the guide would put an unverified
number next to an officer's judgement, so we encode nothing.

A force holding a licence may register a scorer here: a pure function from the facts to a
:class:`Score` whose ``steps`` explain each point, shown as advisory only, never as the risk
level (which stays the officer's ``risk.level`` entry).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Score:
    tool: str
    version: str
    category: str
    steps: tuple[str, ...]  # each step of the scoring, in words, with its points
    advisory: bool = True  # always: a score never replaces the officer's assessment


#: Tool name -> scorer. Empty: nothing is shipped (see the module's docstring).
SCORERS: dict[str, Callable[[Mapping[str, Any]], Score]] = {}


def register(tool: str, scorer: Callable[[Mapping[str, Any]], Score]) -> None:
    """Add a licensed, verified scorer (a force's own plug-in)."""
    if tool in SCORERS:
        raise ValueError(f"a scorer for {tool!r} is already registered")
    SCORERS[tool] = scorer
