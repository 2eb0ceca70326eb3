"""Reading a case from decoded JSON, strictly, as the rules contract requires.

Every problem is reported as a :class:`CaseError` naming the field by its path
(``disposals[1].months``) so that one line on standard error tells the person who wrote the
case what to fix. Nothing is guessed: a date must be a string ``YYYY-MM-DD`` naming a real
day, a boolean must be a JSON boolean and a number of months a JSON integer. The first
problem found, in document order, is the one reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from .model import AwayPeriod, Case, CaseError, Disposal, Notification

T = TypeVar("T")

CASE_FIELDS = ("date_of_birth", "as_at", "disposals", "away", "notifications", "apply_s83_waiver")
CASE_REQUIRED = ("date_of_birth", "as_at", "disposals")
DISPOSAL_FIELDS = (
    "date", "kind", "months", "life", "restriction_order",
    "weeks", "days", "suspended", "consecutive_group",
)  # fmt: skip
DISPOSAL_REQUIRED = ("date", "kind")
DISPOSAL_KINDS = (
    "imprisonment", "hospital_order", "caution", "conditional_discharge", "other",
    "detention_and_training_order",
)  # fmt: skip
AWAY_FIELDS = ("from", "to", "reason")
AWAY_REASONS = ("custody", "hospital", "abroad")
NOTIFICATION_FIELDS = ("date", "kind", "no_fixed_abode")
NOTIFICATION_REQUIRED = ("date", "kind")
NOTIFICATION_KINDS = ("initial", "change", "periodic")

#: Bounds that keep every computed date inside the calendar (period, review, deadlines).
MAX_DATE = date(9799, 12, 31)
MAX_MONTHS = 1200
MAX_WEEKS = 5200
MAX_DAYS = 36500
MAX_GROUP_LENGTH = 100

_DIGITS = frozenset("0123456789")


class JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers keys it saw more than once."""

    duplicate_keys: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> JsonObject:
    obj = JsonObject()
    seen_twice: list[str] = []
    for key, value in pairs:
        if key in obj:
            seen_twice.append(key)
        obj[key] = value
    if seen_twice:
        obj.duplicate_keys = tuple(seen_twice)
    return obj


