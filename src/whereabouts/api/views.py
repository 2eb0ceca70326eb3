"""The endpoints. Each one: the token's scope, the access policy, one selector or service, the
audit entry, JSON. A person the token may not open is "not found", exactly like no person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Header, Path, Query, Router, Status

from whereabouts.access import audit, policy, sharing
from whereabouts.access.models import AuditAction
from whereabouts.clock import today
from whereabouts.compliance.models import Task, TaskState
from whereabouts.compliance.selectors import person_compliance
from whereabouts.missing import services as missing_services
from whereabouts.missing.circulation import bulletin
from whereabouts.missing.selectors import missing_board
from whereabouts.register import recording
from whereabouts.register import search as register_search
from whereabouts.register.models import Event, Person
from whereabouts.register.search_keys import compact, name_words
from whereabouts.reports.figures import NATION, Scope
from whereabouts.reports.selectors import management_figures

from . import schemas as s
from .problems import Problem, not_found
from .scopes import role_allows

router = Router()

REASON_HEADER = "X-Reason-For-Access"
ID = Path(..., ge=1, le=2**63 - 1)
#: The error statuses every endpoint can answer (the content is a problem, see problems.py).
ERRORS = {401: s.ProblemOut, 403: s.ProblemOut, 422: s.ProblemOut}
PERSON_ERRORS = {**ERRORS, 404: s.ProblemOut}
WRITE_ERRORS = {**PERSON_ERRORS, 400: s.ProblemOut}
PER_PAGE = 25
#: The first day of the register (Sex Offenders Act 1997): no figures before it.
FIRST_DAY = dt.date(1997, 9, 1)


def _user(request: HttpRequest, scope: str) -> Any:
    """The token's user, if the token holds ``scope`` and the user's role still allows it."""
    token = request.auth  # type: ignore[attr-defined]
    if scope not in token.scopes:
        raise Problem(403, f"This token does not hold the scope {scope!r}.")
    if not role_allows(token.user, scope):
        raise Problem(403, f"The role of this token's user does not allow {scope!r}.")
    return token.user


def _reason(value: str) -> tuple[str, str]:
    code, _, details = value.partition(";")
    code, details = code.strip(), details.strip()
    if code not in policy.ACCESS_REASONS or not details or len(details) > 2000:
        raise Problem(422, "The request could not be accepted: see errors.", [
            (REASON_HEADER, f"must be '<code>; <details>', the code one of "
                            f"{', '.join(policy.ACCESS_REASONS)} and the details (at most 2000 "
                            f"characters) saying why")])
    return code, details


def _person(user: Any, person_id: int, reason: str | None) -> tuple[Person, str]:
    """The person ``user`` may open, and the reason given for it (or ""); else 404.

    With a reason, a person outside the user's force or caseload opens as in the pages: the
    reason is logged (``policy.give_reason``) whether or not the person exists, and lasts
    for this request only.
    """
    given: dict[str, Any] = {}
    if reason is not None:
        code, details = _reason(reason)
        if (policy.may(user, "person.open_with_reason")
                and not policy.visible_people(user).filter(pk=person_id).exists()):
            policy.give_reason(user, given, person_id=person_id, reason=code, detail=details)
    person = policy.person_for(user, person_id, given)
    if person is None:
        raise not_found()
    return person, policy.reason_given(given, person.pk)


def _log(user: Any, person: Person, what: str, reason: str = "",
         action: str = AuditAction.CONSULTATION) -> None:
    audit.record(actor=user, action=action, person_id=person.pk, what=f"{what} (API)",
                 reason=reason)


def _page(total: int, page: int, per_page: int) -> slice:
    start = (page - 1) * per_page
    return slice(start, start + per_page)


# -- people ------------------------------------------------------------------------------------
def _search_errors(params: s.SearchParams) -> list[tuple[str, str]]:
    """The search page's checks on what was typed (``web.search_views.SearchForm``)."""
    errors = []
    words = [token for _, token in name_words(params.name.strip())]
    if params.name.strip() and not words:
        errors.append(("name", "must contain letters"))
    elif words and max(len(w) for w in words) < 2:
        errors.append(("name", "must have a word of at least 2 letters; initials alone would "
                               "match too many people"))
    if params.identifier.strip() and len(compact(params.identifier)) < 4:
        errors.append(("identifier", "must be at least 4 characters long"))
    if not errors and not (params.name.strip() or params.date_of_birth
                           or params.identifier.strip() or params.postcode.strip()):
        errors.append(("name", "give a name, date of birth, identifier or postcode"))
    return errors


@router.get("/people", response={200: s.SearchOut, **ERRORS}, url_name="people",
            summary="Search for people")
