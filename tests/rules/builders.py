"""Small builders for cases written the way the contract writes them (decoded JSON)."""

from __future__ import annotations

from typing import Any

from whereabouts.rules import answer_to_dict, evaluate, parse_case

ADULT = "1985-06-15"


def disposal(date: str, kind: str = "imprisonment", **fields: Any) -> dict[str, Any]:
    """A disposal; pass ``months=`` etc. as the contract names them."""
    return {"date": date, "kind": kind, **fields}


def away(start: str, end: str, reason: str = "custody") -> dict[str, Any]:
    return {"from": start, "to": end, "reason": reason}


def notified(date: str, kind: str = "periodic", nfa: bool | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"date": date, "kind": kind}
    if nfa is not None:
        item["no_fixed_abode"] = nfa
    return item


def case(
    *disposals: dict[str, Any],
    dob: str = ADULT,
    as_at: str = "2024-06-01",
    away_periods: tuple[dict[str, Any], ...] = (),
    notifications: tuple[dict[str, Any], ...] = (),
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {"date_of_birth": dob, "as_at": as_at, "disposals": list(disposals)}
    if away_periods:
        data["away"] = list(away_periods)
    if notifications:
        data["notifications"] = list(notifications)
    data.update(extra)
    return data


def explain(data: dict[str, Any], pack: str = "england_wales") -> dict[str, Any]:
    """The contract's output for ``data``."""
    return answer_to_dict(evaluate(parse_case(data), pack))
