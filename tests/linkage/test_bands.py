"""The review of score bands: which band a pair is in, judgements counted, and setting a
run's threshold (leads opened and withdrawn, decided ones kept); who may."""

from __future__ import annotations

from typing import Any

import pytest

from whereabouts.access.models import AuditEntry
from whereabouts.linkage import bands, leads
from whereabouts.linkage.models import Lead, LinkageModel
from whereabouts.register.errors import InvalidInput
from whereabouts.register.recording import NotPermitted

from ..conftest import TODAY
from .leadmaker import add_pair, make_lead


@pytest.mark.parametrize(("probability", "band"), [
    pytest.param(0.4999, None, id="just below a half is in no band (not kept)"),
    pytest.param(0.5, 0, id="a half opens the first band"),
    pytest.param(0.6999, 0, id="just below 0.70 is still the first band"),
    pytest.param(0.7, 1, id="0.70 opens the second band"),
    pytest.param(0.8, 2, id="0.80 opens the third band"),
    pytest.param(0.8999, 2, id="just below the default threshold is the third band"),
    pytest.param(0.9, 3, id="the default threshold opens the fourth band"),
    pytest.param(0.95, 4, id="0.95 opens the fifth band"),
    pytest.param(0.9899, 4, id="just below 0.99 is the fifth band"),
    pytest.param(0.99, 5, id="0.99 opens the last band"),
    pytest.param(1.0, 5, id="certainty is in the last band"),
])
def test_a_pair_falls_in_the_band_whose_lower_bound_it_reaches(probability, band):
    assert bands.band_of(probability) == band


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return make_user("sup.wm", "supervisor")


@pytest.fixture
def run(make_person: Any, officer: Any) -> dict[str, Any]:
    """A run at 0.9: an open lead at 0.97, and pairs below it at 0.55, 0.75, 0.85 and 0.88,
    all on people of the West Midlands; and one at 0.85 on a Staffordshire person."""
    people = [make_person() for _ in range(5)]
    top = make_lead(people[0], "undeclared_address", routed_to=officer, probability=0.97)
    model = top.model
    pairs = {p: add_pair(model, person, p)
             for p, person in zip((0.55, 0.75, 0.85, 0.88), people[1:], strict=True)}
    theirs = add_pair(model, make_person(force="staffordshire", manager=None), 0.86)
    return {"model": model, "top": top, "pairs": pairs, "theirs": theirs}


def test_judgements_are_counted_per_band_with_the_estimated_precision(run, supervisor):
    model, pairs = run["model"], run["pairs"]
    bands.judge(actor=supervisor, model_id=model.pk, lead_id=pairs[0.85].pk, judgement="same")
    bands.judge(actor=supervisor, model_id=model.pk, lead_id=pairs[0.88].pk,
                judgement="different")
    found = bands.bands(supervisor, model.pk)
    third = found[2]
    assert (third.label, third.pairs, third.reviewed, third.same, third.different) == (
        "0.80–0.90", 2, 2, 1, 1)  # the Staffordshire pair is not counted for the West Midlands
    assert third.precision == 0.5 and third.sample == []
    assert [b.pairs for b in found] == [1, 1, 2, 0, 1, 0]
    assert found[0].precision is None and found[0].sample == [pairs[0.55]]
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.person_id, entry.listed.split()) == (
        "alteration", pairs[0.88].person_id, [str(pairs[0.88].person_id)])
    assert "not the same person" in entry.what
    assert Lead.objects.get(pk=pairs[0.88].pk).judged_by == supervisor


def test_officers_decisions_count_as_judgements_unless_a_review_judged_the_pair(
        run, supervisor, officer, make_person):
    model = run["model"]
    accepted = run["top"]  # 0.97: the fifth band
    rejected = add_pair(model, make_person(), 0.96, status="open")
    overruled = add_pair(model, make_person(), 0.955, status="open")
    undecided = add_pair(model, make_person(), 0.951, status="open")
    leads.decide(lead_id=accepted.pk, accept=True, reason="", actor=officer, today=TODAY)
    leads.decide(lead_id=rejected.pk, accept=False, reason="Another man", actor=officer,
                 today=TODAY)
    leads.decide(lead_id=overruled.pk, accept=False, reason="Unsure", actor=officer,
                 today=TODAY)
    bands.judge(actor=supervisor, model_id=model.pk, lead_id=overruled.pk, judgement="same")
    fifth = bands.bands(supervisor, model.pk)[4]
    assert (fifth.pairs, fifth.same, fifth.different) == (4, 2, 1)
    assert fifth.precision == 2 / 3
    assert fifth.sample == [Lead.objects.get(pk=undecided.pk)]  # decided pairs are judged


