"""Plain pages until the caseworker interface lands: a caseload list and a page per person.

Every page about one person reads it through ``_person`` (``access.policy.person_for``) and logs
the look through ``_log``, with the reason given for it if the person is outside the user's
force or caseload; a person the user may not see gets the same 404 as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction, Role
from whereabouts.clock import today
from whereabouts.compliance.models import Task, TaskState
from whereabouts.compliance.selectors import person_compliance
from whereabouts.missing.circulation import bulletin
from whereabouts.missing.episodes import open_episode
from whereabouts.missing.selectors import (
    BOARD_SORTS,
    RISK_ORDER,
    BoardFilter,
    person_breaches,
    person_checks,
    person_episodes,
    time_to_notice_and_locate,
)
from whereabouts.missing.selectors import missing_board as board_rows
from whereabouts.missing.services import NotPermitted, open_check
from whereabouts.register import recording, transfers
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event, EventKind, Force, Person, Transfer, TransferState
from whereabouts.register.selectors import live_events, travel_notices
from whereabouts.register.services import merged_into, merges_into
from whereabouts.risk.models import MappaAction
from whereabouts.risk.selectors import person_arms, person_meetings, person_orders
from whereabouts.visits.selectors import overdue_by_officer, person_decisions, person_next_visit

from . import caseload
from .actions import (
    CORRECTIONS,
    STEPS,
    date_fields,
    initial_from,
    service_kwargs,
    steps_available,
)
from .forms import DateField, add_service_error


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profile = policy.profile_of(request.user)
    manage = policy.may(request.user, "transfers.manage") and profile is not None
    return render(request, "web/home.html", {
        "overdue_transfers": transfers.overdue_count(profile.force_id, today())
        if manage and profile and profile.force_id else 0,
        "profile": profile, "casework": policy.may(request.user, "people.caseload"),
        "search": policy.may(request.user, "people.search_all_forces"),
        "shared": policy.may(request.user, "shared.open"),
        "figures": policy.may(request.user, "figures.view"),
        "reviews": policy.may(request.user, "retention.review"),
        "mappa_overdue": MappaAction.objects.filter(
            owner_id=request.user.pk, done_on__isnull=True, due_on__lt=today()).count()
        if policy.may(request.user, "mappa.actions") else 0})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """My caseload (an offender manager's own people), a colleague's, or the whole force's;
    for supervisors, the team: each officer's load with what is overdue or open."""
    if not policy.may(request.user, "people.caseload"):
        raise Http404
    as_at = today()
    # A record merged into another (a duplicate identity) is no longer a case of its own.
    visible = policy.visible_people(request.user).exclude(
        pk__in=Event.objects.filter(kind=EventKind.MERGED_INTO).values("person_id"))
    supervising = policy.has_role(request.user, Role.SUPERVISOR, Role.SENIOR_OFFICER)
    officer = request.GET.get("officer", "")[:150]
    everyone = request.GET.get("all") == "1"
    if supervising and not officer and not everyone:
        load = caseload.team(visible, as_at)
        audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                     what="viewed the team's caseloads (counts per officer)")
        return render(request, "web/team.html", {
            "team": load, "as_at": as_at, "limit": settings.WHEREABOUTS_CASELOAD_LIMIT,
            "overloaded": [r for r in load if r.overloaded]})
    if everyone:
        scope, title = visible, "Everyone the force manages"
    elif officer:
        scope = visible.filter(offender_manager__username=officer)
        title = f"Caseload of {officer}"
    else:
        scope, title = visible.filter(offender_manager=request.user), "My caseload"
    show = request.GET.get("show", "") if request.GET.get("show") in caseload.SHOW else ""
    all_rows = caseload.rows(scope.order_by("family_name", "given_names", "pk"), as_at)
    page = Paginator(caseload.chosen(all_rows, show), 50).get_page(request.GET.get("page"))
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"listed people ({title.lower()}; {caseload.SHOW[show].lower()}), "
                      f"page {page.number}", listed=[r.person.pk for r in page])
    keep = {k: v for k, v in (("all", "1" if everyone else ""), ("officer", officer)) if v}
    return render(request, "web/people.html", {
        "page": page, "title": title, "show": show, "as_at": as_at, "keep": urlencode(keep),
        "tabs": [(key, label, n) for (key, label), n in zip(
            caseload.SHOW.items(), caseload.counts(all_rows).values(), strict=True)],
        "supervising": supervising})


