"""The demo build in a real database (SQLite or PostgreSQL): built once for the module."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import connection
from django.db.models import Count
from django.test import override_settings

from whereabouts import rules
from whereabouts.access.models import AuditEntry, StaffProfile
from whereabouts.compliance.models import ComplianceStatus
from whereabouts.compliance.sweep import status_from_case
from whereabouts.demo import FOI_DATE, SCENARIO_TODAY
from whereabouts.demo.build import (
    DEMO_PASSWORD,
    DEMO_USERS,
    PLAN_FILE,
    build_demo,
    database_digest,
    demo_code,
    generated_digest,
    read_plan,
    reset_database,
)
from whereabouts.demo.episodes import case_history
from whereabouts.register import services
from whereabouts.register.events import AWAY_ENDS, AWAY_PAIRS, CLOCK_NOTIFICATIONS, validate_details
from whereabouts.register.models import Address, Alias, Disposal, Event, Person
from whereabouts.register.selectors import iter_cases, ledger_case, live_events
from whereabouts.register.services import AddressInput, DisposalInput

SEED, SCALE = 2017, 0.01
HISTORY_KINDS = ("missing.action", "missing.review")
REGION = ("staffordshire", "warwickshire", "west-mercia", "west-midlands")
SUBJECT = ("compliant", "overdue", "away")


def quiet(*_: Any) -> None:
    pass


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        report = build_demo(seed=SEED, scale=SCALE, fresh=True, progress=quiet)
    yield report
    with django_db_blocker.unblock():
        reset_database(progress=quiet)  # leave an empty register (forces only) behind


def statuses(as_at: dt.date) -> dict[int, str]:
    return {pid: status_from_case(case, as_at).compliance for pid, _, case in iter_cases(as_at)}


def forces() -> dict[int, str]:
    return dict(Person.objects.values_list("pk", "force_id"))


def test_west_midlands_has_exactly_4380_subject_as_at_the_foi_date(demo, db):
    force_of = forces()
    per_force = Counter(force_of[pid] for pid, state in statuses(FOI_DATE).items()
                        if state in SUBJECT)
    assert per_force["west-midlands"] == 4380
    assert {slug: per_force[slug] for slug in REGION} == {
        slug: demo.registered[slug] for slug in REGION}
    assert sum(per_force.values()) == demo.national_total == Person.objects.count()


def test_everyone_in_the_region_is_still_subject_on_publication_day(demo, db):
    force_of = forces()
    region = {pid: state for pid, state in statuses(SCENARIO_TODAY).items()
              if force_of[pid] in REGION}
    assert len(region) == sum(demo.registered[slug] for slug in REGION)
    assert set(region.values()) <= set(SUBJECT)


def test_the_sweep_ran_and_its_cache_matches_the_rules(demo, db):
    assert demo.compliance and sum(demo.compliance.values()) == Person.objects.count()
    cached = dict(ComplianceStatus.objects.values_list("person_id", "compliance"))
    assert cached == statuses(SCENARIO_TODAY)
    assert demo.subject_by_force["west-midlands"] == 4380


def test_the_plan_is_written_beside_the_database_and_reads_back(demo, db):
    path = Path(settings.DATA_DIR) / PLAN_FILE
    data = json.loads(path.read_text())
    assert data["seed"] == SEED and len(data["entries"]) == len(demo.plan)
    assert read_plan() == demo.plan
    assert demo.missing(FOI_DATE)["west-midlands"] == 46
    assert demo.missing(SCENARIO_TODAY)["staffordshire"] == 2


def test_every_missing_persons_ledger_explains_their_plan_entry(demo, db):
    people = {p.reference: p for p in Person.objects.filter(
        reference__in=[e.person_reference for e in demo.plan])}
    assert len(people) == len(demo.plan)
    for entry in demo.plan:
        person = people[entry.person_reference]
        events = live_events(person)
        soon_after = entry.went_missing_on + dt.timedelta(days=3)
        case = ledger_case(person, soon_after).case
        assert case is not None
        result = rules.evaluate(case)
        assert result.compliance == "overdue", entry.person_reference
        assert result.next_due_last_day == entry.missed_due_on
        assert result.indefinite or result.last_day > SCENARIO_TODAY
        visits = [(e.effective_date, e.details["outcome"]) for e in events if e.kind == "visit"]
        seen = [d for d, outcome in visits if outcome == "seen_at_home"]
        assert max(seen) == entry.last_seen_at_home_on
        assert (entry.failed_visit_on, entry.failed_visit_outcome) in visits
        clock = [e.effective_date for e in events if e.kind in CLOCK_NOTIFICATIONS]
        after = [e for e in events if e.effective_date > entry.went_missing_on
                 and e.kind not in HISTORY_KINDS]
        history = [(e.kind, e.effective_date, e.details) for e in events
                   if e.kind in HISTORY_KINDS]
        assert history == case_history(
            entry, random.Random(f"{SEED}:history:{entry.person_reference}"))
        assert max(d for d in clock if d <= entry.went_missing_on) == entry.last_notified_on
        assert not [e for e in events if e.kind == "abroad.start"]
        if entry.located_on is None:
            assert after == []
            assert rules.evaluate(ledger_case(person, SCENARIO_TODAY).case).compliance == \
                "overdue"
        else:
            assert [(e.kind, e.effective_date) for e in after] == [
                (entry.located_event, entry.located_on), ("missing.located", entry.located_on),
                *[("circulation.cancelled", entry.located_on)] * (1 + entry.believed_abroad)]
        recorded = [e for e in events if e.kind == "missing.recorded"]
        assert [(e.effective_date, e.details["missing_since"], e.details["believed_abroad"])
                for e in recorded] == [(entry.went_missing_on,
                                        entry.last_seen_at_home_on.isoformat(),
                                        entry.believed_abroad)]
        travel = [e for e in events if e.kind == "notification.travel"]
        if entry.travel_notified_on is not None:
            assert [(e.effective_date, e.details["destination"]) for e in travel] == [
                (entry.travel_notified_on, entry.country)]
        else:
            assert travel == []


def test_every_events_details_are_what_validate_details_returns(demo, db):
    text_json = connection.vendor == "sqlite"  # PostgreSQL's jsonb normalises key order
    checked: Counter[str] = Counter()
    for kind, details in Event.objects.values_list("kind", "details").iterator(chunk_size=20000):
        clean = validate_details(kind, details)
        assert clean == details, (kind, details)
        if text_json:
            assert list(clean) == list(details)  # same key order, so the same JSON text
        checked[kind] += 1
    assert checked.total() == demo.rows["events"]
    # Every kind the missing episodes write was among them, the case histories included.
    assert {"check.opened", "check.closed", "missing.recorded", "missing.located",
            "circulation.sent", "circulation.cancelled", *HISTORY_KINDS} <= set(checked)


def test_no_ledger_breaks_the_sequence_rules_the_services_enforce(demo, db):
    births = dict(Person.objects.values_list("pk", "date_of_birth"))
    ledgers: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for pid, kind, when in Event.objects.order_by("person_id", "effective_date", "id") \
            .values_list("person_id", "kind", "effective_date").iterator(chunk_size=20000):
        ledgers[pid].append((kind, when))
    for pid, ledger in ledgers.items():
        assert ledger[0][0] == "registered"
        assert [k for k, _ in ledger].count("registered") == 1
        assert "disposal" in {k for k, _ in ledger} and "assignment" in {k for k, _ in ledger}
        open_since: dict[str, dt.date] = {}
        for kind, when in ledger:
            assert births[pid] <= when <= SCENARIO_TODAY, (pid, kind, when)
            if kind in AWAY_PAIRS:
                assert kind not in open_since, (pid, kind, when)
                open_since[kind] = when
            elif kind in AWAY_ENDS:
                assert open_since.pop(AWAY_ENDS[kind], None) is not None, (pid, kind, when)
        assert "abroad.start" not in open_since  # no one is left abroad without a return


def test_disposals_addresses_and_aliases_hang_off_the_right_events(demo, db):
    kinds = dict(Event.objects.values_list("pk", "kind"))
    assert {kinds[e] for e in Disposal.objects.values_list("event_id", flat=True)} == \
        {"disposal"}
    assert {kinds[e] for e in Address.objects.values_list("event_id", flat=True)} <= \
        {"notification.initial", "notification.change"}
    assert {kinds[e] for e in Alias.objects.values_list("event_id", flat=True)} == {"disposal"}
    for relevant, when in Disposal.objects.values_list("relevant_date", "event__effective_date"):
        assert relevant == when
    for start, when in Address.objects.values_list("from_date", "event__effective_date"):
        assert start == when


def replay(person: Person, manager: Any) -> Person:
    """The person's whole ledger again, through the checked services, as a new person."""
    copy = services.person_register(
        force=person.force_id, family_name=person.family_name, given_names=person.given_names,
        date_of_birth=person.date_of_birth, sex=person.sex, reference=f"R{person.reference}",
        today=SCENARIO_TODAY, recorded_by=None, source="test", pnc_id=person.pnc_id,
        cro_number=person.cro_number, ni_number=person.ni_number,
        passport_number=person.passport_number)
    for event in live_events(person):
        if event.kind == "registered":
            continue
        disposal = None
        if event.kind == "disposal":
            d = event.disposal
            disposal = DisposalInput(offence=d.offence, kind=d.kind, court=d.court,
                                     months=d.months, life=d.life,
                                     restriction_order=d.restriction_order,
                                     suspended=d.suspended)
        services.event_record(
            person_id=copy.pk, kind=event.kind, effective_date=event.effective_date,
            today=SCENARIO_TODAY, recorded_by=manager, source="test", details=event.details,
            disposal=disposal,
            addresses=[AddressInput(kind=a.kind, line1=a.line1, town=a.town, line2=a.line2,
                                    postcode=a.postcode) for a in event.addresses.all()],
            aliases=[(a.family_name, a.given_names, a.used_from, a.used_to)
                     for a in event.aliases.all()])
    return copy


