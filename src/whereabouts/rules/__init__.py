"""The legislation engine: facts and an ``as_at`` date in, obligations and reasons out.

Pure Python (standard library only): no Django, no clock, nothing of the project outside
this package, so that the rules can be read, tested and run anywhere, and every answer can be
reproduced for any date. The contract is /work/shared/design/rules-contract.md; how the
engine works, and what was checked against the Act, is docs/rules.md.

    from whereabouts.rules import parse_case, evaluate, answer_to_dict
    answer = evaluate(parse_case(json.loads(text)))          # pack="england_wales"
"""

from __future__ import annotations

from . import england_wales as _england_wales  # registers the shipped packs
from .compliance import compliance_on
from .model import Answer, AwayPeriod, Case, CaseError, Disposal, Notification
from .output import answer_to_dict
from .parse import check_case, decode_json, parse_case
from .registry import RulePack, get_pack, pack_names, register_pack

DEFAULT_PACK = "england_wales"
_default = _england_wales.ENGLAND_WALES


def evaluate(case: Case, pack: str = DEFAULT_PACK) -> Answer:
    """What Part 2 requires of the person in ``case`` as at ``case.as_at``, and why.

    ``case`` must be valid (:func:`parse_case` checks a decoded JSON case; :func:`check_case`
    checks one built in code). Raises :class:`CaseError` only for a term in weeks or days that
    cannot be placed against the Act's thresholds.
    """
    if pack == DEFAULT_PACK:
        return _default.evaluate(case)
    return get_pack(pack).evaluate(case)


__all__ = [
    "Answer",
    "AwayPeriod",
    "Case",
    "CaseError",
    "DEFAULT_PACK",
    "Disposal",
    "Notification",
    "RulePack",
    "answer_to_dict",
    "check_case",
    "compliance_on",
    "decode_json",
    "evaluate",
    "get_pack",
    "pack_names",
    "parse_case",
    "register_pack",
]
