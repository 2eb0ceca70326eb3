"""The demo's partner data: a housing extract that finds several missing people.

After the register is built and the cross-force work staged, this writes a synthetic
tenancy extract from "Black Country Housing" as at the scenario's date (6 November 2017):
tenancies started since they went missing by some of the West Midlands' missing people
(``om.demo``'s first), under the names and dates of birth a housing officer would type (a
nickname, a slip, day and month swapped, a new surname); a few of ``om.demo``'s other people
at addresses they have not notified; some at the addresses they have; and hundreds of
unrelated tenants. It is imported and matched with Splink like any extract
(``whereabouts partner-import`` then ``whereabouts link``), so ``om.demo`` sees leads on
their inbox and on the leads page.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from whereabouts.linkage import synthetic
from whereabouts.linkage.extracts import import_extract
from whereabouts.linkage.linking import run_linkage
from whereabouts.linkage.models import Lead, LinkageModel
from whereabouts.missing.selectors import episodes_by_person
from whereabouts.register.models import Address, Person

from . import SCENARIO_TODAY
from .generator import DEMO_OFFENDER_MANAGER

AGENCY = "Black Country Housing"


def _source(person: Person, address: Address | None) -> synthetic.Source:
    return synthetic.Source(person.pk, person.given_names.split()[0], person.family_name,
                            person.date_of_birth, person.ni_number,
                            address.postcode if address else "",
                            address.line1 if address else "")


def build_rows(as_at: dt.date = SCENARIO_TODAY, seed: int = 2017) -> list[synthetic.Row]:
    rng = random.Random(seed)
    episodes = episodes_by_person(as_at)
    open_since = {pid: next(e for e in reversed(eps) if e.open_on(as_at)).missing_since
                  for pid, (force, eps) in episodes.items()
                  if force == "west-midlands" and any(e.open_on(as_at) for e in eps)}
    people = Person.objects.select_related("offender_manager").in_bulk(list(open_since))
    ordered = sorted(people.values(), key=lambda p: (
        p.offender_manager.get_username() != DEMO_OFFENDER_MANAGER
        if p.offender_manager_id else True, p.reference))
    addresses: dict[int, Address] = {}
    for address in Address.objects.filter(person_id__in=[p.pk for p in ordered[:14]]
                                          ).order_by("from_date"):
        addresses[address.person_id] = address
    rows: list[synthetic.Row] = []
    for i, person in enumerate(ordered[:14]):
        since = max(open_since[person.pk], as_at - dt.timedelta(days=400))
        rows.append(synthetic.derive(rng, _source(person, addresses.get(person.pk)), f"T{i:04d}",
                                     since=since, until=as_at - dt.timedelta(days=3),
                                     strength=0.3))
    others = list(Person.objects.filter(offender_manager__username=DEMO_OFFENDER_MANAGER,
                                        addresses__isnull=False)
                  .exclude(pk__in=list(open_since)).distinct().order_by("reference")[:16])
    for address in Address.objects.filter(person_id__in=[p.pk for p in others]
                                          ).order_by("from_date"):
        addresses[address.person_id] = address
    for i, person in enumerate(others):
        rows.append(synthetic.derive(
            rng, _source(person, addresses.get(person.pk)), f"K{i:04d}", moved=i < 4,
            since=as_at - dt.timedelta(days=120), until=as_at - dt.timedelta(days=3),
            strength=0.2))
    rows += [synthetic.unrelated(rng, f"U{i:04d}", as_at) for i in range(400)]
    rng.shuffle(rows)
    return rows


def stage_partner_extract(progress: Callable[[str], Any] = print) -> dict[str, Any]:
    """Write, import and match the demo's housing extract."""
    rows = build_rows()
    path = synthetic.write_csv(Path(settings.DATA_DIR) / "demo-housing-extract.csv", rows)
    extract = import_extract(path=path, agency=AGENCY, mapping=synthetic.MAPPING, actor=None,
                             today=SCENARIO_TODAY)
    model: LinkageModel = run_linkage(extract_id=extract.pk, actor=None, today=SCENARIO_TODAY)
    leads = Lead.objects.filter(model=model).exclude(status="candidate")
    mine = leads.filter(kind="missing", routed_to__username=DEMO_OFFENDER_MANAGER).count()
    progress(f"  Partner data: {AGENCY}'s extract ({extract.rows_accepted} tenancies) matched "
             f"in {model.seconds:.1f} s: {leads.count()} leads, "
             f"{leads.filter(kind='missing').count()} on missing people ({mine} for "
             f"{DEMO_OFFENDER_MANAGER})")
    return {"extract": extract, "model": model, "rows": rows}