def test_a_sample_of_ledgers_replays_through_the_services_with_the_same_answers(demo, db):
    by_force = Person.objects.filter(force_id__in=REGION).order_by("pk")
    sample = list(by_force[::300])
    for kind in ("hospital.start", "hospital.end", "abroad.start", "notification.change",
                 "custody.end"):
        sample += list(Person.objects.filter(events__kind=kind).order_by("pk")[:3])
    weekly = Event.objects.filter(details__no_fixed_abode=True).values("person")
    sample += list(Person.objects.filter(pk__in=weekly)[:2])
    # Eight of the region's missing, those who went missing last: their case histories
    # (actions and reviews) are replayed too, and are short (a ten-year case has ~150
    # reviews, far slower to replay one by one through the services).
    recent = sorted((e for e in demo.plan if e.force in REGION),
                    key=lambda e: e.went_missing_on, reverse=True)[:8]
    sample += list(Person.objects.filter(reference__in=[e.person_reference for e in recent]))
    sample += list(Person.objects.filter(
        pk__in=Disposal.objects.values("person").annotate(n=Count("pk"))
        .filter(n__gt=1).values("person"))[:5])
    sample = list({p.pk: p for p in sample}.values())
    assert len(sample) > 40
    for person in sample:
        copy = replay(person, person.offender_manager)
        assert len(live_events(copy)) == len(live_events(person))
        for as_at in (FOI_DATE, SCENARIO_TODAY):
            original = status_from_case(ledger_case(person, as_at), as_at)
            replayed = status_from_case(ledger_case(copy, as_at), as_at)
            assert original == replayed, person.reference


