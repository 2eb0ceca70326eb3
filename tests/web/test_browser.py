"""The pages in a real browser: headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from whereabouts.web.testing import code_now

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(settings.DATA_DIR) / "screenshots"


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread: tests make their data in
    # fixtures set up before this one, so no database work happens inside that loop (where
    # Django would refuse it, and a connection opened there would outlive the test).
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        yield page
        browser.close()


def sign_in(page: Any, base: str, username: str) -> None:
    """Both steps: the password, then the code from the test user's authenticator app."""
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code from your authenticator app").fill(code_now())
    page.get_by_role("button", name="Continue").click()
    assert page.locator("#signed-in-as").inner_text() == username


@pytest.fixture
def overdue_person(make_person: Any, settings: Any) -> Any:
    """Made before the browser starts, so no database work happens inside Playwright's loop."""
    from whereabouts.register import services
    from whereabouts.register.services import DisposalInput

    from ..conftest import TODAY

    settings.WHEREABOUTS_TODAY = TODAY.isoformat()
    person = make_person(family_name="Brown", given_names="Sam")
    services.event_record(person_id=person.pk, kind="disposal", effective_date="2019-02-01",
                          today=TODAY, recorded_by=None, source="test",
                          disposal=DisposalInput(offence="SOA 2003 s.1", kind="imprisonment",
                                                 months=40))
    return person


@pytest.mark.django_db(transaction=True)
def test_an_offender_manager_signs_in_and_opens_a_person_from_their_caseload(
    overdue_person: Any, live_server: Any, browser_page: Any
) -> None:
    person = overdue_person
    page = browser_page
    sign_in(page, live_server.url, "om.one")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My caseload").click()
    page.locator("#caseload").get_by_role("link", name=person.full_name).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Sam BROWN")
    assert page.locator("#compliance").inner_text() == "overdue"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "person.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_user_changes_their_password_in_the_browser(officer: Any, live_server: Any,
                                                      browser_page: Any) -> None:
    page = browser_page
    sign_in(page, live_server.url, "om.one")
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill("correct-horse-9")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="Change password").click()
    assert "too short" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Current password").fill("correct-horse-9")
    page.get_by_label("New password", exact=True).fill("a-longer-pass-phrase-42")
    page.get_by_label("New password again").fill("a-longer-pass-phrase-42")
    page.get_by_role("button", name="Change password").click()
    assert "Your password has been changed" in page.content()
    assert page.locator("#signed-in-as").inner_text() == "om.one"  # still signed in here


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_refused_in_the_browser(officer: Any, live_server: Any,
                                                    browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("om.one")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert "Your username or password is wrong" in page.get_by_role("alert").inner_text()
    page.goto(f"{live_server.url}/people/")
    assert page.url.startswith(f"{live_server.url}/login/")


@pytest.mark.django_db(transaction=True)
def test_five_wrong_passwords_lock_the_username_in_the_browser(officer: Any, live_server: Any,
                                                              browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    for attempt in range(5):
        page.get_by_label("Username").fill("om.one")
        page.get_by_label("Password").fill(f"not-the-password-{attempt}")
        page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert").inner_text()
    assert "too many attempts to sign in with this username" in alert
    assert "Wait 15 minutes" in alert
    page.get_by_label("Username").fill("om.one")
    page.get_by_label("Password").fill("correct-horse-9")  # the right one: still locked
    page.get_by_role("button", name="Sign in").click()
    assert "too many attempts" in page.get_by_role("alert").inner_text()
    assert page.url.startswith(f"{live_server.url}/login/")


@pytest.fixture
def short_idle(settings: Any) -> None:
    import datetime as dt

    settings.WHEREABOUTS_SESSION_IDLE = dt.timedelta(seconds=6)


@pytest.mark.django_db(transaction=True)
def test_a_session_left_idle_ends_in_the_browser(officer: Any, short_idle: None,
                                                 live_server: Any, browser_page: Any) -> None:
    page, base = browser_page, live_server.url
    sign_in(page, base, "om.one")
    page.goto(f"{base}/people/")
    assert page.get_by_role("heading", level=1).is_visible()
    page.wait_for_timeout(7000)
    page.goto(f"{base}/people/")
    assert page.url.startswith(f"{base}/login/")
    assert "You were signed out because whereabouts was not used for 6 seconds" in (
        page.locator("#session-ended").inner_text())


@pytest.fixture
def newcomer(make_user: Any) -> Any:
    return make_user("new.starter", "offender_manager", device=False)


@pytest.mark.django_db(transaction=True)
def test_a_new_user_sets_up_an_app_from_the_page_in_the_browser(
    newcomer: Any, live_server: Any, browser_page: Any
) -> None:
    import base64

    page, base = browser_page, live_server.url
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("new.starter")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your authenticator app"
    assert page.evaluate("document.getElementById('enrol-qr').naturalWidth") > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "enrol.png"), full_page=True)
    secret = page.locator("#secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(
        code_now(base64.b32decode(secret).hex()))  # what the app would show
    page.get_by_role("button", name="Continue").click()
    assert page.locator("#signed-in-as").inner_text() == "new.starter"
    assert page.url == f"{base}/"
    assert refused == []


