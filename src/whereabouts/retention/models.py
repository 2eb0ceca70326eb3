"""MoPI review decisions.

A decision is never changed: a later review is a new decision. The person's next review date
(``register.Person.next_review``) is a cache of the latest decision to retain, or of the
registration date for a record never reviewed. When a record is disposed of, every row about
the person goes, decisions included; an ``access.models.Erasure`` keeps what the auditors
need to find the person's audit entries again (the reference and the number the entries
use), and nothing else about them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from whereabouts.register.models import AppendOnlyModel


class Outcome(models.TextChoices):
    RETAIN = "retain", "Retain and review again"
    DISPOSE = "dispose", "Dispose of the record"


#: The National Retention Assessment Criteria (APP, Management of Police Information), as
#: questions a reviewer answers "yes" to when keeping a record. Key -> words.
NRAC: dict[str, str] = {
    "serious_harm": "Is there evidence of a capacity to inflict serious harm?",
    "children_vulnerable": "Are there concerns in relation to children or vulnerable adults?",
    "breach_of_trust": "Did the behaviour involve a breach of trust?",
    "links": "Is there evidence of established links or associations which might increase "
             "the risk of harm?",
    "substance_misuse": "Are there concerns in relation to substance misuse?",
    "mental_state": "Are there concerns that the person's mental state might exacerbate "
                    "risk?",
}


class Decision(AppendOnlyModel):
    """One MoPI review of one person's record, by a reviewer, with its reasons."""

    person = models.ForeignKey("register.Person", on_delete=models.PROTECT,
                               related_name="retention_decisions")
    decided_on = models.DateField()
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    criteria = models.JSONField(default=list, blank=True,
                                help_text="The NRAC questions answered yes (keys of NRAC)")
    reason = models.TextField()
    next_review = models.DateField(null=True, blank=True, help_text="For a decision to retain")

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["outcome", "person"], name="retention_dec_outcome")]

    def criteria_words(self) -> list[str]:
        return [NRAC.get(key, key) for key in self.criteria]
