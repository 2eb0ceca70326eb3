"""Asking for a reason before a person outside the user's force or caseload opens.

The form is the same for every person id, whether the person exists, is in the user's own
force or is in another: its answer (a redirect to the person's page) says nothing about which.
The reason is kept for the rest of the session and logged by ``access.policy.give_reason``.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from whereabouts.access import policy


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why do you need to open this record?", widget=forms.RadioSelect,
        choices=list(policy.ACCESS_REASONS.items()),
        error_messages={"required": "Select why you need to open this record"})
    detail = forms.CharField(
        label="Give the details", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the enquiry or circulation reference. This is kept in the "
                  "audit log with your name.",
        error_messages={"required": "Enter the details of why you need to open this record"})

    def clean_detail(self) -> str:
        detail: str = self.cleaned_data["detail"].strip()
        if not detail:
            raise forms.ValidationError("Enter the details of why you need to open this record")
        return detail


@never_cache
def access_reason(request: HttpRequest, person_id: int) -> HttpResponse:
    if not policy.may(request.user, "person.open_with_reason"):
        raise Http404
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        policy.give_reason(request.user, request.session, person_id=person_id,
                           reason=form.cleaned_data["reason"],
                           detail=form.cleaned_data["detail"])
        return redirect("person", person_id)
    return render(request, "web/access_reason.html", {"form": form, "person_id": person_id})
