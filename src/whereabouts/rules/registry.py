"""Rule packs by name, so that a second jurisdiction can sit beside England and Wales.

A pack is anything with a ``name``, an ``evaluate(case) -> Answer`` and an
``explain(case) -> tuple[str, ...]`` (the sentences, which answers fetch when read). Packs register
themselves when their package is imported; :mod:`whereabouts.rules` imports the packs it
ships, so ``get_pack("england_wales")`` works without further set-up.
"""

from __future__ import annotations

from typing import Protocol

from .model import Answer, Case


class RulePack(Protocol):
    """The shape every jurisdiction's rule pack has."""

    @property
    def name(self) -> str: ...

    def evaluate(self, case: Case) -> Answer: ...

    def explain(self, case: Case) -> tuple[str, ...]: ...


_PACKS: dict[str, RulePack] = {}


def register_pack(pack: RulePack) -> RulePack:
    """Add ``pack`` under its name; registering a name twice is a programming error."""
    if pack.name in _PACKS and _PACKS[pack.name] is not pack:
        raise ValueError(f"a rule pack named {pack.name!r} is already registered")
    _PACKS[pack.name] = pack
    return pack


def get_pack(name: str) -> RulePack:
    """The pack registered as ``name``; ``KeyError`` names the packs there are."""
    try:
        return _PACKS[name]
    except KeyError:
        known = ", ".join(sorted(_PACKS)) or "none"
        raise KeyError(f"no rule pack named {name!r} (registered: {known})") from None


def pack_names() -> tuple[str, ...]:
    """Names of the registered packs, sorted."""
    return tuple(sorted(_PACKS))
