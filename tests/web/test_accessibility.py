"""WCAG 2.2 AA: every main page checked with axe-core in Chromium, and a journey done with
the keyboard alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from whereabouts.web.frontend import FRONTEND_DIR

from .test_browser import CHROMIUM, sign_in

AXE = FRONTEND_DIR / "test" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe_page(live_server: Any) -> Iterator[Any]:
    """A browser page that may inject axe-core: the only thing that bypasses the CSP."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
        yield context.new_page()
        browser.close()


def violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in result["violations"]]


@pytest.fixture
def scene(make_person: Any, make_user: Any, settings: Any) -> dict[str, Any]:
    """A person with a history, missing, with a breach; made before the browser starts."""
    from whereabouts.missing import breach_services, services
    from whereabouts.register import services as register
    from whereabouts.register.services import DisposalInput

    from ..conftest import TODAY

    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    supervisor = make_user("sup.wm", "supervisor")
    person = make_person(family_name="O'Neill", given_names="Kim")
    register.event_record(person_id=person.pk, kind="disposal", effective_date="2019-02-01",
                          today=TODAY, recorded_by=None, source="test",
                          disposal=DisposalInput(offence="SOA 2003 s.1", kind="imprisonment",
                                                 months=40))
    services.record_missing(person_id=person.pk, recorded_on="2024-05-01",
                            missing_since="2024-04-20", basis="No trace", risk="high",
                            actor=supervisor, today=TODAY)
    breach_services.record_breach(person_id=person.pk, recorded_on="2024-05-02",
                                  offence="fail_to_comply", crime_reference="20/1/24",
                                  what="Periodic notification not made", actor=supervisor,
                                  today=TODAY)
    from whereabouts.compliance.sweep import run_sweep
    from whereabouts.visits import services as visits
    from whereabouts.visits.sweep import run_visit_sweep

    visits.record_risk_level(person_id=person.pk, assessed_on="2024-01-10", level="high",
                             note="ARMS", actor=supervisor, today=TODAY)
    visits.record_mappa(person_id=person.pk, decided_on="2024-01-11", category="1", level="2",
                        note="MAPP meeting", actor=supervisor, today=TODAY)
    unvisited = make_person(family_name="Unvisited")
    register.event_record(person_id=unvisited.pk, kind="disposal", effective_date="2019-02-01",
                          today=TODAY, recorded_by=None, source="test",
                          disposal=DisposalInput(offence="SOA 2003 s.1", kind="imprisonment",
                                                 months=40))
    visits.record_visit(person_id=unvisited.pk, visited_on="2023-10-01", outcome="seen_at_home",
                        visit_kind="planned", actor=supervisor, today=TODAY)
    run_sweep(TODAY)
    run_visit_sweep(TODAY)
    make_user("senior.wm", "senior_officer")
    theirs = make_person(force="staffordshire", manager=None, family_name="Elsewhere")
    make_user("aud.wm", "auditor", force=None)
    make_user("admin.wm", "administrator")
    partner = make_user("housing.wm", "partner")
    from whereabouts.access import sharing
    from whereabouts.access.models import StaffProfile

    StaffProfile.objects.filter(user=partner).update(agency="housing")
    sharing.share_person(person_id=person.pk, agency="housing", since=TODAY, until=TODAY,
                         purpose="Rehousing panel", notes="", by=supervisor)
    lost = make_person(force="staffordshire", manager=None, family_name="Faraway")
    for kind, details in (("missing.recorded", {"missing_since": "2024-05-01", "basis": "Gone",
                                                "risk": "high"}),
                          ("circulation.sent", {"scope": "national", "reference": "PNC/9"})):
        circulated = register.event_record(person_id=lost.pk, kind=kind,
                                           effective_date=TODAY, today=TODAY,
                                           recorded_by=None, source="test", details=details)
    mover = make_person(force="staffordshire", manager=None, family_name="Mover")
    register.event_record(person_id=mover.pk, kind="notification.change", effective_date=TODAY,
                          today=TODAY, recorded_by=None, source="test",
                          details={"change": "home_address"},
                          addresses=[register.AddressInput(kind="home", line1="1 New Road",
                                                           town="Birmingham",
                                                           postcode="B23 6AB")])
    from whereabouts.register.models import Transfer

    from ..linkage.leadmaker import make_lead, make_suggestion

    lead = make_lead(person, "missing", routed_to=supervisor)
    pair = make_suggestion(person, make_person(family_name="Smyth", given_names="Bob"))
    return {"person": person, "supervisor": supervisor, "theirs": theirs,
            "circulated": circulated, "transfer": Transfer.objects.get(person=mover),
            "lead": lead, "pair": pair}


