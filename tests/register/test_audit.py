"""The audit chain: any edit, removal, insertion or reordering of an entry is detected.

The tamper tests act as an attacker with rights on the table would: they first switch off
the database's guards (drop the SQLite trigger, disable the PostgreSQL triggers; both undone
when the test's transaction rolls back) and then change the rows with plain SQL. They run
on SQLite and, with DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from whereabouts.access import audit
from whereabouts.access.models import AuditEntry

TABLE = "access_auditentry"


def _chain(n: int = 4) -> list[AuditEntry]:
    return [audit.record(actor=None, action="consultation", what=f"look {i}", person_id=i,
                         reason=f"reason {i}") for i in range(n)]


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _guards_off() -> None:
    """What an attacker with the table owner's rights does first."""
    if connection.vendor == "sqlite":
        _sql(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
    else:
        _sql("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on the table
        _sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")


def _move(old_id: int, new_id: int) -> None:
    _sql(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [new_id, old_id])


def _insert(entry_id: int, **fields: Any) -> None:
    at = fields.get("at", dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC))
    _sql(f"INSERT INTO {TABLE} (id, at, actor_name, action, person_id, what, reason, "
         "prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
         [entry_id, at, fields.get("actor_name", "forger"), "consultation",
          fields.get("person_id"), fields.get("what", "forged"), "", fields["prev_hash"],
          fields["hash"]])


def _forged_hash(entry_id: int, prev_hash: str, **fields: Any) -> str:
    """The hash a forger who knows the (public) scheme would give an inserted entry."""
    entry = AuditEntry(id=entry_id, at=fields.get("at", dt.datetime(2024, 6, 1, 12,
                                                                    tzinfo=dt.UTC)),
                       actor_name="forger", action="consultation", person_id=None,
                       what="forged", reason="", prev_hash=prev_hash)
    return audit._digest(entry)


@pytest.mark.django_db
def test_an_untouched_chain_verifies():
    entries = _chain(3)
    report = audit.verify()
    assert report.ok and report.entries == 3
    assert (report.last_id, report.last_hash) == (entries[-1].pk, entries[-1].hash)


@pytest.mark.django_db
@pytest.mark.parametrize("column, value", [
    ("at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
    ("actor_name", "someone.else"),
    ("action", "disclosure"),
    ("person_id", 999),
    ("what", "nothing to see"),
    ("reason", "a better reason"),
    ("prev_hash", "f" * 64),
    ("hash", "e" * 64),
])
def test_altering_any_field_of_an_entry_names_that_entry(column, value):
    entries = _chain()
    _guards_off()
    _sql(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, entries[1].pk])
    report = audit.verify()
    assert not report.ok
    assert report.first_bad_id == entries[1].pk


@pytest.mark.django_db
def test_an_altered_entry_given_a_fresh_hash_breaks_the_next_link():
    entries = _chain()
    _guards_off()
    altered = AuditEntry.objects.get(pk=entries[1].pk)
    altered.what = "nothing to see"
    _sql(f"UPDATE {TABLE} SET what = %s, hash = %s WHERE id = %s",
         [altered.what, audit._digest(altered), altered.pk])
    report = audit.verify()
    assert report.first_bad_id == entries[2].pk
    assert report.problem == f"does not link to entry {entries[1].pk}, the entry before it"


@pytest.mark.django_db
@pytest.mark.parametrize("removed, named", [(0, 1), (1, 2), (2, 3)])
def test_a_removed_entry_names_the_entry_after_it(removed, named):
    entries = _chain()
    _guards_off()
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [entries[removed].pk])
    report = audit.verify()
    assert not report.ok
    assert report.first_bad_id == entries[named].pk


@pytest.mark.django_db
def test_entries_removed_from_the_end_are_caught_by_an_anchor():
    entries = _chain()
    noted = audit.verify()
    anchor = (noted.last_id, noted.last_hash)
    assert audit.verify(anchor=anchor).ok
    _guards_off()
    _sql(f"DELETE FROM {TABLE} WHERE id >= %s", [entries[2].pk])
    assert audit.verify().ok  # a shorter chain is still a whole chain...
    report = audit.verify(anchor=anchor)  # ...but the noted entry has gone
    assert not report.ok
    assert f"entry {entries[-1].pk}, noted earlier, is no longer in the log" in report.problem


@pytest.mark.django_db
def test_an_anchor_with_another_hash_is_reported():
    entries = _chain(2)
    report = audit.verify(anchor=(entries[0].pk, "a" * 64))
    assert report.first_bad_id == entries[0].pk


@pytest.mark.django_db
def test_an_entry_inserted_at_the_end_with_a_wrong_link_is_named():
    entries = _chain()
    _insert(entries[-1].pk + 1, prev_hash=entries[1].hash, hash="d" * 64)
    report = audit.verify()
    assert report.first_bad_id == entries[-1].pk + 1


