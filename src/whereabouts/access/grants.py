"""The PostgreSQL privileges of the application's own database role.

Production runs with two roles: an *owner* that owns the schema and runs the migrations, and
an *application* role that the web server and the sweep connect as. The application role may
read and write the working tables but may only SELECT and INSERT the audit log: it cannot
UPDATE, DELETE or TRUNCATE an entry even if the triggers were gone, and it cannot drop or
disable the triggers (only a table's owner can). ``whereabouts pg-grants ROLE`` prints these
statements for the owner to run after each migration; docs/operators.md shows them.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, connections, transaction

AUDIT_TABLE = "access_auditentry"
# Tables whose rows the application never updates or deletes: the ledger and the audit log.
# (The ledger tables also refuse UPDATE by trigger; see register.0002.)
APPEND_ONLY_TABLES = ("register_event", "register_disposal", "register_address",
                      "register_alias", AUDIT_TABLE, "access_auditlisting")


def app_role_sql(role: str, schema: str = "public") -> list[str]:
    """The statements that give ``role`` what the application needs and no more."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", role) or not re.fullmatch(r"[a-z_][a-z0-9_]*",
                                                                        schema):
        raise ValueError("role and schema must be plain lower-case SQL identifiers")
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ]
    statements += [f"REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.{table} FROM {role}"
                   for table in APPEND_ONLY_TABLES]
    return statements


@contextlib.contextmanager
def audit_guards_off(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let a PostgreSQL superuser empty the whole database on purpose (the demo's rebuild,
    the test suite's flush between tests): the audit table's triggers refuse TRUNCATE
    otherwise. ``session_replication_role`` can be set by superusers only, so the
    application's role cannot use this. On SQLite it does nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield
