"""Every URL of the site × every role (and a visitor not signed in): allowed or refused.

The URLs are found by walking the project's URLconf, so a new URL without a row in
:data:`MATRIX` fails :func:`test_every_url_has_a_row_in_the_matrix`, naming it. Refusals of a
person are 404, the same as for a person who does not exist; a visitor not signed in is sent
to sign in (302). Each row is a GET of the page with real sample arguments: a person of the
user's force (``mine``), a person of another force (``theirs``), a visit of ``mine``.

The API's URLs (``/api/v1/``, namespace ``api``) have their rows in :data:`API_MATRIX`: each
role calls each endpoint with a token that holds *every* scope, so that what is refused is
refused by the user's role and the access policy, never only by the token's scopes. A caller
without a token gets 401.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from whereabouts.access.models import StaffProfile
from whereabouts.api import tokens
from whereabouts.api.models import ApiToken
from whereabouts.api.scopes import SCOPES
from whereabouts.register import services
from whereabouts.register.models import Transfer

from ..conftest import TODAY
from ..linkage.leadmaker import make_lead, make_suggestion

ROLES = ("anonymous", "no_role", "offender_manager", "supervisor", "senior_officer",
         "national_caseworker", "analyst", "foi_officer", "partner", "auditor",
         "administrator")


def row(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    """Expected status per role: ``default`` unless overridden; anonymous is sent to sign in."""
    return {role: overrides.get(role, default) for role in ROLES} | {"anonymous": anonymous}


CASEWORK = {"offender_manager": 200, "supervisor": 200, "senior_officer": 200}
SUPERVISING = {"supervisor": 200, "senior_officer": 200}
FIGURES = {**CASEWORK, "analyst": 200, "foi_officer": 200}

#: URL name -> (sample arguments, expected status per role for a GET).
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "home": ("", row(200)),
    "login": ("", row(302, anonymous=200)),  # signed in already: sent home
    "second-factor": ("", row(302)),
    "enrol": ("", row(302)),
    "logout": ("", row(405)),  # POST only
    "sign-out-everywhere": ("", row(405)),  # POST only
    "users": ("", row(404, administrator=200)),
    "user-new": ("", row(404, administrator=200)),
    "user-reset-device": ("user", row(405)),  # POST only
    "user-api-tokens": ("user", row(404, administrator=200)),
    "user-api-token-revoke": ("user", row(405)),  # POST only
    "people": ("", row(404, **CASEWORK)),
    "person": ("mine", row(404, **CASEWORK)),
    "person@theirs": ("theirs", row(404)),  # a reason first, for everyone
    "access-reason": ("theirs", row(404, **CASEWORK, national_caseworker=200)),
    "share-new": ("mine", row(404, **SUPERVISING)),
    "shared": ("", row(404, partner=200)),
    "shared-person": ("mine", row(404, partner=200)),  # shared with housing in the fixture
    "search": ("", row(404, **CASEWORK, national_caseworker=200)),
    "missing-board": ("", row(404, **CASEWORK)),
    "missing-times": ("", row(404, **FIGURES)),
    "overdue-visits": ("", row(404, **SUPERVISING)),
    "visit-policy": ("", row(404, senior_officer=200)),
    "timeline": ("mine", row(404, **CASEWORK)),
    "correct-entry": ("mine,visit", row(404, **CASEWORK)),
    "withdraw-entry": ("mine,visit", row(404, **CASEWORK)),
    "person-step": ("mine,step", row(404, **CASEWORK)),
    "figures": ("", row(404, **FIGURES)),
    "figures-download": ("json", row(404, **FIGURES)),
    "figures-foi-pack": ("", row(404, analyst=200, senior_officer=200, foi_officer=200)),
    "audit-person": ("", row(404, auditor=200)),
    "audit-user": ("", row(404, auditor=200)),
    "review-queue": ("", row(404, **SUPERVISING, auditor=200)),
    "review-person": ("mine", row(404, **SUPERVISING, auditor=200)),
    "review-person@theirs": ("theirs", row(404, auditor=200)),  # the auditor is national
    "subject-access": ("", row(404, auditor=200)),
    "password-change": ("", row(200)),  # everyone signed in, even without a role
    "user-reset-password": ("user", row(404, administrator=200)),
    "circulation": ("mine", row(404)),  # no circulation: every role alike
    "circulation-json": ("mine", row(404)),
    "transfers": ("", row(404, **CASEWORK)),
    "transfer-accept": ("incoming", row(404, **SUPERVISING)),
    "transfer-cancel": ("outgoing", row(404, **SUPERVISING)),
    "inbox": ("", row(404, **CASEWORK)),
    "inbox-item": ("circulated", row(404, **CASEWORK)),
    "inbox-acknowledge": ("circulated", row(405)),  # POST only
    "mappa-mine": ("", row(404, **CASEWORK, partner=200)),
    "mappa-action-done": ("user", row(405)),  # POST only
    "leads": ("", row(404, **CASEWORK)),
    "lead": ("lead", row(404, **CASEWORK)),
    "lead@theirs": ("their-lead", row(404)),  # a lead on another force's person
    "linkage-runs": ("", row(404, **SUPERVISING)),  # partner_data.import
    "linkage-bands": ("run", row(404, **SUPERVISING)),
    "linkage-bands@nowhere": ("no-run", row(404)),  # a run that does not exist
    "duplicates": ("", row(404, **SUPERVISING)),  # duplicates.decide
    "duplicate": ("pair", row(404, **SUPERVISING)),  # two records of their force
    "duplicate@theirs": ("their-pair", row(404)),  # one of another force: a reason first
}


def api_row(default: int, anonymous: int = 401, **overrides: int) -> dict[str, int]:
    """Expected status per role for the API: a caller with no token gets 401."""
    return row(default, anonymous, **overrides)


API_CASEWORK = {"offender_manager": 200, "supervisor": 200, "senior_officer": 200}
API_RECORDING = {"offender_manager": 201, "supervisor": 201, "senior_officer": 201}
PERIODIC = {"kind": "notification.periodic", "notified_on": TODAY.isoformat(),
            "line1": "1 High Street", "town": "Walsall", "postcode": "WS1 1AA"}
VISIT = {"kind": "visit", "visited_on": TODAY.isoformat(), "outcome": "seen_at_home"}
REASON = {"X-Reason-For-Access": "sighting; seen in Walsall by PC 123"}
CHECK = {"opened_on": TODAY.isoformat(), "reason": "no_longer_living_there"}
MISSING = {"recorded_on": TODAY.isoformat(), "missing_since": "2024-05-20", "risk": "high",
           "basis": "Not at the notified address; not known at the hostels"}

#: URL name -> (sample arguments, method, JSON body, headers, expected status per role).
#: Refused by scope (the role may not) is 403; a person the user may not open is 404.
API_MATRIX: dict[str, tuple[str, str, Any, dict[str, str], dict[str, int]]] = {
    "api:openapi-json": ("", "get", None, {}, row(200, anonymous=200)),
    "api:api-root": ("", "get", None, {}, row(404, anonymous=404)),
    "api:unknown": ("nowhere", "get", None, {}, row(404, anonymous=404)),
    "api:people": ("?name=Testperson", "get", None, {},
                   api_row(403, **API_CASEWORK, national_caseworker=200)),
    "api:person": ("mine", "get", None, {}, api_row(403, **API_CASEWORK,
                                                    national_caseworker=404)),
    "api:person@theirs": ("theirs", "get", None, {}, api_row(
        403, offender_manager=404, supervisor=404, senior_officer=404, national_caseworker=404)),
    "api:person@reason": ("theirs", "get", None, REASON, api_row(
        403, **API_CASEWORK, national_caseworker=200)),
    "api:events": ("mine", "get", None, {}, api_row(403, **API_CASEWORK,
                                                    national_caseworker=404)),
    "api:events@reason": ("theirs", "get", None, REASON, api_row(
        403, **API_CASEWORK, national_caseworker=200)),
    "api:event-append": ("mine", "post", PERIODIC, {}, api_row(403, **API_RECORDING)),
    "api:event-append@theirs": ("theirs", "post", PERIODIC, REASON, api_row(
        403, offender_manager=404, supervisor=404, senior_officer=404)),  # a reason: look only
    "api:event-correct": ("mine,visit", "post", {"reason": "Wrong outcome", "entry": VISIT},
                          {}, api_row(403, **API_RECORDING)),
    "api:event-withdraw": ("mine,visit2", "post", {"reason": "Wrong person"}, {},
                           api_row(403, **API_RECORDING)),
    "api:circulation": ("mine", "get", None, {}, api_row(
        403, offender_manager=404, supervisor=404, senior_officer=404,
        national_caseworker=404)),  # no circulation: every role that may look alike
    "api:tasks": ("", "get", None, {}, api_row(403, **API_CASEWORK)),
    "api:missing": ("", "get", None, {}, api_row(403, **API_CASEWORK)),
    "api:figures": ("?as_at=2024-06-01&region=West+Midlands", "get", None, {}, api_row(
        403, **API_CASEWORK, analyst=200, foi_officer=200)),
    "api:shared": ("", "get", None, {}, api_row(403, partner=200)),
    "api:shared-person": ("mine", "get", None, {}, api_row(403, partner=200)),
    "api:leads": ("", "get", None, {}, api_row(403, **API_CASEWORK)),
    "api:lead": ("lead", "get", None, {}, api_row(403, **API_CASEWORK)),
    "api:lead@theirs": ("their-lead", "get", None, {}, api_row(
        403, offender_manager=404, supervisor=404, senior_officer=404)),
    "api:lead-decide": ("lead", "post", {"decision": "reject", "reason": "Not him"}, {},
                        api_row(403, **API_CASEWORK)),
    "api:lead-decide@theirs": ("their-lead", "post", {"decision": "accept"}, {}, api_row(
        403, offender_manager=404, supervisor=404, senior_officer=404)),
    # Last: the supervisor's step records the person as missing.
    "api:person-steps": ("mine", "get", None, {}, api_row(403, **API_CASEWORK)),
    "api:person-steps@theirs": ("theirs", "get", None, REASON, api_row(
        403, offender_manager=404, supervisor=404, senior_officer=404)),  # a reason: look only
    "api:person-step": ("mine,check", "post", CHECK, {}, api_row(403, **API_RECORDING)),
    "api:person-step@missing": ("mine,missing", "post", MISSING, {}, api_row(
        403, offender_manager=404, supervisor=201, senior_officer=404)),  # a supervisor's step
    "api:person-step@theirs": ("theirs,check", "post", CHECK, REASON, api_row(
        403, offender_manager=404, supervisor=404, senior_officer=404)),
}


def _named(patterns: list[Any], namespace: str = "") -> list[tuple[str, URLPattern]]:
    """Every URL pattern with its name as ``reverse`` takes it (``namespace:name``)."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _named(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            found.append((f"{namespace}{pattern.name}" if pattern.name else "", pattern))
    return found


