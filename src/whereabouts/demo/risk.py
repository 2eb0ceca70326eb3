"""The demo's MAPPA meetings, orders and ARMS assessments, recorded through the services as
officers would record them, after the national register is built (like ``exchange``).

In the West Midlands scenario's autumn of 2017, among ``om.demo``'s people (the first in
reference order who are not missing and are subject to the requirements):

- **A level 2 MAPP meeting** on 12 October 2017 with the police, probation (``partner.demo``,
  who sees the meeting and the action they own) and housing; three actions: ``om.demo``'s
  unannounced visit due 31 October (overdue on 6 November, on their MAPPA page), probation's
  due 20 November, and one for children's services with no named owner. An ARMS assessment
  of 1 September 2017 (next due 1 March 2018).
- **A SHPO in force** (indefinite, three prohibitions, varied in 2017) and an SRO that ended.
- **An ARMS assessment overdue**: assessed 20 October 2016, the next due 20 October 2017, so
  the sweep's task is on ``om.demo``'s list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from whereabouts.compliance.models import ComplianceStatus
from whereabouts.missing.selectors import episodes_by_person
from whereabouts.register.models import Person
from whereabouts.risk import services
from whereabouts.visits.sweep import SUBJECT

from . import SCENARIO_TODAY
from .generator import DEMO_OFFENDER_MANAGER

MEETING_ON = dt.date(2017, 10, 12)


def _people(count: int) -> list[Person]:
    missing = {pid for pid, (_, episodes) in episodes_by_person(SCENARIO_TODAY).items()
               if any(e.open_on(SCENARIO_TODAY) for e in episodes)}
    subject = ComplianceStatus.objects.filter(compliance__in=SUBJECT).values("person_id")
    return list(Person.objects.filter(offender_manager__username=DEMO_OFFENDER_MANAGER,
                                      force_id="west-midlands", pk__in=subject)
                .exclude(pk__in=missing).order_by("reference")[:count])


@transaction.atomic
def stage_risk(progress: Callable[[str], Any] = print) -> dict[str, Any]:
    """Record the demo's meeting, orders and ARMS assessments; returns who has them."""
    om = get_user_model().objects.get(username=DEMO_OFFENDER_MANAGER)
    today = SCENARIO_TODAY
    managed, ordered, lapsed = _people(3)
    meeting = services.record_meeting(
        person_id=managed.pk, held_on=MEETING_ON, level="2",
        chair="DI Demo, West Midlands Police",
        decisions="Remain at MAPPA level 2. Unannounced visits monthly until the tenancy is "
                  "settled. Review at the next meeting in 3 months.",
        attendees=[{"agency": "police", "name": "Olivia Demo", "user": DEMO_OFFENDER_MANAGER},
                   {"agency": "probation", "name": "Pat Demo", "user": "partner.demo"},
                   {"agency": "housing", "name": "Housing officer, Walsall Council"}],
        actions=[{"description": "Unannounced home visit", "owner_agency": "police",
                  "owner": DEMO_OFFENDER_MANAGER, "due_on": dt.date(2017, 10, 31)},
                 {"description": "Confirm the licence conditions on residence",
                  "owner_agency": "probation", "owner": "partner.demo",
                  "due_on": dt.date(2017, 11, 20)},
                 {"description": "Check for children in the household",
                  "owner_agency": "childrens_services", "due_on": dt.date(2017, 11, 1)}],
        actor=om, today=today)
    services.record_arms(
        person_id=managed.pk, assessed_on=dt.date(2017, 9, 1), assessor="Olivia Demo (MOSOVO)",
        risk_factors="Opportunity to offend: present\nSexual preoccupation: partly present",
        protective_factors="Positive routine: present\nCommitment to desist: partly present",
        priorities="Stable accommodation; monitoring of devices", actor=om, today=today,
        next_due=dt.date(2018, 3, 1))
    services.record_order(
        person_id=ordered.pk, order_type="shpo", made_on=dt.date(2016, 2, 15),
        reference="SHPO/WM/16/0042", court="Birmingham Crown Court", indefinite=True,
        prohibitions="No unsupervised contact with a child under 16\nNo device able to "
                     "access the internet unless it keeps its history\nNo use of social "
                     "media under another name",
        actor=om, today=today)
    services.vary_order(
        person_id=ordered.pk, reference="SHPO/WM/16/0042", varied_on=dt.date(2017, 6, 5),
        court="Birmingham Crown Court",
        prohibitions="No unsupervised contact with a child under 16\nNo device able to "
                     "access the internet unless it keeps its history\nNo use of social "
                     "media under another name\nNo work with children, paid or unpaid",
        note="Varied on the police's application (demo)", actor=om, today=today)
    services.record_order(
        person_id=lapsed.pk, order_type="sro", made_on=dt.date(2013, 4, 2),
        reference="SRO/WM/13/0007", court="Walsall Magistrates' Court",
        end_date=dt.date(2015, 4, 1), prohibitions="No approaching schools at their opening "
                                                   "and closing times",
        actor=om, today=today)
    services.record_arms(
        person_id=lapsed.pk, assessed_on=dt.date(2016, 10, 20),
        assessor="Olivia Demo (MOSOVO)", risk_factors="Opportunity to offend: present",
        protective_factors="Social investment: present",
        priorities="Employment; review contact with family", next_due=dt.date(2017, 10, 20),
        actor=om, today=today)
    progress(f"  MAPPA and orders: a level 2 meeting about {managed.reference}; a SHPO in "
             f"force for {ordered.reference}; an ARMS assessment overdue for "
             f"{lapsed.reference}")
    return {"meeting": meeting, "managed": managed, "ordered": ordered, "lapsed": lapsed}
