"""The force's visit policy: a senior officer chooses the preset and the force's own defaults."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Person
from whereabouts.register.recording import NotPermitted
from whereabouts.visits import services
from whereabouts.visits.models import ForceVisitPolicy
from whereabouts.visits.policy import PRESETS, RISK_LEVELS
from whereabouts.visits.selectors import LEVEL_FIELDS, force_policy
from whereabouts.visits.sweep import run_visit_sweep


def _months(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=1, max_value=36,
        help_text="Months. Leave empty to use the preset's.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}))


class VisitPolicyForm(forms.Form):
    preset = forms.ChoiceField(
        label="Visit policy", widget=forms.RadioSelect,
        choices=[(p.key, p.title) for p in PRESETS.values()],
        error_messages={"required": "Select the visit policy"})
    very_high_months = _months("Very high risk: visit every")
    high_months = _months("High risk: visit every")
    medium_months = _months("Medium risk: visit every")
    low_months = _months("Low risk: visit every")


@login_required
def visit_policy(request: HttpRequest) -> HttpResponse:
    """The visit policy of the user's force; a senior officer may change it."""
    profile = policy.profile_of(request.user)
    if not policy.may(request.user, "visits.policy") or profile is None or not profile.force_id:
        raise Http404
    force = profile.force_id
    row = ForceVisitPolicy.objects.filter(force_id=force).first()
    if request.method == "POST":
        form = VisitPolicyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_force_policy(
                    force=force, preset=data["preset"], actor=request.user,
                    months={level: data[name] for level, name in LEVEL_FIELDS.items()})
            except NotPermitted:
                raise Http404 from None
            except InvalidInput as exc:
                name = LEVEL_FIELDS.get(exc.field, exc.field)
                form.add_error(name if name in form.fields else None, exc.message)
            else:
                people = list(Person.objects.filter(force_id=force).values_list("pk", flat=True))
                result = run_visit_sweep(today(), people)
                messages.success(request, f"Visit policy saved; {result.overdue:,} visits are "
                                          "now overdue in the force")
                return redirect("visit-policy")
    else:
        initial: dict[str, Any] = {"preset": force_policy(force).preset.key}
        if row is not None:
            initial.update({name: getattr(row, name) for name in LEVEL_FIELDS.values()})
        form = VisitPolicyForm(initial=initial)
        audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                     what=f"viewed the visit policy of {force}")
    current = force_policy(force)
    return render(request, "web/visit_policy.html", {
        "form": form, "current": current, "row": row, "presets": list(PRESETS.values()),
        "levels": [(level.replace("_", " ").capitalize(), current.default_for(level))
                   for level in reversed(RISK_LEVELS)]})
