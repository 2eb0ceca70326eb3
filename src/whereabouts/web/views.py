"""Plain pages until the caseworker interface lands: a caseload list and a page per person.

Every person read goes through ``access.policy`` and is logged through ``access.audit``; a
person the user may not see gets the same 404 as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.compliance.models import Task, TaskState
from whereabouts.compliance.selectors import person_compliance
from whereabouts.missing.circulation import bulletin
from whereabouts.missing.selectors import missing_board as board_rows
from whereabouts.missing.selectors import person_episodes
from whereabouts.register.models import Person
from whereabouts.register.selectors import live_events


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profile = policy.profile_of(request.user)
    return render(request, "web/home.html", {"profile": profile,
                                             "casework": policy.has_role(request.user,
                                                                         *policy.CASEWORK_ROLES)})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    if not policy.has_role(request.user, *policy.CASEWORK_ROLES):
        raise Http404
    qs = policy.visible_people(request.user).select_related("compliance_status")
    mine = request.GET.get("all") != "1"
    if mine:
        qs = qs.filter(offender_manager=request.user)
    page = Paginator(qs.order_by("family_name", "given_names", "pk"), 50).get_page(
        request.GET.get("page")
    )
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"listed people ({'own caseload' if mine else 'force'}), page {page.number}")
    return render(request, "web/people.html", {"page": page, "mine": mine})


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = policy.visible_people(request.user).select_related(
            "force", "offender_manager").get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404 from None
    as_at = today()
    compliance = person_compliance(person, as_at)
    audit.record(actor=request.user, action=AuditAction.CONSULTATION, person_id=person.pk,
                 what="viewed the person's record")
    context = {
        "person": person,
        "as_at": as_at,
        "status": compliance.status,
        "explanation": compliance.explanation,
        "events": live_events(person),
        "disposals": person.disposals.select_related("event").all(),
        "addresses": person.addresses.all()[:10],
        "aliases": person.aliases.all(),
        "tasks": Task.objects.filter(person=person, state=TaskState.OPEN),
        "episodes": person_episodes(person),
    }
    return render(request, "web/person.html", context)


@login_required
def missing_board(request: HttpRequest) -> HttpResponse:
    if not policy.has_role(request.user, *policy.CASEWORK_ROLES):
        raise Http404
    as_at = today()
    abroad_only = request.GET.get("abroad") == "1"
    rows = board_rows(request.user, as_at, abroad_only=abroad_only)
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the missing board ({len(rows)} open episodes)")
    return render(request, "web/missing_board.html",
                  {"rows": rows, "as_at": as_at, "abroad_only": abroad_only})


def _bulletin_for(request: HttpRequest, person_id: int, action: str,
                  what: str) -> dict[str, Any]:
    """The bulletin, if the user may see the person and there is one; logged either way."""
    if not policy.has_role(request.user, *policy.CASEWORK_ROLES):
        raise Http404
    person = policy.visible_people(request.user).select_related(
        "force", "offender_manager").filter(pk=person_id).first()
    if person is None:
        raise Http404
    content = bulletin(person, today())
    if content is None:
        raise Http404
    audit.record(actor=request.user, action=action, person_id=person.pk, what=what)
    return content


@login_required
def circulation_page(request: HttpRequest, person_id: int) -> HttpResponse:
    content = _bulletin_for(request, person_id, AuditAction.CONSULTATION,
                            "viewed the circulation bulletin")
    return render(request, "web/circulation.html", {"b": content})


@login_required
def circulation_json(request: HttpRequest, person_id: int) -> HttpResponse:
    content = _bulletin_for(request, person_id, AuditAction.DISCLOSURE,
                            "exported the circulation bulletin (JSON)")
    return JsonResponse(content, json_dumps_params={"indent": 2})
