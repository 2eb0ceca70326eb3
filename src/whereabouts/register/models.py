"""The register: people, their identities and the append-only ledger of what happened to them.

Nothing here is updated in place or deleted. A fact is an :class:`Event` with the date it took
effect and the time it was recorded; a correction is a new event that ``supersedes`` the old
one and gives a reason. Disposals and addresses hang off the event that recorded them, so they
share its history. The few fields on :class:`Person` that can change (current names, the owning
force and the offender manager) are a cache of the latest event that set them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete a ledger row."""


class AppendOnlyModel(models.Model):
    """A row that can be inserted but never updated or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{type(self).__name__} rows are never deleted")


class Force(models.Model):
    """A territorial police force of England and Wales (reference data from forces.csv)."""

    slug = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=60, db_index=True)
    country = models.CharField(max_length=20)
    population = models.PositiveIntegerField(help_text="Approximate resident population")
    mappa_area = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    OTHER = "X", "Other or not known"


class Person(models.Model):
    """Someone subject (now or once) to the notification requirements."""

    reference = models.CharField(max_length=20, unique=True)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="people")
    offender_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="caseload",
    )
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    pnc_id = models.CharField("PNC ID", max_length=20, blank=True, db_index=True)
    cro_number = models.CharField("CRO number", max_length=20, blank=True)
    ni_number = models.CharField("National Insurance number", max_length=13, blank=True)
    passport_number = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # MoPI (rules/retention.py): set at registration, moved on by each decision to retain
    # (whereabouts.retention). A cache of the latest decision, like the fields above.
    retention_group = models.CharField(max_length=2, default="1",
                                       help_text="MoPI review group: 1, public protection")
    next_review = models.DateField(help_text="When the record is next reviewed (MoPI)")

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [models.Index(fields=["force", "offender_manager"]),
                   models.Index(fields=["force", "next_review"], name="register_person_review")]

    def __str__(self) -> str:
        return f"{self.reference}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name.upper()}"


class EventKind(models.TextChoices):
    """Every kind of thing that can happen to a person. Details per kind: register/events.py."""

    REGISTERED = "registered", "Registered"
    DISPOSAL = "disposal", "Disposal for a Schedule 3 offence"
    NOTIFICATION_INITIAL = "notification.initial", "Initial notification (s.83)"
    NOTIFICATION_CHANGE = "notification.change", "Change notification (s.84)"
    NOTIFICATION_PERIODIC = "notification.periodic", "Periodic notification (s.85)"
    NOTIFICATION_TRAVEL = "notification.travel", "Foreign travel notification (s.86)"
    NOTIFICATION_HOUSEHOLD = "notification.household", "Stay in a household with a child"
    NOTIFICATION_BANK_CARD = "notification.bank_card", "Bank and card details"
    NOTIFICATION_PASSPORT = "notification.passport", "Passport and identity document details"
    CUSTODY_START = "custody.start", "Into custody"
    CUSTODY_END = "custody.end", "Released from custody"
    HOSPITAL_START = "hospital.start", "Detained in hospital"
    HOSPITAL_END = "hospital.end", "Discharged from hospital"
    ABROAD_START = "abroad.start", "Left the United Kingdom"
    ABROAD_END = "abroad.end", "Returned to the United Kingdom"
    VISIT = "visit", "Home visit"
    VISIT_PLAN = "visit.plan", "Visits set in the risk management plan"
    RISK_LEVEL = "risk.level", "Risk of serious harm assessed"
    MAPPA = "mappa", "MAPPA category and level"
    MAPPA_MEETING = "mappa.meeting", "MAPPA meeting"
    ARMS_ASSESSMENT = "arms.assessment", "ARMS assessment"
    ORDER_MADE = "order.made", "Order made (SHPO or SRO)"
    ORDER_VARIED = "order.varied", "Order varied"
    ORDER_DISCHARGED = "order.discharged", "Order discharged"
    DEATH = "death", "Death"
    REVIEW_DECISION = "review.decision", "Review decision (s.91C)"
    CHECK_OPENED = "check.opened", "Whereabouts check opened"
    CHECK_CLOSED = "check.closed", "Whereabouts check closed"
    MISSING_RECORDED = "missing.recorded", "Recorded as missing (whereabouts unknown)"
    MISSING_LOCATED = "missing.located", "Located"
    MISSING_ACTION = "missing.action", "Action on a missing case"
    MISSING_REVIEW = "missing.review", "Review of a missing case"
    CIRCULATION_SENT = "circulation.sent", "Circulated as missing"
    CIRCULATION_CANCELLED = "circulation.cancelled", "Circulation cancelled"
    BREACH_RECORDED = "breach.recorded", "Breach of the notification requirements (s.91)"
    BREACH_WARRANT = "breach.warrant", "Warrant for a breach"
    BREACH_OUTCOME = "breach.outcome", "Outcome of a breach investigation"
    ASSIGNMENT = "assignment", "Offender manager assigned"
    TRANSFER_OPENED = "transfer.opened", "Transfer to another force opened"
    TRANSFER_ACCEPTED = "transfer.accepted", "Transfer accepted by the receiving force"
    TRANSFER_CANCELLED = "transfer.cancelled", "Transfer cancelled"
    IDENTITY = "identity", "Identity recorded or corrected"
    MERGED_INTO = "merged.into", "Merged into another record of the same person"
    MERGED_FROM = "merged.from", "Another record of the same person merged into this one"
    VOID = "void", "Entry withdrawn"


class Event(AppendOnlyModel):
    """One dated fact in a person's ledger."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    effective_date = models.DateField(help_text="The date it took effect")
    recorded_at = models.DateTimeField(help_text="When it was recorded")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=60, help_text="web, import:<file>, demo, ...")
    details = models.JSONField(default=dict, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reason = models.TextField(blank=True, help_text="Why an earlier entry is superseded")

    class Meta:
        ordering = ["effective_date", "id"]
        indexes = [
            models.Index(fields=["person", "effective_date"]),
            # Figures and boards read one kind nationally (e.g. every missing entry to a date).
            models.Index(fields=["kind", "effective_date"], name="register_ev_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.effective_date}"


class DisposalKind(models.TextChoices):
    IMPRISONMENT = "imprisonment", "Imprisonment"
    HOSPITAL_ORDER = "hospital_order", "Hospital order"
    CAUTION = "caution", "Caution"
    CONDITIONAL_DISCHARGE = "conditional_discharge", "Conditional discharge"
    OTHER = "other", "Other (fine, community order, ...)"


class Disposal(AppendOnlyModel):
    """The disposal for one Schedule 3 offence, recorded by a ``disposal`` event."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="disposal")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disposals")
    relevant_date = models.DateField(help_text="Date of conviction, finding or caution (s.82(6))")
    offence = models.CharField(max_length=200, help_text="Statute and section, e.g. SOA 2003 s.3")
    court = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=30, choices=DisposalKind.choices)
    months = models.PositiveIntegerField(null=True, blank=True,
                                         help_text="Term or discharge length")
    life = models.BooleanField(default=False)
    restriction_order = models.BooleanField(default=False)
    suspended = models.BooleanField(default=False)

    class Meta:
        ordering = ["relevant_date", "id"]


class AddressKind(models.TextChoices):
    HOME = "home", "Home address"
    OTHER = "other", "Other address regularly lived or stayed at"
    REGULAR_PLACE = "regular_place", "Place where they can regularly be found (no fixed abode)"


class Address(AppendOnlyModel):
    """An address given in a notification; it holds from the notification's date."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="addresses")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="addresses")
    kind = models.CharField(max_length=20, choices=AddressKind.choices)
    line1 = models.CharField(max_length=120)
    line2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80)
    postcode = models.CharField(max_length=10, blank=True)
    from_date = models.DateField()

    class Meta:
        ordering = ["-from_date", "id"]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line1, self.line2, self.town, self.postcode) if p)