@pytest.mark.parametrize(("kwargs", "error"), [
    pytest.param({"judgement": "maybe"}, "judgement", id="a judgement other than same or not"),
    pytest.param({"lead_id": 0}, "pair", id="a pair that does not exist"),
    pytest.param({"lead_id": "theirs"}, "pair", id="a pair on another force's person"),
])
def test_a_bad_judgement_is_refused_naming_the_field_and_changes_nothing(run, supervisor,
                                                                         kwargs, error):
    call = {"lead_id": run["pairs"][0.75].pk, "judgement": "same"} | kwargs
    if call["lead_id"] == "theirs":
        call["lead_id"] = run["theirs"].pk
    with pytest.raises(InvalidInput) as caught:
        bands.judge(actor=supervisor, model_id=run["model"].pk, **call)
    assert caught.value.field == error
    assert not Lead.objects.exclude(judgement="").exists()


def test_only_those_who_import_partner_data_may_review_or_set_the_threshold(run, officer):
    model = run["model"]
    with pytest.raises(NotPermitted):
        bands.bands(officer, model.pk)
    with pytest.raises(NotPermitted):
        bands.judge(actor=officer, model_id=model.pk, lead_id=run["pairs"][0.75].pk,
                    judgement="same")
    with pytest.raises(NotPermitted):
        bands.set_threshold(actor=officer, model_id=model.pk, threshold=0.8, reason="x",
                            today=TODAY)
    assert LinkageModel.objects.get(pk=model.pk).threshold == 0.9


def test_lowering_the_threshold_opens_leads_routed_as_a_run_does(run, supervisor, officer):
    model, pairs = run["model"], run["pairs"]
    assert list(leads.leads_for(officer)) == [run["top"]]  # candidates are not leads
    change = bands.set_threshold(actor=supervisor, model_id=model.pk, threshold=0.8,
                                 reason="0.80-0.90 reviewed: 19 of 20 the same", today=TODAY)
    assert (change.old, change.new, change.withdrawn) == (0.9, 0.8, [])
    opened = Lead.objects.filter(status="open", model=model).exclude(pk=run["top"].pk)
    assert {lead.pk for lead in opened} == {pairs[0.85].pk, pairs[0.88].pk, run["theirs"].pk}
    assert pairs[0.85].person_id in {lead.person_id for lead in leads.leads_for(officer)}
    assert Lead.objects.get(pk=pairs[0.85].pk).routed_to == officer
    assert Lead.objects.get(pk=pairs[0.75].pk).status == "candidate"
    model.refresh_from_db()
    assert (model.threshold, model.leads_opened) == (0.8, 4)
    assert [(c["by"], c["old"], c["new"], c["reason"], c["opened"]) for c in
            model.threshold_changes] == [("sup.wm", 0.9, 0.8,
                                          "0.80-0.90 reviewed: 19 of 20 the same", 3)]
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.reason) == ("alteration", "0.80-0.90 reviewed: 19 of 20 the same")
    assert "from 0.90 to 0.80" in entry.what and str(pairs[0.85].person_id) in entry.listed


def test_raising_the_threshold_withdraws_open_leads_below_it_and_keeps_decided_ones(
        run, supervisor, officer, make_person):
    model = run["model"]
    undecided = add_pair(model, make_person(), 0.92, status="open", routed_to=officer)
    decided = add_pair(model, make_person(), 0.93, status="open", routed_to=officer)
    leads.decide(lead_id=decided.pk, accept=False, reason="Not him", actor=officer,
                 today=TODAY)
    change = bands.set_threshold(actor=supervisor, model_id=model.pk, threshold="0.95",
                                 reason="0.90-0.95 half wrong", today=TODAY)
    assert (change.opened, change.withdrawn) == ([], [undecided.person_id])
    undecided.refresh_from_db()
    assert (undecided.status, undecided.routed_to) == ("candidate", None)
    assert Lead.objects.get(pk=decided.pk).status == "rejected"
    assert Lead.objects.get(pk=run["top"].pk).status == "open"
    assert undecided not in leads.leads_for(officer)
    with pytest.raises(NotPermitted):
        leads.lead_for(officer, undecided.pk)  # a withdrawn lead is no longer for officers


