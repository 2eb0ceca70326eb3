"""Load the forces, and make the ledger tables refuse UPDATE in the database itself.

The models refuse updates and deletes already; the triggers also stop anyone with a database
shell from editing history quietly. DELETE is left to the models so that test tooling can
still empty a database.
"""

from django.db import migrations

LEDGER_TABLES = ["register_event", "register_disposal", "register_address", "register_alias",
                 "access_auditentry"]


def load_forces(apps, schema_editor):
    from whereabouts.register.forces import force_rows

    Force = apps.get_model("register", "Force")
    for row in force_rows():
        Force.objects.update_or_create(slug=row["slug"], defaults=row)


def add_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in LEDGER_TABLES:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION whereabouts_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; "
                "$$ LANGUAGE plpgsql;",
                params=None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION whereabouts_append_only();"
            )


def drop_guards(apps, schema_editor):
    for table in LEDGER_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update"
                              + (f" ON {table}" if schema_editor.connection.vendor == "postgresql"
                                 else ""))


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0001_initial"),
        ("access", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_forces, migrations.RunPython.noop),
        migrations.RunPython(add_guards, drop_guards),
    ]
