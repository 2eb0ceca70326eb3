"""Staff roles and the audit log.

The audit log records every collection, alteration, consultation and disclosure of personal
data (DPA 2018 s.62). Each entry carries the SHA-256 of its own content and of the entry
before it, so removing or editing any entry breaks the chain that ``whereabouts audit verify``
checks.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    OFFENDER_MANAGER = "offender_manager", "Offender manager"
    SUPERVISOR = "supervisor", "Supervisor"
    SENIOR_OFFICER = "senior_officer", "Senior officer (inspector or above)"
    NATIONAL_CASEWORKER = "national_caseworker", "National caseworker (cross-force)"
    ANALYST = "analyst", "Analyst"
    FOI_OFFICER = "foi_officer", "Freedom of information officer"
    PARTNER = "partner", "Partner agency"
    AUDITOR = "auditor", "Data protection officer or auditor"
    ADMINISTRATOR = "administrator", "System administrator"


class Agency(models.TextChoices):
    """The partner agencies a person can be shared with."""

    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    DWP = "dwp", "Department for Work and Pensions"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"


class StaffProfile(models.Model):
    """A user's role and force. No profile means no access to anything but the login page."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="staff")
    role = models.CharField(max_length=30, choices=Role.choices)
    force = models.ForeignKey("register.Force", null=True, blank=True, on_delete=models.PROTECT,
                              help_text="Empty for a national user")
    agency = models.CharField(max_length=30, choices=Agency.choices, blank=True,
                              help_text="A partner agency user's agency; empty for police staff")
    session_generation = models.PositiveIntegerField(
        default=0, help_text="Raised by 'sign out everywhere': older sessions then end")
    must_change_password = models.BooleanField(
        default=False, help_text="Set when an administrator resets the password: the user "
                                 "must choose a new one at their next sign-in")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Share(models.Model):
    """A person shared with a partner agency, for a period and a purpose.

    Made by a supervisor (``access.sharing.share_person``) and audited as a disclosure. The
    partner agency's users see the person, through the narrow partner view only, while the
    share is current. Never edited: a share ends at ``until``.
    """

    person = models.ForeignKey("register.Person", on_delete=models.PROTECT,
                               related_name="shares")
    agency = models.CharField(max_length=30, choices=Agency.choices)
    since = models.DateField()
    until = models.DateField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    shared_at = models.DateTimeField()
    purpose = models.TextField(help_text="Why the agency needs to know")
    notes = models.TextField(blank=True, help_text="What the agency should know (MAPPA-style "
                                                   "notes); shown to the agency")

    class Meta:
        indexes = [models.Index(fields=["agency", "until"])]

    def __str__(self) -> str:
        return f"{self.person_id} shared with {self.get_agency_display()}"


class AuditAction(models.TextChoices):
    COLLECTION = "collection", "Collection"
    ALTERATION = "alteration", "Alteration"
    CONSULTATION = "consultation", "Consultation"
    DISCLOSURE = "disclosure", "Disclosure"
    COMBINATION = "combination", "Combination"
    ERASURE = "erasure", "Erasure"
    REFUSAL = "refusal", "Refused access"


class AuditEntry(models.Model):
    """One logged act on personal data. Written only by ``access.audit.record``."""

    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150, help_text="Kept in case the user is renamed")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    what = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    listed = models.TextField(blank=True, default="", db_default="",
                              help_text="The ids of the people a list page showed, "
                                        "space-separated (covered by the hash)")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit entries are never deleted")

    def listed_ids(self) -> list[int]:
        return [int(pid) for pid in self.listed.split()]


class AuditListing(models.Model):
    """One person shown on a list page (a caseload, search results, the missing board) whose
    look is one :class:`AuditEntry`: an index of the entry's ``listed`` ids, written with it,
    so that "who looked at this person" finds list appearances without reading every entry.
    The entry's ``listed`` text, which the chain's hash covers, is the record; ``audit
    verify`` checks that these rows agree with it."""

    # No database constraint: the log's tables refuse TRUNCATE by trigger, and a foreign key
    # would answer first; ``audit verify`` reports rows that no entry has.
    entry = models.ForeignKey(AuditEntry, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="listings")
    person_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["person_id", "entry"], name="access_listing_person")]


class SignInStage(models.TextChoices):
    PASSWORD = "password", "Password"
    CODE = "code", "Code from the authenticator app"


class SignInFailure(models.Model):
    """A wrong password or code for a username, counted towards a lockout.

    Kept by username, not user, so that a username nobody has locks exactly like a real one.
    Cleared when the user signs in; the audit log keeps every failure for good.
    """

    username = models.CharField(max_length=150)
    at = models.DateTimeField()
    stage = models.CharField(max_length=10, choices=SignInStage.choices)

    class Meta:
        indexes = [models.Index(fields=["username", "at"])]


class Lockout(models.Model):
    """A username refused sign-in until ``until``."""

    username = models.CharField(max_length=150)
    at = models.DateTimeField()
    until = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["username", "until"])]


class Erasure(models.Model):
    """What is left of a person whose record was erased (a MoPI disposal, by
    ``retention.services.erase_disposed``): enough for the auditors to find their audit
    entries, which refer to them by ``person_id``, a number never used again; no more."""

    person_id = models.BigIntegerField(unique=True)
    reference = models.CharField(max_length=20, db_index=True)
    force_id = models.CharField(max_length=40)
    decided_on = models.DateField()
    decided_by_name = models.CharField(max_length=150)
    reason = models.TextField()
    erased_at = models.DateTimeField()
    erased_by_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.reference} (erased)"
