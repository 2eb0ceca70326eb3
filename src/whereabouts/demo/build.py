"""Building the demo: the national register, the scenario's missing plan and the demo users.

The generator (``generator.py``) draws every person and ledger as plain data; this module
writes them in bulk, inside one transaction, as exactly the rows the register's services would
have written (``register/services.py`` is far too slow for 55,000 people one by one; the tests
replay a sample of the ledgers through those services to prove the rows are ones they accept).
Then it runs the compliance sweep as at the scenario's "today" so that every status is ready.

How the rows are made and loaded fast (ids assigned in advance, generation in a second process,
multi-row inserts or COPY) is ``load.py``. One audit entry records the whole build.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from whereabouts.access import audit
from whereabouts.access.models import AuditAction, Role, StaffProfile
from whereabouts.demo import FOI_DATE, SCENARIO_TODAY
from whereabouts.register.forces import force_rows
from whereabouts.register.models import Address, Alias, Disposal, Event, Force, Person

from .calibration import (
    SCENARIO_REGION,
    ForceTarget,
    english_region_rank,
    force_targets,
)
from .generator import (
    DEMO_OFFENDER_MANAGER,
    event_line,
    generate,
    offender_manager_usernames,
)
from .load import SOURCE, Loader, RowMaker, produce, recorded_at
from .missing import MissingPlanEntry, plan_counts, plan_to_json
from .places import MALE_GIVEN, SURNAMES

#: The one password of the demo users (12+ characters, as AUTH_PASSWORD_VALIDATORS ask).
DEMO_PASSWORD = "whereabouts-demo"
#: The one secret of the demo users' authenticator apps: the bytes b"whereabouts-demo-key",
#: in base32 (what an app asks for) O5UG K4TF MFRG 65LU OMWW IZLN N4WW WZLZ. Synthetic and
#: published: ``whereabouts demo-code USERNAME`` prints the code it gives now.
DEMO_TOTP_KEY = b"whereabouts-demo-key".hex()
PLAN_FILE = "demo-missing-plan.json"
#: (username, role, force, first name, last name); the force None means national.
DEMO_USERS = (
    (DEMO_OFFENDER_MANAGER, Role.OFFENDER_MANAGER, "west-midlands", "Olivia", "Demo"),
    ("supervisor.demo", Role.SUPERVISOR, "west-midlands", "Sam", "Demo"),
    ("senior.demo", Role.SENIOR_OFFICER, "west-midlands", "Sandra", "Demo"),
    ("staffs.demo", Role.SUPERVISOR, "staffordshire", "Stef", "Demo"),
    ("analyst.demo", Role.ANALYST, None, "Ann", "Demo"),
    ("partner.demo", Role.PARTNER, "west-midlands", "Pat", "Demo"),
    ("auditor.demo", Role.AUDITOR, None, "Aud", "Demo"),
    ("admin.demo", Role.ADMINISTRATOR, None, "Adam", "Demo"),
)

Progress = Callable[[str], Any]


@dataclass
class DemoReport:
    """What was built, with the figures the scenario is about."""

    seed: int
    scale: float
    registered: dict[str, int]  # per force, as generated (all subject on both dates)
    regions: dict[str, str]  # force -> region
    plan: list[MissingPlanEntry]
    rows: dict[str, int] = field(default_factory=dict)
    build_seconds: float = 0.0
    sweep_seconds: float | None = None
    visit_sweep_seconds: float | None = None
    visits_overdue: int | None = None  # as at SCENARIO_TODAY, per the visits sweep
    compliance: dict[str, int] = field(default_factory=dict)  # as at SCENARIO_TODAY
    subject_by_force: dict[str, int] = field(default_factory=dict)  # per the sweep
    plan_path: str = ""
    reused: bool = False

    @property
    def national_total(self) -> int:
        return sum(self.registered.values())

    def missing(self, as_at: dt.date) -> dict[str, int]:
        return plan_counts(self.plan, as_at)

    def missing_by_region(self, as_at: dt.date) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for force, count in self.missing(as_at).items():
            totals[self.regions[force]] += count
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self) -> str:
        region = [f for f, r in self.regions.items() if r == SCENARIO_REGION]
        foi, today = self.missing(FOI_DATE), self.missing(SCENARIO_TODAY)
        lines = [
            f"Demo register (seed {self.seed}, scale {self.scale:g})"
            + (" [already built; kept]" if self.reused else ""),
            f"  {SCENARIO_REGION} region, registered as at {FOI_DATE} / missing as at "
            f"{FOI_DATE} -> {SCENARIO_TODAY}:",
        ]
        for force in region:
            lines.append(f"    {force:<16} {self.registered[force]:>6,}   missing "
                         f"{foi.get(force, 0):>3} -> {today.get(force, 0):>3}")
        lines.append(f"    {'region':<16} {sum(self.registered[f] for f in region):>6,}   "
                     f"missing {sum(foi.get(f, 0) for f in region):>3} -> "
                     f"{sum(today.get(f, 0) for f in region):>3}")
        lines.append(f"  England and Wales: {self.national_total:,} registered in "
                     f"{len(self.registered)} forces; {sum(foi.values())} missing as at "
                     f"{FOI_DATE}")
        ranking = ", ".join(f"{r} {n}" for r, n in self.missing_by_region(FOI_DATE).items())
        lines.append(f"  Missing by region as at {FOI_DATE}: {ranking}")
        abroad = sum(1 for e in self.plan if e.believed_abroad and e.missing_on(FOI_DATE))
        lines.append(f"  Missing plan: {len(self.plan)} entries, {abroad} believed abroad; "
                     f"written to {self.plan_path or '(not written)'}")
        if self.compliance:
            parts = ", ".join(f"{k} {v:,}" for k, v in sorted(self.compliance.items()))
            lines.append(f"  Sweep as at {SCENARIO_TODAY}: {parts}"
                         + (f" ({self.sweep_seconds:.1f} s)" if self.sweep_seconds else ""))
            if self.visits_overdue is not None:
                lines.append(f"  Home visits overdue as at {SCENARIO_TODAY}: "
                             f"{self.visits_overdue:,}")
        else:
            lines.append("  Sweep: not run (the rules engine is not available)")
        if self.rows:
            lines.append("  Rows: " + ", ".join(f"{k} {v:,}" for k, v in self.rows.items()))
        if not self.reused:
            lines.append(f"  Built in {self.build_seconds:.1f} s")
        return "\n".join(lines)

    def login_help(self) -> str:
        lines = [f"Demo users (password for all: {DEMO_PASSWORD}):"]
        for username, role, force, *_ in DEMO_USERS:
            where = force or "national"
            lines.append(f"  {username:<16} {Role(role).label} ({where})")
        lines.append("After the password, signing in asks for a 6-digit code. For the code now,")
        lines.append("run this in another terminal (with the same WHEREABOUTS_DATA_DIR):")
        lines.append(f"  whereabouts demo-code {DEMO_USERS[0][0]}")
        lines.append(f"or add the demo secret {demo_totp_secret()} to an authenticator app.")
        lines.append("A code works once: signing in again within 30 seconds needs the next.")
        lines.append(f"The scenario's today is {SCENARIO_TODAY}; the FOI figures are as at "
                     f"{FOI_DATE}.")
        return "\n".join(lines)


def demo_totp_secret() -> str:
    """The demo users' authenticator secret as an app asks for it (base32)."""
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def demo_code(username: str, *, at: float | None = None) -> str:
    """The code a demo user's authenticator app shows now (or at the Unix time ``at``).

    Only for the demo users, and only while their device still has the published demo
    secret: this is no way into anyone else's account.
    """
    if username not in {u for u, *_ in DEMO_USERS}:
        raise LookupError(f"{username!r} is not a demo user")
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True,
                                       key=DEMO_TOTP_KEY).first()
    if device is None:
        raise LookupError(f"{username!r} has no demo authenticator app (build the demo first)")
    # What the app shows: the time step now, by the app's clock (the server's drift is not
    # the app's business).
    step = int(((time.time() if at is None else at) - device.t0) // device.step)
    code = hotp(device.bin_key, step, digits=device.digits)
    return f"{code:0{device.digits}d}"


# -- the database --------------------------------------------------------------------------
def _migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)


