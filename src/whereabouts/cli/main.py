"""The ``whereabouts`` command.

``rules`` is answered without loading Django, so that ``whereabouts rules explain`` starts in
a fraction of a second; every other sub-command sets Django up first. Commands parse their
arguments, call one service and print; the work is done in the packages below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date written YYYY-MM-DD") from None


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "whereabouts.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def cmd_sweep(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from whereabouts.clock import today
    from whereabouts.compliance.sweep import run_sweep

    as_at = args.as_at or today()
    from whereabouts.visits.sweep import run_visit_sweep

    result = run_sweep(as_at, full=args.full)
    print(
        f"Swept {result.people} people as at {result.as_at}: {result.statuses_changed} statuses "
        f"changed, {result.tasks_opened} tasks opened, {result.tasks_closed} closed "
        f"({result.seconds:.2f} s)."
    )
    visits = run_visit_sweep(as_at)
    print(f"Visits: {visits.people} people visited, {visits.overdue} overdue; "
          f"{visits.tasks_opened} visit tasks opened, {visits.tasks_closed} closed.")
    from whereabouts.risk.sweep import run_arms_sweep

    arms = run_arms_sweep(as_at)
    print(f"ARMS: {arms.overdue} assessments overdue; {arms.tasks_opened} tasks opened, "
          f"{arms.tasks_closed} closed.")
    from whereabouts.compliance.periods import refresh_status_periods

    people = refresh_status_periods()
    if people:
        print(f"Status periods (for the figures as at any date) worked out again for "
              f"{people} people.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from whereabouts.demo import SCENARIO_TODAY

    os.environ.setdefault("WHEREABOUTS_TODAY", SCENARIO_TODAY.isoformat())
    _setup_django()
    from whereabouts.demo.build import build_demo

    report = build_demo(seed=args.seed, scale=args.scale, fresh=not args.keep,
                        progress=print)
    from whereabouts.register.models import Transfer

    if not Transfer.objects.exists():  # a kept demo has them already
        from whereabouts.demo.exchange import stage_cross_force

        stage_cross_force()
    from whereabouts.risk.models import MappaMeeting

    if not MappaMeeting.objects.exists():  # a kept demo has them already
        from whereabouts.demo.risk import stage_risk

        stage_risk()
    from whereabouts.linkage.models import PartnerExtract

    if not PartnerExtract.objects.exists():
        from whereabouts.demo.partners import stage_partner_extract

        stage_partner_extract()
    from whereabouts.linkage.models import DuplicateRun

    if not DuplicateRun.objects.exists():
        from whereabouts.demo.duplicates import stage_duplicates

        stage_duplicates()
    print(report.summary())
    if args.build_only:
        return 0
    return _serve(args.host, args.port, banner=report.login_help())


def _user_or_none(username: str | None) -> object:
    if not username:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def cmd_partner_import(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from pathlib import Path

    from django.contrib.auth import get_user_model

    from whereabouts.clock import today
    from whereabouts.linkage.extracts import import_extract
    from whereabouts.register.errors import InvalidInput
    from whereabouts.register.recording import NotPermitted

    try:
        actor = _user_or_none(args.by)
        mapping = Path(args.mapping).read_text(encoding="utf-8")
        extract = import_extract(path=args.file, agency=args.agency, mapping=mapping,
                                 actor=actor, today=today(), rejects_path=args.rejects)
    except (InvalidInput, OSError, get_user_model().DoesNotExist, NotPermitted) as exc:
        print(f"partner-import: {exc}", file=sys.stderr)
        return 1
    print(f"Partner extract {extract.pk} from {extract.agency}: {extract.rows_read} rows read, "
          f"{extract.rows_accepted} accepted, {extract.rows_rejected} rejected"
          + (f" (with the reason, in {extract.rejects_path})" if extract.rows_rejected else "")
          + ".")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from django.contrib.auth import get_user_model

    from whereabouts.clock import today
    from whereabouts.linkage.linking import run_linkage
    from whereabouts.register.errors import InvalidInput
    from whereabouts.register.recording import NotPermitted

    try:
        model = run_linkage(extract_id=args.extract, actor=_user_or_none(args.by),
                            today=today(), engine_name=args.engine, threshold=args.threshold)
    except (InvalidInput, get_user_model().DoesNotExist, NotPermitted) as exc:
        print(f"link: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:  # pyspark is in the dev extra only
        print(f"link: the {args.engine} engine is not installed ({exc}); install pyspark "
              f"(the dev lock has it) and Java 17", file=sys.stderr)
        return 1
    print(f"Linkage model {model.pk} (Splink {model.splink_version}, {model.engine}) trained "
          f"on extract {model.extract_id} in {model.seconds:.1f} s: {model.pairs_scored} pairs "
          f"at or above {model.threshold:.0%}, {model.leads_opened} leads opened.")
    if model.notes:
        print(model.notes)
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from django.contrib.auth import get_user_model

    from whereabouts.clock import today
    from whereabouts.linkage.duplicates import find_duplicates
    from whereabouts.register.errors import InvalidInput
    from whereabouts.register.recording import NotPermitted

    try:
        actor = get_user_model().objects.get(username=args.by)
        run = find_duplicates(actor=actor, today=today(), threshold=args.threshold)
    except get_user_model().DoesNotExist:
        print(f"duplicates: --by: no user {args.by!r}", file=sys.stderr)
        return 1
    except NotPermitted:
        print(f"duplicates: --by: {args.by} may not look for duplicate identities "
              f"(duplicates.decide)", file=sys.stderr)
        return 1
    except InvalidInput as exc:
        print(f"duplicates: {exc}", file=sys.stderr)
        return 1
    print(f"Duplicate run {run.pk} (Splink {run.splink_version}, {run.engine}) over "
          f"{run.people} records in {run.seconds:.1f} s: {run.pairs_scored} pairs at or above "
          f"{run.threshold:.0%}, {run.suggestions_made} suggested, {run.pairs_skipped} already "
          f"suggested or decided.")
    if run.notes:
        print(run.notes)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    return _serve(args.host, args.port)


def _serve(host: str, port: int, banner: str = "") -> int:
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve

    from whereabouts.wsgi import application

    call_command("collectstatic", interactive=False, verbosity=0)
    if banner:
        print(banner)
    print(f"Serving whereabouts on http://{host}:{port}/ (data in {settings.DATA_DIR}); "
          "press Ctrl+C to stop.", flush=True)
    serve(application, host=host, port=port, threads=8, ident="whereabouts")
    return 0


def cmd_missing(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from whereabouts.clock import today
    from whereabouts.missing.selectors import missing_figures

    as_at = args.as_at or today()
    figures = missing_figures(as_at, by=args.by)
    label = "region" if args.by == "region" else "force"
    print(f"Missing registered offenders as at {as_at}, by {label} (counts only)")
    print(f"{label:<28} {'missing':>8} {'abroad':>7} {'begun ' + str(as_at.year):>11} "
          f"{'>1 yr':>6} {'>5 yrs':>7} {'>10 yrs':>8}  earliest began")
    total = 0
    for key, f in sorted(figures.items(), key=lambda kv: (-kv[1].missing, kv[0])):
        if f.missing == 0 and not args.all:
            continue
        total += f.missing
        print(f"{key:<28} {f.missing:>8} {f.believed_abroad:>7} {f.begun_in_year:>11} "
              f"{f.over_1_year:>6} {f.over_5_years:>7} {f.over_10_years:>8}  "
              f"{f.earliest_began or '':}")
    print(f"{'total':<28} {total:>8}")
    return 0


def _emit(data: bytes, output: str | None) -> None:
    if output:
        with open(output, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def cmd_report(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    import json

    from whereabouts.clock import today
    from whereabouts.reports import export
    from whereabouts.reports.figures import Scope
    from whereabouts.reports.selectors import management_figures

    as_at = args.as_at or today()
    try:
        report = management_figures(as_at, scope=Scope(region=args.region or "",
                                                       force=args.force or ""),
                                    first=args.start, via=" (command line)")
    except (LookupError, ValueError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        data = (json.dumps(report, indent=2) + "\n").encode()
    else:
        header, rows = export.figures_table(report)
        data = export.write(args.format, header, rows, notes=report["caveats"]) \
            if args.format != "csv" else export.to_csv(header, rows)
    _emit(data, args.output)
    return 0


def cmd_foi(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from whereabouts.clock import today
    from whereabouts.reports.figures import Scope
    from whereabouts.reports.foi import build_pack, pack_zip

    if args.threshold < 1:
        print("foi: --threshold must be at least 1", file=sys.stderr)
        return 2
    try:
        pack = build_pack(args.as_at or today(), scope=Scope(region=args.region or "",
                                                              force=args.force or ""),
                          threshold=args.threshold, request_reference=args.reference)
    except LookupError as exc:
        print(f"foi: {exc}", file=sys.stderr)
        return 2
    with open(args.output, "wb") as f:
        f.write(pack_zip(pack))
    print(f"FOI response pack as at {pack.as_at} for {pack.scope.label} written to "
          f"{args.output} ({sum(t.withheld for _, t in pack.tables.values())} figures withheld).")
    return 0


def cmd_missing_times(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from whereabouts.missing.selectors import Distribution, time_to_notice_and_locate

    if args.to < args.start:
        print("--to: must not be before --from", file=sys.stderr)
        return 2
    table = time_to_notice_and_locate(args.start, args.to, by=args.by)
    print(f"Days to notice (last confirmed -> recorded missing) and to locate (recorded -> "
          f"located), {args.start} to {args.to}, by {args.by}")
    print(f"{args.by:<28} {'noticed':>7} {'median':>7} {'p90':>7} {'longest':>7}   "
          f"{'located':>7} {'median':>7} {'p90':>7} {'longest':>7}")

    def cells(d: Distribution) -> str:
        median = "" if d.median is None else d.median
        p90 = "" if d.p90 is None else round(d.p90, 1)
        longest = "" if d.longest is None else d.longest
        return f"{d.count:>7} {median:>7} {p90:>7} {longest:>7}"

    for key, (notice, locate) in table.items():
        if notice.count or locate.count:
            print(f"{key:<28} {cells(notice)}   {cells(locate)}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from whereabouts.access.audit import verify

    anchor = None
    if args.anchor:
        entry_id, _, entry_hash = args.anchor.partition(":")
        if not entry_id.isdigit() or len(entry_hash) != 64:
            print("audit verify: --anchor takes ID:HASH as printed by an earlier verify",
                  file=sys.stderr)
            return 2
        anchor = (int(entry_id), entry_hash.lower())
    report = verify(anchor=anchor)
    if report.ok:
        print(f"Audit chain intact: {report.entries} entries verified.")
        if report.last_id is not None:
            print(f"Last entry: {report.last_id}:{report.last_hash} (keep this elsewhere and "
                  "pass it as --anchor next time to detect entries removed from the end).")
        return 0
    if report.first_bad_id is None:
        print(f"Audit chain BROKEN: {report.problem}.", file=sys.stderr)
    else:
        print(f"Audit chain BROKEN at entry {report.first_bad_id}: {report.problem}.",
              file=sys.stderr)
    return 1


def cmd_retention(args: argparse.Namespace) -> int:
    """MoPI: list the decisions to dispose not yet carried out, or carry them out (erase)."""
    _setup_django()
    _migrate()
    from whereabouts.retention.services import erase_disposed, pending_disposals

    if args.action == "pending":
        pending = pending_disposals()
        for d in pending:
            print(f"{d.person.reference}\tdecided {d.decided_on.isoformat()} by "
                  f"{d.decided_by.get_username()}\t{d.reason}")
        print(f"{len(pending)} record{'s' if len(pending) != 1 else ''} to erase.")
        return 0
    erased = erase_disposed()
    for e in erased:
        print(f"Erased {e.reference} (person {e.person_id}); logged in the audit chain.")
    print(f"{len(erased)} record{'s' if len(erased) != 1 else ''} erased.")
    return 0


def cmd_pg_grants(args: argparse.Namespace) -> int:
    _setup_django()
    from whereabouts.access.grants import app_role_sql

    try:
        statements = app_role_sql(args.role, args.schema)
    except ValueError as exc:
        print(f"pg-grants: {exc}", file=sys.stderr)
        return 2
    for statement in statements:
        print(f"{statement};")
    return 0


def cmd_demo_code(args: argparse.Namespace) -> int:
    _setup_django()
    from whereabouts.demo.build import demo_code

    try:
        print(demo_code(args.username))
    except LookupError as exc:
        print(f"demo-code: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from django.core.exceptions import ValidationError

    from whereabouts.access.accounts import AccountError, create_staff_user
    from whereabouts.access.models import Role

    try:
        user, password = create_staff_user(
            username=args.username, first_name=args.first_name, last_name=args.last_name,
            role=Role.ADMINISTRATOR, force_id=args.force, by=None)
    except (AccountError, ValidationError) as exc:
        print(f"create-admin: {exc}", file=sys.stderr)
        return 1
    print(f"Administrator {user.get_username()!r} created. First password (shown only now):")
    print(f"  {password}")
    print("At the first sign-in they set up an authenticator app; then, under Users, they "
          "create everyone else.")
    return 0


def cmd_api_token(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from django.contrib.auth import get_user_model

    from whereabouts.api import tokens
    from whereabouts.api.models import ApiToken

    by = None
    if args.by:
        by = get_user_model().objects.filter(username=args.by, is_active=True,
                                             staff__role="administrator").first()
        if by is None:
            print(f"api-token: no active administrator {args.by!r}", file=sys.stderr)
            return 1
    try:
        if args.action == "create":
            scopes = [s.strip() for s in (args.scopes or "").split(",") if s.strip()]
            token, secret = tokens.create_token(username=args.user or "", scopes=scopes,
                                                days=args.days, by=by, name=args.name)
            print(f"API token {token.pk} for {token.user.get_username()!r} "
                  f"({', '.join(token.scopes)}), expires {token.expires_at:%Y-%m-%d %H:%M %Z}.")
            print("The token (shown only now; only its hash is kept):")
            print(f"  {secret}")
        elif args.action == "revoke":
            token = tokens.revoke_token(token_id=args.id or 0, by=by)
            print(f"API token {token.pk} ({token.prefix}…) of {token.user.get_username()!r} "
                  f"revoked.")
        else:
            listed = ApiToken.objects.select_related("user")
            if args.user:
                listed = listed.filter(user__username=args.user)
            for token in listed:
                state = ("revoked" if token.revoked_at else
                         f"expires {token.expires_at:%Y-%m-%d}")
                print(f"{token.pk}\t{token.prefix}…\t{token.user.get_username()}\t"
                      f"{','.join(token.scopes)}\t{state}\t{token.name}")
    except tokens.TokenError as exc:
        print(f"api-token: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a register extract (docs/import.md); ``--dry-run`` changes nothing."""
    _setup_django()
    _migrate()
    from django.contrib.auth import get_user_model

    from whereabouts.clock import today
    from whereabouts.imports.services import import_register
    from whereabouts.register.errors import InvalidInput

    by = get_user_model().objects.filter(username=args.by, is_active=True).first()
    if by is None:
        print(f"import: no active user {args.by!r}; nothing was imported", file=sys.stderr)
        return 1
    try:
        report = import_register(paths=args.paths, actor=by, today=args.as_at or today(),
                                 mapping=args.mapping, force=args.force, dry_run=args.dry_run,
                                 rejects=args.rejects, progress=print)
    except InvalidInput as exc:
        print(f"import: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


def cmd_search_keys(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from django.db import transaction

    from whereabouts.register.search_keys import rebuild_all

    with transaction.atomic():
        rows = rebuild_all()
    print(f"Search keys rebuilt: {rows} rows.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from whereabouts.backup.ledgerfile import ExportFileError, export_ledger
    from whereabouts.register.errors import InvalidInput

    by = None
    if args.by:
        by = get_user_model().objects.filter(username=args.by, is_active=True).first()
        if by is None:
            print(f"export: no active user {args.by!r}", file=sys.stderr)
            return 1
    try:
        report = export_ledger(args.file, actor=by, force=args.force)
    except (ExportFileError, InvalidInput, PermissionDenied, OSError) as exc:
        print(f"export: {exc}; nothing was written", file=sys.stderr)
        return 1
    scope = "the whole register" if args.force is None else f"the force {args.force}"
    print(f"Exported {scope} to {report.path}: {report.people} people, {report.records} "
          f"records, sha256 {report.sha256}. Recorded in the audit log as entry "
          f"{report.audit_entry_id} (after the file, so not in it).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from whereabouts.backup.ledgerfile import ExportFileError, restore_ledger

    try:
        report = restore_ledger(args.file, progress=print)
    except ExportFileError as exc:
        print(f"restore: {exc}", file=sys.stderr)
        return 1
    derived = ", ".join(f"{n} {what}" for what, n in report.derived.items())
    print(f"Restored {report.records} records (sha256 {report.sha256}); worked out again: "
          f"{derived}" + ("" if report.as_at else " (no sweep in the file: run "
                                                   "'whereabouts sweep')") + ".")
    print("Check the audit log with 'whereabouts audit verify'.")
    return 0


def cmd_reference_postcodes(args: argparse.Namespace) -> int:
    """Replace the postcode-district-to-force table from a CSV; rejects to their own file."""
    import csv

    _setup_django()
    _migrate()
    from django.db import transaction

    from whereabouts.register.models import Force
    from whereabouts.register.postcodes import check_rows, replace_all

    with open(args.file, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"district", "force_slug"} - set(reader.fieldnames or [])
        if missing:
            print(f"{args.file}: the header lacks {', '.join(sorted(missing))} "
                  "(columns: district,force_slug); nothing changed", file=sys.stderr)
            return 2
        rows = list(reader)
    good, rejected = check_rows(rows, set(Force.objects.values_list("slug", flat=True)))
    rejects = args.rejects or f"{args.file}.rejects.csv"
    if rejected:
        with open(rejects, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["line", "district", "force_slug", "reason"])
            for r in rejected:
                writer.writerow([r.line, r.row.get("district", ""), r.row.get("force_slug", ""),
                                 r.reason])
    if not good:
        print(f"No good rows in {args.file}; nothing changed. "
              f"{len(rejected)} rejected, in {rejects}.", file=sys.stderr)
        return 1
    with transaction.atomic():
        size = replace_all(good, keep=["".join((r.row.get("district") or "").split()).upper()
                                       for r in rejected])
    print(f"Postcode districts: {size} loaded; {len(rejected)} rejected"
          + (f", in {rejects}" if rejected else "") + ".")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["whereabouts manage", *args.rest])
    return 0


def cmd_frontend(args: argparse.Namespace) -> int:
    from whereabouts.web import frontend

    try:
        installed = frontend.install()
    except (frontend.IntegrityError, OSError) as exc:
        print(f"Could not install the frontend packages: {exc}", file=sys.stderr)
        return 1
    print("Frontend packages installed." if installed else "Frontend packages up to date.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whereabouts", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("rules", help="the legislation engine: rules explain CASE.json", add_help=False)

    p = sub.add_parser("sweep", help="apply the rules to every ledger as at a date")
    p.add_argument("--as-at", type=_date, help="the date to sweep as at (default: today)")
    p.add_argument("--full", action="store_true",
                   help="work out everyone again, not only those whose status may have changed")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("demo", help="build the seed scenario and serve it")
    p.add_argument("--build-only", action="store_true", help="build the dataset and exit")
    p.add_argument("--seed", type=int, default=2017, help="random seed (default 2017)")
    p.add_argument("--scale", type=float, default=1.0,
                   help="fraction of the national register outside the West Midlands (default 1)")
    p.add_argument("--keep", action="store_true", help="do not empty the database first")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="serve the site (waitress)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("missing", help="missing figures as at a date, per force or region")
    p.add_argument("action", choices=["figures"])
    p.add_argument("--as-at", type=_date, help="the date (default: today)")
    p.add_argument("--by", choices=["force", "region"], default="force")
    p.add_argument("--all", action="store_true", help="list those with none missing too")
    p.set_defaults(func=cmd_missing)

    p = sub.add_parser("report", help="management figures as at a date (exact; use is logged)")
    p.add_argument("action", choices=["missing"])
    p.add_argument("--as-at", type=_date, help="the date (default: today)")
    p.add_argument("--from", dest="start", type=_date,
                   help="start of the period for episodes and breaches (default: 1 January)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--region", help="one region, e.g. \"West Midlands\"")
    where.add_argument("--force", help="one force's slug, e.g. west-midlands")
    p.add_argument("--format", choices=["json", "csv", "xlsx", "ods"], default="json")
    p.add_argument("-o", "--output", help="write to this file (default: standard output)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("foi", help="an FOI response pack (zip) with disclosure control")
    p.add_argument("--as-at", type=_date, help="the date (default: today)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--region")
    where.add_argument("--force")
    p.add_argument("--threshold", type=int, default=5,
                   help="counts below this are shown as 'fewer than N' (default 5)")
    p.add_argument("--reference", default="", help="the FOI request's reference")
    p.add_argument("-o", "--output", required=True, help="the zip file to write")
    p.set_defaults(func=cmd_foi)

    p = sub.add_parser("missing-times",
                       help="time to notice and to locate, per force or region, for a period")
    p.add_argument("--from", dest="start", type=_date, required=True)
    p.add_argument("--to", type=_date, required=True)
    p.add_argument("--by", choices=["force", "region"], default="force")
    p.set_defaults(func=cmd_missing_times)

    p = sub.add_parser("audit", help="verify the audit log's hash chain")
    p.add_argument("action", choices=["verify"])
    p.add_argument("--anchor", metavar="ID:HASH",
                   help="an entry noted from an earlier verify, which must still be there")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("retention", help="MoPI: records decided for disposal: list or erase")
    p.add_argument("action", choices=["pending", "erase"],
                   help="pending: list them; erase: erase them (run as the database owner)")
    p.set_defaults(func=cmd_retention)

    p = sub.add_parser("pg-grants",
                       help="print the PostgreSQL GRANTs for the application's own role")
    p.add_argument("role")
    p.add_argument("--schema", default="public")
    p.set_defaults(func=cmd_pg_grants)

    p = sub.add_parser("create-admin",
                       help="create an administrator (the first user of a new install)")
    p.add_argument("username")
    p.add_argument("--first-name", default="")
    p.add_argument("--last-name", default="")
    p.add_argument("--force", default=None,
                   help="a force's slug, for an administrator of one force (default: national)")
    p.set_defaults(func=cmd_create_admin)

    p = sub.add_parser("demo-code",
                       help="the code a demo user's authenticator app shows now (demo only)")
    p.add_argument("username", help="a demo user, e.g. om.demo")
    p.set_defaults(func=cmd_demo_code)

    p = sub.add_parser("api-token", help="create, list or revoke API tokens (docs/api.md)")
    p.add_argument("action", choices=["create", "list", "revoke"])
    p.add_argument("--user", help="create: the token's user; list: only this user's")
    p.add_argument("--scopes", help="create: comma-separated, e.g. people:search,people:read")
    p.add_argument("--days", type=int, default=90, help="create: days until it expires "
                                                        "(default 90, at most 366)")
    p.add_argument("--name", default="", help="create: what the token is for")
    p.add_argument("--id", type=int, help="revoke: the token's number (from list)")
    p.add_argument("--by", help="the administrator doing this, for the audit log")
    p.set_defaults(func=cmd_api_token)

    p = sub.add_parser("import", help="import a register extract (XLSX or CSV; docs/import.md)")
    p.add_argument("what", choices=["register"])
    p.add_argument("paths", nargs="+", metavar="FILE",
                   help="an XLSX workbook, a directory of CSV files, or CSV files")
    p.add_argument("--by", required=True,
                   help="the user importing (holding register.import), for the ledger and "
                        "the audit log")
    p.add_argument("--mapping", help="a JSON or TOML file renaming sheets and columns")
    p.add_argument("--force", help="the extract's force: rows naming none get it, rows "
                                   "naming another are rejected")
    p.add_argument("--dry-run", action="store_true",
                   help="check everything, write the reject file and the counts, change "
                        "nothing")
    p.add_argument("--rejects", help="where to write the reject file "
                                     "(default FILE.rejects.csv)")
    p.add_argument("--as-at", type=_date, help="today, for the checks and the sweep "
                                               "(default: today)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("export", help="write the register (or one force's) to a file "
                                      "(docs/export.md)")
    p.add_argument("file", help="the file to write; gzip'd if it ends in .gz")
    p.add_argument("--force", metavar="SLUG", help="only this force's people (see the docs)")
    p.add_argument("--by", metavar="USERNAME",
                   help="the user exporting (must hold ledger.export); default: the operator")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("restore", help="restore a whole export into an empty database")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("search-keys", help="rebuild every person's search keys (derived data)")
    p.set_defaults(func=cmd_search_keys)

    p = sub.add_parser("reference-postcodes",
                       help="replace the postcode district -> force table from a CSV")
    p.add_argument("file", help="CSV with columns district,force_slug")
    p.add_argument("--rejects", help="where to write rejected rows (default FILE.rejects.csv)")
    p.set_defaults(func=cmd_reference_postcodes)

    p = sub.add_parser("partner-import",
                       help="import a partner agency's extract (CSV or Parquet) for matching")
    p.add_argument("file", help="the extract: .csv or .parquet")
    p.add_argument("--agency", required=True, help="the agency, e.g. \"DWP\"")
    p.add_argument("--mapping", required=True, help="JSON: our fields -> the file's columns "
                                                    "(docs/linkage.md)")
    p.add_argument("--rejects", help="where to write rejected rows (default FILE.rejects.csv)")
    p.add_argument("--by", help="the user importing it, for the record and the audit log")
    p.set_defaults(func=cmd_partner_import)

    p = sub.add_parser("link", help="match a partner extract against the register (Splink)")
    p.add_argument("--extract", type=int, required=True, help="the extract's number")
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    p.add_argument("--threshold", type=float, default=0.9,
                   help="match probability at or above which a lead opens (default 0.9)")
    p.add_argument("--by", help="the user running it, for the record and the audit log")
    p.set_defaults(func=cmd_link)

    p = sub.add_parser("duplicates", help="suggest records of the register that may be one "
                                          "person (Splink, every force)")
    p.add_argument("action", choices=["find"])
    p.add_argument("--threshold", type=float, default=0.9,
                   help="match probability at or above which a pair is suggested (default 0.9)")
    p.add_argument("--by", required=True,
                   help="the user running it (duplicates.decide), for the record and the audit "
                        "log")
    p.set_defaults(func=cmd_duplicates)

    p = sub.add_parser("frontend", help="fetch the pinned GOV.UK and MoJ frontend packages")
    p.set_defaults(func=cmd_frontend)

    p = sub.add_parser("manage", help="Django management commands (migrate, createsuperuser, ...)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "rules":
        from whereabouts.cli.rules_command import main as rules_main

        return rules_main(argv[1:], sys.stdin, sys.stdout, sys.stderr)
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
