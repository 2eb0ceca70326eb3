"""Everything held about one person, for a subject access request (DPA 2018 Part 3, s.45).

:func:`gather` reads the whole record of one person (identity, names used, addresses, the
ledger with every correction and withdrawal, disposals, missing episodes, breaches, tasks,
shares with partner agencies, MoPI decisions) and the audit log about them (who looked at the
record, including list pages that showed them). It is raw material for the disclosure
officer, who redacts before anything reaches the person: s.45(4) lets a controller restrict
the right to protect the prevention and detection of crime, public security and the rights of
others, and staff names and third parties' details are in here unredacted.

Only the view that calls this (``web.subject_access_views``) decides who may: the person must
come from ``access.policy.disclosable_people``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from whereabouts.access import audit_selectors
from whereabouts.compliance.models import ComplianceStatus, Task
from whereabouts.missing.selectors import person_breaches, person_episodes
from whereabouts.register.models import Person
from whereabouts.retention.models import Decision

FORMATS = ("json", "html")


def _text(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _user(user: Any) -> str:
    return user.get_username() if user is not None else ""


def _row(obj: Any, fields: list[str]) -> dict[str, object]:
    return {name: _text(getattr(obj, name)) for name in fields}


def gather(person: Person, *, as_at: dt.date, request_reference: str) -> dict[str, Any]:
    """The export as plain data (JSON-ready): sections in a fixed order."""
    events = list(person.events.select_related("recorded_by").order_by("effective_date", "id"))
    superseded_by = {e.supersedes_id: e.pk for e in events if e.supersedes_id}
    status = ComplianceStatus.objects.filter(person=person).first()
    audit_entries = list(audit_selectors.entries_about(person.pk))
    return {
        "export": {
            "kind": "subject access export (DPA 2018 s.45): for the disclosure officer to "
                    "redact before disclosure",
            "request_reference": request_reference,
            "as_at": as_at.isoformat(),
            "person_reference": person.reference,
        },
        "identity": {
            **_row(person, ["reference", "family_name", "given_names", "date_of_birth", "sex",
                            "pnc_id", "cro_number", "ni_number", "passport_number",
                            "created_at", "retention_group", "next_review"]),
            "force": person.force.name,
            "offender_manager": _user(person.offender_manager),
        },
        "aliases": [_row(a, ["family_name", "given_names", "used_from", "used_to"])
                    for a in person.aliases.order_by("used_from", "id")],
        "addresses": [_row(a, ["kind", "line1", "line2", "town", "postcode", "from_date"])
                      for a in person.addresses.order_by("from_date", "id")],
        "ledger": [{
            "entry": e.pk, "kind": e.get_kind_display(), "effective_date": _text(e.effective_date),
            "recorded_at": _text(e.recorded_at), "recorded_by": _user(e.recorded_by),
            "source": e.source, "details": e.details,
            "corrects_entry": e.supersedes_id, "correction_reason": e.reason,
            "corrected_by_entry": superseded_by.get(e.pk),
        } for e in events],
        "disposals": [_row(d, ["relevant_date", "offence", "court", "kind", "months", "life",
                               "restriction_order", "suspended"])
                      for d in person.disposals.order_by("relevant_date", "id")],
        "compliance": (_row(status, ["compliance", "indefinite", "period_last_day",
                                     "next_due_kind", "next_due_last_day",
                                     "review_first_eligible"]) if status else None),
        "missing_episodes": [{k: _text(v) for k, v in ep._asdict().items()}
                             for ep in person_episodes(person)],
        "breaches": [{k: _text(v) for k, v in b._asdict().items()}
                     for b in person_breaches(person)],
        "tasks": [{**_row(t, ["kind", "title", "due_kind", "due_last_day", "state",
                              "opened_as_at", "closed_as_at"]),
                   "assigned_to": _user(t.assigned_to)}
                  for t in Task.objects.filter(person=person).select_related("assigned_to")],
        "shares_with_partner_agencies": [{
            **_row(s, ["agency", "since", "until", "shared_at", "purpose", "notes"]),
            "shared_by": _user(s.shared_by)} for s in person.shares.select_related("shared_by")
            .order_by("shared_at", "id")],
        "retention_reviews": [{
            **_row(d, ["decided_on", "outcome", "criteria", "reason", "next_review"]),
            "decided_by": _user(d.decided_by)} for d in Decision.objects.filter(person=person)
            .select_related("decided_by").order_by("decided_at", "id")],
        "audit_log": [{
            "entry": a.pk, "at": _text(a.at), "who": a.actor_name, "action": a.action,
            "what": a.what, "reason": a.reason,
            "on_a_list": a.person_id != person.pk,
        } for a in audit_entries],
    }


#: Section key -> heading, for the readable (HTML) form.
SECTIONS = {
    "identity": "Identity", "aliases": "Other names used", "addresses": "Addresses",
    "ledger": "The ledger (every entry, with corrections and withdrawals)",
    "disposals": "Disposals", "compliance": "Notification status",
    "missing_episodes": "Missing episodes", "breaches": "Breaches", "tasks": "Tasks",
    "shares_with_partner_agencies": "Shares with partner agencies",
    "retention_reviews": "Retention reviews (MoPI)",
    "audit_log": "Who looked at or changed the record (audit log)",
}


def tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The sections as tables (heading, column names, rows of text) for the HTML form."""
    out = []
    for key, heading in SECTIONS.items():
        value = data[key]
        rows = [value] if isinstance(value, dict) else (value or [])
        columns = list(rows[0]) if rows else []
        out.append({"key": key, "heading": heading, "columns": columns,
                    "rows": [["" if r[c] is None else str(r[c]) for c in columns]
                             for r in rows]})
    return out