@pytest.mark.django_db
def test_an_entry_inserted_between_two_others_is_detected():
    """The forger makes room by moving the later entries up, then inserts an entry that links
    to the one before it and carries a correct hash of its own: the entry after it no
    longer links."""
    entries = _chain()
    _guards_off()
    for entry in reversed(entries[2:]):
        _move(entry.pk, entry.pk + 100)
    forged_id = entries[2].pk
    _insert(forged_id, prev_hash=entries[1].hash,
            hash=_forged_hash(forged_id, entries[1].hash))
    report = audit.verify()
    assert report.first_bad_id == entries[2].pk + 100
    assert f"does not link to entry {forged_id}" in report.problem


@pytest.mark.django_db
@pytest.mark.parametrize("first, second", [(0, 1), (1, 3), (2, 3)])
def test_reordered_entries_are_detected_at_the_first_moved(first, second):
    entries = _chain()
    _guards_off()
    a, b = entries[first].pk, entries[second].pk
    _move(a, -1)
    _move(b, a)
    _move(-1, b)
    report = audit.verify()
    assert not report.ok
    assert report.first_bad_id == a


@contextlib.contextmanager
def _refused() -> Iterator[None]:
    with pytest.raises(DatabaseError), transaction.atomic():
        yield


@pytest.mark.django_db
def test_an_update_through_the_application_is_refused_by_the_database():
    entry = audit.record(actor=None, action="consultation", what="look")
    with _refused():
        AuditEntry.objects.filter(pk=entry.pk).update(what="nothing to see")
    with _refused():
        _sql(f"UPDATE {TABLE} SET what = 'x' WHERE id = %s", [entry.pk])
    assert audit.verify().ok


@pytest.mark.django_db
def test_the_models_refuse_to_change_or_delete_an_entry():
    entry = audit.record(actor=None, action="consultation", what="look")
    entry.what = "nothing to see"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


@pytest.mark.django_db
def test_the_audit_verify_command_reports_the_chain(capsys):
    from whereabouts.cli.main import main

    entry = audit.record(actor=None, action="consultation", what="look")
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "Audit chain intact: 1 entries verified." in out
    assert f"Last entry: {entry.pk}:{entry.hash}" in out
    assert main(["audit", "verify", "--anchor", f"{entry.pk}:{entry.hash}"]) == 0


@pytest.mark.django_db
def test_the_audit_verify_command_names_the_first_bad_entry(capsys):
    from whereabouts.cli.main import main

    entries = _chain(3)
    _guards_off()
    _sql(f"UPDATE {TABLE} SET reason = 'edited' WHERE id = %s", [entries[1].pk])
    assert main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"Audit chain BROKEN at entry {entries[1].pk}: content does not match its hash" in err


# ---- the people a list page showed -------------------------------------------------------

LISTING = "access_auditlisting"


def _listing_guards_off() -> None:
    if connection.vendor == "sqlite":
        _sql(f"DROP TRIGGER IF EXISTS {LISTING}_no_update")
    else:
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
        _sql(f"ALTER TABLE {LISTING} DISABLE TRIGGER USER")


@pytest.mark.django_db
def test_an_entry_keeps_the_people_its_list_showed_under_its_hash():
    entry = audit.record(actor=None, action="consultation", what="listed people",
                         listed=[7, 3, 7, 9])
    assert entry.listed == "7 3 9"
    assert sorted(entry.listings.values_list("person_id", flat=True)) == [3, 7, 9]
    assert audit.verify().ok


@pytest.mark.django_db
def test_an_entry_without_a_list_hashes_as_entries_did_before_lists():
    entry = audit.record(actor=None, action="consultation", what="look", person_id=1)
    assert entry.hash == audit._digest(entry)
    entry.listed = "1"
    assert audit._digest(entry) != entry.hash  # the list is covered once there is one


@pytest.mark.django_db
def test_a_person_removed_from_the_index_of_lists_is_detected():
    _chain(2)
    entry = audit.record(actor=None, action="consultation", what="listed", listed=[5, 6])
    _chain(1)
    _listing_guards_off()
    _sql(f"DELETE FROM {LISTING} WHERE entry_id = %s AND person_id = 6", [entry.pk])
    report = audit.verify()
    assert (report.first_bad_id, report.ok) == (entry.pk, False)
    assert "does not match the index of lists" in report.problem


@pytest.mark.django_db
def test_a_person_added_to_the_index_of_lists_is_detected():
    plain = _chain(2)
    _listing_guards_off()
    _sql(f"INSERT INTO {LISTING} (entry_id, person_id) VALUES (%s, 42)", [plain[1].pk])
    report = audit.verify()
    assert report.first_bad_id == plain[1].pk and not report.ok


@pytest.mark.django_db
def test_a_list_edited_on_the_entry_breaks_its_hash():
    entry = audit.record(actor=None, action="consultation", what="listed", listed=[5, 6])
    _guards_off()
    _sql(f"UPDATE {TABLE} SET listed = '5' WHERE id = %s", [entry.pk])
    report = audit.verify()
    assert (report.first_bad_id, report.problem) == (entry.pk, "content does not match its hash")
