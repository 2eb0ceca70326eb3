"""Leads from partner data matching, through the API: the same list, lead and decision as the
pages (``web.linkage_views``), through the same selectors and service.

``GET /leads?status=`` lists the user's leads as the Leads page does (those routed to them
first, missing people first, then the most probable), 25 a page; ``GET /leads/{id}`` reads one
with its explanation; ``POST /leads/{id}/decision`` accepts or rejects it (``{"decision":
"accept" | "reject", "reason": …}``; a reason is required to reject). Who may: casework of the
person's force (``leads.work``); a lead on anyone else is "not found", like no lead. Every
call is in the audit chain, the list with the people it showed.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router

from whereabouts.access import audit
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.linkage import leads as lead_service
from whereabouts.linkage.models import Lead
from whereabouts.register.errors import InvalidInput
from whereabouts.register.recording import NotPermitted

from . import schemas as s
from .problems import Problem, not_found
from .views import ERRORS, ID, PER_PAGE, PERSON_ERRORS, WRITE_ERRORS, _user

router = Router(tags=["leads"])


def _out(lead: Lead, *, full: bool) -> dict[str, Any]:
    record = lead.record
    out = {
        "id": lead.pk, "person_id": lead.person_id, "person_reference": lead.person.reference,
        "kind": lead.kind, "status": lead.status,
        "match_probability": lead.match_probability, "match_weight": lead.match_weight,
        "matched_name": lead.matched_name, "agency": record.extract.agency,
        "extract_id": record.extract_id, "partner_name": f"{record.given_names} "
                                                         f"{record.family_name}",
        "partner_address": record.address, "partner_date_from": record.date_from,
        "routed_to": lead.routed_to.get_username() if lead.routed_to else None,
        "created_at": lead.created_at,
        "decided_by": lead.decided_by.get_username() if lead.decided_by else None,
        "decided_at": lead.decided_at, "decision_reason": lead.decision_reason,
        "outcome": lead.outcome,
    }
    if full:
        out["explanation"] = [{"field": i["field"], "level": i["level"],
                               "weight": i["weight"], "text": i["text"]}
                              for i in lead.explanation]
    return out


@router.get("/leads", response={200: s.LeadPage, **ERRORS}, url_name="leads",
            summary="My leads from partner data matching")
def list_leads(request: HttpRequest, params: Query[s.LeadParams]) -> Any:
    """The Leads page's list: leads on people of the user's force with the status asked for
    (default open), those routed to the user first, then missing people, then the most
    probable. Logged with the people listed."""
    user = _user(request, "leads:work")
    page = Paginator(lead_service.leads_for(user, status=params.status), PER_PAGE)
    if params.page > max(page.num_pages, 1):
        raise Problem(422, "The request could not be accepted: see errors.",
                      [("page", f"must be at most {max(page.num_pages, 1)}")])
    chosen = page.page(params.page)
    audit.record(actor=user, action=AuditAction.CONSULTATION,
                 what=f"viewed the partner data leads ({params.status}, {page.count}), "
                      f"page {params.page} (API)",
                 listed=sorted({lead.person_id for lead in chosen}))
    return {"total": page.count, "page": params.page, "per_page": PER_PAGE,
            "results": [_out(lead, full=False) for lead in chosen]}


def _lead(user: Any, lead_id: int) -> Lead:
    try:
        return lead_service.lead_for(user, lead_id)
    except NotPermitted:
        raise not_found() from None


@router.get("/leads/{lead_id}", response={200: s.LeadOut, **PERSON_ERRORS}, url_name="lead",
            summary="One lead, with what agreed and what did not")
def read_lead(request: HttpRequest, lead_id: int = ID) -> Any:
    user = _user(request, "leads:work")
    lead = _lead(user, lead_id)
    audit.record(actor=user, action=AuditAction.CONSULTATION, person_id=lead.person_id,
                 what=f"read partner data lead {lead.pk} ({lead.record.extract.agency}) (API)")
    return _out(lead, full=True)


@router.post("/leads/{lead_id}/decision", response={200: s.LeadOut, **WRITE_ERRORS},
             url_name="lead-decide", summary="Accept or reject a lead")
def decide_lead(request: HttpRequest, decision: s.LeadDecisionIn, lead_id: int = ID) -> Any:
    """As on the lead's page: accepting a lead on a missing person logs it on the episode
    with a follow-up; accepting an undeclared address opens a whereabouts check; rejecting
    needs a reason. For people of the user's own force; a decided lead is not decided again
    (422 naming ``lead``)."""
    user = _user(request, "leads:work")
    lead = _lead(user, lead_id)
    try:
        decided = lead_service.decide(lead_id=lead.pk, accept=decision.decision == "accept",
                                      reason=decision.reason, actor=user, today=today())
    except NotPermitted:
        raise not_found() from None
    except InvalidInput as exc:
        raise Problem(422, "The request could not be accepted: see errors.",
                      [(exc.field, exc.message)]) from None
    return _out(lead_service.lead_for(user, decided.pk), full=True)