def reset_database(progress: Progress = print) -> None:
    """Empty the database: a fresh SQLite file, or a flushed PostgreSQL with its forces back."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        name = Path(str(connection.settings_dict["NAME"]))
        progress(f"Emptying the database: removing {name}")
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        _migrate()
        return
    progress("Emptying the database (flush)")
    _migrate()
    from whereabouts.access.grants import audit_guards_off

    with audit_guards_off():  # the audit table refuses TRUNCATE otherwise
        call_command("flush", interactive=False, verbosity=0)
    Force.objects.bulk_create([Force(**row) for row in force_rows()])
    from whereabouts.register.postcodes import ensure_postcode_districts

    ensure_postcode_districts()  # reference data the flush emptied, as the migration loads it


def _create_users(seed: int, targets: Iterable[ForceTarget]) -> dict[str, int]:
    """Offender managers for every force (unusable passwords) and the six demo users."""
    user_model = get_user_model()
    rng = random.Random(f"{seed}:users")
    joined = recorded_at(dt.date(2017, 1, 3))
    demo_hash = make_password(DEMO_PASSWORD)  # one hash for them all: one slow Argon2 run
    users, profiles = [], []
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    for target in targets:
        for username in offender_manager_usernames(target):
            # An unusable password (what set_unusable_password() writes), without a clock or
            # the secrets module, so that the build stays deterministic.
            unusable = UNUSABLE_PASSWORD_PREFIX + "".join(rng.choice(alphabet) for _ in range(40))
            users.append(user_model(username=username, password=unusable,
                                    first_name=rng.choice(MALE_GIVEN),
                                    last_name=rng.choice(SURNAMES), date_joined=joined))
            profiles.append((username, Role.OFFENDER_MANAGER, target.slug))
    for username, role, force, first, last in DEMO_USERS:
        admin = role == Role.ADMINISTRATOR
        users.append(user_model(username=username, password=demo_hash, first_name=first,
                                last_name=last, date_joined=joined, is_staff=admin,
                                is_superuser=admin))
        profiles.append((username, role, force))
    user_model.objects.bulk_create(users, batch_size=2000)
    ids = dict(user_model.objects.filter(username__in=[u.username for u in users])
               .values_list("username", "pk"))
    StaffProfile.objects.bulk_create(
        [StaffProfile(user_id=ids[u], role=role, force_id=force) for u, role, force in profiles],
        batch_size=2000)
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user_id=ids[username], name="demo authenticator app", key=DEMO_TOTP_KEY,
                    confirmed=True) for username, *_ in DEMO_USERS])
    return ids


def rules_available() -> bool:
    try:
        from whereabouts import rules
    except ImportError:
        return False
    return hasattr(rules, "evaluate")


def write_plan(plan: list[MissingPlanEntry], *, seed: int, scale: float) -> Path:
    path = Path(settings.DATA_DIR) / PLAN_FILE
    path.write_text(json.dumps(plan_to_json(plan, seed=seed, scale=scale), indent=1) + "\n",
                    encoding="utf-8")
    return path


def read_plan_file() -> dict[str, Any]:
    """The JSON written by the last build (``<DATA_DIR>/demo-missing-plan.json``)."""
    data: dict[str, Any] = json.loads((Path(settings.DATA_DIR) / PLAN_FILE)
                                      .read_text(encoding="utf-8"))
    return data


def read_plan() -> list[MissingPlanEntry]:
    """The missing plan written by the last build."""
    return [MissingPlanEntry.from_json(entry) for entry in read_plan_file()["entries"]]


def build_demo(*, seed: int = 2017, scale: float = 1.0, fresh: bool = True,
               progress: Progress = print, fork: bool = True) -> DemoReport:
    """Build the national register and the West Midlands scenario; see the module docstring.

    ``fresh`` empties the database first. Without it, a database that already holds the demo
    is kept as it is (the report describes what is there); any other database gets the demo
    added to it. ``fork`` lets the generator run in a child process beside the writes (it
    falls back to one process where the platform cannot fork); the rows are the same.
    """
    targets = force_targets(scale)
    regions = {t.slug: t.region for t in targets}
    started = time.perf_counter()
    if fresh:
        reset_database(progress)
    else:
        _migrate()
        if get_user_model().objects.filter(username=DEMO_OFFENDER_MANAGER).exists():
            return _existing_report(seed, scale, regions)
    progress(f"Building the demo register: {sum(t.registered for t in targets):,} synthetic "
             f"people in {len(targets)} forces (seed {seed}, scale {scale:g})")
    registered: dict[str, int] = {}
    plan: list[MissingPlanEntry] = []
    connection = connections[DEFAULT_DB_ALIAS]
    # SQLite checks each foreign key as a row goes in; check them all once at the end instead
    # (Django's own loaddata does the same). It cannot be switched off inside a transaction,
    # where this simply has no effect.
    unchecked = connection.vendor == "sqlite" and connection.disable_constraint_checking()
    try:
        with transaction.atomic():
            manager_ids = _create_users(seed, targets)
            loader = Loader()
            maker = RowMaker(loader.first_ids, manager_ids)
            region_left = {t.slug for t in targets if t.region == SCENARIO_REGION}
            with loader.fast_load():
                for slug, people, entries, rows in produce(seed, scale, maker, fork=fork):
                    registered[slug] = people
                    plan.extend(entries)
                    loader.write(rows)
                    region_left.discard(slug)
                    if not region_left:
                        region_left = {""}  # say it once
                        progress(f"  {SCENARIO_REGION} region written "
                                 f"({time.perf_counter() - started:.1f} s)")
            loader.finish()
            if unchecked:
                connection.check_constraints(table_names=loader.table_names())
            audit.record(actor=None, action=AuditAction.COLLECTION,
                         what=f"demo build: {loader.counts['person']} synthetic people "
                              f"(seed {seed}, scale {scale:g})")
    finally:
        if unchecked:
            connection.enable_constraint_checking()
    rows = {"people": loader.counts["person"], "events": loader.counts["event"],
            "disposals": loader.counts["disposal"], "addresses": loader.counts["address"],
            "aliases": loader.counts["alias"], "search keys": loader.counts["searchkey"],
            "users": len(manager_ids)}
    plan_path = write_plan(plan, seed=seed, scale=scale)
    _analyze()
    report = DemoReport(seed=seed, scale=scale, registered=registered, regions=regions,
                        plan=plan, rows=rows, plan_path=str(plan_path))
    report.build_seconds = time.perf_counter() - started
    progress(f"  written in {report.build_seconds:.1f} s")
    if rules_available():
        _sweep(report, progress)
        report.build_seconds = time.perf_counter() - started
    else:
        progress("  the rules engine is not available: no sweep")
    rank = english_region_rank(targets)
    if rank != 2:  # pragma: no cover - calibration guards this; a loud note if it ever fails
        progress(f"  WARNING: the {SCENARIO_REGION} region ranks {rank}, not 2nd, by missing")
    return report


def _analyze() -> None:
    """Refresh the query planner's statistics after a bulk load (PostgreSQL's autovacuum
    would in time; SQLite never does), so that reads pick the right index at once."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _sweep(report: DemoReport, progress: Progress) -> None:
    from django.db.models import Count

    from whereabouts.compliance.models import ComplianceStatus
    from whereabouts.compliance.periods import refresh_status_periods
    from whereabouts.compliance.sweep import run_sweep

    result = run_sweep(SCENARIO_TODAY)
    report.sweep_seconds = result.seconds
    report.compliance = dict(ComplianceStatus.objects.values_list("compliance")
                             .annotate(n=Count("pk")).values_list("compliance", "n"))
    subject = (ComplianceStatus.objects.exclude(compliance__in=("ended", "deceased",
                                                                "not_subject"))
               .values_list("person__force_id").annotate(n=Count("pk")))
    report.subject_by_force = dict(subject.values_list("person__force_id", "n"))
    progress(f"  swept {result.people:,} people as at {SCENARIO_TODAY} in "
             f"{result.seconds:.1f} s: {result.tasks_opened:,} overdue tasks opened")
    started = time.perf_counter()
    refresh_status_periods(rebuild=True)
    progress(f"  status periods for the figures as at any date worked out in "
             f"{time.perf_counter() - started:.1f} s")

    from whereabouts.visits.sweep import run_visit_sweep

    started = time.perf_counter()
    visits = run_visit_sweep(SCENARIO_TODAY)
    report.visit_sweep_seconds = time.perf_counter() - started
    report.visits_overdue = visits.overdue
    progress(f"  visits: {visits.people:,} people visited, {visits.overdue:,} visits overdue "
             f"({report.visit_sweep_seconds:.1f} s)")


