"""Search: what it finds and why, that it finds only what the user may see, who may use it,
that every search is logged, and that a page costs a fixed number of queries."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from whereabouts.access.models import AuditEntry
from whereabouts.register import services
from whereabouts.register.models import Transfer
from whereabouts.register.services import AddressInput, DisposalInput
from whereabouts.register.transfers import cancel_transfer

from ..conftest import TODAY


def record(person: Any, kind: str, when: str, **kwargs: Any) -> Any:
    return services.event_record(person_id=person.pk, kind=kind, effective_date=when,
                                 today=TODAY, recorded_by=None, source="test", **kwargs)


def home(person: Any, kind: str, when: str, postcode: str, **details: Any) -> None:
    record(person, kind, when, details=details, addresses=[
        AddressInput(kind="home", line1="1 Test Street", town="Birmingham", postcode=postcode)])


@pytest.fixture
def people(make_person: Any, make_user: Any) -> dict[str, Any]:
    smith = make_person(family_name="Smith", given_names="John", dob="1980-05-01",
                        pnc_id="2001/0123456X")
    jones = make_person(family_name="Jones", given_names="Peter", dob="1969-11-20")
    record(jones, "disposal", "2010-02-01", aliases=[("Smythe", "Jon", None, None)],
           disposal=DisposalInput(offence="SOA 2003 s.3", kind="caution"))
    thompson = make_person(family_name="Thompson", given_names="Mary Ann", dob="1975-03-04",
                           sex="F")
    obrien = make_person(family_name="O'Brien", given_names="Seán", dob="1990-12-25",
                         cro_number="012345/01Y", ni_number="QQ 12 34 56 C",
                         passport_number="999912345")
    mover = make_person(family_name="Mover", given_names="Alex", dob="1985-07-07")
    home(mover, "notification.initial", "2019-01-10", "B12 9QT")
    home(mover, "notification.change", "2021-06-01", "DY1 1AA", change="home_address")
    elsewhere = make_person(force="staffordshire", manager=None, family_name="Smith",
                            given_names="John", dob="1980-05-01", pnc_id="02/765432A",
                            ni_number="QQ654321A")
    home(elsewhere, "notification.initial", "2019-01-10", "B12 9QT")
    # A West Midlands postcode opens a transfer there; Staffordshire cancels it (a bail
    # address), so the person stays theirs alone, with a postcode West Midlands people share.
    cancel_transfer(transfer_id=Transfer.objects.get(person=elsewhere).pk, today=TODAY,
                    reason="Bail address only", actor=make_user("sup.st", "supervisor",
                                                                force="staffordshire"))
    return {"smith": smith, "jones": jones, "thompson": thompson, "obrien": obrien,
            "mover": mover, "elsewhere": elsewhere, "supervisor": make_user("sup.wm", "supervisor")}


def search(client: Any, **fields: str) -> Any:
    return client.get(reverse("search") + "?" + urlencode(fields))


def found(page: Any) -> list[tuple[Any, str]]:
    return [(hit.person, "; ".join(hit.why)) for hit in page.context["page"]]


@pytest.mark.parametrize(("fields", "expected", "why"), [
    pytest.param({"name": "John Smith"}, "smith", "name", id="a full name typed exactly"),
    pytest.param({"name": "smith"}, "smith", "name", id="case does not matter"),
    pytest.param({"name": "Smith John"}, "smith", "name", id="the order of the words does not"),
    pytest.param({"name": "Jo Smith"}, "smith", "John begins JO",
                 id="the start of a given name finds it"),
    pytest.param({"name": "John Smyth"}, "smith", "sounds like SMITH",
                 id="names that sound the same are found"),
    pytest.param({"name": "Jon Smyth"}, "jones", "SMYTHE begins SMYTH (alias)",
                 id="the start of an alias finds it"),
    pytest.param({"name": "Smiht"}, "smith", "sounds like SMITH",
                 id="a misspelling that keeps the sound is found"),
    pytest.param({"name": "Thomspon"}, "thompson", "spelt like THOMPSON",
                 id="two letters swapped are found by spelling"),
    pytest.param({"name": "Tompson Mary"}, "thompson", "sounds like THOMPSON",
                 id="a letter left out is found"),
    pytest.param({"name": "Jon Smythe"}, "jones", "alias",
                 id="an alias typed exactly finds the person"),
    pytest.param({"name": "Jon Smithe"}, "jones", "sounds like SMYTHE (alias)",
                 id="an alias that sounds the same finds the person"),
    pytest.param({"name": "obrien"}, "obrien", "name", id="apostrophes do not matter"),
    pytest.param({"name": "Sean O'Brien"}, "obrien", "name", id="accents do not matter"),
    pytest.param({"date_of_birth_day": "4", "date_of_birth_month": "3",
                  "date_of_birth_year": "1975"}, "thompson", "date of birth",
                 id="a date of birth finds the person born that day"),
    pytest.param({"date_of_birth_day": "3", "date_of_birth_month": "4",
                  "date_of_birth_year": "1975"}, "thompson",
                 "date of birth with day and month swapped",
                 id="a date of birth with day and month swapped is found and marked"),
    pytest.param({"identifier": "2001/0123456X"}, "smith", "PNC ID",
                 id="a PNC ID as written"),
    pytest.param({"identifier": "01/123456x"}, "smith", "PNC ID",
                 id="a PNC ID with a two-digit year, no leading zero and a small letter"),
    pytest.param({"identifier": " 2001 / 123456X "}, "smith", "PNC ID",
                 id="a PNC ID with spaces"),
    pytest.param({"identifier": "12345/01y"}, "obrien", "CRO number",
                 id="a CRO number without its leading zero"),
    pytest.param({"identifier": "qq123456c"}, "obrien", "National Insurance number",
                 id="a National Insurance number without spaces"),
    pytest.param({"identifier": "9999 12345"}, "obrien", "passport number",
                 id="a passport number with a space"),
    pytest.param({"postcode": "dy11aa"}, "mover", "postcode DY1 1AA",
                 id="a current postcode in small letters without a space"),
    pytest.param({"postcode": "B12  9QT"}, "mover", "postcode B12 9QT",
                 id="a past address's postcode with two spaces"),
    pytest.param({"postcode": "b12"}, "mover", "postcode district B12",
                 id="a postcode district finds every address in it"),
    pytest.param({"name": "Smith", "date_of_birth_day": "1", "date_of_birth_month": "5",
                  "date_of_birth_year": "1980"}, "smith", "name; date of birth",
                 id="a name and a date of birth together"),
])
def test_search_finds_the_person_and_says_why(client, people, fields, expected, why):
    client.force_login(people["supervisor"])
    page = search(client, **fields)
    assert page.status_code == 200
    results = found(page)
    assert results and results[0] == (people[expected], why)


def test_the_best_match_comes_first(client, people):
    client.force_login(people["supervisor"])
    results = found(search(client, name="Smith"))
    assert results == [(people["smith"], "name"),
                       (people["jones"], "sounds like SMYTHE (alias)")]


@pytest.mark.parametrize("fields", [
    pytest.param({"name": "Smith", "date_of_birth_day": "2", "date_of_birth_month": "5",
                  "date_of_birth_year": "1980"}, id="a name with another date of birth"),
    pytest.param({"name": "Smith", "postcode": "B12 9QT"},
                 id="a name with a postcode the person never had"),
    pytest.param({"name": "Zzyzx"}, id="a name no one has"),
])
def test_every_detail_given_must_match(client, people, fields):
    client.force_login(people["supervisor"])
    page = search(client, **fields)
    assert page.context["result"].total == 0 and "No one found" in page.content.decode()


@pytest.mark.parametrize("fields", [
    pytest.param({"name": "John Smith"}, id="by name"),
    pytest.param({"date_of_birth_day": "1", "date_of_birth_month": "5",
                  "date_of_birth_year": "1980"}, id="by date of birth"),
    pytest.param({"identifier": "02/765432A"}, id="by an identifier only they have"),
    pytest.param({"identifier": "QQ654321A"}, id="by a National Insurance number"),
    pytest.param({"postcode": "B12 9QT"}, id="by a postcode they share"),
])
def test_people_of_another_force_never_appear(client, people, fields):
    client.force_login(people["supervisor"])
    page = search(client, **fields)
    html = page.content.decode()
    other = people["elsewhere"]
    assert other not in [person for person, _ in found(page)]
    assert other.reference not in html and "Staffordshire" not in html
    assert f"/people/{other.pk}/" not in html


def test_a_search_for_someone_only_another_force_has_looks_like_one_for_no_one(client, people):
    client.force_login(people["supervisor"])
    theirs = search(client, identifier="02/765432A")
    nobody = search(client, identifier="03/111111B")
    assert theirs.context["result"].total == nobody.context["result"].total == 0
    def main(page: Any) -> str:
        html = page.content.decode()
        return html[html.index("<main"):html.index("</main>")]

    assert main(theirs).replace("02/765432A", "03/111111B") == main(nobody)
    entries = list(AuditEntry.objects.order_by("-id")[:2])
    assert [e.what.endswith(": 0 results, page 1") for e in entries] == [True, True]


@pytest.mark.parametrize(("role", "status"), [
    ("offender_manager", 200), ("supervisor", 200), ("senior_officer", 200),
    ("analyst", 404), ("partner", 404), ("auditor", 404), ("administrator", 404), (None, 404),
])
def test_who_may_search(client, make_user, role, status):
    client.force_login(make_user(f"user.{role}", role))
    assert client.get(reverse("search") + "?name=Smith").status_code == status


def test_anonymous_visitors_are_sent_to_sign_in_from_search(client):
    response = client.get(reverse("search") + "?name=Smith")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_user_of_a_force_finds_their_own_forces_people(client, people, make_user):
    client.force_login(make_user("om.staffs", "offender_manager", force="staffordshire"))
    assert found(search(client, name="John Smith")) == [(people["elsewhere"], "name")]


def test_every_search_is_logged_with_what_was_searched_and_how_many_were_found(client, people):
    client.force_login(people["supervisor"])
    before = AuditEntry.objects.count()
    search(client, name="Smith", postcode="dy1 1aa")
    search(client, name="Smith")
    assert AuditEntry.objects.count() == before + 2
    first, second = AuditEntry.objects.order_by("id")[before:]
    assert first.action == second.action == "consultation"
    assert first.actor == people["supervisor"]
    assert first.what == "searched for name 'Smith', postcode 'DY1 1AA': 0 results, page 1"
    assert second.what == "searched for name 'Smith': 2 results, page 1"


def test_opening_the_empty_form_searches_nothing_and_logs_nothing(client, people):
    client.force_login(people["supervisor"])
    before = AuditEntry.objects.count()
    page = client.get(reverse("search"))
    assert page.status_code == 200 and "page" not in page.context
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(("fields", "message"), [
    pytest.param({"name": ""}, "Enter a name, date of birth, identifier or postcode",
                 id="nothing to search for"),
    pytest.param({"name": "J"}, "at least 2 letters", id="an initial alone"),
    pytest.param({"name": "123"}, "must contain letters", id="a name with no letters"),
    pytest.param({"identifier": "1/"}, "at least 4 characters", id="a scrap of an identifier"),
    pytest.param({"date_of_birth_day": "31", "date_of_birth_month": "2",
                  "date_of_birth_year": "1980"}, "must be a real date", id="a date that is not"),
])
def test_a_search_that_cannot_be_run_says_why_and_is_not_logged(client, people, fields,
                                                                message):
    client.force_login(people["supervisor"])
    before = AuditEntry.objects.count()
    page = search(client, **fields)
    html = page.content.decode()
    assert "There is a problem" in html and message in html
    assert AuditEntry.objects.count() == before


def test_names_are_escaped(client, make_person, make_user):
    make_person(family_name="O'Neil<script>alert(1)</script>", given_names='"Bobby" & co')
    client.force_login(make_user("sup.wm", "supervisor"))
    page = search(client, name="O'Neil")
    html = page.content.decode()
    assert page.context["result"].total == 1
    assert "<script>alert(1)" not in html.lower() and "&lt;script&gt;alert(1)" in html.lower()
    assert "&quot;Bobby&quot; &amp; co O&#x27;NEIL" in html
    typed = search(client, name='"><b>Smith</b>')
    assert "<b>Smith</b>" not in typed.content.decode()


def test_results_come_a_page_at_a_time(client, make_person, make_user):
    for i in range(30):
        make_person(family_name="Pagely", given_names="Pat", dob=f"1980-01-{i + 1:02d}")
    client.force_login(make_user("sup.wm", "supervisor"))
    first = search(client, name="Pagely")
    assert first.context["result"].total == 30 and len(first.context["page"]) == 25
    assert "?name=Pagely&amp;page=2" in first.content.decode()
    second = search(client, name="Pagely", page="2")
    assert len(second.context["page"]) == 5
    assert AuditEntry.objects.latest("id").what.endswith("30 results, page 2")


@pytest.mark.parametrize("how_many", [1, 40])
def test_a_search_page_takes_the_same_number_of_queries_however_many_are_found(
        client, make_person, make_user, django_assert_num_queries, how_many):
    for _ in range(how_many):
        make_person(family_name="Counted", given_names="Chris", dob="1970-01-02",
                    pnc_id="99/1X")
    client.force_login(make_user("sup.wm", "supervisor"))
    fields = {"name": "Counted Chris", "date_of_birth_day": "2", "date_of_birth_month": "1",
              "date_of_birth_year": "1970", "identifier": "99/1X", "postcode": ""}
    search(client, **fields)  # the session and the user are read once either way
    # session, user, profile; name, date of birth, identifier, the people found; the audit
    # entry (savepoint, the chain's last entry, insert, the index of the people it lists,
    # release); which of the page's people were merged into another record (duplicate
    # identities) and which open without a reason; the records merged into the force's people
    # (a search finds them too)
    from django.db import connection

    # On PostgreSQL the audit entry also takes the chain's advisory lock: one query more.
    with django_assert_num_queries(QUERIES + (connection.vendor == "postgresql")):
        page = search(client, **fields)
    assert page.context["result"].total == how_many


QUERIES = 16  # the sign-in checks read the same rows on every page; then the search
