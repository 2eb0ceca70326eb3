"""Writing and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from .models import AuditEntry

GENESIS = "0" * 64


def _digest(entry: AuditEntry) -> str:
    content = json.dumps(
        [entry.prev_hash, entry.at.isoformat(), entry.actor_name, entry.action,
         entry.person_id, entry.what, entry.reason],
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode()).hexdigest()


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    what: str,
    person_id: int | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry to the chain. Runs inside the caller's transaction, if any."""
    with transaction.atomic():
        # Lock the tail so two writers cannot both chain onto the same entry.
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
            prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = _digest(entry)
        entry.save()
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_bad_id: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify() -> ChainReport:
    """Walk the chain from the start; report the first entry whose hash or link is wrong."""
    prev = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=5000):
        count += 1
        if entry.prev_hash != prev:
            return ChainReport(count, entry.id, "does not link to the entry before it")
        if _digest(entry) != entry.hash:
            return ChainReport(count, entry.id, "content does not match its hash")
        prev = entry.hash
    return ChainReport(count, None, "")
