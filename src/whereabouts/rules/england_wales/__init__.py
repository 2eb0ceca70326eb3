"""The England and Wales rule pack (Sexual Offences Act 2003, Part 2).

Importing this package registers two packs: ``england_wales`` (the rules contract: the law as
it now stands, applied to every date) and ``england_wales_in_force`` (each dated rule as in
force on the day of its event, for historical questions). See docs/rules.md.
"""

from __future__ import annotations

from ..registry import register_pack
from .pack import EnglandWales
from .params import PARAMS

ENGLAND_WALES = register_pack(EnglandWales("england_wales", PARAMS))
ENGLAND_WALES_IN_FORCE = register_pack(EnglandWales("england_wales_in_force", PARAMS, True))

__all__ = ["ENGLAND_WALES", "ENGLAND_WALES_IN_FORCE", "EnglandWales"]
