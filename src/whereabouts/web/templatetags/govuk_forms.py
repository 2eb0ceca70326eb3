"""Django form fields rendered as GOV.UK Design System components.

govuk-frontend-django renders components from the GOV.UK Frontend macros (through
govuk-frontend-jinja) but does not yet render form fields. These tags build each
component's parameters from a bound field and render them with the same maintained macros,
so the markup is GOV.UK Frontend's own, not a copy.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString
from govuk_frontend_django.components.base import GovUKComponent

from whereabouts.web.forms import DateInput

register = template.Library()


def render_macro(component: str, macro: str, params: dict[str, Any]) -> SafeString:
    """Render one GOV.UK Frontend macro (e.g. ``input``, ``govukInput``) with ``params``."""
    renderer = GovUKComponent()
    renderer.set_jinja2_template(f"govuk_frontend_jinja/components/{component}/macro.html")
    renderer.set_macro_name(macro)
    return renderer.render(component_data=params)


def _error(field: forms.BoundField) -> dict[str, str] | None:
    return {"text": " ".join(str(e) for e in field.errors)} if field.errors else None


def _hint(field: forms.BoundField) -> dict[str, str] | None:
    return {"text": str(field.help_text)} if field.help_text else None


def _items(field: forms.BoundField, selected: set[str], key: str) -> list[dict[str, Any]]:
    return [{"value": str(value), "text": str(label), key: str(value) in selected}
            for value, label in field.field.choices if value != ""]


@register.simple_tag
def govuk_field(field: forms.BoundField, classes: str = "") -> SafeString:
    """One form field as the matching GOV.UK component, with its label, hint and error."""
    widget = field.field.widget
    label = str(field.label)
    common: dict[str, Any] = {"hint": _hint(field), "errorMessage": _error(field)}
    value = field.value()
    legend = {"text": label, "classes": "govuk-fieldset__legend--s"}
    if isinstance(widget, DateInput):
        day, month, year = widget.parts(value)
        return render_macro("date-input", "govukDateInput", {
            **common, "id": field.auto_id, "fieldset": {"legend": legend},
            "items": [
                {"id": f"{field.auto_id}_day", "name": f"{field.html_name}_day", "label": "Day",
                 "value": day, "classes": "govuk-input--width-2"
                 + (" govuk-input--error" if field.errors else "")},
                {"id": f"{field.auto_id}_month", "name": f"{field.html_name}_month",
                 "label": "Month", "value": month, "classes": "govuk-input--width-2"
                 + (" govuk-input--error" if field.errors else "")},
                {"id": f"{field.auto_id}_year", "name": f"{field.html_name}_year",
                 "label": "Year", "value": year, "classes": "govuk-input--width-4"
                 + (" govuk-input--error" if field.errors else "")},
            ]})
    # Django's CheckboxSelectMultiple is a RadioSelect: ask about it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return render_macro("checkboxes", "govukCheckboxes", {
            **common, "name": field.html_name, "idPrefix": field.auto_id,
            "fieldset": {"legend": legend}, "classes": classes,
            "items": _items(field, {str(v) for v in value or ()}, "checked")})
    if isinstance(widget, forms.RadioSelect):
        return render_macro("radios", "govukRadios", {
            **common, "name": field.html_name, "idPrefix": field.auto_id,
            "fieldset": {"legend": legend}, "classes": classes,
            "items": _items(field, {str(value)} if value not in (None, "") else set(),
                            "checked")})
    if isinstance(widget, forms.CheckboxInput):
        return render_macro("checkboxes", "govukCheckboxes", {
            **common, "name": field.html_name, "idPrefix": field.auto_id,
            "classes": "govuk-checkboxes--small",
            "items": [{"value": "on", "text": label, "checked": bool(value),
                       "id": field.auto_id}]})
    if isinstance(widget, forms.Select):
        return render_macro("select", "govukSelect", {
            **common, "id": field.auto_id, "name": field.html_name,
            "label": {"text": label, "classes": "govuk-label--s"},
            "items": [{"value": str(v), "text": str(t), "selected": str(v) == str(value or "")}
                      for v, t in field.field.choices]})
    if isinstance(widget, forms.Textarea):
        return render_macro("textarea", "govukTextarea", {
            **common, "id": field.auto_id, "name": field.html_name, "value": value or "",
            "rows": widget.attrs.get("rows", 3),
            "label": {"text": label, "classes": "govuk-label--s"}})
    return render_macro("input", "govukInput", {
        **common, "id": field.auto_id, "name": field.html_name, "value": value or "",
        "type": getattr(widget, "input_type", "text"), "classes": classes or None,
        "autocomplete": widget.attrs.get("autocomplete"),
        "inputmode": widget.attrs.get("inputmode"),
        "spellcheck": widget.attrs.get("spellcheck"),
        "label": {"text": label, "classes": "govuk-label--s"}})


@register.simple_tag
def govuk_error_summary(form: forms.Form) -> SafeString:
    """The error summary at the top of a form that did not save, linking to each field."""
    if not form.errors:
        return SafeString("")
    errors = []
    for name, messages in form.errors.items():
        text = " ".join(str(m) for m in messages)
        if name == forms.forms.NON_FIELD_ERRORS:
            errors.append({"text": text})
            continue
        bound = form[name]
        anchor = (f"{bound.auto_id}_day" if isinstance(bound.field.widget, DateInput)
                  else bound.auto_id)
        errors.append({"text": f"{bound.label}: {text}", "href": f"#{anchor}"})
    return render_macro("error-summary", "govukErrorSummary",
                        {"titleText": "There is a problem", "errorList": errors})


@register.simple_tag
def govuk_tag(text: str, colour: str = "") -> SafeString:
    return render_macro("tag", "govukTag",
                        {"text": text, "classes": f"govuk-tag--{colour}" if colour else None})


@register.filter
def humanise(name: str) -> str:
    """A field name as words: ``next_action_by`` -> "Next action by"."""
    return str(name).replace("_", " ").capitalize()


@register.simple_tag
def govuk_chart(chart: Any) -> SafeString:
    """A server-drawn chart (``reports.charts.Chart``) in a figure, with its figures as a
    GOV.UK table inside a GOV.UK details component (the text alternative)."""
    from django.utils.html import format_html

    numeric = [False] + [True] * (len(chart.header) - 1)
    table = render_macro("table", "govukTable", {
        "caption": chart.title, "captionClasses": "govuk-table__caption--s",
        "firstCellIsHeader": True,
        "head": [{"text": h, "format": "numeric" if n else None}
                 for h, n in zip(chart.header, numeric, strict=True)],
        "rows": [[{"text": c, "format": "numeric" if n else None}
                  for c, n in zip(row, numeric, strict=True)] for row in chart.rows],
    })
    details = render_macro("details", "govukDetails", {
        "summaryText": "Show these figures as a table", "html": table})
    # The SVG is built by reports.charts, which escapes every piece of text in it.
    svg = SafeString(chart.svg)
    return format_html('<figure class="govuk-!-margin-0 govuk-!-margin-bottom-6" '
                       'id="{}-figure">{}<figcaption class="govuk-body-s">{}</figcaption>{}'
                       "</figure>", chart.ident, svg, chart.description, details)


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """``mapping[key]``, or None: for per-row extras kept in a dict by id."""
    return mapping.get(key) if mapping else None
