"""MoPI review: the queue of records due for review, and one record's review and decision.

For the roles that hold ``retention.review`` (supervisors and senior officers for their force;
data protection officers for theirs, or every force if national); everyone else, and a person
outside the reviewer's scope, gets "not found". The queue is logged with the people it showed;
opening a record for review is logged as a consultation, and the decision by the service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.register.errors import InvalidInput
from whereabouts.retention import selectors, services
from whereabouts.retention.models import NRAC, Outcome
from whereabouts.rules import retention as rule

from .forms import DateField

PER_PAGE = 50
UPCOMING_DAYS = 90


def _reviewer(request: HttpRequest) -> None:
    if not policy.may(request.user, "retention.review"):
        raise Http404


def review_queue(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    as_at = today()
    page = Paginator(selectors.due(request.user, as_at), PER_PAGE).get_page(
        request.GET.get("page"))
    people = list(page.object_list)
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the MoPI review queue, page {page.number}",
                 listed=[p.pk for p in people])
    latest = selectors.latest_decisions(p.pk for p in people)
    return render(request, "web/review_queue.html", {
        "page": page, "as_at": as_at, "rows": [(p, latest.get(p.pk)) for p in people],
        "upcoming": selectors.due_within(request.user, as_at, UPCOMING_DAYS),
        "upcoming_days": UPCOMING_DAYS})


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect, choices=Outcome.choices,
        error_messages={"required": "Select retain or dispose"})
    criteria = forms.MultipleChoiceField(
        label="National Retention Assessment Criteria met", required=False,
        widget=forms.CheckboxSelectMultiple, choices=list(NRAC.items()),
        help_text="Select each question the answer to which is yes")
    reason = forms.CharField(
        label="Reason for the decision", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the record is still needed for a policing purpose, or why it is not. "
                  "Kept in the audit log with your name.",
        error_messages={"required": "Enter the reason for the decision"})
    next_review = DateField(label="Next review", required=False,
                            help_text="For a decision to retain. Leave empty for the latest "
                                      "allowed: 10 years on, or the 100th birthday if sooner")


@never_cache
def review_person(request: HttpRequest, person_id: int) -> HttpResponse:
    _reviewer(request)
    person = selectors.reviewable(request.user, person_id)
    if person is None:
        raise Http404
    as_at = today()
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(person_id=person.pk, actor=request.user,  # type: ignore[arg-type]
                            today=as_at, outcome=data["outcome"], reason=data["reason"],
                            criteria=data["criteria"], next_review=data["next_review"])
        except services.NotPermitted:
            raise Http404 from None
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Decision on {person.reference} recorded.")
            return redirect("review-queue")
    audit.record(actor=request.user, action=AuditAction.CONSULTATION, person_id=person.pk,
                 what="opened the record for MoPI review", reason="MoPI review")
    context: dict[str, Any] = {
        "person": person, "form": form, "as_at": as_at, "history": selectors.history(person),
        "registered_on": selectors.registered_on(person),
        "limit": rule.review_limit(person.date_of_birth, as_at),
        "hundredth": rule.birthday(person.date_of_birth, rule.KEEP_UNTIL_AGE),
        "may_dispose": rule.may_dispose(person.date_of_birth, as_at),
    }
    return render(request, "web/review_person.html", context)