def _existing_report(seed: int, scale: float, regions: dict[str, str]) -> DemoReport:
    """Describe a demo already in the database (``fresh=False``) without building again."""
    from django.db.models import Count

    from whereabouts.compliance.models import ComplianceStatus

    registered = dict(Person.objects.values_list("force_id").annotate(n=Count("pk"))
                      .values_list("force_id", "n"))
    try:
        data = read_plan_file()
        plan = [MissingPlanEntry.from_json(entry) for entry in data["entries"]]
        seed, scale = int(data["seed"]), float(data["scale"])
    except (OSError, ValueError, KeyError, TypeError):
        plan = []
    report = DemoReport(seed=seed, scale=scale, registered=registered, regions=regions,
                        plan=plan, reused=True,
                        plan_path=str(Path(settings.DATA_DIR) / PLAN_FILE))
    report.compliance = dict(ComplianceStatus.objects.values_list("compliance")
                             .annotate(n=Count("pk")).values_list("compliance", "n"))
    return report


# -- a digest of the database, comparable with generator.people_digest ---------------------
def database_digest() -> str:
    """SHA-256 over every demo person and ledger, in the generator's canonical form."""
    from .generator import _canon

    user_model = get_user_model()
    usernames = dict(user_model.objects.values_list("pk", "username"))
    digest = hashlib.sha256()
    disposals = {d[0]: d[1:] for d in Disposal.objects.values_list(
        "event_id", "relevant_date", "offence", "court", "kind", "months", "life",
        "restriction_order", "suspended").iterator(chunk_size=20000)}
    addresses: dict[int, list[tuple[Any, ...]]] = {}
    for row in Address.objects.order_by("id").values_list(
            "event_id", "kind", "line1", "line2", "town", "postcode", "from_date"
    ).iterator(chunk_size=20000):
        addresses.setdefault(row[0], []).append(row[1:])
    aliases: dict[int, list[tuple[Any, ...]]] = {}
    for row in Alias.objects.order_by("id").values_list(
            "event_id", "family_name", "given_names", "used_from", "used_to"):
        aliases.setdefault(row[0], []).append(row[1:])
    events: dict[int, list[tuple[Any, ...]]] = {}
    for row in Event.objects.filter(source=SOURCE).order_by("person_id", "effective_date", "id") \
            .values_list("person_id", "id", "kind", "effective_date", "details") \
            .iterator(chunk_size=20000):
        events.setdefault(row[0], []).append(row[1:])
    people = Person.objects.order_by("reference").values_list(
        "id", "reference", "force_id", "offender_manager_id", "family_name", "given_names",
        "date_of_birth", "sex", "pnc_id", "cro_number", "ni_number", "passport_number")
    for pid, reference, force, manager, *rest in people.iterator(chunk_size=20000):
        lines = ["|".join(str(_canon(v)) for v in (reference, force, usernames.get(manager, ""),
                                                    *rest))]
        for eid, kind, when, details in events.get(pid, []):
            lines.append(event_line(kind, when, details))
            if eid in disposals:
                lines.append("D|" + "|".join(str(_canon(v)) for v in disposals[eid]))
            for a in addresses.get(eid, []):
                lines.append("A|" + "|".join(str(_canon(v)) for v in a))
            for al in aliases.get(eid, []):
                lines.append("N|" + "|".join(str(_canon(v)) for v in al))
        for line in lines:
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()


def generated_digest(seed: int, scale: float) -> str:
    """The digest :func:`database_digest` should give after ``build_demo(seed, scale)``."""
    from .generator import people_digest

    return people_digest(generate(seed, scale))


__all__ = ["DEMO_PASSWORD", "DEMO_TOTP_KEY", "DEMO_USERS", "DemoReport", "build_demo",
           "database_digest", "demo_code", "demo_totp_secret", "generated_digest", "read_plan",
           "recorded_at", "reset_database"]
