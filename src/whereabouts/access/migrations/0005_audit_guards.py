"""On PostgreSQL, make the audit table refuse DELETE and TRUNCATE as well as UPDATE.

``register.0002`` already refuses UPDATE on the audit table (and the ledger tables) in both
databases. Here PostgreSQL also refuses DELETE (row trigger) and TRUNCATE (statement
trigger), whoever asks: the application's role, and the owner unless it first disables the
triggers, which an attacker with the owner's rights could do (the hash chain is what then
shows the change, see ``access.audit.verify``). The application's role should also lack the
privileges outright: see ``access.grants`` and docs/operators.md.

SQLite keeps refusing only UPDATE in the database: test tooling empties a SQLite database
with DELETE, and a SQLite file has no roles to separate anyway (anyone who can write the
file can drop a trigger). Superusers can set ``session_replication_role = replica``, under
which these triggers do not fire; the test suite does that to empty tables between tests.
"""

from django.db import migrations

TABLE = "access_auditentry"


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION whereabouts_audit_refuse() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION '% on % refused: the audit log is append-only', "
        "TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END; "
        "$$ LANGUAGE plpgsql;",
        params=None,
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION whereabouts_audit_refuse();"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION whereabouts_audit_refuse();"
    )


def drop_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete ON {TABLE}")
    schema_editor.execute("DROP FUNCTION IF EXISTS whereabouts_audit_refuse()")


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_roles_agency_share"),
        ("register", "0002_forces_and_guards"),
    ]

    operations = [
        migrations.RunPython(add_guards, drop_guards),
    ]
