"""Subject access (DPA 2018 s.45): the disclosure officer exports what is held about a person.

For the role that holds ``subject_access.export`` (data protection officers); everyone else
gets "not found". The officer gives the person's reference, the request's reference and why;
the export (JSON, or a readable HTML page) is a download, logged as a disclosure with that
reason before it is made. A reference outside the officer's scope is "no person with this
reference", the same as one that does not exist.
"""

from __future__ import annotations

import json

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.reports import subject_access


class SubjectAccessForm(forms.Form):
    reference = forms.CharField(label="Person reference", max_length=20,
                                help_text="The register reference, for example WM-000123",
                                error_messages={"required": "Enter the person's reference"})
    request_reference = forms.CharField(
        label="Request reference", max_length=60,
        help_text="The subject access request's own reference, for example SAR/2024/017",
        error_messages={"required": "Enter the request's reference"})
    reason = forms.CharField(
        label="Why you are exporting the record", max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log with your name, as the justification for the "
                  "disclosure",
        error_messages={"required": "Enter why you are exporting the record"})
    format = forms.ChoiceField(
        label="Format", widget=forms.RadioSelect, initial="html",
        choices=[("html", "A readable page (HTML) to redact"),
                 ("json", "Data (JSON), every field")])

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why you are exporting the record")
        return reason


@never_cache
def subject_access_export(request: HttpRequest) -> HttpResponse:
    if not policy.may(request.user, "subject_access.export"):
        raise Http404
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reference = data["reference"].strip()
        person = (policy.disclosable_people(request.user)
                  .select_related("force", "offender_manager")
                  .filter(reference__iexact=reference).first())
        if person is None:
            audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                         what=f"subject access: {reference[:20]!r}: no such person in scope",
                         reason=data["reason"])
            form.add_error("reference", "No person with this reference")
        else:
            fmt = data["format"]
            audit.record(actor=request.user, action=AuditAction.DISCLOSURE, person_id=person.pk,
                         what=f"subject access export of {person.reference} ({fmt.upper()}), "
                              f"request {data['request_reference'][:60]}",
                         reason=data["reason"])
            as_at = today()
            export = subject_access.gather(person, as_at=as_at,
                                           request_reference=data["request_reference"])
            name = f"subject-access-{person.reference}-{as_at.isoformat()}"
            if fmt == "json":
                body = json.dumps(export, indent=2, ensure_ascii=False, default=str)
                response = HttpResponse(body, content_type="application/json; charset=utf-8")
            else:
                response = HttpResponse(render_to_string("web/subject_access_export.html", {
                    "export": export, "tables": subject_access.tables(export)}))
            response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "web/subject_access.html", {"form": form})
