"""The auditor's pages: who looked at a person, what a user looked at, each with a CSV export.

For data protection officers and auditors only; everyone else gets "not found", as for every
refusal. The auditor sees a person's reference and the audit entries, never the record
itself. Every search and every export is itself written to the audit chain (a consultation,
or a disclosure for an export), so the auditors are audited too.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from whereabouts.access import audit
from whereabouts.access import audit_selectors as selectors
from whereabouts.access.models import AuditAction, AuditEntry

from .forms import DateField

PER_PAGE = 50
CSV_COLUMNS = ["entry", "at", "actor", "action", "person_reference", "what", "reason", "listed",
               "hash"]


def _auditor(request: HttpRequest) -> None:
    if not selectors.is_auditor(request.user):
        raise Http404


class _Period(forms.Form):
    start = DateField(label="From", required=False, help_text="For example, 27 3 2017")
    end = DateField(label="To", required=False, help_text="Included")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "must be the same as or after the from date")
        return data


class PersonAuditForm(_Period):
    reference = forms.CharField(label="Person reference", max_length=20,
                                help_text="The register reference, for example WM-000123")


class UserAuditForm(_Period):
    username = forms.CharField(label="Username", max_length=150)


def _period_text(data: dict[str, Any]) -> str:
    start, end = data.get("start"), data.get("end")
    if not start and not end:
        return "all dates"
    return f"{start.isoformat() if start else 'the start'} to {end.isoformat() if end else 'now'}"


def _query(request: HttpRequest, **extra: str) -> str:
    params = {k: v for k, v in request.GET.items() if k not in ("page", "format")}
    params.update(extra)
    return urlencode(params)


def _rows(entries: QuerySet[AuditEntry] | list[AuditEntry],
          about: tuple[int, str] | None = None) -> list[dict[str, Any]]:
    """Entries with the reference of the person each is about; on "who looked at a person"
    (``about``), a list page that showed them says so."""
    entries = list(entries)
    refs = selectors.references(e.person_id for e in entries)
    rows = []
    for e in entries:
        reference = refs.get(e.person_id, "") if e.person_id else ""
        if about is not None and e.person_id != about[0] and e.listed:
            reference = f"{about[1]} (on a list of {len(e.listed_ids())})"
        elif e.listed and not reference:
            reference = f"a list of {len(e.listed_ids())}"
        rows.append({"entry": e, "reference": reference})
    return rows


def _csv_cell(value: object) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(entries: QuerySet[AuditEntry], filename: str,
         about: tuple[int, str] | None = None) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in _rows(entries, about):
        e = row["entry"]
        writer.writerow([_csv_cell(v) for v in (
            e.pk, timezone.localtime(e.at).isoformat(), e.actor_name, e.action,
            row["reference"], e.what, e.reason, e.listed, e.hash)])
    return response


def _today_stamp() -> str:
    return dt.date.today().isoformat()


def audit_person(request: HttpRequest) -> HttpResponse:
    """Who looked at this person: the entries about one person, found by reference."""
    _auditor(request)
    form = PersonAuditForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        found = selectors.person_by_reference(request.user, data["reference"])
        exporting = request.GET.get("format") == "csv"
        if found is None:
            audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                         what=f"audit log: who looked at {data['reference'][:20]!r}: "
                              "no such person in scope")
            form.add_error("reference", "No person with this reference")
            return render(request, "web/audit_person.html", context)
        person_id, reference = found
        entries = selectors.entries_about(person_id, data.get("start"), data.get("end"))
        period = _period_text(data)
        if exporting:
            audit.record(actor=request.user, action=AuditAction.DISCLOSURE, person_id=person_id,
                         what=f"audit log: exported who looked at {reference}, {period} (CSV)")
            return _csv(entries, f"audit-person-{reference}-{_today_stamp()}.csv", found)
        page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
        audit.record(actor=request.user, action=AuditAction.CONSULTATION, person_id=person_id,
                     what=f"audit log: who looked at {reference}, {period}, page {page.number}")
        context.update(reference=reference, page=page, rows=_rows(page.object_list, found),
                       query=_query(request), csv_query=_query(request, format="csv"))
    return render(request, "web/audit_person.html", context)


def audit_user(request: HttpRequest) -> HttpResponse:
    """What did this user look at: the entries one user made, over a period."""
    _auditor(request)
    form = UserAuditForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        username = data["username"].strip()
        period = _period_text(data)
        if not selectors.user_in_scope(request.user, username):
            audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                         what=f"audit log: what {username[:60]} looked at: not in scope")
            form.add_error("username", "No user with this username")
            return render(request, "web/audit_user.html", context)
        entries = selectors.entries_by(username, data.get("start"), data.get("end"))
        if request.GET.get("format") == "csv":
            audit.record(actor=request.user, action=AuditAction.DISCLOSURE,
                         what=f"audit log: exported what {username[:60]} looked at, {period} "
                              "(CSV)")
            return _csv(entries, f"audit-user-{username}-{_today_stamp()}.csv")
        page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
        audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                     what=f"audit log: what {username[:60]} looked at, {period}, "
                          f"page {page.number}")
        context.update(username=username, page=page, rows=_rows(page.object_list),
                       query=_query(request), csv_query=_query(request, format="csv"))
    return render(request, "web/audit_user.html", context)
