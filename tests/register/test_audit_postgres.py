"""PostgreSQL: the audit table refuses UPDATE, DELETE and TRUNCATE, and the application's own
role (with the privileges ``whereabouts pg-grants`` prints) cannot change it at all.

Skipped on SQLite; CI runs them with DATABASE_URL pointing at PostgreSQL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction

from whereabouts.access import audit
from whereabouts.access.grants import app_role_sql
from whereabouts.access.models import AuditEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

TABLE = "access_auditentry"
APP_ROLE = "whereabouts_app_test"


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@contextlib.contextmanager
def _refused(message: str) -> Iterator[None]:
    with pytest.raises(DatabaseError, match=message), transaction.atomic():
        yield


@contextlib.contextmanager
def _as_app_role() -> Iterator[None]:
    """Run as a role with the documented privileges (created inside the test's transaction,
    so it disappears when the test rolls back)."""
    _sql(f"CREATE ROLE {APP_ROLE} NOLOGIN")
    for statement in app_role_sql(APP_ROLE):
        _sql(statement)
    _sql(f"SET ROLE {APP_ROLE}")
    try:
        yield
    finally:
        _sql("RESET ROLE")


def test_update_delete_and_truncate_are_refused_by_triggers():
    entry = audit.record(actor=None, action="consultation", what="look")
    with _refused("append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(what="nothing to see")
    with _refused("DELETE on access_auditentry refused"):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with _refused("DELETE on access_auditentry refused"):
        _sql(f"DELETE FROM {TABLE}")
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # else TRUNCATE stops at the deferred FK check
    with _refused("TRUNCATE on access_auditentry refused"):
        _sql(f"TRUNCATE {TABLE}")
    assert AuditEntry.objects.count() == 1
    assert audit.verify().ok


def test_the_application_role_writes_and_reads_the_chain():
    audit.record(actor=None, action="consultation", what="before")
    with _as_app_role():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == APP_ROLE
        audit.record(actor=None, action="consultation", what="as the application")
        assert audit.verify().ok
        # and it may still write its working tables
        _sql("UPDATE register_force SET name = name")


def test_the_application_role_cannot_change_the_audit_log_even_without_triggers():
    entry = audit.record(actor=None, action="consultation", what="look")
    _sql("SET CONSTRAINTS ALL IMMEDIATE")
    _sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")  # as the owner
    with _as_app_role():
        with _refused("permission denied"):
            AuditEntry.objects.filter(pk=entry.pk).update(what="nothing to see")
        with _refused("permission denied"):
            _sql(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])
        with _refused("permission denied"):
            _sql(f"TRUNCATE {TABLE}")
        with _refused("must be owner"):
            _sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        with _refused("permission denied"):
            _sql("UPDATE register_event SET source = 'x'")
    assert AuditEntry.objects.get(pk=entry.pk).what == "look"
