"""Leads made directly (the model run is tested in test_linking): for the decision and the
pages, which need a lead of each kind, not a trained model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from whereabouts.linkage.explain import Values, explain
from whereabouts.linkage.models import Lead, LinkageModel, PartnerExtract, PartnerRecord

PAIR = {"gamma_surname": 3, "mw_surname": 3.2, "gamma_forename": 3, "mw_forename": 2.0,
        "gamma_dob": 3, "mw_dob": 9.5, "gamma_ni": 1, "mw_ni": 12.0,
        "gamma_postcode": 0, "mw_postcode": -1.5, "gamma_address": 0, "mw_address": -0.6}


def make_lead(person: Any, kind: str, *, routed_to: Any = None, postcode: str = "WS2 8AA",
              probability: float = 0.97) -> Lead:
    extract = PartnerExtract.objects.create(
        agency="Walsall Housing", source_name="housing.csv", file_format="csv",
        mapping={"columns": {}}, imported_at=timezone.now(), rows_read=1, rows_accepted=1)
    record = PartnerRecord.objects.create(
        extract=extract, line=2, family_name="SMYTH", given_names="BOB",
        date_of_birth=dt.date(1980, 1, 5), ni_number="QQ123456A",
        address_line="22 CANAL SIDE", postcode=postcode, date_from=dt.date(2024, 4, 1))
    model = LinkageModel.objects.create(
        extract=extract, engine="duckdb", splink_version="5.0.0", settings_json={},
        trained_at=timezone.now(), threshold=0.9)
    ours = Values("ROBERT", "SMITH", dt.date(1980, 5, 1), "QQ123456A", "DY1 1AA",
                  "1 HIGH STREET")
    theirs = Values("BOB", "SMYTH", dt.date(1980, 1, 5), "QQ123456A", postcode, "22 CANAL SIDE")
    return Lead.objects.create(
        person=person, record=record, model=model, kind=kind, match_probability=probability,
        match_weight=24.0, matched_name="ROBERT SMITH", explanation=explain(PAIR, ours, theirs),
        routed_to=routed_to, created_at=timezone.now())


def add_pair(model: LinkageModel, person: Any, probability: float, *,
             status: str = "candidate", kind: str = "undeclared_address",
             routed_to: Any = None) -> Lead:
    """Another scored pair of ``model``'s run (a candidate below its threshold by default),
    on a new record of its extract."""
    line = PartnerRecord.objects.filter(extract=model.extract).count() + 2
    record = PartnerRecord.objects.create(
        extract=model.extract, line=line, family_name="SMYTH", given_names="BOB",
        date_of_birth=dt.date(1980, 1, 5), address_line=f"{line} CANAL SIDE",
        postcode="WS2 8AA")
    ours = Values("ROBERT", "SMITH", dt.date(1980, 5, 1), "", "DY1 1AA", "1 HIGH STREET")
    theirs = Values("BOB", "SMYTH", dt.date(1980, 1, 5), "", "WS2 8AA", record.address_line)
    return Lead.objects.create(
        person=person, record=record, model=model, kind=kind, match_probability=probability,
        match_weight=3.0, matched_name="ROBERT SMITH", explanation=explain(PAIR, ours, theirs),
        routed_to=routed_to, status=status, created_at=timezone.now())


def make_suggestion(one: Any, other: Any, *, probability: float = 0.98) -> Any:
    """A duplicate identity suggestion for two register records (the run is tested in
    test_duplicates), for the pages."""
    from whereabouts.linkage.models import DuplicateRun, DuplicateSuggestion

    run = DuplicateRun.objects.create(run_at=timezone.now(), splink_version="5.0.0",
                                      settings_json={}, threshold=0.9, people=2)
    low, high = sorted((one, other), key=lambda p: p.pk)
    ours = Values("ROBERT", "SMITH", dt.date(1980, 5, 1), "QQ123456A", "DY1 1AA",
                  "1 HIGH STREET")
    theirs = Values("BOB", "SMYTH", dt.date(1980, 1, 5), "QQ123456A", "WS2 8AA",
                    "22 CANAL SIDE")
    return DuplicateSuggestion.objects.create(
        run=run, person_a=low, person_b=high, match_probability=probability,
        match_weight=24.0, matched_names="ROBERT SMITH / BOB SMYTH",
        explanation=explain(PAIR, ours, theirs), created_at=timezone.now())