def search_people(request: HttpRequest, params: Query[s.SearchParams]) -> Any:
    """The search of the search page: the people the user may look among who match every field
    given, best first, 25 a page. People of other forces (a national caseworker's, or with
    ``every_force``) are listed with ``needs_reason``: reading one needs the reason header."""
    user = _user(request, "people:search")
    errors = _search_errors(params)
    if errors:
        raise Problem(422, "The request could not be accepted: see errors.", errors)
    every_force = (params.every_force and policy.may(user, "people.search")
                   and policy.may(user, "person.open_with_reason"))
    query = register_search.SearchQuery(name=params.name, date_of_birth=params.date_of_birth,
                        identifier=params.identifier, postcode=params.postcode,
                        every_force=every_force)
    result = register_search.search_people(user, query)
    hits = result.hits[_page(len(result.hits), params.page, PER_PAGE)]
    audit.record(actor=user, action=AuditAction.CONSULTATION,
                 what=f"searched for {query.describe()}: {result.total} "
                      f"result{'s' if result.total != 1 else ''}, page {params.page} (API)")
    openable = set(policy.visible_people(user).filter(pk__in=[h.person.pk for h in hits])
                   .values_list("pk", flat=True))
    return {"total": result.total, "page": params.page, "per_page": PER_PAGE, "results": [
        {"id": h.person.pk, "reference": h.person.reference,
         "family_name": h.person.family_name, "given_names": h.person.given_names,
         "date_of_birth": h.person.date_of_birth,
         "force": {"slug": h.person.force_id, "name": h.person.force.name},
         "score": round(h.score, 4), "why": h.why, "needs_reason": h.person.pk not in openable}
        for h in hits]}


ReasonHeader = Header(None, alias=REASON_HEADER, max_length=2100,
                      description="For a person outside your force or caseload: "
                                  "'<code>; <details>', e.g. 'sighting; seen in Walsall "
                                  "by PC 123'. Logged with every look.")


@router.get("/people/{person_id}", response={200: s.PersonOut, **PERSON_ERRORS},
            url_name="person", summary="Read a person")
def read_person(request: HttpRequest, person_id: int = ID,
           reason: str | None = ReasonHeader) -> Any:
    """Names, other names, date of birth, force, offender manager, and the compliance status
    worked out from the ledger as at today (as the person page shows it)."""
    user = _user(request, "people:read")
    found, why = _person(user, person_id, reason)
    as_at = today()
    compliance = person_compliance(found, as_at)
    manager = found.offender_manager
    _log(user, found, "viewed the person's record", why)
    return {
        "id": found.pk, "reference": found.reference, "family_name": found.family_name,
        "given_names": found.given_names, "date_of_birth": found.date_of_birth,
        "sex": found.sex, "force": {"slug": found.force_id, "name": found.force.name},
        "aliases": [{"family_name": a.family_name, "given_names": a.given_names,
                     "used_from": a.used_from, "used_to": a.used_to}
                    for a in found.aliases.all()],
        "offender_manager": {"username": manager.get_username(),
                             "name": manager.get_full_name() or manager.get_username()}
        if manager else None,
        "as_at": as_at,
        "status": {**compliance.status._asdict(), "explanation": list(compliance.explanation)},
    }


def _event_out(event: Event, superseded_by: dict[int, int]) -> dict[str, Any]:
    return {
        "id": event.pk, "kind": event.kind, "effective_date": event.effective_date,
        "recorded_at": event.recorded_at,
        "recorded_by": event.recorded_by.get_username() if event.recorded_by else None,
        "source": event.source, "details": event.details,
        "addresses": [{"kind": a.kind, "line1": a.line1, "line2": a.line2, "town": a.town,
                       "postcode": a.postcode, "from_date": a.from_date}
                      for a in event.addresses.all()],
        "supersedes": event.supersedes_id, "superseded_by": superseded_by.get(event.pk),
        "reason": event.reason,
    }


@router.get("/people/{person_id}/events", response={200: s.EventPage, **PERSON_ERRORS},
            url_name="events", summary="A person's ledger")
def read_ledger(request: HttpRequest, person_id: int = ID, page: int = Query(1, ge=1, le=100_000),
           per_page: int = Query(PER_PAGE, ge=1, le=100),
           reason: str | None = ReasonHeader) -> Any:
    """Every entry in the person's ledger, newest first, corrected and withdrawn ones included
    (``superseded_by`` names the entry that replaced one)."""
    user = _user(request, "people:read")
    found, why = _person(user, person_id, reason)
    ledger = Event.objects.filter(person=found)
    total = ledger.aggregate(n=Count("id"))["n"]
    chosen = list(ledger.select_related("recorded_by").prefetch_related("addresses")
                  .order_by("-effective_date", "-id")[_page(total, page, per_page)])
    replaced = dict(ledger.filter(supersedes__isnull=False).values_list("supersedes_id", "id"))
    _log(user, found, f"viewed the timeline, page {page}", why)
    return {"total": total, "page": page, "per_page": per_page,
            "results": [_event_out(e, replaced) for e in chosen]}