def _person(request: HttpRequest, person_id: int) -> Person:
    """The person, if the user may open them in this session; else 404, the same as none."""
    person = policy.person_for(request.user, person_id, request.session)
    if person is None:
        raise Http404
    return person


def _log(request: HttpRequest, person: Person, what: str,
         action: str = AuditAction.CONSULTATION) -> None:
    audit.record(actor=request.user, action=action, person_id=person.pk, what=what,
                 reason=policy.reason_given(request.session, person.pk))


#: Only people subject to the requirements are visited (as in the visits sweep).
VISITED = ("compliant", "overdue", "away")


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    recording_allowed = policy.can_record_events(request.user, person)
    as_at = today()
    compliance = person_compliance(person, as_at)
    episodes = person_episodes(person)
    check = open_check(person_checks(person))
    breaches = person_breaches(person)
    ledger = live_events(person)
    orders = person_orders(ledger)
    steps = steps_available(request.user, open_check=check is not None,
                            open_episode=open_episode(episodes) is not None,
                            any_episode=bool(episodes), any_breach=bool(breaches),
                            any_order=bool(orders)) if recording_allowed else []
    _log(request, person, "viewed the person's record")
    decisions = person_decisions(person, ledger)
    next_visit = (person_next_visit(person, as_at, ledger) if compliance.status.compliance
                  in VISITED else None)
    context = {
        "person": person,
        "as_at": as_at,
        "status": compliance.status,
        "explanation": compliance.explanation,
        "events": list(reversed(ledger))[:8],
        "next_visit": next_visit,
        "visit_overdue_days": next_visit.days_overdue(as_at) if next_visit else 0,
        "risk": decisions["risk"], "mappa": decisions["mappa"], "plan": decisions["plan"],
        "travel": travel_notices(ledger)[:10],
        "meetings": list(person_meetings(person.pk)[:10]),
        "orders": [(o, o.active_on(as_at)) for o in orders],
        "arms": person_arms(ledger),
        "period": compliance.status,
        "disposals": person.disposals.select_related("event").all(),
        "addresses": person.addresses.all()[:10],
        "aliases": person.aliases.all(),
        "tasks": Task.objects.filter(person=person, state=TaskState.OPEN),
        "episodes": episodes,
        "open_check": check,
        "steps": [s for s in steps if s.group == "missing"],
        "record_steps": [s for s in steps if s.group == "record"],
        "breaches": breaches,
        "latest_risk": episodes[-1].risk.replace("_", " ") if episodes else "",
        "may_share": recording_allowed and policy.may(request.user, "share.create"),
        "transfer": Transfer.objects.select_related("from_force", "to_force").filter(
            person=person, state=TransferState.PENDING).first(),
        "merged_into": merged_into(person.pk),
        "merged_from": merges_into(person.pk),
    }
    return render(request, "web/person.html", context)


@login_required
def missing_board(request: HttpRequest) -> HttpResponse:
    if not policy.may(request.user, "missing.board"):
        raise Http404
    as_at = today()
    query = request.GET
    chosen = BoardFilter(abroad=query.get("abroad") == "1",
                         risk=query.get("risk", "") if query.get("risk") in RISK_ORDER else "",
                         owner=query.get("owner", "")[:150], flagged=query.get("flagged") == "1",
                         sort=query.get("sort", "days") if query.get("sort") in BOARD_SORTS
                         else "days")
    every = board_rows(request.user, as_at)
    rows = chosen.apply(every)
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the missing board ({len(rows)} of {len(every)} open episodes)",
                 listed=[r.person.pk for r in rows])
    return render(request, "web/missing_board.html", {
        "rows": rows, "total": len(every), "as_at": as_at, "chosen": chosen,
        "sorts": [(key, label) for key, (label, _) in BOARD_SORTS.items()],
        "risks": [(key, key.replace("_", " ")) for key in RISK_ORDER],
        "owners": sorted({r.owner for r in every if r.owner}),
        "flagged_count": sum(1 for r in every if r.review_overdue or r.gone_quiet),
    })


