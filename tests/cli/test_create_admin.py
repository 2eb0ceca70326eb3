"""``whereabouts create-admin``: the first user of a new install, on the command line."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from whereabouts.access.models import AuditEntry
from whereabouts.cli.main import main


def test_create_admin_makes_a_national_administrator_and_prints_the_password_once(
        db, capsys):
    assert main(["create-admin", "first.admin", "--first-name", "Ada",
                 "--last-name", "Admin"]) == 0
    out = capsys.readouterr().out
    user = get_user_model().objects.get(username="first.admin")
    password = out.split("shown only now):")[1].split()[0]
    assert user.check_password(password)
    assert (user.staff.role, user.staff.force_id) == ("administrator", None)
    assert not user.is_superuser  # the site's own pages, not Django's admin
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor_name, entry.action) == ("system", "collection")


def test_create_admin_refuses_a_username_already_taken(db, capsys, make_user):
    make_user("first.admin", "analyst")
    assert main(["create-admin", "first.admin"]) == 1
    assert "already exists" in capsys.readouterr().err