class Alias(AppendOnlyModel):
    """Another name a person has used, with the dates it was used."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="aliases")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="aliases")
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150)
    used_from = models.DateField(null=True, blank=True)
    used_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["used_from", "id"]


class SearchKeyKind(models.TextChoices):
    FAMILY = "family", "Family name"
    GIVEN = "given", "Given name"
    PNC = "pnc", "PNC ID"
    CRO = "cro", "CRO number"
    NI = "ni", "National Insurance number"
    PASSPORT = "passport", "Passport number"
    POSTCODE = "postcode", "Postcode"
    DISTRICT = "district", "Postcode district"


class SearchKey(models.Model):
    """One searchable word, identifier or postcode of a person, normalised, with its sounds.

    Not part of the ledger: derived from the person, their aliases and their addresses by
    ``register/search_keys.py``, rebuilt whenever those change, and safe to rebuild at any
    time. It lets a search find its candidates by index instead of reading every person. A
    name gives one row per word; ``alias`` says which alias it came from (none: the current
    name). Phonetic columns are empty for identifiers and postcodes.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    alias = models.ForeignKey(Alias, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    kind = models.CharField(max_length=10, choices=SearchKeyKind.choices)
    value = models.CharField(max_length=150, help_text="As written, for 'why it matched'")
    token = models.CharField(max_length=150, help_text="Normalised: upper case, no spaces")
    metaphone = models.CharField(max_length=40, blank=True)
    nysiis = models.CharField(max_length=40, blank=True)
    soundex = models.CharField(max_length=8, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["token"], name="register_sk_token"),
            models.Index(fields=["metaphone"], name="register_sk_metaphone"),
            models.Index(fields=["nysiis"], name="register_sk_nysiis"),
            models.Index(fields=["soundex"], name="register_sk_soundex"),
        ]


