"""The search page: a GOV.UK form, then the people found, best first, with why each matched.

The search itself is ``register.search`` (candidates only from ``access.policy``); this module
checks the input, logs the search in the audit chain and renders. Only casework and national
roles may search; anyone else gets the same 404 as a page that does not exist. A person found
whom the user may not yet open links to the reason form rather than to their page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.register.models import Event, EventKind
from whereabouts.register.search import MAX_RESULTS, SearchQuery, search_people
from whereabouts.register.search_keys import compact, name_words

from .forms import DateField

PER_PAGE = 25


class SearchForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, required=False,
                           help_text="Family name, given names or both, or an alias. "
                                     "Spelling need not be exact.")
    date_of_birth = DateField(label="Date of birth", required=False)
    identifier = forms.CharField(label="PNC ID, CRO, National Insurance or passport number",
                                 max_length=30, required=False,
                                 help_text="For example, 2001/0123456X")
    postcode = forms.CharField(label="Postcode", max_length=10, required=False,
                               help_text="Of any address, current or past. A district such as "
                                         "B12 finds every address in it.")

    every_force = forms.BooleanField(
        label="Search every force", required=False,
        help_text="Opening a person of another force asks why you need to.")

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        words = [token for _, token in name_words(name)]
        if name and not words:
            raise forms.ValidationError("must contain letters")
        if words and max(len(w) for w in words) < 2:
            raise forms.ValidationError("must have a word of at least 2 letters; initials "
                                        "alone would match too many people")
        return name

    def clean_identifier(self) -> str:
        identifier: str = self.cleaned_data["identifier"].strip()
        if identifier and len(compact(identifier)) < 4:
            raise forms.ValidationError("must be at least 4 characters long")
        return identifier

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not any(data.get(name) for name in self.fields
                                       if name != "every_force"):
            raise forms.ValidationError(
                "Enter a name, date of birth, identifier or postcode to search for")
        return data

    def query(self) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(name=data["name"], date_of_birth=data["date_of_birth"],
                           identifier=data["identifier"], postcode=data["postcode"],
                           every_force=bool(data.get("every_force")))


def merged_records(person_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Of the people shown, those merged into another record: id -> the merge's details
    (``survivor``, ``survivor_reference``), so that the result points to the survivor."""
    return dict(Event.objects.filter(person_id__in=person_ids, kind=EventKind.MERGED_INTO)
                .values_list("person_id", "details"))


@login_required
def search(request: HttpRequest) -> HttpResponse:
    if not (policy.may(request.user, "people.search")
            or policy.may(request.user, "people.search_all_forces")):
        raise Http404
    form = SearchForm(request.GET or None)
    if policy.may(request.user, "people.search_all_forces") or not policy.may(
            request.user, "person.open_with_reason"):
        del form.fields["every_force"]  # they search every force already, or cannot
    context: dict[str, Any] = {"form": form, "max_results": MAX_RESULTS}
    if form.is_bound and form.is_valid():
        query = form.query()
        result = search_people(request.user, query)
        page = Paginator(result.hits, PER_PAGE).get_page(request.GET.get("page"))
        shown = [hit.person.pk for hit in page]
        audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                     what=f"searched for {query.describe()}: {result.total} "
                          f"result{'s' if result.total != 1 else ''}, page {page.number}",
                     listed=shown)
        merged = merged_records(shown)
        survivors = {m["survivor"] for m in merged.values()}
        found = set(policy.openable_people(request.user, request.session)
                    .filter(pk__in=[*shown, *survivors]).values_list("pk", flat=True))
        # A merged record opens for whoever may open its survivor (policy.person_for).
        openable = ({pid for pid in shown if pid in found}
                    | {pid for pid, m in merged.items() if m["survivor"] in found})
        context.update(result=result, page=page, openable=openable, merged=merged)
    return render(request, "web/search.html", context)
