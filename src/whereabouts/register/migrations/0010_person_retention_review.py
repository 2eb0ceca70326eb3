"""MoPI: each person's review group and next review date (whereabouts.rules.retention).

Existing people get Group 1 and a first review 10 years after their registration date (the
earliest entry of their ledger), brought forward to their 100th birthday if that is earlier.
"""

from django.db import migrations, models
from django.db.models import Min


def fill(apps, schema_editor):
    from whereabouts.rules.retention import latest_review

    Person = apps.get_model("register", "Person")
    Event = apps.get_model("register", "Event")
    first = dict(Event.objects.filter(kind="registered").values("person_id")
                 .annotate(first=Min("effective_date")).values_list("person_id", "first"))
    changed = []
    for person in Person.objects.only("pk", "date_of_birth", "created_at").iterator(
            chunk_size=2000):
        since = first.get(person.pk) or person.created_at.date()
        person.next_review = latest_review(person.date_of_birth, since)
        changed.append(person)
        if len(changed) >= 2000:
            Person.objects.bulk_update(changed, ["next_review"])
            changed = []
    if changed:
        Person.objects.bulk_update(changed, ["next_review"])


class Migration(migrations.Migration):

    dependencies = [("register", "0009_search_keys")]

    operations = [
        migrations.AddField(
            model_name="person", name="retention_group",
            field=models.CharField(default="1", help_text="MoPI review group: 1, public "
                                   "protection", max_length=2)),
        migrations.AddField(
            model_name="person", name="next_review",
            field=models.DateField(null=True, help_text="When the record is next reviewed "
                                   "(MoPI)")),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person", name="next_review",
            field=models.DateField(help_text="When the record is next reviewed (MoPI)")),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["force", "next_review"], name="register_person_review")),
    ]
