"""Production hardening: Django's deployment check passes on production-like settings, and
the security headers are sent.

The check runs in a subprocess because the settings are read from the environment once, at
start-up; CI runs it with the rest of the suite.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

PRODUCTION = {
    "WHEREABOUTS_HTTPS": "1",
    "WHEREABOUTS_DEBUG": "0",
    "WHEREABOUTS_ALLOWED_HOSTS": "whereabouts.example.police.uk",
}


def _whereabouts() -> list[str]:
    found = shutil.which("whereabouts", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "whereabouts.cli.main"]


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("WHEREABOUTS_") and k != "DJANGO_SETTINGS_MODULE"}
    environ.update(WHEREABOUTS_DATA_DIR=str(tmp_path), **env)
    return subprocess.run([*_whereabouts(), *args], env=environ, capture_output=True,
                          text=True, timeout=300)


def test_the_deployment_check_passes_on_production_settings(tmp_path):
    result = _run(tmp_path, "manage", "check", "--deploy", "--fail-level", "WARNING",
                  WHEREABOUTS_SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_fails_without_https(tmp_path):
    """The check is a real gate: the laptop defaults do not pass it."""
    result = _run(tmp_path, "manage", "check", "--deploy", "--fail-level", "WARNING",
                  WHEREABOUTS_SECRET_KEY=secrets.token_urlsafe(64),
                  WHEREABOUTS_ALLOWED_HOSTS="whereabouts.example.police.uk")
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS


def test_production_settings_values(tmp_path):
    code = ("from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, "
            "s.SESSION_COOKIE_NAME)")
    result = _run(tmp_path, "manage", "shell", "-c", code,
                  WHEREABOUTS_SECRET_KEY=secrets.token_urlsafe(64),
                  WHEREABOUTS_HSTS_INCLUDE_SUBDOMAINS="0", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True 31536000 False ('HTTP_X_FORWARDED_PROTO', 'https') __Host-sessionid")


@pytest.mark.django_db
def test_security_headers_on_every_page(client: Any, make_user: Any) -> None:
    client.force_login(make_user("dpo.one", "auditor", force=None))
    response = client.get(reverse("audit-person"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.django_db
def test_https_redirect_and_hsts_behind_the_proxy(client: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
