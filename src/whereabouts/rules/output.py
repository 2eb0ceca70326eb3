"""The answer as the contract's JSON object: exactly its keys, dates as ``YYYY-MM-DD``."""

from __future__ import annotations

from datetime import date
from typing import Any

from .model import Answer


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """``notification_period``, ``review``, ``next_due``, ``compliance``, ``explanation``."""
    next_due: dict[str, Any] | None = None
    if answer.next_due_kind is not None:
        next_due = {
            "kind": answer.next_due_kind,
            "last_day": _iso(answer.next_due_last_day),
            "basis": answer.next_due_basis,
        }
    return {
        "notification_period": {
            "indefinite": answer.indefinite,
            "length": answer.length,
            "first_day": _iso(answer.first_day),
            "last_day": _iso(answer.last_day),
            "basis": answer.period_basis,
        },
        "review": {
            "first_eligible": _iso(answer.review_first_eligible),
            "basis": answer.review_basis,
        },
        "next_due": next_due,
        "compliance": answer.compliance,
        "explanation": list(answer.explanation),
    }