def _writable(user: Any, person_id: int) -> Person:
    """A person of the user's own force, for recording; else 404 (a reason lets one look, not
    record)."""
    found = policy.visible_people(user).filter(pk=person_id).first()
    if found is None or not policy.can_record_events(user, found):
        raise not_found()
    return found


def _write(user: Any, found: Person, entry: Any, *, supersedes: int | None = None,
           reason: str = "") -> Event:
    """One entry through the service the pages use; the service checks it and logs it."""
    common = {"person_id": found.pk, "actor": user, "today": today()}
    fields = entry.model_dump()
    fields.pop("kind")
    correcting = {"supersedes": supersedes, "reason": reason}
    try:
        if isinstance(entry, s.NotificationIn):
            return recording.record_notification(kind=entry.kind, **common, **fields,
                                                 **correcting)
        if isinstance(entry, s.TravelIn):
            return recording.record_travel(**common, **fields, **correcting)
        if isinstance(entry, s.MovementIn):
            return recording.record_movement(kind=entry.kind, **common, **fields, **correcting)
        if supersedes is not None:
            return recording.correct_visit(**common, **fields, supersedes=supersedes,
                                           reason=reason)
        return missing_services.record_visit(**common, **fields)
    except recording.NotPermitted:
        raise not_found() from None


def _written(event: Event) -> Status[dict[str, Any]]:
    event = Event.objects.select_related("recorded_by").prefetch_related("addresses").get(
        pk=event.pk)
    return Status(201, _event_out(event, {}))


@router.post("/people/{person_id}/events", response={201: s.EventOut, **WRITE_ERRORS},
             url_name="event-append", summary="Record an entry")
def append_event(request: HttpRequest, entry: s.EventIn, person_id: int = ID) -> Any:
    """A notification, travel notice, movement or visit, checked and logged by the same
    services as the pages. For people of the user's own force only."""
    user = _user(request, "events:write")
    return _written(_write(user, _writable(user, person_id), entry))


def _old(found: Person, event_id: int) -> Event:
    old = Event.objects.filter(pk=event_id, person=found).first()
    if old is None:
        raise not_found()
    return old


@router.post("/people/{person_id}/events/{event_id}/corrections",
             response={201: s.EventOut, **WRITE_ERRORS}, url_name="event-correct",
             summary="Correct an entry")
def correct_event(request: HttpRequest, correction: s.CorrectionIn, person_id: int = ID,
                  event_id: int = ID) -> Any:
    """A new entry of the same kind that replaces the old one, with why; the old one stays in
    the ledger, marked as corrected."""
    user = _user(request, "events:write")
    found = _writable(user, person_id)
    old = _old(found, event_id)
    if correction.entry.kind != old.kind:
        raise Problem(422, "The request could not be accepted: see errors.",
                      [("entry.kind", f"must be {old.kind!r}, the kind of the entry corrected")])
    return _written(_write(user, found, correction.entry, supersedes=old.pk,
                           reason=correction.reason))


@router.post("/people/{person_id}/events/{event_id}/withdrawal",
             response={201: s.EventOut, **WRITE_ERRORS}, url_name="event-withdraw",
             summary="Withdraw an entry made in error")
def withdraw_event(request: HttpRequest, withdrawal: s.WithdrawalIn, person_id: int = ID,
                   event_id: int = ID) -> Any:
    user = _user(request, "events:write")
    found = _writable(user, person_id)
    old = _old(found, event_id)
    try:
        event = recording.withdraw_entry(person_id=found.pk, event_id=old.pk, actor=user,
                                         today=today(), reason=withdrawal.reason)
    except recording.NotPermitted:
        raise not_found() from None
    return _written(event)


@router.get("/people/{person_id}/circulation", response={200: dict[str, Any], **PERSON_ERRORS},
            url_name="circulation", summary="The circulation bulletin")
def read_circulation(request: HttpRequest, person_id: int = ID,
                reason: str | None = ReasonHeader) -> Any:
    """The bulletin for the person's latest missing episode, as ``docs/circulation.schema.json``
    (logged as a disclosure). 404 if they were never recorded as missing."""
    user = _user(request, "people:read")
    found, why = _person(user, person_id, reason)
    content = bulletin(found, today())
    if content is None:
        raise not_found()
    _log(user, found, "exported the circulation bulletin", why, AuditAction.DISCLOSURE)
    return content


