"""Choosing a run's threshold from a clerical review of score bands.

A run keeps every pair it scored at a match probability of at least ``REVIEW_FLOOR`` (0.5):
those at or above the run's threshold are leads, those below are **candidates** (a Lead with
status ``candidate``: no officer sees them, nobody is routed). A supervisor or senior officer
(``partner_data.import``) reviews a sample of each band's pairs, judging each "same person"
or "not the same person"; an officer's decision on a lead counts as a judgement too (accepted:
the same person; rejected: not), unless a review judged the pair. The band's estimated
precision is the share judged the same. They
then set the run's threshold to a band's lower bound: candidates at or above it become open
leads (routed as when a run opens them), open leads not yet decided that fall below it
become candidates again; decided leads are never touched.

What a reviewer sees (counts, the sample) is of the people of their force only
(``policy.visible_people``); the threshold is the run's, so setting it acts on the whole run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.missing.inbox import episode_owners
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Person
from whereabouts.register.recording import NotPermitted

from .models import Judgement, Lead, LeadStatus, LinkageModel

#: The bands' lower bounds; each band runs up to the next bound (the last, to 1).
BOUNDS: tuple[float, ...] = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
SAMPLE = 5


#: A pair judged the same person: by a clerical review, or else by the officer who accepted
#: the lead (the lead's page asks "Is this the person on the register?").
SAME = Q(judgement=Judgement.SAME) | Q(judgement="", status=LeadStatus.ACCEPTED)
#: Judged not the same: by a clerical review, or else by the officer who rejected the lead.
DIFFERENT = Q(judgement=Judgement.DIFFERENT) | Q(judgement="", status=LeadStatus.REJECTED)
#: Neither: the pairs a review samples from.
UNJUDGED = Q(judgement="", status__in=(LeadStatus.OPEN, LeadStatus.CANDIDATE))


def band_of(probability: float) -> int | None:
    """The index of the band ``probability`` falls in (lower bound included), or None below
    the first."""
    found = None
    for n, bound in enumerate(BOUNDS):
        if probability >= bound:
            found = n
    return found


def label(n: int) -> str:
    upper = BOUNDS[n + 1] if n + 1 < len(BOUNDS) else None
    return f"{BOUNDS[n]:.2f}–{upper:.2f}" if upper is not None else f"{BOUNDS[n]:.2f} or more"


@dataclass
class Band:
    index: int
    lower: float
    label: str
    pairs: int = 0
    same: int = 0
    different: int = 0
    sample: list[Lead] = field(default_factory=list)

    @property
    def reviewed(self) -> int:
        return self.same + self.different

    @property
    def precision(self) -> float | None:
        """The share of the reviewed pairs judged the same person (None: none reviewed)."""
        return self.same / self.reviewed if self.reviewed else None


def _allowed(actor: AbstractBaseUser) -> None:
    if not policy.may(actor, "partner_data.import"):
        raise NotPermitted("not found")


def runs(actor: AbstractBaseUser) -> QuerySet[LinkageModel]:
    _allowed(actor)
    return LinkageModel.objects.select_related("extract", "trained_by")


def run_for(actor: AbstractBaseUser, model_id: int) -> LinkageModel:
    _allowed(actor)
    model = LinkageModel.objects.select_related("extract").filter(pk=model_id).first()
    if model is None:
        raise NotPermitted("not found")
    return model


def _pairs(actor: AbstractBaseUser, model: LinkageModel) -> QuerySet[Lead]:
    """The run's pairs on people ``actor`` may see."""
    return Lead.objects.filter(model=model, person__in=policy.visible_people(actor))