@pytest.fixture
def supervisor_too(make_user: Any) -> Any:
    return make_user("sup.wm", "supervisor")


def fill_date(page: Any, prefix: str, when: str) -> None:
    year, month, day = when.split("-")
    page.locator(f"#id_{prefix}_day").fill(str(int(day)))
    page.locator(f"#id_{prefix}_month").fill(str(int(month)))
    page.locator(f"#id_{prefix}_year").fill(year)


@pytest.mark.django_db(transaction=True)
def test_the_missing_path_from_a_doorstep_visit_to_located_in_the_browser(
    overdue_person: Any, supervisor_too: Any, live_server: Any, browser_page: Any
) -> None:
    person, page, base = overdue_person, browser_page, live_server.url
    person_url = f"{base}/people/{person.pk}/"
    refused: list[str] = []  # anything the Content Security Policy blocked
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.set_viewport_size({"width": 390, "height": 844})  # an officer's phone at the door
    sign_in(page, base, "om.one")
    page.goto(person_url)
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" in font  # the GOV.UK Frontend styles are served and applied
    page.get_by_role("link", name="Record a home visit").click()
    page.get_by_label("Unannounced").check()
    page.get_by_label("No longer lives here").check()
    page.get_by_label("Who was present").fill("The new tenant")
    page.get_by_label("Notes").fill("New tenant says he left in April")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "visit-form-phone.png"), full_page=True)
    page.get_by_role("button", name="Save").click()
    assert "Visit recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "Whereabouts check open" in page.locator("#open-check").inner_text()

    page.get_by_role("button", name="Sign out", exact=True).click()
    page.set_viewport_size({"width": 1100, "height": 900})
    sign_in(page, base, "sup.wm")
    page.goto(person_url)
    page.get_by_role("button", name="Record as missing").click()
    page.get_by_role("button", name="Save").click()  # nothing filled in: refused, named
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "There is a problem" in summary and "Basis for the decision" in summary
    fill_date(page, "missing_since", "2024-04-10")
    page.get_by_label("Basis for the decision").fill("Not at the address; no trace")
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Probation checked").check()
    page.get_by_role("button", name="Save").click()
    assert "Recorded as missing" in page.locator(".govuk-notification-banner").inner_text()
    assert "Still missing" in page.locator("#episodes").inner_text()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missing").click()
    assert person.reference in page.locator("#missing-board").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "missing-board.png"), full_page=True)
    page.get_by_role("link", name=person.full_name).click()

    page.get_by_role("button", name="Record as located").click()
    page.get_by_label("Where they were found").fill("Walsall bus station")
    page.get_by_label("Found by").fill("PC 1234")
    page.get_by_label("Arrest", exact=True).check()
    page.get_by_label("Arrested", exact=True).check()
    page.get_by_role("button", name="Save").click()
    assert "Recorded as located" in page.locator(".govuk-notification-banner").inner_text()
    assert "Still missing" not in page.locator("#episodes").inner_text()
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert refused == []
