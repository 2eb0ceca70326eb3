"""``whereabouts link``: the register against one partner extract, and the leads it opens.

The register's side is every person on the national register, one row per name (current name
and aliases), with the postcode of their latest notified address and every postcode they
have notified (``postcodes``). See :mod:`.engine` for the model and :mod:`.explain` for the
words. A lead is routed when it is made:

- the person has an open missing episode: a ``missing`` lead for the episode's owner;
- otherwise, the extract's postcode is not one they have notified: ``undeclared_address``,
  for their offender manager (accepting it opens a whereabouts check);
- otherwise ``known_address`` (the extract agrees with what we know).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.missing.inbox import episode_owners
from whereabouts.missing.selectors import episodes_by_person
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Address, Alias, Event, Person
from whereabouts.register.recording import NotPermitted

from . import engine, explain, normalise
from .models import Lead, LeadKind, LeadStatus, LinkageModel, PartnerExtract, PartnerRecord

#: Pairs scored from this match probability up to the threshold are kept as candidates (not
#: leads: no officer sees them) for the review of score bands (:mod:`.bands`).
REVIEW_FLOOR = 0.5


def _live(queryset: Any) -> Any:
    superseded = Event.objects.filter(supersedes__isnull=False).values("supersedes_id")
    return queryset.exclude(event_id__in=superseded)


def register_side() -> tuple[engine.Side, dict[str, tuple[int, explain.Values]],
                             dict[int, set[str]]]:
    """The register's rows, what each row said (for the explanation) and every postcode each
    person has notified."""
    postcodes: dict[int, set[str]] = defaultdict(set)
    current: dict[int, tuple[str, str]] = {}
    for pid, kind, line1, code in (_live(Address.objects.all())
                                   .order_by("person_id", "from_date", "id")
                                   .values_list("person_id", "kind", "line1", "postcode")):
        code = normalise.postcode(code) or ""
        if code:
            postcodes[pid].add(code)
        if kind == "home" or pid not in current:
            current[pid] = (code, normalise.address_line(line1))
    aliases: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pid, family, given in (_live(Alias.objects.all())
                               .values_list("person_id", "family_name", "given_names")):
        aliases[pid].append((family, given))
    side = engine.Side("r")
    values: dict[str, tuple[int, explain.Values]] = {}
    for pid, family, given, dob, ni in Person.objects.order_by("pk").values_list(
            "pk", "family_name", "given_names", "date_of_birth", "ni_number"):
        code, line = current.get(pid, ("", ""))
        ni_clean = normalise.ni_number(ni) or ""
        for n, (fam, giv) in enumerate([(family, given), *aliases.get(pid, [])]):
            surname, forename = normalise.name(fam), normalise.first_name(giv)
            side.add(pid, n, forename=forename, surname=surname, dob=dob, ni=ni_clean,
                     postcode=code, postcodes=postcodes.get(pid, ()), address=line)
            values[f"r:{pid}:{n}"] = (pid, explain.Values(forename, surname, dob, ni_clean,
                                                          code, line))
    return side, values, postcodes


def partner_side(extract: PartnerExtract) -> tuple[engine.Side,
                                                   dict[str, tuple[int, explain.Values]]]:
    side = engine.Side("p")
    values: dict[str, tuple[int, explain.Values]] = {}
    for rec in extract.records.order_by("pk").iterator(chunk_size=20_000):
        forename = normalise.first_name(rec.given_names)
        surnames = [rec.family_name, *[s for s in rec.earlier_family_names.split(",")
                                       if s.strip()]]
        for n, surname in enumerate(surnames):
            surname = normalise.name(surname)
            side.add(rec.pk, n, forename=forename, surname=surname, dob=rec.date_of_birth,
                     ni=rec.ni_number, postcode=rec.postcode,
                     postcodes=[rec.postcode] if rec.postcode else [],
                     address=rec.address_line)
            values[f"p:{rec.pk}:{n}"] = (rec.pk, explain.Values(
                forename, surname, rec.date_of_birth, rec.ni_number, rec.postcode,
                rec.address_line))
    return side, values


def best_pairs(pairs: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The strongest pair of rows for each (register row's person, partner record)."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for pair in pairs:
        a, b = pair["unique_id_l"], pair["unique_id_r"]
        ours, theirs = (a, b) if a.startswith("r:") else (b, a)
        key = (ours.split(":")[1], theirs.split(":")[1])
        if key not in best or pair["match_weight"] > best[key]["match_weight"]:
            best[key] = {**pair, "ours": ours, "theirs": theirs}
    return best


def run_linkage(*, extract_id: int, actor: AbstractBaseUser | None, today: dt.date,
                engine_name: str = "duckdb", threshold: float = 0.9, spark: Any = None,
                model_id: int | None = None) -> LinkageModel:
    """Train a model on the extract against the register, keep it, and open the leads.

    ``model_id``: score with a stored model instead of training a new one (a new
    LinkageModel row still records this run, with the same parameters)."""
    if actor is not None and not policy.may(actor, "partner_data.import"):
        raise NotPermitted("not found")
    if engine_name not in engine.ENGINES:
        raise InvalidInput("engine", f"must be one of {', '.join(engine.ENGINES)}")
    if not 0.5 <= threshold < 1:
        raise InvalidInput("threshold", "must be at least 0.5 and below 1")
    extract = PartnerExtract.objects.filter(pk=extract_id).first()
    if extract is None:
        raise InvalidInput("extract", f"there is no partner extract {extract_id}")
    trained = None
    if model_id is not None:
        stored = LinkageModel.objects.filter(pk=model_id).first()
        if stored is None:
            raise InvalidInput("model", f"there is no linkage model {model_id}")
        trained = stored.settings_json
    ours_side, ours_values, postcodes = register_side()
    theirs_side, theirs_values = partner_side(extract)
    if not len(theirs_side) or not len(ours_side):
        raise InvalidInput("extract", "has no accepted rows to match" if not len(theirs_side)
                           else "cannot be matched: the register is empty")
    result = engine.run(ours_side.table(), theirs_side.table(), engine=engine_name,
                        threshold=min(threshold, REVIEW_FLOOR), spark=spark, trained=trained)
    if model_id is not None:
        result.notes.append(f"scored with linkage model {model_id}, not trained again")
    return _keep(extract, result, ours_values, theirs_values, postcodes, actor=actor,
                 today=today, engine_name=engine_name, threshold=threshold)


@transaction.atomic
def _keep(extract: PartnerExtract, result: engine.Result,
          ours_values: dict[str, tuple[int, explain.Values]],
          theirs_values: dict[str, tuple[int, explain.Values]], postcodes: dict[int, set[str]],
          *, actor: AbstractBaseUser | None, today: dt.date, engine_name: str,
          threshold: float) -> LinkageModel:
    now = timezone.now()
    model = LinkageModel.objects.create(
        extract=extract, engine=engine_name, splink_version=engine.SPLINK_VERSION,
        settings_json=result.settings, trained_at=now, trained_by=actor, threshold=threshold,
        pairs_scored=result.pairs_scored, seconds=round(result.seconds, 2),
        notes="\n".join(result.notes))
    best = best_pairs(result.pairs)
    person_ids = {int(p) for p, _ in best}
    people = Person.objects.select_related("offender_manager").in_bulk(person_ids)
    records = PartnerRecord.objects.in_bulk({int(r) for _, r in best})
    missing = {pid for pid, (_, episodes) in episodes_by_person(today, person_ids).items()
               if any(e.open_on(today) for e in episodes)}
    owners = episode_owners(people.values())
    users = {u.get_username(): u for u in get_user_model().objects.filter(
        username__in={o for o in owners.values() if o})}
    existing = set(Lead.objects.filter(person_id__in=person_ids, record__extract=extract)
                   .values_list("person_id", "record_id"))
    leads = []
    for (pid_text, rid_text), pair in best.items():
        pid, rid = int(pid_text), int(rid_text)
        if (pid, rid) in existing:
            continue
        record = records[rid]
        probability = float(pair["match_probability"])
        below = probability < threshold
        ours = ours_values[pair["ours"]][1]
        theirs = theirs_values[pair["theirs"]][1]
        if pid in missing:
            kind = LeadKind.MISSING
        elif record.postcode and record.postcode not in postcodes.get(pid, set()):
            kind = LeadKind.UNDECLARED
        else:
            kind = LeadKind.KNOWN
        leads.append(Lead(
            person=people[pid], record=record, model=model, kind=kind,
            match_probability=probability,
            status=LeadStatus.CANDIDATE if below else LeadStatus.OPEN,
            match_weight=float(pair["match_weight"]),
            matched_name=f"{ours.forename} {ours.surname}"[:260],
            explanation=explain.explain(pair, ours, theirs),
            routed_to=None if below else users.get(owners.get(pid) or ""), created_at=now))
    Lead.objects.bulk_create(leads, batch_size=2000)
    candidates = sum(lead.status == LeadStatus.CANDIDATE for lead in leads)
    leads = [lead for lead in leads if lead.status != LeadStatus.CANDIDATE]
    model.leads_opened = len(leads)
    model.save(update_fields=["leads_opened"])
    audit.record(actor=actor, action=AuditAction.COMBINATION,
                 what=f"matched partner extract {extract.pk} ({extract.agency}) against the "
                      f"register with {engine_name}: {len(leads)} leads, {candidates} pairs "
                      f"below the threshold kept for review",
                 reason="partner data matching (docs/linkage.md)",
                 listed=sorted({lead.person_id for lead in leads}))
    return model
