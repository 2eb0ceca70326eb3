"""Working across forces: transfers into and out of a force, and the inbox of circulations
of missing people from every other force, with acknowledgement and sightings.

Who may: casework in a force sees its transfers and its inbox (``transfers.view``);
supervisors and senior officers accept a transfer in and cancel one out
(``transfers.manage``). Anything else is "not found".
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.linkage import leads as linkage_leads
from whereabouts.missing import inbox as inbox_service
from whereabouts.register import transfers
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Transfer
from whereabouts.register.recording import NotPermitted

from .forms import DateField, add_service_error


def _force(request: HttpRequest) -> str:
    profile = policy.profile_of(request.user)
    if profile is None or profile.force_id is None or not policy.may(request.user,
                                                                    "transfers.view"):
        raise Http404
    return str(profile.force_id)


@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    force = _force(request)
    as_at = today()
    lists = transfers.force_transfers(force, as_at)
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the transfers ({len(lists['incoming'])} in, "
                      f"{len(lists['outgoing'])} out waiting)",
                 listed=sorted({t.person_id for rows in lists.values() for t in rows}))
    return render(request, "web/transfers.html", {
        **lists, "as_at": as_at, "manage": policy.may(request.user, "transfers.manage")})


class AcceptForm(forms.Form):
    offender_manager = forms.ChoiceField(label="Offender manager in your force")
    note = forms.CharField(label="Notes", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, force: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["offender_manager"].choices = [("", "Choose an officer")] + [
            (u.get_username(), u.get_full_name() or u.get_username())
            for u in policy.caseworkers(force)]
        self.fields["offender_manager"].error_messages["required"] = "Select an officer"


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why the transfer is cancelled", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter why the transfer is cancelled"})


def _pending(request: HttpRequest, transfer_id: int, side: str) -> Transfer:
    _force(request)
    transfer = transfers.pending_transfer_for(request.user, transfer_id, side)
    if transfer is None:
        raise Http404
    return transfer


def _transfer_form(request: HttpRequest, transfer_id: int, side: str) -> HttpResponse:
    transfer = _pending(request, transfer_id, side)
    as_at = today()
    form: forms.Form
    data = request.POST if request.method == "POST" else None
    if side == "to":
        form = AcceptForm(data, force=transfer.to_force_id)
    else:
        form = CancelForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            if side == "to":
                transfers.accept_transfer(transfer_id=transfer.pk, actor=request.user,
                                          today=as_at, **form.cleaned_data)
            else:
                transfers.cancel_transfer(transfer_id=transfer.pk, actor=request.user,
                                          today=as_at, **form.cleaned_data)
        except NotPermitted:
            raise Http404 from None
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Transfer accepted: {transfer.person.reference} is now "
                                      f"managed by {transfer.to_force.name}" if side == "to"
                             else "Transfer cancelled")
            return redirect("transfers")
    elif request.method != "POST":
        audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                     person_id=transfer.person_id,
                     what=f"opened the {'acceptance' if side == 'to' else 'cancellation'} "
                          f"of transfer {transfer.pk}")
    address = transfer.notification.addresses.first() if transfer.notification_id else None
    return render(request, "web/transfer_form.html", {
        "transfer": transfer, "form": form, "accepting": side == "to", "address": address,
        "as_at": as_at})


@login_required
def transfer_accept(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _transfer_form(request, transfer_id, "to")


@login_required
def transfer_cancel(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _transfer_form(request, transfer_id, "from")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _force(request)
    as_at = today()
    waiting = request.GET.get("show") != "all"
    items = inbox_service.inbox(request.user, as_at, unacknowledged_only=waiting)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    inbox_service.fill(list(page.object_list), as_at)
    leads = inbox_service.leads_for_owner(request.user, as_at)
    partner_leads = linkage_leads.routed_missing_leads(request.user)
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the inbox of circulations from other forces "
                      f"({len(items)} {'waiting' if waiting else 'active'}), page {page.number}",
                 listed=sorted({c.person_id for c in page} | {lead.person.pk for lead in leads}
                               | {lead.person_id for lead in partner_leads}))
    return render(request, "web/inbox.html", {"page": page, "waiting": waiting,
                                              "leads": leads, "partner_leads": partner_leads,
                                              "as_at": as_at})


class SightingForm(forms.Form):
    seen_on = DateField(label="Date seen or heard of")
    action = forms.ChoiceField(label="What it is", widget=forms.RadioSelect, choices=[
        ("sighting", "A sighting"), ("lead", "A lead (information about where they may be)")],
        error_messages={"required": "Select what it is"})
    where = forms.CharField(label="Where", max_length=300,
                            error_messages={"required": "Enter where"})
    note = forms.CharField(label="What was seen or learnt, and by whom", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "Enter what was seen or learnt"})


def _item(request: HttpRequest, event_id: int) -> inbox_service.Circulation:
    try:
        return inbox_service.circulation_for(request.user, event_id, today())
    except NotPermitted:
        raise Http404 from None


@login_required
def inbox_item(request: HttpRequest, event_id: int) -> HttpResponse:
    _force(request)
    item = _item(request, event_id)
    as_at = today()
    form = SightingForm(request.POST if request.method == "POST" else None,
                        initial={"seen_on": as_at})
    if request.method == "POST" and form.is_valid():
        try:
            inbox_service.report_sighting(circulation_id=item.event_id, actor=request.user,
                                          today=as_at, **form.cleaned_data)
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Sent to the officer who owns the case")
            return redirect("inbox")
    elif request.method != "POST":
        audit.record(actor=request.user, action=AuditAction.DISCLOSURE,
                     person_id=item.person_id,
                     what=f"read circulation {item.reference} from another force")
    return render(request, "web/inbox_item.html", {"item": item, "form": form,
                                                   "as_at": as_at})


@login_required
@require_POST
def inbox_acknowledge(request: HttpRequest, event_id: int) -> HttpResponse:
    _force(request)
    try:
        inbox_service.acknowledge(circulation_id=event_id, actor=request.user, today=today())
    except NotPermitted:
        raise Http404 from None
    except InvalidInput as exc:
        messages.info(request, f"Nothing to do: the circulation {exc.message}")
    else:
        messages.success(request, "Acknowledged for your force")
    return redirect("inbox")
