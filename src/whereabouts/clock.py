"""The one place that reads the clock.

Rules and selectors take dates as arguments; only the edges (views, commands) ask what
today is, and they ask here, so that the demo can live in autumn 2017 and tests can pin
a date through the ``WHEREABOUTS_TODAY`` setting.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    """Today's date in the service's time zone, or the pinned date when one is set."""
    pinned = getattr(settings, "WHEREABOUTS_TODAY", "")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return timezone.localdate()