def bands(actor: AbstractBaseUser, model_id: int, *, sample: int = SAMPLE) -> list[Band]:
    """The run's pairs in bands: counts, judgements and a sample of unjudged pairs each."""
    model = run_for(actor, model_id)
    pairs = _pairs(actor, model)
    found = []
    for n, bound in enumerate(BOUNDS):
        band = Band(n, bound, label(n))
        within = pairs.filter(match_probability__gte=bound)
        if n + 1 < len(BOUNDS):
            within = within.filter(match_probability__lt=BOUNDS[n + 1])
        counts = within.aggregate(pairs=Count("pk"), same=Count("pk", filter=SAME),
                                  different=Count("pk", filter=DIFFERENT))
        band.pairs, band.same, band.different = counts["pairs"], counts["same"], counts[
            "different"]
        # An even spread through the band, the same each time it is opened.
        pool = list(within.filter(UNJUDGED).order_by("match_probability", "id")
                    .values_list("pk", flat=True))
        chosen = pool[::max(1, len(pool) // sample)][:sample] if sample else []
        band.sample = list(within.filter(pk__in=chosen)
                           .select_related("person", "record__extract")
                           .order_by("match_probability", "id"))
        found.append(band)
    return found


@transaction.atomic
def judge(*, actor: AbstractBaseUser, model_id: int, lead_id: int, judgement: str) -> Lead:
    """Record a clerical review of one pair of the run: the same person or not."""
    model = run_for(actor, model_id)
    if judgement not in Judgement.values:
        raise InvalidInput("judgement", "must be same or different")
    lead = _pairs(actor, model).select_for_update().filter(pk=lead_id).first()
    if lead is None:
        raise InvalidInput("pair", f"there is no pair {lead_id} of this run to review")
    lead.judgement, lead.judged_by, lead.judged_at = judgement, actor, timezone.now()
    lead.save(update_fields=["judgement", "judged_by", "judged_at"])
    audit.record(actor=actor, action=AuditAction.ALTERATION, person_id=lead.person_id,
                 what=f"reviewed pair {lead.pk} of linkage run {model.pk} (match probability "
                      f"{lead.match_probability:.3f}): {Judgement(judgement).label.lower()}",
                 reason="review of score bands (docs/linkage.md)", listed=[lead.person_id])
    return lead


@dataclass
class Change:
    old: float
    new: float
    opened: list[int]
    withdrawn: list[int]


@transaction.atomic
def set_threshold(*, actor: AbstractBaseUser, model_id: int, threshold: float, reason: str,
                  today: dt.date) -> Change:
    """Set the run's threshold to a band's lower bound; open and withdraw leads to match."""
    _allowed(actor)
    model = LinkageModel.objects.select_for_update().filter(pk=model_id).first()
    if model is None:
        raise NotPermitted("not found")
    try:
        threshold = float(threshold)
    except (TypeError, ValueError):
        raise InvalidInput("threshold", "must be one of the bands' lower bounds") from None
    if threshold not in BOUNDS:
        raise InvalidInput("threshold", "must be one of the bands' lower bounds: "
                           + ", ".join(f"{b:.2f}" for b in BOUNDS))
    reason = register.checked_text(reason, "reason", required=False, max_length=2000)
    if not reason:
        raise InvalidInput("reason", "is required to change the threshold")
    old = model.threshold
    if threshold == old:
        raise InvalidInput("threshold", f"is already {old:.2f}")
    pairs = Lead.objects.filter(model=model)
    rising = list(pairs.filter(status=LeadStatus.CANDIDATE, match_probability__gte=threshold)
                  .select_related("person"))
    owners = episode_owners(Person.objects.filter(pk__in={lead.person_id for lead in rising})
                            .select_related("offender_manager"))
    users = {u.get_username(): u for u in get_user_model().objects.filter(
        username__in={o for o in owners.values() if o})}
    for lead in rising:
        lead.status = LeadStatus.OPEN
        lead.routed_to = users.get(owners.get(lead.person_id) or "")
    Lead.objects.bulk_update(rising, ["status", "routed_to"])
    falling = list(pairs.filter(status=LeadStatus.OPEN, match_probability__lt=threshold))
    for lead in falling:
        lead.status, lead.routed_to = LeadStatus.CANDIDATE, None
    Lead.objects.bulk_update(falling, ["status", "routed_to"])
    change = Change(old, threshold, sorted(lead.person_id for lead in rising),
                    sorted(lead.person_id for lead in falling))
    model.threshold = threshold
    model.leads_opened = pairs.exclude(status=LeadStatus.CANDIDATE).count()
    model.threshold_changes = [*model.threshold_changes, {
        "by": actor.get_username(), "at": timezone.now().isoformat(), "old": old,
        "new": threshold, "reason": reason, "opened": len(rising), "withdrawn": len(falling)}]
    model.save(update_fields=["threshold", "leads_opened", "threshold_changes"])
    audit.record(actor=actor, action=AuditAction.ALTERATION,
                 what=f"set the threshold of linkage run {model.pk} from {old:.2f} to "
                      f"{threshold:.2f}: {len(rising)} leads opened, {len(falling)} withdrawn",
                 reason=reason, listed=sorted({*change.opened, *change.withdrawn}))
    return change
