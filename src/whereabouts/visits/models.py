"""A force's visit policy, and the cache of when each person's next visit is due.

Risk levels, MAPPA decisions, the plan's visits and the visits themselves are ledger entries
(``register``): they have a date, who recorded them and a history. What lives here is the
force's choice of policy (a preset and its own defaults by risk level) and ``VisitStatus``, a
cache the daily sweep rebuilds from the ledger, so the caseload and the team view can count
overdue visits in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .policy import PRESETS


class ForceVisitPolicy(models.Model):
    """The visit policy of one force: a preset, and its own default interval per risk level
    (months; empty keeps the preset's)."""

    force = models.OneToOneField("register.Force", primary_key=True, on_delete=models.PROTECT,
                                 related_name="visit_policy")
    preset = models.CharField(max_length=30, choices=[(p.key, p.title) for p in
                                                      PRESETS.values()])
    very_high_months = models.PositiveSmallIntegerField(null=True, blank=True)
    high_months = models.PositiveSmallIntegerField(null=True, blank=True)
    medium_months = models.PositiveSmallIntegerField(null=True, blank=True)
    low_months = models.PositiveSmallIntegerField(null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()


class VisitState(models.TextChoices):
    DUE = "due", "Due"
    OVERDUE = "overdue", "Overdue"
    PAUSED = "paused", "Paused (custody, hospital, abroad or missing)"
    REACTIVE = "reactive", "Reactive management"


class VisitStatus(models.Model):
    """When a person's next visit is due, as the last sweep worked it out (a cache)."""

    person = models.OneToOneField("register.Person", primary_key=True, on_delete=models.CASCADE,
                                  related_name="visit_status")
    state = models.CharField(max_length=10, choices=VisitState.choices, db_index=True)
    due_by = models.DateField(null=True, db_index=True)
    risk_level = models.CharField(max_length=10, blank=True)
    requirement = models.CharField(max_length=80, blank=True)
    as_at = models.DateField()

    class Meta:
        verbose_name_plural = "visit statuses"
