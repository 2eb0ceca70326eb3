"""The figures page, its downloads and the FOI pack: who may open them, and what they show."""

from __future__ import annotations

import io
import zipfile

import pytest

from whereabouts.access.models import AuditEntry

QUERY = "?as_at_day=30&as_at_month=9&as_at_year=2017&region=West+Midlands&threshold=5"


@pytest.fixture
def one_missing(make_person, make_user):
    from whereabouts.missing import services

    supervisor = make_user("sup.fig", "supervisor")
    person = make_person()
    services.record_missing(person_id=person.pk, recorded_on="2017-03-10",
                            missing_since="2017-03-01", basis="Not at the address",
                            risk="high", actor=supervisor, today=dt_today())
    return person


def dt_today():
    import datetime as dt

    return dt.date(2024, 6, 1)


@pytest.mark.parametrize("role", ["analyst", "supervisor", "offender_manager",
                                  "senior_officer"])
def test_analysts_and_casework_staff_see_the_figures_with_charts_and_tables(client, make_user, role,
                                                                   one_missing):
    client.force_login(make_user("u", role, force=None if role == "analyst" else
                                 "west-midlands"))
    before = AuditEntry.objects.count()
    page = client.get("/figures/" + QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    for ident in ("chart-forces", "chart-over-time", "chart-time-to-locate"):
        svg = html.split(f'<svg xmlns="http://www.w3.org/2000/svg" id="{ident}"')[1]
        svg = svg.split("</svg>")[0]
        assert f'aria-labelledby="{ident}-title"' in svg and "<desc" in svg
        assert "style" not in svg and "<script" not in svg
    forces_svg = html.split('id="chart-forces"')[1].split("</svg>")[0]
    assert "<rect" in forces_svg and "West Midlands Police" in forces_svg
    assert html.count("Show these figures as a table") == 3
    assert "West Midlands Police" in html and one_missing.family_name not in html
    assert AuditEntry.objects.count() == before + 1
    report = client.get("/figures/download.json" + QUERY).json()
    wm = next(f for f in report["forces"] if f["force"] == "west-midlands")
    assert wm["missing"] == 1
    for fmt in ("csv", "xlsx", "ods"):
        assert client.get(f"/figures/download.{fmt}" + QUERY).status_code == 200
    assert client.get("/figures/download.pdf" + QUERY).status_code == 404


@pytest.mark.parametrize("role", ["partner", "auditor", "administrator", None])
def test_everyone_else_gets_not_found(client, make_user, role):
    client.force_login(make_user("u", role))
    for url in ("/figures/", "/figures/download.csv", "/figures/foi-pack.zip"):
        assert client.get(url).status_code == 404


def test_the_foi_pack_is_for_analysts_and_senior_officers_only(client, make_user, one_missing):
    client.force_login(make_user("om", "offender_manager"))
    assert client.get("/figures/foi-pack.zip" + QUERY).status_code == 404
    client.force_login(make_user("an", "analyst", force=None))
    response = client.get("/figures/foi-pack.zip" + QUERY + "&reference=FOI-1")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        missing = z.read("missing.csv").decode()
    assert "West Midlands Police,fewer than 5" in missing
    assert AuditEntry.objects.order_by("-id").first().action == "disclosure"
