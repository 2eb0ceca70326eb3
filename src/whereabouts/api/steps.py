"""The steps of the person page, through the API: the same forms, roles and services.

Every step the person page offers (``web.actions.STEPS``: notifications, visits, identity,
risk and MAPPA, the whole missing path from a whereabouts check to located, breaches) can be
taken here, so that whatever a role may do in the pages it may do through the API, and
nothing more. Each step's body is checked by the step's own form, exactly as the page checks
it, and the step's own service records it; a step the user's role may not take, like a
person the user may not record for, is "not found", as in the pages.

``GET /people/{id}/steps`` lists the steps open to the token's user for that person now,
with each field's name, type, whether it is required and, for a choice, the values allowed.
``POST /people/{id}/steps/{slug}`` takes one: a JSON object of those fields (dates as
``YYYY-MM-DD``, a multiple choice as a list of values, a yes/no as a boolean), and answers
with the ledger entries the step wrote.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest
from ninja import Body, Path, Router, Status

from whereabouts.access import policy
from whereabouts.clock import today
from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import Event, Person
from whereabouts.register.recording import NotPermitted
from whereabouts.web.actions import STEPS, Step, service_kwargs, steps_for
from whereabouts.web.forms import DateField

from . import schemas as s
from .problems import Problem, not_found
from .views import ID, PERSON_ERRORS, WRITE_ERRORS, _event_out, _log, _user, _writable

router = Router(tags=["steps"])

SLUG = Path(..., pattern=r"^[a-z][a-z-]{0,39}$")
#: The most fields a body may have, and the longest value: the forms hold far less.
FIELDS = Body(..., description="The step's fields: see GET /people/{id}/steps")
MAX_FIELDS = 40
MAX_VALUE = 10_000


def _type(field: forms.Field) -> str:
    if isinstance(field, DateField):
        return "date"
    if isinstance(field, forms.MultipleChoiceField):
        return "choices"
    if isinstance(field, forms.ChoiceField):
        return "choice"
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.IntegerField):
        return "integer"
    return "text"


def _describe(step: Step, person: Person) -> dict[str, Any]:
    form = step.form(person=person)
    fields = []
    for name, field in form.fields.items():
        choices = None
        if isinstance(field, forms.ChoiceField):
            choices = [str(value) for value, _ in field.choices if value != ""]
        fields.append({"name": name, "label": str(field.label or name), "type": _type(field),
                       "required": bool(field.required), "choices": choices,
                       "help": str(field.help_text or "")})
    return {"slug": step.slug, "title": step.title, "group": step.group,
            "writes": step.kind, "fields": fields}


@router.get("/people/{person_id}/steps", response={200: list[s.StepOut], **PERSON_ERRORS},
            url_name="person-steps", summary="The steps open for a person")
def list_steps(request: HttpRequest, person_id: int = ID) -> Any:
    """The steps the token's user may take for this person now, as the person page offers
    them, each with its fields. For people of the user's own force only."""
    user = _user(request, "events:write")
    found = _writable(user, person_id)
    steps = steps_for(user, found)
    _log(user, found, "listed the steps open for the person")
    return [_describe(step, found) for step in steps]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _form_data(step: Step, person: Person, body: dict[str, Any]) -> dict[str, Any]:
    """The JSON body as the step's form reads a posted page; a field the form does not have,
    a date that is not ``YYYY-MM-DD`` or a value of the wrong shape is named in the error."""
    form = step.form(person=person)
    errors: list[tuple[str, str]] = []
    if len(body) > MAX_FIELDS:
        raise Problem(422, "The request could not be accepted: see errors.",
                      [("request", f"has more than {MAX_FIELDS} fields")])
    unknown = sorted(set(body) - set(form.fields))
    errors += [(name[:100], f"is not a field of the step {step.slug!r}; its fields are "
                            f"{', '.join(form.fields)}") for name in unknown]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name not in body or body[name] is None:
            continue
        value = body[name]
        if isinstance(field, DateField):
            try:
                day = dt.date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                day = None
            if day is None:
                errors.append((name, "must be a date written YYYY-MM-DD"))
                continue
            data |= {f"{name}_day": str(day.day), f"{name}_month": str(day.month),
                     f"{name}_year": str(day.year)}
        elif isinstance(field, forms.MultipleChoiceField):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append((name, "must be a list of values"))
                continue
            data[name] = value
        elif isinstance(field, forms.BooleanField):
            if not isinstance(value, bool):
                errors.append((name, "must be true or false"))
                continue
            data[name] = "on" if value else ""
        elif isinstance(value, dict | list):
            errors.append((name, "must be a single value, not a list or an object"))
        else:
            text = _scalar(value)
            if len(text) > MAX_VALUE:
                errors.append((name, f"must be at most {MAX_VALUE} characters"))
                continue
            data[name] = text
    if errors:
        raise Problem(422, "The request could not be accepted: see errors.", errors)
    return data


def _field_of(form: forms.Form, field: str) -> str:
    """The body's field a service's complaint is about: the ledger entry's date is the
    step's own date field."""
    if field in form.fields or field != "effective_date":
        return field
    return next((name for name, f in form.fields.items() if isinstance(f, DateField)), field)


@router.post("/people/{person_id}/steps/{slug}",
             response={201: s.StepDoneOut, **WRITE_ERRORS}, url_name="person-step",
             summary="Take a step for a person")
def take_step(request: HttpRequest, person_id: int = ID, slug: str = SLUG,
              body: dict[str, Any] = FIELDS) -> Any:
    """One step, checked by the step's form and recorded by its service, as in the pages.
    A step the user's role may not take is "not found"."""
    user = _user(request, "events:write")
    step = STEPS.get(slug)
    found = _writable(user, person_id)
    if step is None or not policy.has_role(user, *step.roles):
        raise not_found()
    form = step.form(_form_data(step, found, body), person=found)
    if not form.is_valid():
        raise Problem(422, "The request could not be accepted: see errors.",
                      [(name, str(message)) for name, messages in form.errors.items()
                       for message in messages])
    before = Event.objects.filter(person=found).order_by("-id").values_list("id", flat=True)
    mark = before.first() or 0
    try:
        step.service(person_id=found.pk, actor=user, today=today(), **service_kwargs(form))
    except NotPermitted:
        raise not_found() from None
    except InvalidInput as exc:
        raise Problem(422, "The request could not be accepted: see errors.",
                      [(_field_of(form, exc.field), exc.message)]) from None
    written = (Event.objects.filter(person=found, pk__gt=mark).select_related("recorded_by")
               .prefetch_related("addresses").order_by("id"))
    return Status(201, {"step": step.slug, "done": step.done,
                        "entries": [_event_out(e, {}) for e in written]})