def decode_json(text: str) -> Any:
    """Decode JSON, keeping duplicate keys visible to :func:`parse_case`; errors name ``case``."""
    try:
        return json.loads(text, object_pairs_hook=_object_pairs)
    except json.JSONDecodeError as exc:
        raise CaseError("case", f"not valid JSON: {exc}") from None
    except RecursionError:
        raise CaseError("case", "not valid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python will read
        raise CaseError("case", f"not valid JSON: {_one_line(str(exc))}") from None


def parse_case(data: Any) -> Case:
    """The :class:`Case` described by ``data`` (decoded JSON), or :class:`CaseError`."""
    obj = _object(data, "case", CASE_FIELDS, CASE_REQUIRED, root=True)
    date_of_birth = _date(obj["date_of_birth"], "date_of_birth")
    as_at = _date(obj["as_at"], "as_at")
    disposals = _list(obj["disposals"], "disposals", _disposal, required=True)
    away = _list(obj.get("away", []), "away", _away)
    notifications = _list(obj.get("notifications", []), "notifications", _notification)
    waiver = _bool(obj.get("apply_s83_waiver", False), "apply_s83_waiver")
    case = Case(date_of_birth, as_at, disposals, away, notifications, waiver)
    check_case(case)
    return case


def check_case(case: Case) -> None:
    """The checks that need more than one field: dates against birth, pairs of fields.

    :func:`parse_case` runs these; a caller that builds a :class:`Case` itself can run them
    too, to learn about a bad case before the engine computes on it.
    """
    born = case.date_of_birth
    if case.as_at < born:
        raise CaseError("as_at", f"{case.as_at} is before date_of_birth {born}")
    groups: dict[str, list[int]] = {}
    for i, disposal in enumerate(case.disposals):
        _check_disposal(disposal, f"disposals[{i}]", born)
        if disposal.consecutive_group is not None:
            groups.setdefault(disposal.consecutive_group, []).append(i)
    for name, members in groups.items():
        if len(members) < 2:
            raise CaseError(
                f"disposals[{members[0]}].consecutive_group",
                f"group {json.dumps(name)} has one term; consecutive terms need at least two",
            )
    for i, period in enumerate(case.away):
        if period.start < born:
            raise CaseError(f"away[{i}].from", f"{period.start} is before date_of_birth {born}")
        if period.end < period.start:
            raise CaseError(f"away[{i}].to", f"{period.end} is before from {period.start}")
    for i, notification in enumerate(case.notifications):
        if notification.date < born:
            raise CaseError(
                f"notifications[{i}].date", f"{notification.date} is before date_of_birth {born}"
            )


def _check_disposal(d: Disposal, path: str, born: date) -> None:
    """Which fields a disposal of each kind takes (contract, plus the checked extensions)."""
    if d.date < born:
        raise CaseError(f"{path}.date", f"{d.date} is before date_of_birth {born}")
    if d.life and d.kind != "imprisonment":
        raise CaseError(f"{path}.life", f"applies only to imprisonment, not {d.kind}")
    if d.restriction_order and d.kind != "hospital_order":
        raise CaseError(
            f"{path}.restriction_order", f"applies only to hospital_order, not {d.kind}"
        )
    if d.suspended and (d.kind != "imprisonment" or d.life):
        what = "life imprisonment" if d.life else d.kind
        raise CaseError(
            f"{path}.suspended", f"applies only to a fixed term of imprisonment, not {what}"
        )
    given = [name for name in ("months", "weeks", "days") if getattr(d, name) is not None]
    if d.kind == "imprisonment" and not d.life:
        if not given:
            raise CaseError(f"{path}.months", "is required for imprisonment unless life is true")
        if len(given) > 1:
            raise CaseError(
                f"{path}.{given[1]}", f"give the term once: {given[0]} is already given"
            )
    elif d.kind in ("conditional_discharge", "detention_and_training_order"):
        for name in given:
            if name != "months":
                raise CaseError(f"{path}.{name}", f"{d.kind} takes its length in months")
        if not given:
            raise CaseError(f"{path}.months", f"is required for {d.kind}")
    elif given:
        why = "life imprisonment" if d.kind == "imprisonment" else d.kind
        raise CaseError(f"{path}.{given[0]}", f"must be absent for {why}")
    if d.consecutive_group is not None and not (
        (d.kind == "imprisonment" and not d.life) or d.kind == "detention_and_training_order"
    ):
        raise CaseError(
            f"{path}.consecutive_group",
            "applies only to fixed terms of imprisonment or detention and training orders",
        )


# --- one object of each kind -------------------------------------------------------------


def _disposal(data: Any, path: str) -> Disposal:
    obj = _object(data, path, DISPOSAL_FIELDS, DISPOSAL_REQUIRED)
    when = _date(obj["date"], f"{path}.date")
    kind = _choice(obj["kind"], f"{path}.kind", DISPOSAL_KINDS)
    months = _count(obj, "months", path, MAX_MONTHS)
    life = _bool(obj.get("life", False), f"{path}.life")
    restriction = _bool(obj.get("restriction_order", False), f"{path}.restriction_order")
    weeks = _count(obj, "weeks", path, MAX_WEEKS)
    days = _count(obj, "days", path, MAX_DAYS)
    suspended = _bool(obj.get("suspended", False), f"{path}.suspended")
    group = obj.get("consecutive_group")
    if group is not None or "consecutive_group" in obj:
        group = _group(group, f"{path}.consecutive_group")
    return Disposal(when, kind, months, life, restriction, weeks, days, suspended, group)


def _away(data: Any, path: str) -> AwayPeriod:
    obj = _object(data, path, AWAY_FIELDS, AWAY_FIELDS)
    start = _date(obj["from"], f"{path}.from")
    end = _date(obj["to"], f"{path}.to")
    reason = _choice(obj["reason"], f"{path}.reason", AWAY_REASONS)
    return AwayPeriod(start, end, reason)


def _notification(data: Any, path: str) -> Notification:
    obj = _object(data, path, NOTIFICATION_FIELDS, NOTIFICATION_REQUIRED)
    when = _date(obj["date"], f"{path}.date")
    kind = _choice(obj["kind"], f"{path}.kind", NOTIFICATION_KINDS)
    nfa = _bool(obj.get("no_fixed_abode", False), f"{path}.no_fixed_abode")
    return Notification(when, kind, nfa)


# --- values ------------------------------------------------------------------------------


def _object(
    data: Any, path: str, fields: tuple[str, ...], required: tuple[str, ...], root: bool = False
) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise CaseError(path, f"must be a JSON object, not {_describe(data)}")
    prefix = "" if root else f"{path}."
    for key in data:
        if key not in fields:
            raise CaseError(f"{prefix}{_key(key)}", "unknown field")
    for key in getattr(data, "duplicate_keys", ()):
        raise CaseError(f"{prefix}{_key(key)}", "given more than once")
    for key in required:
        if key not in data:
            raise CaseError(f"{prefix}{key}", "missing")
    return data


def _list(
    data: Any, path: str, item: Callable[[Any, str], T], required: bool = False
) -> tuple[T, ...]:
    if not isinstance(data, list):
        raise CaseError(path, f"must be a JSON list, not {_describe(data)}")
    if required and not data:
        raise CaseError(path, "must list at least one disposal")
    return tuple(item(value, f"{path}[{i}]") for i, value in enumerate(data))


def _date(value: Any, path: str) -> date:
    if not isinstance(value, str):
        raise CaseError(path, f"must be a date written YYYY-MM-DD, not {_describe(value)}")
    if not _is_date_shape(value):
        raise CaseError(path, f"must be a date written YYYY-MM-DD, not {_show(value)}")
    try:
        parsed = date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        raise CaseError(path, f"{_show(value)} is not a real date") from None
    if parsed > MAX_DATE:
        raise CaseError(path, f"{value} is after {MAX_DATE}, beyond the dates the engine computes")
    return parsed


def _is_date_shape(value: str) -> bool:
    """Exactly ``DDDD-DD-DD`` with ASCII digits (no signs, spaces, times or other digits)."""
    return (
        len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and all(c in _DIGITS for c in value[:4] + value[5:7] + value[8:])
    )


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise CaseError(path, f"must be true or false, not {_describe(value)}")
    return value


def _choice(value: Any, path: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        shown = _show(value) if isinstance(value, str) else _describe(value)
        raise CaseError(path, f"must be one of {', '.join(choices)}, not {shown}")
    return value


def _count(obj: Mapping[str, Any], name: str, path: str, maximum: int) -> int | None:
    if name not in obj:
        return None
    value = obj[name]
    where = f"{path}.{name}"
    if type(value) is not int:
        raise CaseError(where, f"must be a whole number (a JSON integer), not {_describe(value)}")
    if value < 1:
        raise CaseError(where, f"must be at least 1, not {_show(value)}")
    if value > maximum:
        raise CaseError(where, f"must be at most {maximum}, not {_show(value)}")
    return value


def _group(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CaseError(path, f"must be a non-empty name, not {_describe(value)}")
    if len(value) > MAX_GROUP_LENGTH:
        raise CaseError(path, f"must be at most {MAX_GROUP_LENGTH} characters")
    return value


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a boolean)"
    if isinstance(value, (int, float)):
        return f"{_show(value)} (a number)"
    if isinstance(value, str):
        return f"{_show(value)} (text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _show(value: Any) -> str:
    """A value as one short line of JSON, whatever it holds."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = "a value too large to show"
    return text if len(text) <= 60 else text[:57] + "..."


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _key(key: str) -> str:
    return key if key.isidentifier() and key.isascii() else _show(key)
