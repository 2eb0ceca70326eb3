"""Writing and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEntry, AuditListing

GENESIS = "0" * 64
# Any constant: PostgreSQL's advisory lock that serialises writers of the chain.
_CHAIN_LOCK = 0x61756469


def _digest(entry: AuditEntry) -> str:
    fields: list[object] = [entry.prev_hash, entry.at.isoformat(), entry.actor_name,
                            entry.action, entry.person_id, entry.what, entry.reason]
    if entry.listed:  # only when there is a list, so entries from before lists keep their hash
        fields.append(entry.listed)
    content = json.dumps(fields, separators=(",", ":"))
    return hashlib.sha256(content.encode()).hexdigest()


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    what: str,
    person_id: int | None = None,
    reason: str = "",
    listed: Iterable[int] = (),
) -> AuditEntry:
    """Append one entry to the chain. Runs inside the caller's transaction, if any.

    ``listed``: the people a list page showed (a caseload page, search results, the missing
    board). They go into the entry, under its hash, and into :class:`AuditListing`, the index
    by person that the auditor's "who looked at this person" reads: each appearance on a list
    is a look at that person (DPA 2018 s.62), found without reading the whole log.
    """
    listed_ids = list(dict.fromkeys(int(pid) for pid in listed))
    with transaction.atomic():
        # Serialise writers so two cannot both chain onto the same entry. On PostgreSQL an
        # advisory lock, because SELECT ... FOR UPDATE needs the UPDATE privilege that the
        # application's role does not have on this table (see access.grants); SQLite's
        # IMMEDIATE transactions already serialise writers.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
            last = AuditEntry.objects.order_by("-id").first()
        else:
            last = AuditEntry.objects.select_for_update().order_by("-id").first()
        user = actor if actor is not None and actor.is_authenticated else None
        entry = AuditEntry(
            at=timezone.now(),
            actor=user,
            actor_name=user.get_username() if user is not None else "system",
            action=action,
            person_id=person_id,
            what=what[:200],
            reason=reason,
            listed=" ".join(str(pid) for pid in listed_ids),
            prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = _digest(entry)
        entry.save()
        if listed_ids:
            _index_listing(entry.pk, listed_ids)
    return entry


def _index_listing(entry_id: int, person_ids: list[int]) -> None:
    """One multi-row INSERT per 500 people: a tenth of the time of ``bulk_create``, which
    builds a model instance per row (a caseload page lists 50)."""
    table = connection.ops.quote_name(AuditListing._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(person_ids), 500):
            chunk = person_ids[start:start + 500]
            cursor.execute(f"INSERT INTO {table} (entry_id, person_id) VALUES "
                           + ", ".join(["(%s, %s)"] * len(chunk)),
                           [value for pid in chunk for value in (entry_id, pid)])


def _listings_by_entry() -> Iterator[tuple[int, list[int]]]:
    """(entry id, the person ids listed) from the index of lists, in entry order."""
    entry_id: int | None = None
    ids: list[int] = []
    for eid, pid in (AuditListing.objects.order_by("entry_id", "person_id")
                     .values_list("entry_id", "person_id").iterator(chunk_size=20000)):
        if eid != entry_id:
            if entry_id is not None:
                yield entry_id, ids
            entry_id, ids = eid, []
        ids.append(pid)
    if entry_id is not None:
        yield entry_id, ids


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_bad_id: int | None
    problem: str
    last_id: int | None = None
    last_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.problem


def verify(*, anchor: tuple[int, str] | None = None) -> ChainReport:
    """Walk the chain from the start; report the first entry whose hash or link is wrong.

    An edited entry fails its own hash; an entry removed, inserted or moved breaks the link
    of the entry after it (or of itself), so the report names the first entry from which the
    chain can no longer be trusted. Removing entries from the *end* leaves a shorter chain
    that is still whole: ``anchor``, an (id, hash) noted earlier somewhere the database's
    users cannot write (``whereabouts audit verify`` prints the last one), catches that, as
    it catches a chain rewritten from before the anchor.
    """
    prev = GENESIS
    prev_id: int | None = None
    count = 0
    anchor_seen = anchor is None
    listings = _listings_by_entry()
    pending = next(listings, None)
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=5000):
        count += 1
        if entry.prev_hash != prev:
            before = f"entry {prev_id}" if prev_id is not None else "the start of the log"
            return ChainReport(count, entry.id,
                               f"does not link to {before}, the entry before it")
        if _digest(entry) != entry.hash:
            return ChainReport(count, entry.id, "content does not match its hash")
        if pending is not None and pending[0] < entry.id:  # rows for no entry of the log
            return ChainReport(count, pending[0], "has list rows that no entry of the log has")
        rows: list[int] = []
        if pending is not None and pending[0] == entry.id:
            rows = pending[1]
            pending = next(listings, None)
        if sorted(rows) != sorted(entry.listed_ids()):
            return ChainReport(count, entry.id, "its list of the people shown does not match "
                                                "the index of lists (access_auditlisting)")
        if anchor is not None and entry.id == anchor[0]:
            if entry.hash != anchor[1]:
                return ChainReport(count, entry.id,
                                   "has a different hash from the one noted for it earlier")
            anchor_seen = True
        prev, prev_id = entry.hash, entry.id
    if pending is not None:
        return ChainReport(count, pending[0], "has list rows that no entry of the log has")
    if not anchor_seen:
        assert anchor is not None
        return ChainReport(count, None,
                           f"entry {anchor[0]}, noted earlier, is no longer in the log "
                           "(entries were removed from the end)", prev_id, prev)
    return ChainReport(count, None, "", prev_id, prev)
