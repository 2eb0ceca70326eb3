"""The audit chain: any edit or removal of an entry is detected."""

from __future__ import annotations

import pytest
from django.db import connection

from whereabouts.access import audit
from whereabouts.access.models import AuditEntry


@pytest.mark.django_db
def test_an_untouched_chain_verifies():
    for i in range(3):
        audit.record(actor=None, action="consultation", what=f"look {i}")
    report = audit.verify()
    assert report.ok and report.entries == 3


@pytest.mark.django_db
def test_a_removed_entry_breaks_the_chain():
    entries = [audit.record(actor=None, action="consultation", what=f"look {i}") for i in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditentry WHERE id = %s", [entries[1].pk])
    report = audit.verify()
    assert not report.ok
    assert report.first_bad_id == entries[2].pk


@pytest.mark.django_db
def test_an_edited_entry_is_refused_by_the_database():
    from django.db import DatabaseError, transaction

    entry = audit.record(actor=None, action="consultation", what="look")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(what="nothing to see")


@pytest.mark.django_db
def test_the_audit_verify_command_reports_the_chain(capsys):
    from whereabouts.cli.main import main

    audit.record(actor=None, action="consultation", what="look")
    assert main(["audit", "verify"]) == 0
    assert "Audit chain intact: 1 entries verified." in capsys.readouterr().out