# -- lists -------------------------------------------------------------------------------------
@router.get("/tasks", response={200: list[s.TaskOut], **ERRORS}, url_name="tasks",
            summary="My open tasks")
def list_tasks(request: HttpRequest) -> Any:
    """The open tasks assigned to the token's user, for people they may still see, soonest due
    first."""
    user = _user(request, "tasks:read")
    rows = list(Task.objects.filter(assigned_to=user, state=TaskState.OPEN,
                                    person__in=policy.visible_people(user))
                .select_related("person").order_by("due_last_day", "id"))
    audit.record(actor=user, action=AuditAction.CONSULTATION,
                 what=f"listed their open tasks ({len(rows)}) (API)")
    return [{"id": t.pk, "person_id": t.person_id, "person_reference": t.person.reference,
             "kind": t.kind, "title": t.title, "due_kind": t.due_kind,
             "due_last_day": t.due_last_day, "opened_as_at": t.opened_as_at} for t in rows]


@router.get("/missing", response={200: list[s.MissingRowOut], **ERRORS}, url_name="missing",
            summary="The missing board")
def read_missing_board(request: HttpRequest) -> Any:
    """The open missing episodes of the people the user may see, longest missing first."""
    user = _user(request, "missing:read")
    rows = missing_board(user, today())
    audit.record(actor=user, action=AuditAction.CONSULTATION,
                 what=f"viewed the missing board ({len(rows)} open episodes) (API)")
    return [{"person_id": r.person.pk, "reference": r.person.reference,
             "name": f"{r.person.given_names} {r.person.family_name}",
             "missing_since": r.episode.missing_since, "recorded_missing_on": r.episode.began_on,
             "days_missing": r.days_missing, "risk": r.episode.risk,
             "believed_abroad": r.episode.believed_abroad, "country": r.episode.country,
             "owner": r.owner, "next_action": r.state.next_action,
             "next_action_by": r.state.next_action_by, "last_review": r.last_review,
             "next_review_due": r.next_review_due, "review_overdue": r.review_overdue,
             "gone_quiet": r.gone_quiet} for r in rows]


@router.get("/figures", response={200: dict[str, Any], **ERRORS}, url_name="figures",
            summary="Management figures")
def read_figures(request: HttpRequest, params: Query[s.FiguresParams]) -> Any:
    """The exact management figures as at a date for the nation, a region or a force (the
    figures page's report; see ``docs/figures.md``). Names nobody; each use is logged."""
    user = _user(request, "figures:read")
    as_at = params.as_at or today()
    errors = []
    if not FIRST_DAY <= as_at <= today():
        errors.append(("as_at", f"must be from {FIRST_DAY} to today"))
    if params.period_from and params.period_from > as_at:
        errors.append(("from", "must not be after as_at"))
    if params.region and params.force:
        errors.append(("force", "give a region or a force, not both"))
    if errors:
        raise Problem(422, "The request could not be accepted: see errors.", errors)
    scope = Scope(region=params.region, force=params.force) if (
        params.region or params.force) else NATION
    try:
        return management_figures(as_at, scope=scope, first=params.period_from, actor=user,
                                  via=" (API)")
    except LookupError as exc:
        raise Problem(422, "The request could not be accepted: see errors.",
                      [("force" if params.force else "region", str(exc))]) from None


@router.get("/shared", response={200: list[s.SharedOut], **ERRORS}, url_name="shared",
            summary="People shared with my agency")
def list_shared(request: HttpRequest) -> Any:
    """For partner agencies: the narrow view of each person shared with the user's agency,
    while the share lasts (the "Shared with us" page)."""
    user = _user(request, "shared:read")
    as_at = today()
    ids = list(dict.fromkeys(share.person_id for share in sharing.current_shares(user, as_at)))
    views = [v for v in (sharing.partner_view(user, pid, as_at) for pid in ids) if v]
    audit.record(actor=user, action=AuditAction.CONSULTATION,
                 what=f"listed the people shared with their agency ({len(views)}) (API)")
    return [_shared_out(v) for v in views]


def _shared_out(view: sharing.PartnerView) -> dict[str, Any]:
    return {**view.__dict__, "notes": list(view.notes)}


@router.get("/shared/{person_id}", response={200: s.SharedOut, **PERSON_ERRORS},
            url_name="shared-person", summary="One person shared with my agency")
def read_shared_person(request: HttpRequest, person_id: int = ID) -> Any:
    user = _user(request, "shared:read")
    view = sharing.partner_view(user, person_id, today())
    if view is None:
        raise not_found()
    audit.record(actor=user, action=AuditAction.CONSULTATION, person_id=person_id,
                 what="viewed the partner view of a shared person (API)")
    return _shared_out(view)
