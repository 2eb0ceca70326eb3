"""API tokens: a long random secret shown once, kept only as its SHA-256 digest."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token for the API, belonging to one user, with scopes and an expiry.

    The secret itself is never stored: only its SHA-256 digest (a 256-bit random secret needs
    no slow hash) and its first characters, so that a list of tokens can name one without
    revealing it. A token is revoked, never deleted: the audit log refers to its user.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for")
    prefix = models.CharField(max_length=16, help_text="The secret's first characters")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret")
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def live(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
