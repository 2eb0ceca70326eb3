"""Who may do what, as data: every role and the permissions it holds, in one table.

``access.policy`` and the views ask :func:`allows` (or :func:`roles_with`) rather than keeping
their own tuples of roles, so that a change of access is a change to this table, reviewed in
one place. ``docs/access.md`` prints the table made by :func:`markdown_table`; a test checks
that the page is up to date.

The steps of the missing path (``web.actions.STEPS``) keep their own, finer, lists of roles
per step: each is a legal decision (who may record a person as missing) that the services
check again. Every one of those roles also holds ``person.record`` here.

No Django import: this module is the ground that the rest of ``access`` stands on.
"""

from __future__ import annotations

#: Permission name -> what it lets a user do, in words for the docs page.
PERMISSIONS: dict[str, str] = {
    "person.open_own_force": "Open the record of any person their own force manages",
    "person.open_with_reason": "Open the record of a person outside their force or caseload, "
                               "after giving a reason (asked once per person per session, "
                               "logged)",
    "person.record": "Record notifications, visits and the steps of the missing path, for "
                     "people of their own force",
    "people.caseload": "See caseloads: their own, a colleague's, the force's",
    "people.search": "Search for people of their own force",
    "people.search_all_forces": "Search for people of every force (opening one still needs a "
                                "reason)",
    "missing.board": "See the force's missing board",
    "transfers.view": "See the transfers into and out of their force, and the circulations "
                      "of missing people from every force (the inbox)",
    "transfers.manage": "Accept a transfer into their force (assigning an offender manager), "
                        "open or cancel one out of it",
    "risk.record": "Record the risk of serious harm level, ARMS assessments and the visits set "
                   "in the risk management plan, for people of their own force",
    "mappa.record": "Record the MAPPA category and level decided for a person of their own "
                    "force",
    "mappa.meeting": "Record a MAPP meeting (attendees, decisions, actions) for a person of "
                     "their own force, and mark its actions done",
    "mappa.actions": "See the MAPPA actions they own (overdue flagged) and mark them done",
    "mappa.attended": "See the MAPP meetings they attended (partner agencies)",
    "orders.record": "Record Sexual Harm Prevention Orders and Sexual Risk Orders, their "
                     "variations and discharge, for people of their own force",
    "leads.work": "See the leads from partner data matching on people of their force and "
                  "accept or reject them (accepting logs a lead on a missing episode or opens "
                  "a whereabouts check)",
    "partner_data.import": "Import partner agencies' extracts and match them against the "
                           "register (the leads go to the people's officers)",
    "duplicates.decide": "Find records of the register that may be one person (`whereabouts "
                         "duplicates find`) and decide each pair where they can open both "
                         "records: mark them distinct, or merge one into the other",
    "visits.backlog": "See the force's overdue home visits by officer",
    "visits.policy": "Choose the force's visit policy (preset and default intervals)",
    "share.create": "Share a person with a partner agency, for a period and a purpose",
    "shared.open": "Open the narrow partner view of the people shared with their agency",
    "figures.view": "See figures (time to notice and locate) that name nobody",
    "foi.answer": "Prepare answers to freedom of information requests (figures only)",
    "retention.review": "Review records under MoPI: the review queue of their force (every "
                        "force, for a national data protection officer) and the decision to "
                        "retain or dispose",
    "subject_access.export": "Export everything held about a person of their force (every "
                             "force, if national) for a subject access request, to redact "
                             "before disclosure",
    "audit.view": "Read and export the audit log",
    "users.manage": "Create users, reset their passwords and authenticator apps",
    "register.import": "Import a register extract from another system (`whereabouts import "
                       "register`): people of their own force (every force, if national)",
    "ledger.export": "Export the whole register, or one force's, to a file (`whereabouts "
                     "export --by`; logged as a disclosure of everyone in it)",
}

_CASEWORK = frozenset({"person.open_own_force", "person.open_with_reason", "person.record",
                       "people.caseload", "people.search", "missing.board", "figures.view",
                       "transfers.view", "mappa.meeting", "mappa.actions", "orders.record",
                       "leads.work"})

#: Role value (``access.models.Role``) -> the permissions it holds. Nothing is implied: a
#: role not listed, or a user without a role, holds nothing.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "offender_manager": _CASEWORK | {"risk.record"},
    "supervisor": _CASEWORK | {"share.create", "partner_data.import", "transfers.manage",
                               "retention.review", "duplicates.decide",
                               "risk.record", "mappa.record", "visits.backlog"},
    "senior_officer": _CASEWORK | {"share.create", "partner_data.import", "transfers.manage",
                                   "retention.review", "duplicates.decide",
                                   "risk.record", "mappa.record", "visits.backlog",
                                   "visits.policy", "register.import"},
    "national_caseworker": frozenset({"person.open_with_reason", "people.search_all_forces"}),
    "analyst": frozenset({"figures.view"}),
    "foi_officer": frozenset({"figures.view", "foi.answer"}),
    "partner": frozenset({"shared.open", "mappa.actions", "mappa.attended"}),
    "auditor": frozenset({"audit.view", "retention.review", "subject_access.export"}),
    "administrator": frozenset({"users.manage", "register.import", "ledger.export"}),
}


def allows(role: str | None, permission: str) -> bool:
    """Whether ``role`` holds ``permission``. An unknown permission name is a programming error."""
    if permission not in PERMISSIONS:
        raise KeyError(f"no such permission: {permission}")
    return role is not None and permission in ROLE_PERMISSIONS.get(role, frozenset())


def roles_with(permission: str) -> tuple[str, ...]:
    """The roles that hold ``permission``, in the table's order."""
    if permission not in PERMISSIONS:
        raise KeyError(f"no such permission: {permission}")
    return tuple(role for role, held in ROLE_PERMISSIONS.items() if permission in held)


def markdown_table(role_labels: dict[str, str]) -> str:
    """The table as Markdown: a row per permission, a column per role."""
    roles = list(ROLE_PERMISSIONS)
    lines = ["| Permission | " + " | ".join(role_labels.get(r, r) for r in roles) + " |",
             "|---|" + "---|" * len(roles)]
    for name, words in PERMISSIONS.items():
        marks = " | ".join("yes" if name in ROLE_PERMISSIONS[r] else "" for r in roles)
        lines.append(f"| `{name}`: {words} | {marks} |")
    return "\n".join(lines) + "\n"