@login_required
def person_step(request: HttpRequest, person_id: int, step: str) -> HttpResponse:
    """One step of the missing path for one person: a form, then the service."""
    spec = STEPS.get(step)
    if spec is None or not policy.has_role(request.user, *spec.roles):
        raise Http404
    person = _person(request, person_id)
    if not policy.can_record_events(request.user, person):
        raise Http404
    as_at = today()
    if request.method == "POST":
        form = spec.form(request.POST, person=person)
        if form.is_valid():
            try:
                spec.service(person_id=person.pk, actor=request.user, today=as_at,
                             **service_kwargs(form))
            except NotPermitted:
                raise Http404 from None
            except InvalidInput as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, spec.done)
                return redirect("person", person.pk)
    else:
        initial: dict[str, Any] = {name: as_at for name in
                                   date_fields(spec.form(person=person))}
        initial.update(spec.initial(person) if spec.initial else {})
        form = spec.form(person=person, initial=initial)
        _log(request, person, f"opened the form: {spec.title.lower()}")
    return render(request, "web/person_step.html",
                  {"person": person, "step": spec, "form": form, "as_at": as_at})


@login_required
def overdue_visits(request: HttpRequest) -> HttpResponse:
    """The force's overdue home visits by officer: the backlog inspectors look for."""
    if not policy.may(request.user, "visits.backlog"):
        raise Http404
    as_at = today()
    backlog = overdue_by_officer(policy.visible_people(request.user), as_at)
    total = sum(len(b.visits) for b in backlog)
    audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                 what=f"viewed the overdue home visits by officer ({total} overdue)",
                 listed=[v.person.pk for b in backlog for v in b.visits])
    return render(request, "web/overdue_visits.html", {
        "backlog": backlog, "total": total, "as_at": as_at,
        "may_set_policy": policy.may(request.user, "visits.policy")})


def _bulletin_for(request: HttpRequest, person_id: int, action: str,
                  what: str) -> dict[str, Any]:
    """The bulletin, if the user may see the person and there is one; logged if shown."""
    person = _person(request, person_id)
    content = bulletin(person, today())
    if content is None:
        raise Http404
    _log(request, person, what, action)
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


class PeriodForm(forms.Form):
    start = DateField(label="From")
    end = DateField(label="To")
    by = forms.ChoiceField(choices=[("force", "Force"), ("region", "Region")], label="Group by",
                           widget=forms.RadioSelect)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "must not be before the start")
        return data


@login_required
def missing_times(request: HttpRequest) -> HttpResponse:
    """Time to notice and time to locate as distributions, per force or region. No names."""
    if not policy.may(request.user, "figures.view"):
        raise Http404
    as_at = today()
    defaults = {"start": as_at - dt.timedelta(days=365), "end": as_at, "by": "force"}
    form = PeriodForm(request.GET or None, initial=defaults)
    chosen = form.cleaned_data if request.GET and form.is_valid() else defaults
    table: dict[str, Any] = {}
    if not request.GET or form.is_valid():
        table = time_to_notice_and_locate(chosen["start"], chosen["end"], by=chosen["by"])
        audit.record(actor=request.user, action=AuditAction.CONSULTATION,
                     what=f"viewed time to notice and locate, {chosen['start']} to "
                          f"{chosen['end']}, by {chosen['by']}")
    profile = policy.profile_of(request.user)
    own = profile.force_id if profile and profile.force_id else ""
    if chosen["by"] == "region" and profile and profile.force:
        own = profile.force.region
    focus = request.GET.get("show") or own
    if focus not in table:
        focus = next((k for k, (n, located) in table.items() if n.count or located.count), "")
    names = dict(Force.objects.values_list("slug", "name"))
    rows = [(key, names.get(key, key), notice, locate) for key, (notice, locate) in table.items()
            if notice.count or locate.count]
    return render(request, "web/missing_times.html", {
        "form": form, "chosen": chosen, "rows": rows, "focus": focus,
        "focus_name": names.get(focus, focus),
        "focus_pair": table.get(focus), "as_at": as_at,
        "focus_charts": list(zip(("Time to notice", "Time to locate"), table[focus],
                                 strict=True)) if focus in table else []})


#: The timeline's filters: key -> (label, test on an entry's kind).
TIMELINE_GROUPS: dict[str, tuple[str, Any]] = {
    "": ("Everything", lambda kind: True),
    "notifications": ("Notifications", lambda kind: kind.startswith("notification.")),
    "movements": ("Custody, hospital and travel abroad",
                  lambda kind: kind.split(".")[0] in ("custody", "hospital", "abroad")),
    "visits": ("Visits", lambda kind: kind == EventKind.VISIT),
    "risk": ("Risk, ARMS, MAPPA and visit plans", lambda kind: kind in (
        EventKind.RISK_LEVEL, EventKind.MAPPA, EventKind.VISIT_PLAN, EventKind.MAPPA_MEETING,
        EventKind.ARMS_ASSESSMENT)),
    "orders": ("Orders (SHPO, SRO)", lambda kind: kind.startswith("order.")),
    "missing": ("Checks, missing and circulations",
                lambda kind: kind.split(".")[0] in ("check", "missing", "circulation")),
    "breaches": ("Breaches", lambda kind: kind.startswith("breach.")),
    "other": ("Disposals, assignments and other", lambda kind: kind.split(".")[0] in (
        "registered", "disposal", "assignment", "identity", "death", "review")),
    "corrections": ("Corrections and withdrawals", None),
}


