"""The demo's duplicate identities: people registered a second time, found by Splink.

After the register is built and the other examples staged, four of ``om.demo``'s people
(not missing, with a notified address, in reference order) are registered again in October
2017, as a force does when it does not find the existing record: after a new conviction,
under a slightly different spelling.

- In **Staffordshire**, under a short form of the first name (Robert as Bob), with the same
  date of birth and National Insurance number.
- In **West Mercia**, with a letter of the family name doubled and no NI number.
- In **Warwickshire**, with the day and month of birth swapped (or, where they cannot be,
  one digit of the day wrong).
- In the **West Midlands** itself, under a misspelt family name, at the postcode of an
  address they notified before.

Each second record has its own disposal (relevant date in October 2017), an initial
notification of an address in its force's area and an offender manager of that force. Then
``whereabouts duplicates find`` runs over the whole register, by ``supervisor.demo``, so the
pairs wait on *Duplicates* for a decision (the West Midlands pair at once; the others after
giving a reason to open the other force's record).

The seed figures do not move: the second records come on the register after the FOI date
(30 September 2017), and none is missing. As at 6 November 2017 each counts in its force, as
a duplicate does until it is merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from whereabouts.access import policy
from whereabouts.linkage.duplicates import find_duplicates
from whereabouts.linkage.engine import NICKNAMES
from whereabouts.linkage.models import DuplicateSuggestion
from whereabouts.missing.selectors import episodes_by_person
from whereabouts.register import services
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Address, Person
from whereabouts.register.services import AddressInput, DisposalInput

from . import SCENARIO_TODAY
from .generator import DEMO_OFFENDER_MANAGER

#: Force, first day (conviction), reference prefix, address in that force's area.
SECOND_RECORDS = (
    ("staffordshire", dt.date(2017, 10, 9), ("7 Gaol Road", "Stafford", "ST16 3AW")),
    ("west-mercia", dt.date(2017, 10, 11), ("14 Sidbury", "Worcester", "WR1 2HT")),
    ("warwickshire", dt.date(2017, 10, 13), ("5 Smith Street", "Warwick", "CV34 4HS")),
    ("west-midlands", dt.date(2017, 10, 17), None),
)
SUPERVISOR = "supervisor.demo"


def _short_form(given: str) -> str:
    """A short form of the first name (Robert -> Bob), or the name itself."""
    first, *rest = given.split()
    forms = [f for f, root in NICKNAMES.items() if root == first.upper() and f != root]
    return " ".join([forms[0].capitalize() if forms else first, *rest])


def _doubled(family: str) -> str:
    """A letter of the family name doubled (Price -> Prrice): a slip of the keyboard."""
    i = min(2, len(family) - 1)
    return family[:i] + family[i] + family[i:]


def _swapped(dob: dt.date) -> dt.date:
    if dob.day <= 12 and dob.day != dob.month:
        return dob.replace(month=dob.day, day=dob.month)
    return dob.replace(day=dob.day - 10 if dob.day > 10 else dob.day + 10)


def _misspelt(family: str) -> str:
    """Two letters of the family name swapped (Jones -> Jnoes)."""
    if len(family) < 4:
        return family + "e"
    return family[0] + family[2] + family[1] + family[3:]


def _candidates() -> list[Person]:
    missing = {pid for pid, (_, episodes) in episodes_by_person(SCENARIO_TODAY).items()
               if any(e.open_on(SCENARIO_TODAY) for e in episodes)}
    return list(Person.objects.filter(offender_manager__username=DEMO_OFFENDER_MANAGER,
                                      addresses__isnull=False, disposals__isnull=False)
                .exclude(pk__in=missing).distinct().order_by("reference")[:20])


def _second_record(person: Person, n: int, force: str, convicted: dt.date,
                   home: tuple[str, str, str] | None) -> Person | None:
    """Register ``person`` again in ``force``, under the n-th way of getting it wrong."""
    addresses = list(Address.objects.filter(person=person).order_by("from_date", "id"))
    given, family, dob, ni = (person.given_names, person.family_name, person.date_of_birth,
                              person.ni_number)
    if n == 0:
        given = _short_form(given)
    elif n == 1:
        family, ni = _doubled(family), ""
    elif n == 2:
        dob = _swapped(dob)
    else:
        family = _misspelt(family)
        earlier = addresses[0]
        home = (f"Flat 2, {earlier.line1}", earlier.town, earlier.postcode)
    manager = policy.caseworkers(force).first()
    if manager is None or home is None:
        return None
    try:
        with transaction.atomic():
            second = services.person_register(
                force=force, family_name=family, given_names=given, date_of_birth=dob,
                sex=person.sex, reference=f"{person.reference}-D{n + 1}", today=convicted,
                recorded_by=None, source="demo", ni_number=ni)
            services.event_record(
                person_id=second.pk, kind="assignment", effective_date=convicted,
                today=SCENARIO_TODAY, recorded_by=None, source="demo",
                details={"offender_manager": manager.get_username(), "force": force})
            services.event_record(
                person_id=second.pk, kind="disposal", effective_date=convicted,
                today=SCENARIO_TODAY, recorded_by=None, source="demo",
                disposal=DisposalInput(offence="SOA 2003 s.66", kind="other",
                                       court="Magistrates' court"))
            line1, town, postcode = home
            services.event_record(
                person_id=second.pk, kind="notification.initial",
                effective_date=convicted + dt.timedelta(days=2), today=SCENARIO_TODAY,
                recorded_by=None, source="demo", details={"station": town},
                addresses=[AddressInput(kind="home", line1=line1, town=town,
                                        postcode=postcode)])
    except InvalidInput:
        return None
    return second


def stage_duplicates(progress: Callable[[str], Any] = print) -> dict[str, Any]:
    """Register the second records and run the search for duplicates; returns the pairs."""
    candidates = _candidates()
    made: list[tuple[Person, Person]] = []
    for n, (force, convicted, home) in enumerate(SECOND_RECORDS):
        while candidates:
            person = candidates.pop(0)
            second = _second_record(person, n, force, convicted, home)
            if second is not None:
                made.append((person, second))
                break
    from whereabouts.compliance.sweep import run_sweep
    from whereabouts.visits.sweep import run_visit_sweep

    run_sweep(SCENARIO_TODAY)  # the second records' status and overdue tasks, as for anyone
    run_visit_sweep(SCENARIO_TODAY, [second.pk for _, second in made])
    supervisor = get_user_model().objects.get(username=SUPERVISOR)
    run = find_duplicates(actor=supervisor, today=SCENARIO_TODAY)
    pairs = {(min(a.pk, b.pk), max(a.pk, b.pk)) for a, b in made}
    found = set(DuplicateSuggestion.objects.filter(run=run).values_list("person_a_id",
                                                                       "person_b_id"))
    progress(f"  Duplicate identities: {len(made)} people registered again in another force "
             f"or under another spelling; the register matched against itself in "
             f"{run.seconds:.1f} s: {run.suggestions_made} pairs suggested, "
             f"{len(pairs & found)} of the {len(pairs)} staged")
    return {"made": made, "run": run, "found": pairs & found}
