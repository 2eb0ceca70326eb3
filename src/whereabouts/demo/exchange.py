"""The demo's work across forces, recorded through the services as officers would do it.

After the national register is built (``build.build_demo``, which writes exactly what the
generator draws), this records, in the West Midlands scenario's autumn of 2017:

- **A handover, end to end.** One of ``om.demo``'s people notifies a new home address in
  Tamworth (B77, Staffordshire's area) on 16 October 2017; the transfer opens; on 20 October
  ``staffs.demo`` accepts it and assigns a Staffordshire offender manager. The timeline shows
  the notification, the transfer opened, accepted, and the new assignment.
- **A transfer waiting.** Another notifies an address in Stafford (ST16) on 1 November: it
  waits for ``staffs.demo`` to accept (due 8 November), and both forces see the person.
- **An overdue transfer.** A third notified an address in Bromsgrove (B60, West Mercia's area)
  on 20 October; West Mercia has not accepted it, so ``supervisor.demo``'s home page warns.
- **The inbox.** ``staffs.demo`` acknowledges the West Midlands' newest circulation and reports
  a sighting of one of ``om.demo``'s missing people, which ``om.demo``'s inbox shows first.

Figures as at the FOI date (30 September 2017) do not move: a person counts for the force
responsible for them on the date asked about (``transfers.forces_as_at``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from whereabouts.access import policy
from whereabouts.missing import inbox
from whereabouts.missing.selectors import episodes_by_person
from whereabouts.register import recording, transfers
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Person, Transfer

from .generator import DEMO_OFFENDER_MANAGER

HANDOVER = (dt.date(2017, 10, 16), dt.date(2017, 10, 20), "14 Victoria Road", "Tamworth",
            "B77 1AA")
WAITING = (dt.date(2017, 11, 1), "3 Lichfield Road", "Stafford", "ST16 2AB")
OVERDUE = (dt.date(2017, 10, 20), "27 Worcester Road", "Bromsgrove", "B60 2AA")
SIGHTING_ON = dt.date(2017, 11, 3)


def _candidates(as_at: dt.date) -> list[Person]:
    """``om.demo``'s people who are not missing and have nothing recorded from ``as_at`` on,
    in reference order."""
    missing = {pid for pid, (_, episodes) in episodes_by_person(as_at).items()
               if any(e.open_on(as_at) for e in episodes)}
    return list(Person.objects.filter(offender_manager__username=DEMO_OFFENDER_MANAGER,
                                      addresses__isnull=False)
                .exclude(pk__in=missing).exclude(events__effective_date__gte=as_at)
                .distinct().order_by("reference")[:40])


def _move(actor: Any, candidates: list[Person], on: dt.date, line1: str, town: str,
          postcode: str) -> Transfer:
    """The first candidate whose notification the register takes (not in custody or abroad
    that day, for instance) moves; they leave the list."""
    for person in list(candidates):
        candidates.remove(person)
        try:
            with transaction.atomic():
                recording.record_notification(
                    person_id=person.pk, kind="notification.change", notified_on=on,
                    actor=actor, today=on, change="home_address", line1=line1, town=town,
                    postcode=postcode, station="Bloxwich",
                    note="Moving out of the force area (demo)")
        except InvalidInput:
            continue
        return Transfer.objects.get(person=person, state="pending")
    raise LookupError("no one in om.demo's caseload could notify a move")


@transaction.atomic
def stage_cross_force(progress: Callable[[str], Any] = print) -> dict[str, Any]:
    """Record the demo's handovers and inbox traffic; returns what it did, for the summary."""
    users = get_user_model().objects.in_bulk(
        [DEMO_OFFENDER_MANAGER, "staffs.demo"], field_name="username")
    om, staffs = users[DEMO_OFFENDER_MANAGER], users["staffs.demo"]
    candidates = _candidates(HANDOVER[0])
    first = _move(om, candidates, HANDOVER[0], *HANDOVER[2:])
    receiving = next(u for u in policy.caseworkers("staffordshire")
                     if u.get_username() != "staffs.demo")
    transfers.accept_transfer(transfer_id=first.pk, offender_manager=receiving.get_username(),
                              actor=staffs, today=HANDOVER[1],
                              note="Home visit in Tamworth done; case taken on (demo)")
    overdue = _move(om, candidates, *OVERDUE)
    waiting = _move(om, candidates, *WAITING)
    handed = first.person
    items = inbox.inbox(staffs, SIGHTING_ON)
    from_wm = [c for c in inbox.fill(items, SIGHTING_ON)
               if c.person is not None and c.person.force_id == "west-midlands"]
    inbox.acknowledge(circulation_id=from_wm[0].event_id, actor=staffs, today=SIGHTING_ON)
    seen = next(c for c in from_wm if c.person is not None and c.episode is not None
                and c.person.offender_manager_id == om.pk)
    inbox.report_sighting(circulation_id=seen.event_id, seen_on=SIGHTING_ON, action="sighting",
                          where="Stafford railway station",
                          note="Seen by a PCSO on the London platform (demo)", actor=staffs,
                          today=SIGHTING_ON)
    progress(f"  Cross-force examples: {handed.reference} handed to Staffordshire; "
             f"{waiting.person.reference} waiting for Staffordshire; "
             f"{overdue.person.reference} overdue at West Mercia; a sighting of "
             f"{seen.person.reference} reported by Staffordshire")
    return {"handed": handed, "waiting": waiting.person, "overdue": overdue.person,
            "seen": seen.person}
