"""MAPPA meetings, who attended them, and the actions they set.

A meeting is also a ledger entry of the person (``mappa.meeting``), so it is on the timeline;
the rows here hold what a ledger entry cannot hold well: the attendees, each with an agency
and optionally a user of the system, and the actions, each with an owner (a user, an agency
or both), a due date and the date it was done. Only ``done_on``/``done_by`` of an action ever
change. Orders (SHPO, SRO) and ARMS assessments are ledger entries only (``risk.orders``,
``risk.arms``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

#: The Responsible Authority and the duty-to-co-operate agencies (CJA 2003 s.325); the keys
#: of the partner agencies in ``access.models.Agency`` are the same.
MAPPA_AGENCIES: dict[str, str] = {
    "police": "Police",
    "probation": "Probation",
    "prisons": "Prisons",
    "childrens_services": "Children's services",
    "adult_social_care": "Adult social care",
    "health": "Health",
    "youth_offending": "Youth offending team",
    "housing": "Housing",
    "dwp": "Jobcentre Plus (DWP)",
    "immigration": "Home Office Immigration Enforcement",
    "electronic_monitoring": "Electronic monitoring provider",
    "education": "Education",
    "other": "Other",
}


class MappaMeeting(models.Model):
    person = models.ForeignKey("register.Person", on_delete=models.PROTECT,
                               related_name="mappa_meetings")
    event = models.OneToOneField("register.Event", null=True, on_delete=models.PROTECT,
                                 related_name="+", help_text="Its entry in the ledger")
    held_on = models.DateField()
    level = models.CharField(max_length=1, choices=[("1", "1"), ("2", "2"), ("3", "3")])
    chair = models.CharField(max_length=150)
    decisions = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(MappaMeeting, on_delete=models.PROTECT,
                                related_name="attendees")
    # The person again, so that erasing a record (``retention``) finds every row about them.
    person = models.ForeignKey("register.Person", on_delete=models.PROTECT,
                               related_name="mappa_attendances")
    agency = models.CharField(max_length=30, choices=list(MAPPA_AGENCIES.items()))
    name = models.CharField(max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="mappa_meetings_attended")

    class Meta:
        ordering = ["id"]


class MappaAction(models.Model):
    meeting = models.ForeignKey(MappaMeeting, on_delete=models.PROTECT, related_name="actions")
    person = models.ForeignKey("register.Person", on_delete=models.PROTECT,
                               related_name="mappa_actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="mappa_actions")
    owner_agency = models.CharField(max_length=30, choices=list(MAPPA_AGENCIES.items()))
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_on"])]

    def overdue(self, as_at: dt.date) -> bool:
        """Not done, and the due date has passed: overdue from the day after it."""
        return action_overdue(self.due_on, self.done_on, as_at)


def action_overdue(due_on: dt.date | None, done_on: dt.date | None, as_at: dt.date) -> bool:
    """An action is due by its due date and overdue from the day after, until done."""
    return done_on is None and due_on is not None and as_at > due_on
