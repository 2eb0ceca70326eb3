"""The cached GOV.UK component rendering gives exactly the library's own markup."""

from __future__ import annotations

from typing import Any

import pytest
from govuk_frontend_django.components.base import GovUKComponent

from whereabouts.web import govuk

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("tag", "govukTag", {"text": "Review overdue", "classes": "govuk-tag--red"}),
    ("skip-link", "govukSkipLink", {"text": "Skip to main content", "href": "#main-content"}),
    ("input", "govukInput", {"id": "id_where", "name": "where", "value": "<b>\"Bus\" & co</b>",
                             "label": {"text": "Where", "classes": "govuk-label--s"},
                             "hint": None, "errorMessage": {"text": "is required"}}),
    ("radios", "govukRadios", {"name": "risk", "idPrefix": "id_risk",
                               "fieldset": {"legend": {"text": "Risk"}},
                               "items": [{"value": "low", "text": "Low", "checked": False},
                                         {"value": "high", "text": "High", "checked": True}]}),
    ("date-input", "govukDateInput", {
        "id": "id_on", "fieldset": {"legend": {"text": "Date"}}, "hint": None,
        "items": [{"id": "id_on_day", "name": "on_day", "label": "Day", "value": "1"},
                  {"id": "id_on_month", "name": "on_month", "label": "Month", "value": "6"},
                  {"id": "id_on_year", "name": "on_year", "label": "Year", "value": "2024"}]}),
    ("error-summary", "govukErrorSummary", {"titleText": "There is a problem",
                                            "errorList": [{"text": "Date: wrong",
                                                           "href": "#id_on_day"}]}),
    ("service-navigation", "govukServiceNavigation", {
        "navigation": [{"text": "Home", "href": "/", "active": True}],
        "navigationLabel": "Menu"}),
]


def component(name: str, macro: str) -> GovUKComponent:
    c = GovUKComponent()
    c.set_jinja2_template(f"govuk_frontend_jinja/components/{name}/macro.html")
    c.set_macro_name(macro)
    return c


@pytest.mark.parametrize(("name", "macro", "params"), CASES, ids=[c[0] for c in CASES])
def test_the_cached_rendering_matches_the_librarys_own(name, macro, params):
    original = govuk.ORIGINAL_RENDER(component(name, macro), component_data=dict(params))
    cached = govuk.cached_render(component(name, macro), component_data=dict(params))
    assert cached == original and cached.strip()


def test_the_pages_use_the_cached_rendering():
    assert GovUKComponent.render is govuk.cached_render


def test_values_are_escaped():
    html = govuk.cached_render(component("input", "govukInput"), component_data={
        "id": "x", "name": "x", "value": "<script>alert(1)</script>", "label": {"text": "X"}})
    assert "<script>" not in html and "&lt;script&gt;" in html
