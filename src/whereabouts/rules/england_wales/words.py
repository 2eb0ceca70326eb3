"""Plain-English and ISO 8601 wording of lengths, shared by the explanation and the output."""

from __future__ import annotations


def iso_duration(months: int) -> str:
    """``P10Y``, ``P3Y6M``, ``P6M``: months normalised into years and months."""
    years, rest = divmod(months, 12)
    if years and rest:
        return f"P{years}Y{rest}M"
    if years:
        return f"P{years}Y"
    return f"P{rest}M"


def months_in_words(months: int) -> str:
    """``10 years``, ``3 years 6 months``, ``1 year``, ``6 months``."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts) or "0 months"


def count(n: int, unit: str) -> str:
    """``1 week``, ``26 weeks``."""
    return f"{n} {unit}{'' if n == 1 else 's'}"
