"""Which tables an export carries, in what order, and which it leaves to be worked out again.

Every model of the project (and of the Django apps it uses) is in exactly one of
:data:`EXPORTED`, :data:`DERIVED` and :data:`NOT_KEPT`; a test fails when a new model is in
none, so that adding a table is also a decision about exports. See docs/export.md.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

#: The tables of an export, in file order: parents before the rows that point at them. The
#: first two are reference data that migrations load; a restore brings them into line with the
#: file rather than refusing a database that has them.
EXPORTED: tuple[str, ...] = (
    "register.force",
    "register.postcodedistrict",
    "auth.user",
    "otp_totp.totpdevice",
    "access.staffprofile",
    "register.person",
    "register.event",
    "register.disposal",
    "register.address",
    "register.alias",
    "register.transfer",
    "register.circulationreceipt",
    "risk.mappameeting",
    "risk.meetingattendee",
    "risk.mappaaction",
    "imports.importrun",
    "imports.importedperson",
    "linkage.partnerextract",
    "linkage.partnerrecord",
    "linkage.linkagemodel",
    "linkage.lead",
    "linkage.duplicaterun",
    "linkage.duplicatesuggestion",
    "access.share",
    "access.erasure",
    "retention.decision",
    "compliance.sweeprun",
    "compliance.task",
    "visits.forcevisitpolicy",
    "api.apitoken",
    "access.auditentry",
    "access.auditlisting",
)
REFERENCE: frozenset[str] = frozenset({"register.force", "register.postcodedistrict"})

#: Derived tables: not in the file; a restore works them out again from the records.
DERIVED: dict[str, str] = {
    "register.searchkey": "search keys, from names, aliases and postcodes "
                          "(register/search_keys.py)",
    "compliance.compliancestatus": "each person's status as at the last sweep's date "
                                   "(compliance/sweep.py)",
    "compliance.statusperiod": "status periods for the figures as at any date "
                               "(compliance/periods.py)",
    "compliance.statusperiodsmark": "bookkeeping of the status periods",
    "visits.visitstatus": "each person's next visit as at the last sweep's date "
                          "(visits/sweep.py)",
}

#: Tables an export leaves out, with why. The first four are unused by whereabouts (roles
#: live in ``access.StaffProfile``): an export refuses to run if any has rows, rather than
#: lose them quietly.
UNUSED: frozenset[str] = frozenset({"auth.group", "auth.group_permissions", "auth.user_groups",
                                    "auth.user_user_permissions"})
NOT_KEPT: dict[str, str] = {
    "auth.group": "unused (roles are access.StaffProfile)",
    "auth.group_permissions": "unused",
    "auth.user_groups": "unused",
    "auth.user_user_permissions": "unused",
    "auth.permission": "made by migrations",
    "contenttypes.contenttype": "made by migrations",
    "sessions.session": "sign-ins end with a move to a new database",
    "access.signinfailure": "short-lived lockout counting (the audit log keeps every failure)",
    "access.lockout": "short-lived",
}


def model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def columns(label: str) -> list[tuple[str, str, str]]:
    """(attribute name, column, internal type) of each concrete field, in model order."""
    return [(f.attname, f.column, f.get_internal_type())
            for f in model(label)._meta.concrete_fields]


def has_sequence(label: str) -> bool:
    return model(label)._meta.pk.get_internal_type() in ("AutoField", "BigAutoField",
                                                         "SmallAutoField")


def all_labels() -> list[str]:
    return sorted(m._meta.label_lower for m in apps.get_models(include_auto_created=True))


def unclassified() -> list[str]:
    known = set(EXPORTED) | set(DERIVED) | set(NOT_KEPT)
    return [label for label in all_labels() if label not in known]


def user_columns(label: str) -> list[str]:
    """The attribute names of the fields of ``label`` that point at a user."""
    user_model: Any = apps.get_model("auth.user")
    return [f.attname for f in model(label)._meta.concrete_fields
            if f.is_relation and f.related_model is user_model]