class PostcodeDistrict(models.Model):
    """Reference data: the force whose area a postcode district (outward code) lies in.

    Loaded from the shipped ``postcode_districts.csv`` or an operator's file
    (``whereabouts reference postcodes``). A district that straddles two forces is given to
    the force holding most of it; the receiving force can hand a person back by a transfer.
    """

    district = models.CharField(primary_key=True, max_length=4)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="postcode_districts")

    def __str__(self) -> str:
        return f"{self.district}: {self.force_id}"


class TransferState(models.TextChoices):
    PENDING = "pending", "Waiting for the receiving force"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"


class Transfer(models.Model):
    """A person handed from one force to another: opened by a notification of a home address
    in the other force's area, accepted by the receiving force (which assigns an offender
    manager), or cancelled by the sending force. Until then the sending force stays
    responsible and both see the person. Every step is also a ledger entry.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    from_force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    to_force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    opened_by_event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="+")
    notification = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", help_text="What triggered it, if a "
                                                                 "notification")
    opened_on = models.DateField()
    due_by = models.DateField(help_text="The receiving force accepts by this date")
    state = models.CharField(max_length=10, choices=TransferState.choices,
                             default=TransferState.PENDING)
    closed_on = models.DateField(null=True, blank=True)
    closed_by_event = models.OneToOneField(Event, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["person"], condition=models.Q(state="pending"),
            name="one_pending_transfer_per_person")]
        indexes = [models.Index(fields=["to_force", "state"]),
                   models.Index(fields=["from_force", "state"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_force_id} -> {self.to_force_id} ({self.state})"

    def overdue(self, today: dt.date) -> bool:
        return self.state == TransferState.PENDING and today > self.due_by


class CirculationReceipt(models.Model):
    """A force's acknowledgement that it has seen a circulation of a missing person."""

    circulation = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="receipts",
                                    help_text="The circulation.sent entry")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledged_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["circulation", "force"],
                                               name="one_receipt_per_force")]
