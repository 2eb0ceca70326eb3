"""MAPPA: each user's own actions (officers and partner agencies), the meetings a partner
user attended, and marking an action done. Partner users see only the meetings they were
named at and the actions they own: nothing else of the person."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.register.errors import InvalidInput
from whereabouts.register.recording import NotPermitted
from whereabouts.risk import selectors, services

from .forms import DateField


class DoneForm(forms.Form):
    done_on = DateField(label="Date done")


@login_required
def my_mappa(request: HttpRequest) -> HttpResponse:
    """The user's open MAPPA actions (overdue flagged, by due date); for partner users also
    the meetings they attended; for officers the ARMS assessments overdue on their caseload."""
    if not policy.may(request.user, "mappa.actions"):
        raise Http404
    as_at = today()
    partner = policy.may(request.user, "mappa.attended")
    actions = (selectors.owned_actions(request.user) if partner
               else selectors.open_actions(request.user))
    meetings = selectors.attended_meetings(request.user) if partner else []
    arms = [] if partner else selectors.arms_tasks(request.user)
    listed = sorted({a.person_id for a in actions} | {m.person_id for m in meetings}
                    | {t.person_id for t in arms})
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed their MAPPA actions ({len(actions)}) and meetings "
                      f"({len(meetings)})", listed=listed)
    return render(request, "web/mappa_mine.html", {
        "as_at": as_at, "partner": partner, "meetings": meetings, "arms": arms,
        "actions": [(a, a.overdue(as_at)) for a in actions],
        "overdue": sum(a.overdue(as_at) for a in actions)})


@login_required
@require_POST
def action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    """Mark an action done: its owner, or an officer recording for the person's force."""
    if not policy.may(request.user, "mappa.actions"):
        raise Http404
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the date the action was done")
        return redirect("mappa-mine")
    try:
        services.complete_action(action_id=action_id, done_on=form.cleaned_data["done_on"],
                                 actor=request.user, today=today())
    except NotPermitted:
        raise Http404 from None
    except InvalidInput as exc:
        messages.error(request, f"Not saved: {exc.field.replace('_', ' ')} {exc.message}")
    else:
        messages.success(request, "Action marked done")
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith(
        "/people/") else "mappa-mine")
