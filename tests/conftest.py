"""Shared fixtures: users of each role and people built through the real services."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True, scope="session")
def _postgres_really_used(django_db_setup: Any, django_db_blocker: Any) -> None:
    """When the run is meant for PostgreSQL, refuse to pass quietly on another database."""
    if os.environ.get("WHEREABOUTS_REQUIRE_POSTGRES") == "1":
        from django.db import connection

        with django_db_blocker.unblock():
            assert connection.vendor == "postgresql", "this run must use PostgreSQL"


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_guards() -> Iterator[None]:
    """On PostgreSQL the audit table refuses TRUNCATE (access migration 0004); a transactional
    test's flush empties it as a superuser with the triggers off (``audit_guards_off``)."""
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: nothing to do
        yield
        return
    from whereabouts.access.grants import audit_guards_off

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: Any, sql_list: Any) -> None:
        with audit_guards_off(self.connection.alias):
            original(self, sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


TODAY = dt.date(2024, 6, 1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Real hashing is slow on purpose; tests need only that passwords are checked."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: a rolled-back test's ids can come back."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def client() -> Any:
    """pytest-django's client, whose ``force_login`` also gives the second factor.

    The session it makes is one the real sign-in would make after a right password and code
    (a confirmed TOTP device recorded as verified, the session stamps); the sign-in pages
    themselves are tested through the real path in tests/web/test_signin.py.
    """
    from whereabouts.web.testing import VerifiedClient

    return VerifiedClient()


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from django.contrib.auth import get_user_model

    from whereabouts.access.models import StaffProfile
    from whereabouts.register.forces import ensure_forces
    from whereabouts.register.postcodes import ensure_postcode_districts

    ensure_forces()  # a transactional test's flush empties the reference tables too
    ensure_postcode_districts()

    def make(username: str, role: str | None, force: str | None = "west-midlands", *,
             device: bool = True) -> Any:
        """A user with the password "correct-horse-9" and, unless ``device`` is False, an
        authenticator app whose codes ``whereabouts.web.testing.code_now()`` gives."""
        from whereabouts.web.testing import give_device

        user = get_user_model().objects.create_user(username=username, password="correct-horse-9")
        if role is not None:
            StaffProfile.objects.create(user=user, role=role, force_id=force)
        if device:
            give_device(user)
        return user

    return make


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user("om.one", "offender_manager")


@pytest.fixture
def make_person(db: Any, officer: Any) -> Callable[..., Any]:
    from whereabouts.register import services

    counter = iter(range(1, 10_000))

    def make(*, force: str = "west-midlands", dob: str = "1980-05-01", manager: Any = officer,
             **kwargs: Any) -> Any:
        person = services.person_register(
            force=force, family_name=kwargs.pop("family_name", "Testperson"),
            given_names=kwargs.pop("given_names", "Alex"), date_of_birth=dob,
            sex=kwargs.pop("sex", "M"), reference=f"T-{next(counter):05d}", today=TODAY,
            recorded_by=officer, source="test", **kwargs,
        )
        if manager is not None:
            services.event_record(
                person_id=person.pk, kind="assignment", effective_date=TODAY, today=TODAY,
                recorded_by=officer, source="test",
                details={"offender_manager": manager.username, "force": force},
            )
            person.refresh_from_db()
        return person

    return make
