"""What each import did, so that running the same extract again creates nothing new.

An :class:`ImportRun` is one real (not dry) run: who ran it, on which file, and its counts.
An :class:`ImportedPerson` ties a person to the run that created them, with the fingerprint of
every row that made them: a later run finds the same rows and reports them as already
present, and a row that is new or changed for that person is rejected (an import never
changes a record already on the register; corrections are made on the person's page).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    file = models.CharField(max_length=255, help_text="The extract's file or directory name")
    source = models.CharField(max_length=60, help_text="The ledger's source: import:<file>")
    people_created = models.PositiveIntegerField(default=0)
    events_created = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_already_present = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.file}"


class ImportedPerson(models.Model):
    person = models.OneToOneField("register.Person", on_delete=models.PROTECT,
                                  related_name="import_record")
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="people")
    reference = models.CharField(max_length=20, unique=True,
                                 help_text="The extract's reference (the person's reference)")
    rows = models.TextField(help_text="Fingerprints of the rows that made this person, "
                                      "space-separated")