def test_every_url_has_a_row_in_the_matrix():
    patterns = _named(get_resolver("whereabouts.urls").url_patterns)
    unnamed = [str(p.pattern) for name, p in patterns if not name]
    assert not unnamed, f"URLs without a name cannot be checked: {unnamed}"
    names = {name for name, _ in patterns}
    missing = sorted(names - set(MATRIX) - set(API_MATRIX))
    assert not missing, f"URLs without a row in the access matrix: {missing}"
    stale = sorted({n.split("@")[0] for n in (*MATRIX, *API_MATRIX)} - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


def moving(person: Any, postcode: str) -> None:
    """A notification of a home address in another force's area: a transfer opens."""
    services.event_record(person_id=person.pk, kind="notification.change", effective_date=TODAY,
                          today=TODAY, recorded_by=None, source="test",
                          details={"change": "home_address"},
                          addresses=[services.AddressInput(kind="home", line1="1 New Road",
                                                           town="Elsewhere",
                                                           postcode=postcode)])


@pytest.fixture
def world(make_user: Any, make_person: Any, officer: Any, settings: Any) -> dict[str, Any]:
    from whereabouts.access import sharing

    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    users = {"offender_manager": officer, "no_role": make_user("nobody", None)}
    for role in ROLES[3:]:
        force = None if role in ("national_caseworker", "analyst", "foi_officer",
                                 "auditor") else "west-midlands"
        users[role] = make_user(f"user.{role}", role, force=force)
    StaffProfile.objects.filter(user=users["partner"]).update(agency="housing")
    mine = make_person()
    theirs = make_person(force="staffordshire", manager=None)
    visit = services.event_record(person_id=mine.pk, kind="visit", effective_date=TODAY,
                                  today=TODAY, recorded_by=officer, source="test",
                                  details={"outcome": "seen_at_home"})
    sharing.share_person(person_id=mine.pk, agency="housing", since=TODAY, until=TODAY,
                         purpose="Rehousing panel", notes="", by=users["supervisor"])
    incoming = make_person(force="staffordshire", manager=None)  # moving into West Midlands
    moving(incoming, "B23 6AB")
    outgoing = make_person()  # moving out, to Staffordshire
    moving(outgoing, "ST1 2AB")
    lost = make_person(force="staffordshire", manager=None)  # circulated to every force
    for kind, details in (("missing.recorded", {"missing_since": "2024-05-01", "basis": "Gone",
                                                "risk": "high"}),
                          ("circulation.sent", {"scope": "national", "reference": "PNC/1"})):
        circulated = services.event_record(person_id=lost.pk, kind=kind, effective_date=TODAY,
                                           today=TODAY, recorded_by=None, source="test",
                                           details=details)
    lead = make_lead(mine, "undeclared_address")
    args = {"": [], "mine": [mine.pk], "theirs": [theirs.pk], "user": [officer.pk],
            "mine,visit": [mine.pk, visit.pk], "mine,step": [mine.pk, "visit"],
            "json": ["json"],
            "incoming": [Transfer.objects.get(person=incoming).pk],
            "outgoing": [Transfer.objects.get(person=outgoing).pk],
            "circulated": [circulated.pk],
            "lead": [lead.pk], "run": [lead.model_id], "no-run": [lead.model_id + 999],
            "their-lead": [make_lead(theirs, "undeclared_address").pk],
            "pair": [make_suggestion(mine, make_person(family_name="Smyth")).pk],
            "their-pair": [make_suggestion(mine, theirs).pk]}
    return {"users": users, "args": args}


@pytest.mark.parametrize("role", ROLES)
def test_each_url_answers_each_role_as_the_matrix_says(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    wrong = []
    for key, (args, expected) in MATRIX.items():
        url = reverse(key.split("@")[0], args=world["args"][args])
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{key} {url}: {status}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_each_api_endpoint_answers_each_role_as_the_matrix_says(client, world, role):
    mine = world["args"]["mine"][0]
    visit2 = services.event_record(person_id=mine, kind="visit", effective_date=TODAY,
                                   today=TODAY, recorded_by=world["users"]["offender_manager"],
                                   source="test", details={"outcome": "seen_at_home"})
    theirs = world["args"]["theirs"][0]
    args = world["args"] | {"mine,visit2": [mine, visit2.pk], "nowhere": ["nowhere"],
                            "mine,check": [mine, "check"], "mine,missing": [mine, "missing"],
                            "theirs,check": [theirs, "check"]}
    headers: dict[str, str] = {}
    if role != "anonymous":
        secret = tokens.PREFIX + f"matrix-{role}"
        ApiToken.objects.create(  # every scope, whatever the role may hold: the role decides
            user=world["users"][role], prefix=secret[:12], digest=tokens.digest(secret),
            scopes=list(SCOPES), created_at=timezone.now(),
            expires_at=timezone.now() + dt.timedelta(days=1))
        headers["Authorization"] = f"Bearer {secret}"
    wrong = []
    for key, (sample, method, body, extra, expected) in API_MATRIX.items():
        name = key.split("@")[0]
        if sample.startswith("?"):
            url = reverse(name) + sample
        else:
            url = reverse(name, args=args[sample])
        call = getattr(client, method)
        kwargs: dict[str, Any] = {"headers": headers | extra}
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        answer = call(url, **kwargs)
        if answer.status_code != expected[role]:
            wrong.append(f"{key} {method.upper()} {url}: {answer.status_code}, expected "
                         f"{expected[role]}: {answer.content[:200]!r}")
        elif answer.status_code >= 400:
            assert answer["Content-Type"] == "application/problem+json", key
    assert not wrong, "\n".join(wrong)
