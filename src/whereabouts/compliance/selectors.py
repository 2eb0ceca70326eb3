"""Reads of compliance for one person, for the pages (the caller has passed the access check)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from whereabouts import rules
from whereabouts.register.models import Person
from whereabouts.register.selectors import ledger_case

from .sweep import StatusValues, status_from_case


class PersonCompliance(NamedTuple):
    status: StatusValues
    explanation: tuple[str, ...]


def person_compliance(person: Person, as_at: dt.date) -> PersonCompliance:
    """The status as at a date, worked out live from the ledger, with the engine's reasons.

    The same path as the sweep's (``status_from_case``), so the page and the cache agree.
    """
    person_case = ledger_case(person, as_at)
    status = status_from_case(person_case, as_at)
    if person_case.case is None:
        return PersonCompliance(status, ())
    return PersonCompliance(status, rules.evaluate(person_case.case).explanation)
