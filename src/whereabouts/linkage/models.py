"""Partner extracts, their accepted rows, the trained linkage models and the leads."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from whereabouts.register.models import Person


class PartnerExtract(models.Model):
    """One file from a partner agency, imported with a declared column mapping."""

    agency = models.CharField(max_length=80)
    source_name = models.CharField(max_length=255, help_text="The file's name as imported")
    file_format = models.CharField(max_length=10)
    mapping = models.JSONField(help_text="Our field -> the file's column, as declared")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()
    rows_read = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rejects_path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.agency}: {self.source_name}"


class PartnerRecord(models.Model):
    """One accepted row of an extract, normalised (names upper case, postcode spaced)."""

    extract = models.ForeignKey(PartnerExtract, on_delete=models.CASCADE,
                                related_name="records")
    line = models.PositiveIntegerField(help_text="The row's line in the file (1 = header)")
    source_id = models.CharField(max_length=80, blank=True,
                                 help_text="The agency's own reference, if mapped")
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150)
    earlier_family_names = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField()
    ni_number = models.CharField(max_length=13, blank=True)
    address_line = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    date_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["extract", "line"]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.address_line, self.postcode) if p)


class LinkageModel(models.Model):
    """A Splink model as trained on one extract: its settings with the trained parameters."""

    extract = models.ForeignKey(PartnerExtract, on_delete=models.PROTECT,
                                related_name="models")
    engine = models.CharField(max_length=10)
    splink_version = models.CharField(max_length=20)
    settings_json = models.JSONField(help_text="Splink's settings with m, u and the prior")
    trained_at = models.DateTimeField()
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    threshold = models.FloatField(help_text="Match probability at or above which a lead opens")
    pairs_scored = models.PositiveBigIntegerField(default=0)
    leads_opened = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    notes = models.TextField(blank=True, help_text="What training could not do, if anything")
    threshold_changes = models.JSONField(
        default=list, blank=True,
        help_text="Each change of the threshold after a review of score bands: who (username), "
                  "when, old, new, why, leads opened and withdrawn")

    class Meta:
        ordering = ["-trained_at", "-id"]


class LeadKind(models.TextChoices):
    MISSING = "missing", "Possible whereabouts of a missing person"
    UNDECLARED = "undeclared_address", "Address not notified to the police"
    KNOWN = "known_address", "At an address already notified"


class LeadStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    CANDIDATE = "candidate", "Below the threshold"


#: The statuses officers see in their lists; a candidate (a pair scored below the run's
#: threshold, kept for the review of score bands) is not a lead for them.
OFFICER_STATUSES = (LeadStatus.OPEN, LeadStatus.ACCEPTED, LeadStatus.REJECTED)


class Judgement(models.TextChoices):
    SAME = "same", "Same person"
    DIFFERENT = "different", "Not the same person"


class Lead(models.Model):
    """A register person very probably in a partner extract, for an officer to decide."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="linkage_leads")
    record = models.ForeignKey(PartnerRecord, on_delete=models.PROTECT, related_name="leads")
    model = models.ForeignKey(LinkageModel, on_delete=models.PROTECT, related_name="leads")
    kind = models.CharField(max_length=20, choices=LeadKind.choices)
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    matched_name = models.CharField(max_length=260, help_text="The register's name (or alias) "
                                                              "that matched best")
    explanation = models.JSONField(help_text="Per field: what agreed and what did not")
    routed_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  help_text="The missing episode's owner, who sees it first")
    status = models.CharField(max_length=10, choices=LeadStatus.choices,
                              default=LeadStatus.OPEN)
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=200, blank=True,
                               help_text="What accepting it did (an action, a check opened)")
    judgement = models.CharField(max_length=10, choices=Judgement.choices, blank=True,
                                 help_text="A clerical review's judgement of the pair, for "
                                           "the score bands (not the officer's decision)")
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "record"],
                                               name="one_lead_per_person_and_record")]


class DuplicateRun(models.Model):
    """One run of ``whereabouts duplicates find``: the register matched against itself."""

    run_at = models.DateTimeField()
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    engine = models.CharField(max_length=10, default="duckdb")
    splink_version = models.CharField(max_length=20)
    settings_json = models.JSONField(help_text="Splink's settings with m, u and the prior")
    threshold = models.FloatField(help_text="Match probability at or above which a pair is "
                                            "suggested")
    people = models.PositiveIntegerField(default=0, help_text="Records compared")
    pairs_scored = models.PositiveBigIntegerField(default=0)
    suggestions_made = models.PositiveIntegerField(default=0)
    pairs_skipped = models.PositiveIntegerField(
        default=0, help_text="Pairs at or above the threshold already suggested or decided")
    seconds = models.FloatField(default=0)
    notes = models.TextField(blank=True, help_text="What training did and did not do")

    class Meta:
        ordering = ["-run_at", "-id"]


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "To decide"
    DISTINCT = "distinct", "Marked distinct"
    MERGED = "merged", "Merged"


class DuplicateSuggestion(models.Model):
    """Two records of the register that may be one person: an unordered pair (the lower id
    first), suggested once and decided once. A decided pair is never suggested again."""

    run = models.ForeignKey(DuplicateRun, on_delete=models.PROTECT, related_name="suggestions")
    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    matched_names = models.CharField(max_length=300, help_text="The two names (or aliases) "
                                                               "that matched best")
    explanation = models.JSONField(help_text="Per field: what agreed and what did not")
    status = models.CharField(max_length=10, choices=DuplicateStatus.choices,
                              default=DuplicateStatus.OPEN)
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    survivor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text="The record kept, for a merge")
    merged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"],
                                    name="one_suggestion_per_pair"),
            models.CheckConstraint(condition=models.Q(person_a__lt=models.F("person_b")),
                                   name="suggestion_pair_ordered"),
        ]

    @property
    def merged(self) -> Person | None:
        if self.survivor_id is None:
            return None
        return self.person_b if self.survivor_id == self.person_a_id else self.person_a
