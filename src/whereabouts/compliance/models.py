"""The status cache and the tasks the sweep opens.

``ComplianceStatus`` is a cache: every value in it can be rebuilt from the ledger by the rules
engine, and a test does exactly that. ``Task`` is work for a person to do; the sweep opens one
for each notification that became overdue and closes it when the notification arrives.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Compliance(models.TextChoices):
    COMPLIANT = "compliant", "Compliant"
    OVERDUE = "overdue", "Overdue"
    AWAY = "away", "Away (custody, hospital or abroad)"
    ENDED = "ended", "Requirement ended"
    DECEASED = "deceased", "Deceased"
    MERGED = "merged", "Merged into another record"
    NOT_SUBJECT = "not_subject", "Not yet subject"


class ComplianceStatus(models.Model):
    person = models.OneToOneField("register.Person", primary_key=True, on_delete=models.PROTECT,
                                  related_name="compliance_status")
    compliance = models.CharField(max_length=20, choices=Compliance.choices, db_index=True)
    indefinite = models.BooleanField(default=False)
    period_last_day = models.DateField(null=True)
    next_due_kind = models.CharField(max_length=20, blank=True)
    next_due_last_day = models.DateField(null=True, db_index=True)
    review_first_eligible = models.DateField(null=True)
    # Bookkeeping that lets a sweep skip a person whose answer cannot have changed:
    ledger_mark = models.BigIntegerField(
        default=0, help_text="The highest ledger entry id when this status was worked out"
    )
    valid_until = models.DateField(
        null=True, help_text="The last date this status holds if no entry is added"
    )

    class Meta:
        verbose_name_plural = "compliance statuses"


class TaskState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Task(models.Model):
    """Something an offender manager must act on."""

    person = models.ForeignKey("register.Person", on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(max_length=40)
    due_kind = models.CharField(max_length=20, blank=True)
    due_last_day = models.DateField()
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="tasks")
    state = models.CharField(max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    opened_as_at = models.DateField()
    closed_as_at = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["due_last_day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "due_kind", "due_last_day"],
                                    name="one_task_per_missed_deadline"),
        ]


class SweepRun(models.Model):
    """A record of each sweep that changed anything: when, as at what date, and what changed.

    The latest run's ``as_at`` is the date the whole status cache stands as at.
    """

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    as_at = models.DateField()
    people = models.PositiveIntegerField()
    statuses_changed = models.PositiveIntegerField()
    tasks_opened = models.PositiveIntegerField()
    tasks_closed = models.PositiveIntegerField()


class StatusPeriod(models.Model):
    """A stretch of days over which a person's status, as at each day, stays the same.

    Kept with the force that manages the person now, so that counting needs no join.

    Derived data, like :class:`ComplianceStatus`: the rules engine's answer as at each day
    from ``starts_on`` to ``ends_on`` (inclusive; ``9999-12-31`` while nothing is known to end
    it), read from the ledger as it stood on that day. Only the states in which the person is
    registered (compliant, overdue, away) are kept. The figures as at any date are a count of
    the periods that cover it (``compliance.periods``).
    """

    person = models.ForeignKey("register.Person", on_delete=models.CASCADE,
                               related_name="status_periods", db_index=False)
    #: The force that manages the person now (worked out again with every assignment).
    force = models.CharField(max_length=40)
    starts_on = models.DateField()
    ends_on = models.DateField()
    compliance = models.CharField(max_length=20, choices=Compliance.choices)
    next_due_last_day = models.DateField(null=True)

    class Meta:
        # Counting the periods that cover a date reads one of the two covering indexes,
        # whichever range is shorter for that date (``compliance.periods``).
        indexes = [
            models.Index(fields=["person", "starts_on"], name="status_period_person"),
            models.Index(fields=["starts_on", "ends_on", "force", "compliance",
                                 "next_due_last_day"], name="status_period_from"),
            models.Index(fields=["ends_on", "starts_on", "force", "compliance",
                                 "next_due_last_day"], name="status_period_to"),
        ]


class StatusPeriodsMark(models.Model):
    """The highest ledger entry id when the status periods were last brought up to date.

    The newest few are kept: a mark is trusted only once it has settled (see
    ``compliance.periods.SETTLE``).
    """

    ledger_mark = models.BigIntegerField()
    built_at = models.DateTimeField()
