"""The person-page steps of issue 8's later items: a MAPP meeting with its attendees and
actions, SHPOs and SROs (made, varied, discharged, breached) and ARMS assessments. Each is a
``Step`` in ``web.actions``; the services decide and refuse, naming the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from whereabouts.register.errors import InvalidInput
from whereabouts.register.events import MAPPA_LEVELS, ORDER_TYPES
from whereabouts.risk import services as risk
from whereabouts.risk.models import MAPPA_AGENCIES
from whereabouts.risk.orders import ORDER_NAMES

from .forms import DateField

ATTENDEE_ROWS = 5
ACTION_ROWS = 4
AGENCY_CHOICES = [("", "Choose an agency")] + list(MAPPA_AGENCIES.items())


def _text(label: str, *, required: bool = True, long: bool = False,
          help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           max_length=4000 if long else 300,
                           widget=forms.Textarea(attrs={"rows": 4}) if long else None)


def _users(force_id: str) -> list[tuple[str, str]]:
    users = (get_user_model().objects.filter(is_active=True, staff__force_id=force_id,
                                             staff__role__in=risk.NAMEABLE_ROLES)
             .select_related("staff").order_by("username"))
    return [("", "Not a user of this system")] + [
        (u.get_username(), f"{u.get_full_name() or u.get_username()} "
                           f"({u.staff.get_agency_display() or u.staff.get_role_display()})")
        for u in users]


def _meeting_form_class() -> type:
    from .actions import StepForm

    fields: dict[str, Any] = {
        "held_on": DateField(label="Date of the meeting"),
        "level": forms.ChoiceField(label="MAPPA level of the meeting", widget=forms.RadioSelect,
                                   choices=[(v, f"Level {v}") for v in MAPPA_LEVELS]),
        "chair": _text("Chair", help_text="Name and agency."),
        "decisions": _text("Decisions", long=True,
                           help_text="What the meeting decided, as minuted."),
    }
    for n in range(1, ATTENDEE_ROWS + 1):
        fields[f"attendee_{n}_agency"] = forms.ChoiceField(
            label=f"Attendee {n}: agency", choices=AGENCY_CHOICES, required=n == 1)
        fields[f"attendee_{n}_name"] = _text(f"Attendee {n}: name", required=n == 1)
        fields[f"attendee_{n}_user"] = forms.ChoiceField(
            label=f"Attendee {n}: user of this system", choices=[], required=False,
            help_text="A partner user named here sees this meeting." if n == 1 else "")
    for n in range(1, ACTION_ROWS + 1):
        fields[f"action_{n}_description"] = _text(f"Action {n}", required=False)
        fields[f"action_{n}_owner_agency"] = forms.ChoiceField(
            label=f"Action {n}: owning agency", choices=AGENCY_CHOICES, required=False)
        fields[f"action_{n}_owner"] = forms.ChoiceField(
            label=f"Action {n}: owner", choices=[], required=False,
            help_text="The action appears on their list of actions." if n == 1 else "")
        fields[f"action_{n}_due_on"] = DateField(label=f"Action {n}: due by", required=False)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        StepForm.__init__(self, *args, **kwargs)
        choices = _users(self.person.force_id)
        for name, field in self.fields.items():
            if name.endswith("_user") or name.endswith("_owner"):
                field.choices = choices

    return type("MappaMeetingForm", (StepForm,), {**fields, "__init__": __init__})


def record_meeting_from_form(*, person_id: int, actor: Any, today: Any,
                             **data: Any) -> Any:
    """The form's rows to the service's lists; the service's field names back to the form's."""
    attendees, actions, rows = [], [], {"attendees": {}, "actions": {}}
    for n in range(1, ATTENDEE_ROWS + 1):
        row = {k: data.get(f"attendee_{n}_{k}") or "" for k in ("agency", "name", "user")}
        if any(row.values()):
            attendees.append(row)
            rows["attendees"][len(attendees)] = f"attendee_{n}"
    for n in range(1, ACTION_ROWS + 1):
        row = {k: data.get(f"action_{n}_{k}") or "" for k in
               ("description", "owner_agency", "owner", "due_on")}
        if any(row.values()):
            actions.append({**row, "due_on": row["due_on"] or None})
            rows["actions"][len(actions)] = f"action_{n}"
    try:
        return risk.record_meeting(
            person_id=person_id, held_on=data["held_on"], level=data["level"],
            chair=data["chair"], decisions=data["decisions"], attendees=attendees,
            actions=actions, actor=actor, today=today)
    except InvalidInput as err:
        parts = err.field.split(".")
        if len(parts) == 3 and parts[0] in rows:
            raise InvalidInput(f"{rows[parts[0]][int(parts[1])]}_{parts[2]}",
                               err.message) from None
        if err.field == "attendees":
            raise InvalidInput("attendee_1_name", err.message) from None
        raise


def _order_form_fields() -> dict[str, Any]:
    return {
        "end_date": DateField(label="End date", required=False,
                              help_text="Leave empty if the order is indefinite."),
        "indefinite": forms.BooleanField(label="Indefinite (until further order)",
                                         required=False),
    }


def order_form_class() -> type:
    from .actions import StepForm

    return type("OrderForm", (StepForm,), {
        "order_type": forms.ChoiceField(label="Order", widget=forms.RadioSelect,
                                        choices=[(t, ORDER_NAMES[t]) for t in ORDER_TYPES]),
        "made_on": DateField(label="Date made"),
        "reference": _text("Order reference", help_text="The court's or the force's "
                                                        "reference for the order."),
        "court": _text("Court"),
        "prohibitions": _text("Prohibitions", long=True, help_text="One per line, as "
                                                                   "worded in the order."),
        **_order_form_fields(),
        "note": _text("Notes", required=False, long=True),
    })


class _OnAnOrderMixin:
    def choose_order(self: Any) -> None:
        from whereabouts.register.selectors import live_events
        from whereabouts.risk.selectors import person_orders

        self.fields["reference"].choices = [("", "Choose an order")] + [
            (o.reference, f"{o.reference}: {o.name}, made {o.made_on:%d %b %Y}")
            for o in person_orders(live_events(self.person))]
        self.order_fields(["reference"])


def on_an_order_form(name: str, fields: dict[str, Any]) -> type:
    from .actions import StepForm

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        StepForm.__init__(self, *args, **kwargs)
        self.choose_order()

    return type(name, (_OnAnOrderMixin, StepForm), {
        "reference": forms.ChoiceField(label="Order"), **fields, "__init__": __init__})


def vary_form_class() -> type:
    return on_an_order_form("VaryOrderForm", {
        "varied_on": DateField(label="Date varied"),
        "court": _text("Court", required=False),
        "prohibitions": _text("Prohibitions as varied", required=False, long=True,
                              help_text="The whole list as it now stands, one per line. Leave "
                                        "empty if only the end changes."),
        **_order_form_fields(),
        "note": _text("Notes", required=False, long=True)})


def discharge_form_class() -> type:
    return on_an_order_form("DischargeOrderForm", {
        "discharged_on": DateField(label="Date discharged"),
        "court": _text("Court", required=False),
        "note": _text("Notes", required=False, long=True)})


def order_breach_form_class() -> type:
    return on_an_order_form("OrderBreachForm", {
        "recorded_on": DateField(label="Date the breach was recorded"),
        "crime_reference": _text("Crime reference"),
        "what": _text("What was breached", help_text="The prohibition, and what was done."),
        "failed_from": DateField(label="Date of the breach", required=False,
                                 help_text="If known."),
        "note": _text("Notes", required=False, long=True)})


def arms_form_class() -> type:
    from .actions import StepForm

    return type("ArmsForm", (StepForm,), {
        "assessed_on": DateField(label="Date of the assessment"),
        "assessor": _text("Assessor", help_text="Name and role."),
        "risk_factors": _text("Risk factors", required=False, long=True,
                              help_text="As recorded, one per line, with the assessor's "
                                        "rating if any (for example: Sexual preoccupation: "
                                        "present)."),
        "protective_factors": _text("Protective factors", required=False, long=True,
                                    help_text="As recorded, one per line."),
        "priorities": _text("Priorities for the risk management plan", long=True),
        "next_due": DateField(label="Next assessment due by"),
        "note": _text("Notes", required=False, long=True),
    })
