"""Duplicate identities: the pairs of records that may be one person, and the decision on each.

Who may: ``duplicates.decide`` (supervisors and senior officers), for pairs where they can
open both records (their force's, or a reason given in this session for the other force's
record); anyone else gets "not found". The list offers the reason page for a pair whose
other record is of another force. Every look is in the audit chain, the list with the people
it showed and the pair page as a consultation of each record.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.linkage import duplicates
from whereabouts.linkage.models import DuplicateStatus
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Person
from whereabouts.register.recording import NotPermitted
from whereabouts.register.services import merged_into

from .forms import add_service_error


def _allowed(request: HttpRequest) -> None:
    if not policy.may(request.user, "duplicates.decide"):
        raise Http404


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    status = request.GET.get("status", DuplicateStatus.OPEN)
    if status not in DuplicateStatus.values:
        status = DuplicateStatus.OPEN
    page = Paginator(duplicates.suggestions_for(request.user, request.session, status=status),
                     25).get_page(request.GET.get("page"))
    half = duplicates.half_visible_for(request.user, request.session) \
        if status == DuplicateStatus.OPEN else []
    shown = sorted({p for s in page for p in (s.person_a_id, s.person_b_id)}
                   | {ours.pk for _, ours, _ in half})
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the duplicate identities ({status}, {page.paginator.count}), "
                      f"page {page.number}", listed=shown)
    return render(request, "web/duplicates.html", {
        "page": page, "status": status, "half": half,
        "statuses": [(s.value, s.label) for s in DuplicateStatus]})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these two records the same person?", widget=forms.RadioSelect,
        choices=[("merge", "Yes: merge them"), ("distinct", "No: mark them distinct")],
        error_messages={"required": "Select whether to merge the records or mark them "
                                    "distinct"})
    survivor = forms.TypedChoiceField(
        label="The record to keep (to merge)", required=False, coerce=int,
        widget=forms.RadioSelect, empty_value=None,
        help_text="The other record is merged into it: kept with its whole history, it takes "
                  "no new entry, and it is no longer counted as a registered person from "
                  "today.")
    reason = forms.CharField(label="Why (required to merge)", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, pair: tuple[Person, Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (str(p.pk), f"{p.reference}: {p.full_name}, {p.force.name}") for p in pair]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "merge":
            if not data.get("survivor"):
                self.add_error("survivor", "Select the record to keep")
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "Enter why the two records are the same person")
        return data


def _side(person: Person) -> dict[str, Any]:
    """What the pair page shows of one record."""
    from whereabouts.compliance.selectors import person_compliance

    return {"person": person, "aliases": list(person.aliases.all()),
            "addresses": list(person.addresses.all()[:5]),
            "status": person_compliance(person, today()).status,
            "merged_into": merged_into(person.pk)}


@login_required
def duplicate_pair(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    _allowed(request)
    try:
        suggestion = duplicates.suggestion_for(request.user, request.session, suggestion_id)
    except NotPermitted:
        raise Http404 from None
    pair = (suggestion.person_a, suggestion.person_b)
    form = DecisionForm(request.POST if request.method == "POST" else None, pair=pair)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "distinct":
                duplicates.mark_distinct(suggestion_id=suggestion.pk, actor=request.user,
                                         session=request.session, reason=data["reason"])
                messages.success(request, f"{pair[0].reference} and {pair[1].reference} marked "
                                          f"distinct: they will not be suggested again")
            else:
                result = duplicates.merge(suggestion_id=suggestion.pk,
                                          survivor_id=data["survivor"], reason=data["reason"],
                                          actor=request.user, session=request.session,
                                          today=today())
                messages.success(request, f"{result.merged.reference} merged into "
                                          f"{result.survivor.reference}"
                                          + (f"; {len(result.tasks_closed)} open tasks of "
                                             f"{result.merged.reference} closed"
                                             if result.tasks_closed else ""))
                return redirect("person", result.survivor.pk)
        except NotPermitted:
            raise Http404 from None
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            return redirect("duplicates")
    elif request.method != "POST":
        for person in pair:
            audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                         person_id=person.pk,
                         what=f"read duplicate identity suggestion {suggestion.pk}",
                         reason=policy.reason_given(request.session, person.pk))
    items = suggestion.explanation
    can_decide = (suggestion.status == DuplicateStatus.OPEN
                  and policy.visible_people(request.user).filter(
                      pk__in=[p.pk for p in pair]).exists()
                  and not any(merged_into(p.pk) for p in pair))
    return render(request, "web/duplicate.html", {
        "s": suggestion, "form": form, "sides": [_side(p) for p in pair],
        "agreed": [i for i in items if i["weight"] > 0],
        "disagreed": [i for i in items if i["weight"] < 0],
        "absent": [i for i in items if i["weight"] == 0],
        "can_decide": can_decide})
