"""PostgreSQL: the import runs with the application role's privileges (``whereabouts
pg-grants``: no LOCK, no setval on the sequences), and rows written after it get new ids.

Skipped on SQLite; CI runs them with DATABASE_URL pointing at PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import TODAY
from tests.imports.test_import import good_extract, write_csvs
from whereabouts.access.grants import app_role_sql
from whereabouts.imports.services import import_register
from whereabouts.register import services
from whereabouts.register.models import Event, Person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

APP_ROLE = "whereabouts_import_test"


def _sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


def test_the_application_role_imports_and_later_rows_get_fresh_ids(tmp_path, make_user,
                                                                   officer):
    admin = make_user("admin.one", "administrator", force=None)
    before = services.person_register(
        force="west-midlands", family_name="Earlier", given_names="Eve",
        date_of_birth="1970-01-01", sex="F", reference="T-0", today=TODAY, recorded_by=None,
        source="test")
    _sql(f"CREATE ROLE {APP_ROLE} NOLOGIN")  # gone when the test's transaction rolls back
    for statement in app_role_sql(APP_ROLE):
        _sql(statement)
    _sql(f"SET ROLE {APP_ROLE}")
    try:
        report = import_register(paths=[write_csvs(tmp_path / "x", good_extract())],
                                 actor=admin, today=TODAY)
        after = services.person_register(
            force="west-midlands", family_name="Later", given_names="Lou",
            date_of_birth="1970-01-01", sex="F", reference="T-1", today=TODAY,
            recorded_by=None, source="test")
    finally:
        _sql("RESET ROLE")
    assert report.people_created == 2
    imported = list(Person.objects.filter(reference__in=["WM-1", "WM-2"]).order_by("pk"))
    assert before.pk < imported[0].pk < imported[1].pk < after.pk
    later_event = Event.objects.get(person=after)
    assert later_event.pk > Event.objects.filter(person__in=imported).order_by("-pk")[0].pk