@pytest.mark.django_db(transaction=True)
def test_the_main_pages_have_no_accessibility_violations(scene: Any, officer: Any,
                                                         live_server: Any, axe_page: Any):
    page, base, pid = axe_page, live_server.url, scene["person"].pk
    failures: dict[str, list[str]] = {}

    def check(path: str, name: str) -> None:
        if path:
            page.goto(base + path)
        found = violations(page)
        if found:
            failures[name] = found

    page.goto(f"{base}/login/")
    check("", "sign in")
    sign_in(page, base, "sup.wm")
    for path, name in [
        ("/", "home"), ("/people/", "team caseloads"), ("/people/?all=1", "everyone"),
        (f"/people/{pid}/", "person"), (f"/people/{pid}/timeline/", "timeline"),
        (f"/people/{pid}/do/review/", "review form"),
        (f"/people/{pid}/do/notify-change/", "change notification form"),
        (f"/people/{pid}/do/identity/", "identity correction form"),
        ("/missing/", "missing board"), ("/missing/?flagged=1&sort=risk", "board filtered"),
        ("/missing/times/", "time to notice and locate"),
        (f"/people/{pid}/circulation/", "circulation bulletin"),
        ("/search/?name=oneil", "search"),
        (f"/people/{pid}/share/", "share with a partner agency"),
        (f"/people/{scene['theirs'].pk}/reason/", "reason for access"),
        ("/figures/", "figures"),
        ("/transfers/", "transfers"),
        (f"/transfers/{scene['transfer'].pk}/accept/", "accept a transfer"),
        ("/inbox/?show=all", "inbox"),
        ("/leads/", "leads from partner data"),
        (f"/leads/{scene['lead'].pk}/", "a lead from partner data"),
        ("/leads/runs/", "partner data matching runs"),
        (f"/leads/runs/{scene['lead'].model_id}/bands/", "a run's score bands"),
        ("/duplicates/", "duplicate identities"),
        (f"/duplicates/{scene['pair'].pk}/", "a pair of records that may be one person"),
        (f"/inbox/{scene['circulated'].pk}/", "a circulation from another force"),
        ("/reviews/", "records due for review"),
        (f"/reviews/{pid}/", "review a record (MoPI)"),
        ("/account/password/", "change your password"),
        ("/visits/overdue/", "overdue visits by officer"),
        (f"/people/{pid}/do/visit/", "visit form"),
        (f"/people/{pid}/do/risk/", "risk level form"),
        (f"/people/{pid}/do/visit-plan/", "visit plan form"),
        (f"/people/{pid}/do/mappa/", "MAPPA form"),
        (f"/people/{pid}/timeline/?kind=risk", "risk and MAPPA on the timeline"),
        (f"/people/{pid}/do/mappa-meeting/", "MAPP meeting form"),
        (f"/people/{pid}/do/order/", "SHPO or SRO form"),
        (f"/people/{pid}/do/arms/", "ARMS assessment form"),
        ("/mappa/", "MAPPA actions"),
    ]:
        check(path, name)
    page.goto(f"{base}/people/{pid}/do/review/")
    page.get_by_role("button", name="Save").click()
    check("", "a form with errors")
    for username, pages in (("senior.wm", [("/visits/policy/", "visit policy")]),
                            ("aud.wm", [("/audit/person/", "who looked at a person"),
                                        ("/audit/user/", "what a user looked at"),
                                        ("/subject-access/", "subject access")]),
                            ("admin.wm", [("/users/", "users"),
                                          (f"/users/{scene['supervisor'].pk}/reset-password/",
                                           "reset a password"),
                                          (f"/users/{scene['supervisor'].pk}/api-tokens/",
                                           "a user's API tokens")]),
                            ("housing.wm", [("/shared/", "shared with us"),
                                            (f"/shared/{pid}/", "a shared person"),
                                            ("/mappa/", "MAPPA meetings attended")])):
        page.get_by_role("button", name="Sign out", exact=True).click()
        sign_in(page, base, username)
        for path, name in pages:
            check(path, name)
    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in failures.items())


def tab_to(page: Any, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text or label contains ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
            return (e.innerText || '') + ' ' + label + ' ' + (e.value || ''); }""")
        if text in focused:
            return
    raise AssertionError(f"could not reach {text!r} with the Tab key")


def enter(page: Any) -> None:
    """Press Enter on what has focus, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.django_db(transaction=True)
def test_a_visit_that_finds_them_gone_is_recorded_with_the_keyboard_alone(
        scene: Any, officer: Any, live_server: Any, axe_page: Any, settings: Any):
    from whereabouts.web.testing import code_now

    page, base = axe_page, live_server.url
    page.goto(f"{base}/login/")
    tab_to(page, "Username")
    page.keyboard.type("om.one")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-9")
    enter(page)
    tab_to(page, "Code from your authenticator app")
    page.keyboard.type(code_now())
    enter(page)
    assert page.locator("#signed-in-as").inner_text() == "om.one"
    tab_to(page, "My caseload")
    enter(page)
    tab_to(page, scene["person"].full_name)
    enter(page)
    tab_to(page, "Record a home visit")
    enter(page)
    tab_to(page, "Planned")  # planned or unannounced: the first radio of the group
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "unannounced"
    tab_to(page, "Seen at the address")  # the first radio of the outcomes
    for _ in range(4):  # arrow keys move through a radio group
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "no_longer_living_there"
    tab_to(page, "Save")
    enter(page)
    assert "Visit recorded" in page.locator(".govuk-notification-banner").inner_text()
