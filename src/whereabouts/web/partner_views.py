"""Partner agencies: the people shared with them, each in a narrow view; and the supervisors'
form to share a person. What a partner page shows is ``access.sharing.partner_view`` only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from whereabouts.access import audit, policy, sharing
from whereabouts.access.models import Agency, AuditAction
from whereabouts.clock import today

from .forms import DateField


def shared_list(request: HttpRequest) -> HttpResponse:
    if not policy.may(request.user, "shared.open"):
        raise Http404
    as_at = today()
    shares = list(sharing.current_shares(request.user, as_at))
    people = list({s.person_id: s.person for s in shares}.values())
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"listed the people shared with their agency ({len(people)})",
                 listed=[p.pk for p in people])
    return render(request, "web/shared_list.html", {"people": people, "as_at": as_at})


def shared_person(request: HttpRequest, person_id: int) -> HttpResponse:
    if not policy.may(request.user, "shared.open"):
        raise Http404
    view = sharing.partner_view(request.user, person_id, today())
    if view is None:
        raise Http404
    audit.record(actor=request.user, action=AuditAction.CONSULTATION, person_id=person_id,
                 what="viewed the partner view of a shared person")
    return render(request, "web/shared_person.html", {"view": view,
                                                      "fields": sharing.PARTNER_FIELDS})


class ShareForm(forms.Form):
    agency = forms.ChoiceField(label="Agency", choices=Agency.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select the agency"})
    since = DateField(label="Shared from")
    until = DateField(label="Shared until")
    purpose = forms.CharField(label="Why the agency needs to know", max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "Enter why the agency needs to know"})
    notes = forms.CharField(label="Notes for the agency", max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="Shown to the agency's users, for example MAPPA "
                                      "arrangements. No intelligence, victims or financial "
                                      "details.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "must not be before the start")
        return data


def share_new(request: HttpRequest, person_id: int) -> HttpResponse:
    if not policy.may(request.user, "share.create"):
        raise Http404
    person = policy.person_for(request.user, person_id, request.session)
    if person is None or not policy.can_record_events(request.user, person):
        raise Http404
    as_at = today()
    form = ShareForm(request.POST if request.method == "POST" else None,
                     initial={"since": as_at})
    if form.is_valid():
        try:
            sharing.share_person(person_id=person.pk, by=request.user,  # type: ignore[arg-type]
                                 **form.cleaned_data)
        except sharing.NotPermitted:
            raise Http404 from None
        messages.success(request, "Shared with the agency; their users see the partner view "
                                  "until the end date")
        return redirect("person", person.pk)
    return render(request, "web/person_step.html", {
        "person": person, "form": form, "as_at": as_at,
        "step": {"title": "Share with a partner agency"}})