@pytest.mark.parametrize(("threshold", "reason", "error"), [
    pytest.param(0.85, "why", "threshold", id="not a band's lower bound"),
    pytest.param("high", "why", "threshold", id="not a number"),
    pytest.param(0.9, "why", "threshold", id="the threshold it already is"),
    pytest.param(0.8, "  ", "reason", id="no reason"),
])
def test_a_bad_threshold_is_refused_naming_the_field_and_changes_nothing(
        run, supervisor, threshold, reason, error):
    with pytest.raises(InvalidInput) as caught:
        bands.set_threshold(actor=supervisor, model_id=run["model"].pk, threshold=threshold,
                            reason=reason, today=TODAY)
    assert caught.value.field == error
    model = LinkageModel.objects.get(pk=run["model"].pk)
    assert (model.threshold, model.threshold_changes) == (0.9, [])
    assert Lead.objects.filter(status="open").count() == 1


@pytest.fixture
def _today(settings: Any) -> None:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()


@pytest.mark.usefixtures("_today")
def test_the_bands_page_shows_the_bands_and_records_a_judgement(client, run, supervisor):
    model, pair = run["model"], run["pairs"][0.75]
    client.force_login(supervisor)
    assert 'href="/leads/runs/"' in client.get("/leads/").content.decode()
    assert f'href="/leads/runs/{model.pk}/bands/"' in client.get("/leads/runs/").content.decode()
    page = client.get(f"/leads/runs/{model.pk}/bands/").content.decode()
    assert "0.70–0.80" in page and f'id="pair-{pair.pk}"' in page
    assert "date of birth agrees with day and month swapped" in page.split(
        f'id="pair-{pair.pk}"')[1]
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "consultation" and str(pair.person_id) in entry.listed.split()
    answer = client.post(f"/leads/runs/{model.pk}/bands/",
                         {"action": "judge", "pair": pair.pk, "judgement": "different"})
    assert answer.status_code == 302
    assert Lead.objects.get(pk=pair.pk).judgement == "different"
    page = client.get(f"/leads/runs/{model.pk}/bands/").content.decode()
    assert f'id="pair-{pair.pk}"' not in page


@pytest.mark.usefixtures("_today")
def test_the_threshold_form_sets_it_or_says_what_is_wrong(client, run, supervisor):
    model = run["model"]
    client.force_login(supervisor)
    url = f"/leads/runs/{model.pk}/bands/"
    page = client.post(url, {"action": "threshold", "threshold": "0.8", "reason": ""})
    assert page.status_code == 200 and "Enter why the threshold changes" in page.content.decode()
    assert LinkageModel.objects.get(pk=model.pk).threshold == 0.9
    answer = client.post(url, {"action": "threshold", "threshold": "0.8",
                               "reason": "Reviewed 0.80-0.90"})
    assert answer.status_code == 302
    assert LinkageModel.objects.get(pk=model.pk).threshold == 0.8
    assert "Reviewed 0.80-0.90" in client.get(url).content.decode().split('id="changes"')[1]


@pytest.mark.usefixtures("_today")
def test_an_officer_may_not_see_the_runs_nor_post_to_the_bands(client, run, officer):
    model = run["model"]
    client.force_login(officer)
    assert 'href="/leads/runs/"' not in client.get("/leads/").content.decode()
    url = f"/leads/runs/{model.pk}/bands/"
    for answer in (client.get("/leads/runs/"), client.get(url),
                   client.post(url, {"action": "judge", "pair": run["pairs"][0.75].pk,
                                     "judgement": "same"}),
                   client.post(url, {"action": "threshold", "threshold": "0.5",
                                     "reason": "x"}),
                   client.get(f"/leads/{run['pairs'][0.75].pk}/")):  # a candidate
        assert answer.status_code == 404
    assert not Lead.objects.exclude(judgement="").exists()
    assert LinkageModel.objects.get(pk=model.pk).threshold == 0.9
