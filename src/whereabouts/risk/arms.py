"""ARMS assessments as recorded, and when the next is due.

ARMS (the Active Risk Management System) is a structured assessment of dynamic risk and
protective factors for adult men convicted of sexual offences; its output is a formulation
and priorities for the risk management plan, not a score. We record what the assessor wrote
(the factors one per line, the priorities) and the date the next assessment is due; the
sweep opens a task for the offender manager from the day after that date
(:data:`ARMS_TASK`). Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .orders import lines

ARMS_KIND = "arms.assessment"
ARMS_TASK = "arms_overdue"


@dataclass(frozen=True)
class ArmsAssessment:
    assessed_on: dt.date
    assessor: str
    risk_factors: tuple[str, ...]
    protective_factors: tuple[str, ...]
    priorities: str
    next_due: dt.date
    note: str = ""

    def state(self, as_at: dt.date) -> str:
        """``due`` until the next-due date (inclusive), ``overdue`` from the day after."""
        return "overdue" if as_at > self.next_due else "due"


def assessments_from(entries: Iterable[tuple[str, dt.date, dict[str, Any]]]
                     ) -> list[ArmsAssessment]:
    """The ARMS assessments among live entries, oldest first."""
    return [ArmsAssessment(when, d["assessor"], lines(d.get("risk_factors", "")),
                           lines(d.get("protective_factors", "")), d["priorities"],
                           dt.date.fromisoformat(d["next_due"]), d.get("note", ""))
            for kind, when, d in entries if kind == ARMS_KIND]


def latest(assessments: list[ArmsAssessment]) -> ArmsAssessment | None:
    """The one in force: the latest by date (the next-due date it set is what counts)."""
    return max(assessments, key=lambda a: a.assessed_on, default=None)
