"""Cleaning both sides the same way before they are compared: names, postcodes, NI numbers."""

from __future__ import annotations

import re
import unicodedata

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_NI = re.compile(r"^[A-Z]{2}[0-9]{6}[A-D]$")


def name(value: str | None) -> str:
    """Upper case, accents dropped, hyphens and apostrophes as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    text = re.sub(r"[^A-Z ]+", " ", text.replace("'", ""))
    return " ".join(text.split())


def first_name(given_names: str) -> str:
    parts = name(given_names).split()
    return parts[0] if parts else ""


def postcode(value: str | None) -> str | None:
    """``"b771aa"`` -> ``"B77 1AA"``; ``""`` -> ``""``; anything malformed -> None."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    if not compact:
        return ""
    match = _POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else None


def district(value: str) -> str:
    return value.split(" ")[0] if value else ""


def ni_number(value: str | None) -> str | None:
    """``"qq 12 34 56 a"`` -> ``"QQ123456A"``; ``""`` -> ``""``; malformed -> None."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    if not compact:
        return ""
    return compact if _NI.match(compact) else None


def address_line(value: str | None) -> str:
    return " ".join(re.sub(r"[^A-Z0-9 ]+", " ", (value or "").upper()).split())
