"""Django settings, read from the environment so one build serves a laptop demo and production.

- ``WHEREABOUTS_DATA_DIR``: where the SQLite file and the generated secret key live
  (default ``~/.local/share/whereabouts``); created on first use.
- ``DATABASE_URL``: a PostgreSQL URL for production; unset means SQLite in the data dir.
- ``WHEREABOUTS_SECRET_KEY``: required in production; a demo key is generated otherwise.
- ``WHEREABOUTS_DEBUG``, ``WHEREABOUTS_ALLOWED_HOSTS`` (comma-separated).
- ``WHEREABOUTS_TODAY``: pin "today" to an ISO date (the demo lives in autumn 2017).
- ``WHEREABOUTS_HTTPS=1`` for production behind TLS (secure cookies, HSTS, redirect);
  ``WHEREABOUTS_HSTS_SECONDS``, ``WHEREABOUTS_HSTS_INCLUDE_SUBDOMAINS``,
  ``WHEREABOUTS_HSTS_PRELOAD`` tune HSTS.
- ``WHEREABOUTS_SESSION_IDLE_MINUTES``, ``WHEREABOUTS_SIGNIN_FAILURES``,
  ``WHEREABOUTS_SIGNIN_WINDOW_MINUTES``, ``WHEREABOUTS_LOCKOUT_MINUTES``: signing in (below).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

DATA_DIR = Path(
    os.environ.get("WHEREABOUTS_DATA_DIR")
    or Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "whereabouts"
)
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("WHEREABOUTS_SECRET_KEY")
    if key:
        return key
    keyfile = DATA_DIR / "secret_key"
    if not keyfile.exists():
        keyfile.write_text(secrets.token_urlsafe(50))
        keyfile.chmod(0o600)
    return keyfile.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("WHEREABOUTS_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("WHEREABOUTS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "govuk_frontend_django",
    "whereabouts.access",
    "whereabouts.register",
    "whereabouts.compliance",
    "whereabouts.missing",
    "whereabouts.retention",
    "whereabouts.visits",
    "whereabouts.risk",
    "whereabouts.linkage",
    "whereabouts.web",
    "whereabouts.api",
    "whereabouts.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a signed-in user (views opt out with @login_not_required) and then a
    # verified second factor and a live session (see web/middleware.py): new pages are
    # protected without anyone having to remember to.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "whereabouts.web.middleware.SignInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

# A strict Content Security Policy: scripts, styles, fonts and images from this site only;
# no inline script or style anywhere (the pages' own script and styles are static files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

ROOT_URLCONF = "whereabouts.urls"
WSGI_APPLICATION = "whereabouts.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "whereabouts.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'whereabouts.sqlite3'}",
        conn_max_age=int(os.environ.get("WHEREABOUTS_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the sweep writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so that tests can exercise the sweep's worker processes.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Argon2id for every new or changed password; the others only check (and upgrade, on the next
# sign-in) passwords hashed before Argon2 became the first.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# The GOV.UK and MoJ frontend packages, unpacked by ``whereabouts frontend`` (see
# ``web/frontend.py``): CSS and JavaScript under /static/, fonts and images at /assets/.
FRONTEND_DIR = Path(__file__).resolve().parent / "web" / "frontend"
STATICFILES_DIRS = [FRONTEND_DIR / "static"] if (FRONTEND_DIR / "static").is_dir() else []
WHITENOISE_ROOT = FRONTEND_DIR / "root"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
# The longest a session lasts however busy it is (a shift); WHEREABOUTS_SESSION_IDLE ends it
# sooner when it is not used. Both are checked by web/middleware.py.
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if os.environ.get("WHEREABOUTS_HTTPS") == "1":
    # Production behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it
    # from clients). `whereabouts manage check --deploy` passes with these (a test runs it).
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS: a year by default; include subdomains only when every subdomain of the site's
    # domain serves HTTPS (a force's domain may not), and preload only on purpose.
    SECURE_HSTS_SECONDS = int(os.environ.get("WHEREABOUTS_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = (
        os.environ.get("WHEREABOUTS_HSTS_INCLUDE_SUBDOMAINS", "1") == "1")
    SECURE_HSTS_PRELOAD = os.environ.get("WHEREABOUTS_HSTS_PRELOAD", "") == "1"
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a decision for the domain's owner (hard to undo, binds every
        # subdomain), not a default: the deploy check's advice to preload is acknowledged.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# In-process cache: the missing board keeps each open case's worked-out state here, keyed
# by the version of the person's ledger (see missing.selectors.case_states).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

WHEREABOUTS_TODAY = os.environ.get("WHEREABOUTS_TODAY", "")
# An offender manager with more people than this is shown as overloaded on the team view.
WHEREABOUTS_CASELOAD_LIMIT = int(os.environ.get("WHEREABOUTS_CASELOAD_LIMIT", "60"))

# Reviews of an open missing episode (days): a supervisor every 28; a senior officer at
# about 3 months and then about every 6 months.
WHEREABOUTS_REVIEW_SUPERVISOR_DAYS = int(os.environ.get("WHEREABOUTS_REVIEW_SUPERVISOR_DAYS",
                                                        "28"))
WHEREABOUTS_REVIEW_SENIOR_FIRST_DAYS = int(os.environ.get("WHEREABOUTS_REVIEW_SENIOR_FIRST_DAYS",
                                                          "91"))
WHEREABOUTS_REVIEW_SENIOR_DAYS = int(os.environ.get("WHEREABOUTS_REVIEW_SENIOR_DAYS", "182"))

# A whereabouts check: how long the offender manager has, and the force's checklist.
WHEREABOUTS_CHECK_HOURS = int(os.environ.get("WHEREABOUTS_CHECK_HOURS", "72"))
WHEREABOUTS_CHECKLIST = (
    "Notified home address re-visited",
    "Other notified addresses visited",
    "Custody checked (local cells and prisons)",
    "Hospitals checked",
    "Probation checked",
    "Housing checked",
    "DWP checked",
    "Known associates contacted",
    "Phone called",
)

# Signing in: a password, then a time-based code (TOTP, django-otp) from an authenticator app.
# Five failures (passwords or codes) for one username within 15 minutes lock that username for
# 15 minutes, whether or not such a user exists (see access/signin.py).
def _minutes(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(minutes=int(os.environ.get(name, str(default))))


WHEREABOUTS_SESSION_IDLE = _minutes("WHEREABOUTS_SESSION_IDLE_MINUTES", 30)
WHEREABOUTS_SIGNIN_FAILURES = int(os.environ.get("WHEREABOUTS_SIGNIN_FAILURES", "5"))
WHEREABOUTS_SIGNIN_WINDOW = _minutes("WHEREABOUTS_SIGNIN_WINDOW_MINUTES", 15)
WHEREABOUTS_LOCKOUT = _minutes("WHEREABOUTS_LOCKOUT_MINUTES", 15)
OTP_TOTP_ISSUER = "whereabouts"
# django-otp's own per-device throttle (a growing wait after each wrong code) is off: the
# lockout above covers codes and passwords alike, with one rule and one message.
OTP_TOTP_THROTTLE_FACTOR = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WHEREABOUTS_LOG_LEVEL", "WARNING")},
}

# Home visits: the policy a force has until it chooses its own (visits/policy.py presets:
# "tailored", since 2017, or "national_standard", until 2017).
WHEREABOUTS_VISIT_PRESET = os.environ.get("WHEREABOUTS_VISIT_PRESET", "tailored")
