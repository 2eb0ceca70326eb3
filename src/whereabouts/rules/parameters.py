"""Parameters that change with the law, each version dated and referenced (OpenFisca style).

A rule pack ships its parameters as a JSON file of package data. Each parameter has a list
of versions; a version says from which day it is in force, where in the law it comes from,
and its value. A change in the law adds a version and never edits an old one, so the engine
can answer "what did the law require on that day?" as well as "what does it require now?".
"""

from __future__ import annotations

import json
import pkgutil
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Version:
    """One value of a parameter, in force from ``in_force_from`` until the next version."""

    in_force_from: date
    reference: str
    value: Any
    url: str = ""


@dataclass(frozen=True, slots=True)
class DatedParameter:
    """A named parameter and its versions, oldest first."""

    name: str
    description: str
    versions: tuple[Version, ...]

    def in_force_on(self, day: date) -> Version | None:
        """The version in force on ``day``, or ``None`` before the first came into force."""
        found: Version | None = None
        for version in self.versions:
            if version.in_force_from <= day:
                found = version
        return found

    @property
    def current(self) -> Version:
        """The latest version: the law as it now stands."""
        return self.versions[-1]


def load_parameters(package: str, resource: str) -> dict[str, DatedParameter]:
    """Read ``resource`` from ``package``: ``{name: {description, versions: [...]}}``."""
    data = pkgutil.get_data(package, resource)  # lighter to import than importlib.resources
    if data is None:
        raise FileNotFoundError(f"{package}/{resource}")
    raw: dict[str, Any] = json.loads(data.decode("utf-8"))
    params: dict[str, DatedParameter] = {}
    for name, spec in raw.items():
        if name.startswith("$"):
            continue
        versions = tuple(
            Version(
                in_force_from=date.fromisoformat(v["in_force_from"]),
                reference=v["reference"],
                value=v["value"],
                url=v.get("url", ""),
            )
            for v in spec["versions"]
        )
        if not versions or list(versions) != sorted(versions, key=lambda v: v.in_force_from):
            raise ValueError(f"parameter {name!r}: versions must be given, oldest first")
        params[name] = DatedParameter(name, spec["description"], versions)
    return params
