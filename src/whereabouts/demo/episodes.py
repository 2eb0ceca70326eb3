"""The missing plan's episodes as ledger entries, so that the figures come from the ledger.

Each plan entry becomes a ``missing.recorded`` entry on the day the person was recorded as
missing (with the last date they were confirmed at home, the basis and the risk, and for
those believed abroad the country and why), and, for those located, a ``missing.located``
entry. The generator adds them to each person's ledger; the details are exactly what
``register.events.validate_details`` returns for them (a test checks every entry), built
here without importing Django so that the generator stays plain Python.
"""

from __future__ import annotations

from typing import Any

from .missing import MissingPlanEntry


def _without_blanks(details: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in details.items() if v is not None and v != ""}


def recorded_details(entry: MissingPlanEntry) -> dict[str, Any]:
    basis = (f"Not found at the notified home address: visit on {entry.failed_visit_on} "
             f"({entry.failed_visit_outcome.replace('_', ' ')}); the notification due by "
             f"{entry.missed_due_on} was not made; enquiries found no trace.")
    return _without_blanks({
        "missing_since": entry.last_seen_at_home_on.isoformat(),
        "basis": basis,
        "risk": entry.risk_level,
        "believed_abroad": entry.believed_abroad,
        "country": entry.country if entry.believed_abroad else "",
        "abroad_basis": entry.basis if entry.believed_abroad else "",
    })


def located_details(entry: MissingPlanEntry) -> dict[str, Any]:
    voluntary = entry.located_event == "notification.change"
    outcome = ("charged" if "charged" in entry.located_outcome
               else "notified_and_compliant" if voluntary else "arrested")
    return _without_blanks({
        "where": entry.located_where,
        "by": entry.located_by,
        "how_found": "voluntary_attendance" if voluntary else "arrest",
        "outcome": outcome,
        "note": entry.located_outcome[:500],
    })


def check_opened_details(entry: MissingPlanEntry) -> dict[str, Any]:
    gone = entry.failed_visit_outcome == "no_longer_living_there"
    return _without_blanks({
        "reason": "no_longer_living_there" if gone else "missed_notification",
        "note": f"Opened after the visit on {entry.failed_visit_on}",
    })


def check_closed_details(entry: MissingPlanEntry) -> dict[str, Any]:
    return _without_blanks({
        "outcome": "recorded_missing",
        "explanation": "No trace at any notified address or through partner checks",
        "checks_done": "; ".join(CHECKS_DONE),
    })


#: The checks the demo's offender managers made before each person was recorded missing
#: (in the order of the default checklist in settings).
CHECKS_DONE = (
    "Notified home address re-visited",
    "Custody checked (local cells and prisons)",
    "Hospitals checked",
    "Probation checked",
    "DWP checked",
)


def circulation_references(entry: MissingPlanEntry) -> list[tuple[str, str]]:
    """(scope, reference) of each circulation: national always, international if abroad."""
    national = ("national", f"{entry.person_reference}/{entry.went_missing_on:%Y%m%d}")
    if not entry.believed_abroad:
        return [national]
    return [national, ("international", f"NCA/{entry.person_reference}")]
