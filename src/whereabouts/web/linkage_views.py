"""Leads from partner data matching: the officer's list and one lead, accepted or rejected.

Who may: casework in the person's force (``leads.work``); anyone else gets "not found".
Every look is in the audit chain, the list with the people it showed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.linkage import bands as band_service
from whereabouts.linkage import leads as lead_service
from whereabouts.linkage.models import OFFICER_STATUSES, LeadStatus
from whereabouts.register.errors import InvalidInput
from whereabouts.register.recording import NotPermitted

from .forms import add_service_error


def _allowed(request: HttpRequest) -> None:
    if not policy.may(request.user, "leads.work"):
        raise Http404


@login_required
def lead_list(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    status = request.GET.get("status", LeadStatus.OPEN)
    if status not in OFFICER_STATUSES:
        status = LeadStatus.OPEN
    page = Paginator(lead_service.leads_for(request.user, status=status), 25).get_page(
        request.GET.get("page"))
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the partner data leads ({status}, {page.paginator.count}), "
                      f"page {page.number}",
                 listed=sorted({lead.person_id for lead in page}))
    return render(request, "web/leads.html", {"page": page, "status": status,
                                              "statuses": [(s.value, s.label)
                                                           for s in OFFICER_STATUSES],
                                              "may_review": policy.may(request.user,
                                                                       "partner_data.import")})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is this the person on the register?", widget=forms.RadioSelect,
        choices=[("accept", "Yes: accept the lead"), ("reject", "No: reject the lead")],
        error_messages={"required": "Select whether to accept or reject the lead"})
    reason = forms.CharField(label="Why (required to reject)", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    _allowed(request)
    try:
        lead = lead_service.lead_for(request.user, lead_id)
    except NotPermitted:
        raise Http404 from None
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decided = lead_service.decide(
                lead_id=lead.pk, accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"], actor=request.user, today=today())
        except NotPermitted:
            raise Http404 from None
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Lead {decided.get_status_display().lower()}"
                             + (f": {decided.outcome}" if decided.outcome else ""))
            return redirect("leads")
    elif request.method != "POST":
        audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                     person_id=lead.person_id,
                     what=f"read partner data lead {lead.pk} ({lead.record.extract.agency})")
    items = lead.explanation
    return render(request, "web/lead.html", {
        "lead": lead, "form": form,
        "agreed": [i for i in items if i["weight"] > 0],
        "disagreed": [i for i in items if i["weight"] < 0],
        "absent": [i for i in items if i["weight"] == 0],
        "can_decide": lead.status == LeadStatus.OPEN
        and policy.can_record_events(request.user, lead.person)})


def _may_review(request: HttpRequest) -> None:
    if not policy.may(request.user, "partner_data.import"):
        raise Http404


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """The linkage runs, each with its threshold and a link to review its score bands."""
    _may_review(request)
    page = Paginator(band_service.runs(request.user), 25).get_page(request.GET.get("page"))
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the partner data matching runs, page {page.number}")
    return render(request, "web/linkage_runs.html", {"page": page})


class ThresholdForm(forms.Form):
    threshold = forms.TypedChoiceField(
        label="New threshold: leads open at this match probability or more", coerce=float,
        choices=[(str(b), f"{b:.2f}") for b in band_service.BOUNDS],
        error_messages={"required": "Select the new threshold",
                        "invalid_choice": "Select one of the bands' lower bounds"})
    reason = forms.CharField(label="Why (what the review showed)", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter why the threshold changes"})


@login_required
def run_bands(request: HttpRequest, model_id: int) -> HttpResponse:
    """A run's score bands: review a sample of pairs per band and set the threshold."""
    _may_review(request)
    try:
        model = band_service.run_for(request.user, model_id)
    except NotPermitted:
        raise Http404 from None
    action = request.POST.get("action") if request.method == "POST" else None
    form = ThresholdForm(request.POST if action == "threshold" else None,
                         initial={"threshold": str(model.threshold)})
    if action == "judge":
        pair = request.POST.get("pair", "")
        try:
            judged = band_service.judge(actor=request.user, model_id=model.pk,
                                        lead_id=int(pair) if pair.isdigit() else 0,
                                        judgement=request.POST.get("judgement", ""))
        except InvalidInput as exc:
            messages.error(request, f"The {exc.field} {exc.message}")
        else:
            messages.success(request, f"Pair {judged.pk}: {judged.get_judgement_display()}")
        return redirect("linkage-bands", model.pk)
    if action == "threshold" and form.is_valid():
        try:
            change = band_service.set_threshold(
                actor=request.user, model_id=model.pk,
                threshold=form.cleaned_data["threshold"], reason=form.cleaned_data["reason"],
                today=today())
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Threshold set to {change.new:.2f} (was {change.old:.2f}): "
                                      f"{len(change.opened)} leads opened, "
                                      f"{len(change.withdrawn)} withdrawn")
            return redirect("linkage-bands", model.pk)
    found = band_service.bands(request.user, model.pk)
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the score bands of linkage run {model.pk}",
                 listed=sorted({lead.person_id for band in found for lead in band.sample}))
    return render(request, "web/linkage_bands.html", {
        "model": model, "bands": found, "form": form,
        "changes": list(reversed(model.threshold_changes))})
