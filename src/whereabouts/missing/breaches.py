"""Reading s.91 breaches from ledger entries (plain data in, plain data out).

A breach of the notification requirements is recorded as a crime (``breach.recorded``) with a
crime reference; later ``breach.warrant`` and ``breach.outcome`` entries name that reference.
Nothing here touches Django: the services (``breach_services``) and the selectors feed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

BREACH_RECORDED = "breach.recorded"
BREACH_WARRANT = "breach.warrant"
BREACH_OUTCOME = "breach.outcome"
BREACH_KINDS = (BREACH_RECORDED, BREACH_WARRANT, BREACH_OUTCOME)

#: The warrant statuses that may follow each one ("" is no warrant yet). A warrant that was
#: executed, withdrawn or refused is finished: only a new application may follow it.
WARRANT_NEXT: dict[str, tuple[str, ...]] = {
    "": ("applied",),
    "applied": ("issued", "refused", "withdrawn"),
    "issued": ("executed", "withdrawn"),
    "executed": ("applied",),
    "withdrawn": ("applied",),
    "refused": ("applied",),
}

#: The outcomes that may follow each one ("" is none yet): after a charge, the court's result.
OUTCOME_NEXT: dict[str, tuple[str, ...]] = {
    "": ("charged", "cautioned", "no_further_action", "reasonable_excuse_accepted",
         "convicted", "acquitted"),
    "charged": ("convicted", "acquitted"),
}


def warrant_step_allowed(current: str, new: str) -> bool:
    """Whether a warrant entry with status ``new`` may follow the status ``current``."""
    return new in WARRANT_NEXT.get(current, ())


def outcome_step_allowed(current: str, new: str) -> bool:
    """Whether the outcome ``new`` may be recorded on a breach whose outcome is ``current``."""
    return new in OUTCOME_NEXT.get(current, ())


def reference_key(crime_reference: str) -> str:
    """Crime references are matched ignoring case and surrounding spaces."""
    return crime_reference.strip().casefold()


class Breach(NamedTuple):
    """One breach of the notification requirements, as the ledger now tells it."""

    recorded_on: dt.date
    offence: str  # "fail_to_comply" (s.91(1)(a)), "false_information" (s.91(1)(b)) or
    #               "breach_of_order" (a SHPO or SRO)
    crime_reference: str
    what: str
    warrant_status: str = ""  # "" when no warrant has been applied for
    warrant_reference: str = ""
    warrant_updated_on: dt.date | None = None
    outcome: str = ""
    outcome_on: dt.date | None = None
    failed_from: dt.date | None = None  # s.91(3): the first day of the failure, if known
    order: str = ""  # a breach of a SHPO or SRO ("breach_of_order"): the order's reference

    @property
    def open(self) -> bool:
        """Still being investigated: no outcome recorded."""
        return not self.outcome

    @property
    def warrant_outstanding(self) -> bool:
        """A warrant has been issued and not yet executed or withdrawn."""
        return self.warrant_status == "issued"


def breaches_from(entries: Iterable[tuple[str, dt.date, dict[str, Any]]]) -> list[Breach]:
    """Breaches from live entries ``(kind, effective_date, details)`` sorted by date then id.

    In the order they were recorded. The warrant follows the latest warrant entry and the
    outcome the latest outcome entry. Entries of other kinds are ignored, and so are warrant
    and outcome entries naming no breach recorded by their date, and a second breach with
    a crime reference already used (the services refuse to write any of these).
    """
    breaches: dict[str, Breach] = {}
    for kind, when, details in entries:
        key = reference_key(str(details.get("crime_reference", "")))
        if kind == BREACH_RECORDED and key not in breaches:
            breaches[key] = Breach(
                recorded_on=when,
                offence=details.get("offence", ""),
                crime_reference=details.get("crime_reference", "").strip(),
                what=details.get("what", ""),
                failed_from=(dt.date.fromisoformat(details["failed_from"])
                             if details.get("failed_from") else None),
                order=details.get("order", ""),
            )
        elif kind == BREACH_WARRANT and key in breaches:
            breach = breaches[key]
            status = details.get("status", "")
            # A new application starts a new warrant; later entries keep its reference.
            reference = details.get("warrant_reference", "")
            if not reference and status != "applied":
                reference = breach.warrant_reference
            breaches[key] = breach._replace(warrant_status=status, warrant_reference=reference,
                                            warrant_updated_on=when)
        elif kind == BREACH_OUTCOME and key in breaches:
            breaches[key] = breaches[key]._replace(outcome=details.get("outcome", ""),
                                                   outcome_on=when)
    return list(breaches.values())


def find_breach(breaches: Iterable[Breach], crime_reference: str) -> Breach | None:
    """The breach with this crime reference, if any."""
    key = reference_key(crime_reference)
    return next((b for b in breaches if reference_key(b.crime_reference) == key), None)
