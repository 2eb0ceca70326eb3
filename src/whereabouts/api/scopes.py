"""What an API token may be used for: scopes, each backed by permissions of the role.

A scope is held by a token only if its user's role holds one of the scope's permissions in
``access.permissions`` (asked through ``access.policy.may``): when the token is created, and
again on every call, so that a token never does more than its user could in the pages, and a
user whose role changes takes their tokens' reach with them.
"""

from __future__ import annotations

from typing import Any

from whereabouts.access import policy

#: Scope -> (what it lets a token do, the permissions any one of which the role must hold).
SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "people:search": ("Search for people, as the search page does",
                      ("people.search", "people.search_all_forces")),
    "people:read": ("Read a person's summary, ledger and circulation bulletin (a person outside "
                    "the user's force or caseload needs a reason for access)",
                    ("person.open_own_force", "person.open_with_reason")),
    "events:write": ("Record, correct and withdraw ledger entries for people of the user's own "
                     "force", ("person.record",)),
    "tasks:read": ("The user's own open tasks", ("people.caseload",)),
    "missing:read": ("The missing board of the user's force", ("missing.board",)),
    "figures:read": ("Management figures that name nobody", ("figures.view",)),
    "shared:read": ("The partner view of the people shared with the user's agency",
                    ("shared.open",)),
    "leads:work": ("See the leads from partner data matching on people of the user's force "
                   "and accept or reject them", ("leads.work",)),
}


def role_allows(user: Any, scope: str) -> bool:
    """Whether ``user``'s role, as it stands now, allows ``scope``."""
    if scope not in SCOPES:
        raise KeyError(f"no such scope: {scope}")
    return any(policy.may(user, permission) for permission in SCOPES[scope][1])


def scopes_for(user: Any) -> list[str]:
    """Every scope ``user``'s role allows, in the table's order."""
    return [scope for scope in SCOPES if role_allows(user, scope)]


def markdown_table() -> str:
    lines = ["| Scope | What it allows | Needs the permission (any of) |", "|---|---|---|"]
    for scope, (words, permissions) in SCOPES.items():
        needs = ", ".join(f"`{p}`" for p in permissions)
        lines.append(f"| `{scope}` | {words} | {needs} |")
    return "\n".join(lines) + "\n"
