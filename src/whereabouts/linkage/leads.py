"""Leads for officers: who sees which, and accepting or rejecting one.

A lead is seen by casework staff of the person's force (``leads.work``, through
``access.policy.visible_people``); the officer it was routed to (a missing episode's owner,
else the offender manager) sees it at the top of their list and in their inbox. Deciding:

- **reject**: a reason is required; nothing else is written.
- **accept** a lead on a missing person: logged on the episode as a ``lead`` action with the
  partner's address and what agreed, and a next action to follow it up
  (``missing.services.record_action``);
- **accept** an undeclared address for someone not missing: opens a whereabouts check
  (``missing.services.open_whereabouts_check``, reason ``intelligence``) unless one is open;
- **accept** a lead at an address already notified: the decision is kept, nothing more.

The decision (who, when, why, what it did) stays on the lead; a decided lead is not decided
again.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from whereabouts.access import audit, policy
from whereabouts.access.models import AuditAction
from whereabouts.missing import services as missing_services
from whereabouts.missing.episodes import open_episode
from whereabouts.missing.selectors import person_episodes
from whereabouts.register import services as register
from whereabouts.register.errors import InvalidInput
from whereabouts.register.recording import NotPermitted

from .models import OFFICER_STATUSES, Lead, LeadKind, LeadStatus

FOLLOW_UP_DAYS = 3


def visible_leads(user: AbstractBaseUser) -> QuerySet[Lead]:
    """Every lead ``user`` may see: on people of their force, if they hold ``leads.work``
    (not the candidates below a run's threshold: those are for the review of score bands)."""
    if not policy.may(user, "leads.work"):
        return Lead.objects.none()
    return (Lead.objects.filter(person__in=policy.visible_people(user))
            .exclude(status=LeadStatus.CANDIDATE))


def leads_for(user: AbstractBaseUser, *, status: str = LeadStatus.OPEN) -> QuerySet[Lead]:
    """``user``'s list: those routed to them first, missing people first, then the most
    probable."""
    if status not in OFFICER_STATUSES:
        status = LeadStatus.OPEN
    return (visible_leads(user).filter(status=status)
            .select_related("person", "record__extract", "routed_to", "decided_by")
            .annotate(mine=Case(When(routed_to_id=user.pk, then=Value(0)), default=Value(1),
                                output_field=IntegerField()),
                      urgency=Case(When(kind=LeadKind.MISSING, then=Value(0)),
                                   When(kind=LeadKind.UNDECLARED, then=Value(1)),
                                   default=Value(2), output_field=IntegerField()))
            .order_by("mine", "urgency", "-match_probability", "id"))


def routed_missing_leads(user: AbstractBaseUser) -> list[Lead]:
    """Open leads on missing people routed to ``user``: the top of their inbox."""
    return list(visible_leads(user).filter(status=LeadStatus.OPEN, kind=LeadKind.MISSING,
                                           routed_to_id=user.pk)
                .select_related("person", "record__extract")
                .order_by("-match_probability", "id"))


def lead_for(user: AbstractBaseUser, lead_id: int) -> Lead:
    """One lead ``user`` may see, or NotPermitted (shown as "not found")."""
    lead = (visible_leads(user).select_related("person__force", "person__offender_manager",
                                               "record__extract", "model", "routed_to",
                                               "decided_by")
            .filter(pk=lead_id).first())
    if lead is None:
        raise NotPermitted("not found")
    return lead


def _note(lead: Lead) -> str:
    record = lead.record
    since = f" from {record.date_from:%d %B %Y}" if record.date_from else ""
    agreed = "; ".join(i["text"] for i in lead.explanation if i["weight"] > 0)
    return (f"Partner data ({record.extract.agency}, extract {record.extract_id}, line "
            f"{record.line}): {record.given_names} {record.family_name} at "
            f"{record.address or 'no address given'}{since}. Match probability "
            f"{lead.match_probability:.1%}: {agreed}.")[:2000]


@transaction.atomic
def decide(*, lead_id: int, accept: bool, reason: str, actor: AbstractBaseUser,
           today: dt.date) -> Lead:
    """Accept or reject a lead; see the module's docstring for what accepting does."""
    lead = lead_for(actor, lead_id)
    if not policy.can_record_events(actor, lead.person):
        raise NotPermitted("not found")
    lead = Lead.objects.select_for_update().select_related(
        "person", "record__extract").get(pk=lead.pk)
    if lead.status != LeadStatus.OPEN:
        raise InvalidInput("lead", f"was already {lead.get_status_display().lower()}")
    reason = register.checked_text(reason, "reason", required=False, max_length=2000)
    if not accept and not reason:
        raise InvalidInput("reason", "is required to reject a lead")
    outcome = ""
    if accept:
        person = lead.person
        episode = open_episode(person_episodes(person))
        address = lead.record.address or "the address in the extract"
        if episode is not None:
            missing_services.record_action(
                person_id=person.pk, done_on=today, action="lead", note=_note(lead),
                actor=actor, today=today,
                next_action=f"Follow up the partner lead at {address}"[:300],
                next_action_by=today + dt.timedelta(days=FOLLOW_UP_DAYS))
            outcome = "logged as a lead on the missing episode, with a follow-up"
        elif lead.kind == LeadKind.MISSING:
            outcome = "no action: they are no longer missing"
        elif lead.kind == LeadKind.UNDECLARED:
            try:
                missing_services.open_whereabouts_check(
                    person_id=person.pk, opened_on=today, reason="intelligence",
                    note=_note(lead), actor=actor, today=today)
            except InvalidInput as exc:
                outcome = f"no check opened: the person {exc.message}"
            else:
                outcome = "opened a whereabouts check"
        else:
            outcome = "no action: the address is one they notified"
    lead.status = LeadStatus.ACCEPTED if accept else LeadStatus.REJECTED
    lead.decided_by, lead.decided_at = actor, timezone.now()
    lead.decision_reason, lead.outcome = reason, outcome[:200]
    lead.save(update_fields=["status", "decided_by", "decided_at", "decision_reason",
                             "outcome"])
    audit.record(actor=actor, action=AuditAction.ALTERATION, person_id=lead.person_id,
                 what=f"{lead.status} partner data lead {lead.pk}"
                      + (f": {outcome}" if outcome else ""), reason=reason)
    return lead