@login_required
def timeline(request: HttpRequest, person_id: int) -> HttpResponse:
    """The whole ledger, newest first, filterable by kind; corrected entries stay visible."""
    person = _person(request, person_id)
    group = request.GET.get("kind", "") if request.GET.get("kind") in TIMELINE_GROUPS else ""
    entries = list(person.events.select_related("recorded_by", "supersedes")
                   .prefetch_related("addresses", "aliases").order_by("-effective_date", "-id"))
    replaced = {e.supersedes_id: e for e in entries if e.supersedes_id}
    test = TIMELINE_GROUPS[group][1]
    if group == "corrections":
        chosen = [e for e in entries if e.supersedes_id or e.pk in replaced]
    else:
        chosen = [e for e in entries if e.kind != EventKind.VOID and test(e.kind)]
    for entry in chosen:
        entry.replaced_kind = replaced[entry.pk].kind if entry.pk in replaced else ""
    page = Paginator(chosen, 25).get_page(request.GET.get("page"))
    correcting = policy.can_record_events(request.user, person)
    _log(request, person, f"viewed the timeline ({TIMELINE_GROUPS[group][0].lower()}), "
                      f"page {page.number}")
    return render(request, "web/timeline.html", {
        "person": person, "page": page, "group": group,
        "groups": [(k, label) for k, (label, _) in TIMELINE_GROUPS.items()],
        "correctable": set(CORRECTIONS) if correcting else set()})


def _entry_to_change(request: HttpRequest, person_id: int, event_id: int
                     ) -> tuple[Person, Event]:
    """The person and one of their entries that this user may correct or withdraw: a kind
    the pages correct, not already superseded, in a force the user records for."""
    person = _person(request, person_id)
    old = Event.objects.filter(pk=event_id, person=person).prefetch_related("addresses").first()
    if (old is None or old.kind not in CORRECTIONS or not policy.can_record_events(
            request.user, person) or Event.objects.filter(supersedes=old).exists()):
        raise Http404
    return person, old


@login_required
def correct_entry(request: HttpRequest, person_id: int, event_id: int) -> HttpResponse:
    """Correct an entry: the same form, filled in as it stands, and why it changes."""
    person, old = _entry_to_change(request, person_id, event_id)
    step, service = CORRECTIONS[old.kind]
    form_class = type("CorrectionForm", (step.form,), {
        "reason": forms.CharField(label="Why it is corrected", max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))})
    as_at = today()
    if request.method == "POST":
        form = form_class(request.POST, person=person)
        if form.is_valid():
            try:
                service(person_id=person.pk, actor=request.user, today=as_at,
                        supersedes=old.pk, **service_kwargs(form))
            except recording.NotPermitted:
                raise Http404 from None
            except InvalidInput as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "Entry corrected; the earlier one stays in the "
                                          "timeline, marked as corrected")
                return redirect("timeline", person.pk)
    else:
        form = form_class(person=person, initial=initial_from(old))
        _log(request, person, f"opened the correction of entry {old.pk}")
    return render(request, "web/person_step.html", {
        "person": person, "form": form, "as_at": as_at, "correcting": old,
        "step": {"title": f"Correct: {old.get_kind_display().lower()} of "
                          f"{old.effective_date:%d %B %Y}"}})


class WithdrawEntryForm(forms.Form):
    reason = forms.CharField(label="Why the entry is withdrawn", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def withdraw_entry(request: HttpRequest, person_id: int, event_id: int) -> HttpResponse:
    person, old = _entry_to_change(request, person_id, event_id)
    form = WithdrawEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recording.withdraw_entry(person_id=person.pk, event_id=old.pk, actor=request.user,
                                     today=today(), reason=form.cleaned_data["reason"])
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Entry withdrawn; it stays in the timeline, marked as "
                                      "withdrawn")
            return redirect("timeline", person.pk)
    return render(request, "web/person_step.html", {
        "person": person, "form": form, "as_at": today(),
        "step": {"title": f"Withdraw: {old.get_kind_display().lower()} of "
                          f"{old.effective_date:%d %B %Y}"}})