def test_the_demo_users_have_one_role_each_and_the_shared_password(demo, db):
    validate_password(DEMO_PASSWORD)
    expected = {
        "om.demo": ("offender_manager", "west-midlands"),
        "supervisor.demo": ("supervisor", "west-midlands"),
        "senior.demo": ("senior_officer", "west-midlands"),
        "staffs.demo": ("supervisor", "staffordshire"),
        "analyst.demo": ("analyst", None),
        "partner.demo": ("partner", "west-midlands"),
        "auditor.demo": ("auditor", None),
        "admin.demo": ("administrator", None),
    }
    users = get_user_model().objects.in_bulk(list(expected), field_name="username")
    for username, (role, force) in expected.items():
        profile = StaffProfile.objects.get(user__username=username)
        assert (profile.role, profile.force_id) == (role, force)
        assert users[username].check_password(DEMO_PASSWORD)
    assert users["admin.demo"].is_staff and users["admin.demo"].is_superuser
    assert not users["om.demo"].is_staff
    assert "whereabouts-demo" in demo.login_help()


def test_the_demo_users_sign_in_with_the_code_that_demo_code_prints(demo, db, client,
                                                                   capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from whereabouts.cli.main import main

    devices = TOTPDevice.objects.filter(user__username__in=[u for u, *_ in DEMO_USERS],
                                        confirmed=True)
    assert devices.count() == len(DEMO_USERS)
    assert {d.key for d in devices} == {b"whereabouts-demo-key".hex()}
    assert "O5UGK4TFMFRG65LUOMWWIZLNN4WWWZLZ" in demo.login_help()
    assert "whereabouts demo-code om.demo" in demo.login_help()
    assert main(["demo-code", "supervisor.demo"]) == 0
    printed = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", printed)
    sent = client.post("/login/", {"username": "supervisor.demo", "password": DEMO_PASSWORD})
    assert sent.status_code == 302
    assert client.post("/login/code/", {"code": demo_code("supervisor.demo")}).url == "/"
    assert client.get("/missing/").status_code == 200


def test_demo_code_is_no_way_into_anyone_else(demo, db, capsys):
    from whereabouts.cli.main import main

    assert main(["demo-code", "om.west-midlands.001"]) == 1
    assert "is not a demo user" in capsys.readouterr().err
    with pytest.raises(LookupError):
        demo_code("nobody")


def test_everyone_has_an_offender_manager_of_their_own_force(demo, db):
    rows = Person.objects.values_list("force_id", "offender_manager__username",
                                      "offender_manager__staff__role",
                                      "offender_manager__staff__force_id")
    for force, username, role, om_force in rows:
        assert role == "offender_manager" and om_force == force, username
    generated = get_user_model().objects.filter(username__startswith="om.west-midlands.")
    assert not any(u.has_usable_password() for u in generated)
    caseloads = Counter(Person.objects.values_list("offender_manager__username", flat=True))
    assert max(caseloads.values()) <= 60
    assigned = {pid: d["offender_manager"] for pid, d in
                Event.objects.filter(kind="assignment").values_list("person_id", "details")}
    for pid, username in Person.objects.values_list("pk", "offender_manager__username"):
        assert assigned[pid] == username


def test_om_demo_has_a_caseload_with_missing_and_overdue_people(demo, db):
    caseload = Person.objects.filter(offender_manager__username="om.demo")
    assert 45 <= caseload.count() <= 55
    assert set(caseload.values_list("force_id", flat=True)) == {"west-midlands"}
    missing = {e.person_reference for e in demo.plan}
    refs = set(caseload.values_list("reference", flat=True))
    assert len(refs & missing) >= 3
    overdue = ComplianceStatus.objects.filter(person__in=caseload, compliance="overdue")
    assert overdue.count() > len(refs & missing)


def test_identifiers_are_of_the_synthetic_patterns(demo, db):
    for pnc, cro, ni, passport in Person.objects.values_list(
            "pnc_id", "cro_number", "ni_number", "passport_number"):
        assert re.fullmatch(r"\d\d/\d{6}[A-Z]", pnc)
        assert cro == "" or re.fullmatch(r"\d{6}/\d\d[A-Z]", cro)
        assert ni == "" or re.fullmatch(r"QQ\d{6}[A-D]", ni)
        assert passport == "" or passport.startswith("9999")
    assert Person.objects.exclude(ni_number="").count() > 0.7 * Person.objects.count()


def test_one_audit_entry_records_the_whole_build(demo, db):
    entries = list(AuditEntry.objects.values_list("action", "what"))
    assert entries == [("collection", f"demo build: {demo.national_total} synthetic people "
                                      f"(seed {SEED}, scale {SCALE:g})")]


def test_events_are_recorded_at_ten_in_london_on_their_day(demo, db):
    from whereabouts.demo.build import recorded_at

    for when, at in Event.objects.values_list("effective_date", "recorded_at")[:2000]:
        assert at == recorded_at(when)
    assert set(Event.objects.values_list("source", flat=True)) == {"demo"}


def test_the_database_holds_exactly_what_the_generator_drew(demo, db):
    assert database_digest() == generated_digest(SEED, SCALE)


def test_a_second_build_with_the_same_seed_gives_identical_rows(demo, django_db_blocker):
    # Last in the module: it rebuilds the database the other tests read (to the same rows).
    # The first build generated in a child process; this one in-process (fork=False).
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        before = database_digest()
        ids = list(Event.objects.order_by("pk").values_list("pk", flat=True)[:5])
        build_demo(seed=SEED, scale=SCALE, fresh=True, progress=quiet, fork=False)
        assert database_digest() == before
        assert list(Event.objects.order_by("pk").values_list("pk", flat=True)[:5]) == ids


def test_the_scenarios_missing_figures_come_out_of_the_ledger(demo, db):
    from whereabouts.missing.selectors import missing_figures

    foi = missing_figures(FOI_DATE)
    wm = foi["west-midlands"]
    assert (wm.missing, wm.believed_abroad, wm.begun_in_year) == (46, 14, 5)
    assert wm.earliest_began.year == 2006
    assert foi["staffordshire"].missing == 5
    assert foi["west-mercia"].missing == 3
    assert foi["west-mercia"].earliest_began.year == 2006
    assert foi["west-mercia"].over_10_years >= 1
    assert foi["warwickshire"].missing == 1
    regions = missing_figures(FOI_DATE, by="region")
    assert regions["West Midlands"].missing == 55
    english = sorted(((f.missing, name) for name, f in regions.items() if name != "Wales"),
                     reverse=True)
    assert [name for _, name in english[:2]] == ["London", "West Midlands"]
    published = missing_figures(SCENARIO_TODAY)
    assert published["staffordshire"].missing == 2
    assert published["west-midlands"].missing == 46
    # The same answer for the FOI date after the later events were recorded: the ledger now
    # holds the Staffordshire locates, and the 30 September figures do not move.
    assert missing_figures(FOI_DATE)["staffordshire"].missing == 5


def test_every_missing_person_had_a_whereabouts_check_before_the_decision(demo, db):
    from django.conf import settings

    from whereabouts.missing.selectors import person_checks

    people = {p.reference: p for p in Person.objects.filter(
        reference__in=[e.person_reference for e in demo.plan])}
    for entry in demo.plan:
        [check] = person_checks(people[entry.person_reference])
        assert check.opened_on == entry.failed_visit_on
        assert (check.closed_on, check.outcome) == (entry.went_missing_on, "recorded_missing")
    done = Event.objects.filter(kind="check.closed").values_list("details", flat=True)
    for details in done:
        assert set(details["checks_done"].split("; ")) <= set(settings.WHEREABOUTS_CHECKLIST)


def test_every_missing_person_was_circulated_and_those_located_cancelled(demo, db):
    from whereabouts.missing.circulation import circulations

    people = {p.reference: p for p in Person.objects.filter(
        reference__in=[e.person_reference for e in demo.plan])}
    for entry in demo.plan:
        found = circulations(people[entry.person_reference])
        assert sorted(c["scope"] for c in found) == (
            ["international", "national"] if entry.believed_abroad else ["national"])
        expected = "active" if entry.located_on is None else "cancelled"
        assert {c["status"] for c in found} == {expected}


def test_no_action_or_review_falls_outside_its_episode(demo, db):
    entries = {e.person_reference: e for e in demo.plan}
    history = Event.objects.filter(kind__in=HISTORY_KINDS)
    assert history.count() > 20 * len(entries)
    kinds = Counter()
    for reference, kind, when, details in history.values_list(
            "person__reference", "kind", "effective_date", "details"):
        entry = entries[reference]  # only the missing have a case history
        assert entry.went_missing_on < when <= SCENARIO_TODAY, (reference, kind, when)
        assert entry.located_on is None or when < entry.located_on, (reference, kind, when)
        kinds[kind, details.get("level") or details["action"]] += 1
    assert kinds["missing.review", "supervisor"] > kinds["missing.review", "senior"] > 0
    assert all(kinds["missing.action", a] > 0 for a in ("enquiry", "partner_check", "lead"))


def test_the_board_shows_most_cases_up_to_date_and_a_deliberate_few_flagged(demo, make_user):
    """As at publication day, through the board's own selector, one supervisor per force."""
    from whereabouts.missing.selectors import missing_board

    open_now = {e.person_reference: e for e in demo.plan if e.missing_on(SCENARIO_TODAY)}
    users = {"west-midlands": get_user_model().objects.get(username="supervisor.demo")}
    rows = []
    for force in sorted({e.force for e in open_now.values()}):
        user = users.get(force) or make_user(f"sup.{force}", "supervisor", force=force)
        rows += missing_board(user, SCENARIO_TODAY)
    assert sorted(r.person.reference for r in rows) == sorted(open_now)
    overdue = {r.person.reference for r in rows if r.review_overdue}
    quiet = {r.person.reference for r in rows if r.gone_quiet}
    flagged = overdue | quiet
    assert flagged == {ref for ref, e in open_now.items() if e.history != "kept_up"}
    assert 0 < len(flagged) <= 0.2 * len(rows)  # most are neither
    assert quiet and overdue - quiet  # some gone quiet; some only late with a review
    assert quiet <= overdue  # gone quiet means the monthly review was missed too
    by_force = Counter(open_now[ref].force for ref in flagged)
    assert by_force["west-midlands"] >= 1 and by_force["staffordshire"] >= 1
    for row in rows:
        if row.person.reference not in flagged:
            assert row.state.next_action_by > SCENARIO_TODAY
            assert row.state.last_supervisor_review is not None


def test_the_demo_loads_the_search_keys_the_register_would_make(demo, db):
    from whereabouts.register.models import SearchKey
    from whereabouts.register.search_keys import rebuild_all

    columns = ("person_id", "alias_id", "kind", "value", "token", "metaphone", "nysiis",
               "soundex")
    loaded = Counter(SearchKey.objects.values_list(*columns))
    assert loaded and len(loaded) == demo.rows["search keys"]
    rebuild_all()  # rolled back with the test
    assert Counter(SearchKey.objects.values_list(*columns)) == loaded
