#!/usr/bin/env python3
"""Regenerate the screenshots in docs/screenshots from the demo, in headless Chromium.

    .venv/bin/python tools/screenshots.py            # builds the demo in a temporary directory
    .venv/bin/python tools/screenshots.py --data-dir var   # use an already built demo

Starts ``whereabouts serve`` on a free port with the demo's date (6 November 2017), signs in
as the demo users (password, then the code from ``whereabouts demo-code``) and saves each
main page. Every name in them is synthetic.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "whereabouts-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - localhost
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not start")


def shoot(base: str, env: dict[str, str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})

        def sign_in(username: str) -> None:
            page.goto(f"{base}/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            for _ in range(2):  # a code works once: the same user again waits for the next
                code = subprocess.run([str(BIN / "whereabouts"), "demo-code", username], env=env,
                                      check=True, capture_output=True, text=True).stdout.strip()
                page.get_by_label("Code from your authenticator app").fill(code)
                page.get_by_role("button", name="Continue").click()
                if "/login/" not in page.url:
                    return
                time.sleep(30.5 - time.time() % 30)
            raise SystemExit(f"could not sign in as {username}")

        def save(name: str, *, full: bool = True) -> None:
            path = OUT / name
            page.screenshot(path=str(path), full_page=full)
            saved.append(path)

        sign_in("om.demo")
        page.goto(f"{base}/people/")
        save("caseload.png")
        page.locator("table a.govuk-link").first.click()
        save("person.png", full=False)
        page.get_by_role("button", name="Sign out", exact=True).click()

        sign_in("supervisor.demo")
        page.goto(f"{base}/missing/")
        save("missing-board.png")
        page.goto(f"{base}/missing/?flagged=1&sort=review_due")
        save("missing-board-flagged.png")
        page.locator("#missing-board a.govuk-link").first.click()
        save("missing-person.png", full=False)
        page.get_by_role("button", name="Review the case").click()
        page.get_by_role("button", name="Save").click()  # empty: shows the error summary
        save("form-errors.png")
        page.goto(f"{base}/missing/times/?start_day=1&start_month=1&start_year=2015"
                  "&end_day=6&end_month=11&end_year=2017&by=force")
        save("missing-times.png")
        page.get_by_role("button", name="Sign out", exact=True).click()

        sign_in("om.demo")
        page.goto(f"{base}/leads/")
        page.locator("table a.govuk-link").first.click()
        save("lead.png")
        page.get_by_role("button", name="Sign out", exact=True).click()

        sign_in("supervisor.demo")
        page.goto(f"{base}/duplicates/")
        page.locator("table a.govuk-link").first.click()
        save("duplicate.png")
        page.get_by_role("button", name="Sign out", exact=True).click()

        sign_in("om.demo")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/people/")
        page.locator("table a.govuk-link").first.click()
        page.get_by_role("link", name="Record a home visit").click()
        save("visit-phone.png")
        browser.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="a data directory with the demo already built")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        data = Path(args.data_dir).resolve() if args.data_dir else Path(tmp)
        env = dict(os.environ, WHEREABOUTS_DATA_DIR=str(data), WHEREABOUTS_TODAY="2017-11-06")
        env.pop("DATABASE_URL", None)
        if not args.data_dir:
            print("Building the demo...", flush=True)
            subprocess.run([str(BIN / "whereabouts"), "demo", "--build-only"], env=env,
                           check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen([str(BIN / "whereabouts"), "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/login/")
            for path in shoot(base, env):
                print(f"saved {path.relative_to(ROOT)}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
