"""The forms that move a person along the missing path, each one step, each a service call.

Every step is a form on its own page (``/people/<id>/do/<step>/``): the services decide and
refuse (naming the field), the form only collects. Which steps a page offers depends on where
the person stands: a check can only be closed while one is open, a locate recorded only while
an episode is open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.conf import settings

from whereabouts.access import permissions, policy
from whereabouts.access.models import Role
from whereabouts.missing import breach_services, services
from whereabouts.missing.selectors import person_breaches
from whereabouts.register import recording, transfers
from whereabouts.register.events import (
    BREACH_OFFENCES,
    BREACH_OUTCOMES,
    CHANGE_REASONS,
    CHECK_REASONS,
    CIRCULATION_SCOPES,
    HOW_FOUND,
    LOCATE_OUTCOMES,
    MAPPA_CATEGORIES,
    MAPPA_LEVELS,
    MISSING_ACTIONS,
    REVIEW_LEVELS,
    RISK_LEVELS,
    VISIT_CHECKS,
    VISIT_KINDS,
    VISIT_OUTCOMES,
    WARRANT_STATUSES,
)
from whereabouts.register.models import EventKind, Person
from whereabouts.risk import services as risk
from whereabouts.visits import services as visits

from . import risk_forms
from .forms import DateField


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ").capitalize()) for v in values]


def _radios(values: tuple[str, ...], label: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=_choices(values), widget=forms.RadioSelect, label=label)


def _text(label: str, *, required: bool = True, long: bool = False,
          help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           max_length=2000 if long else 300,
                           widget=forms.Textarea(attrs={"rows": 4}) if long else None)


class StepForm(forms.Form):
    """A step's form; told the person, so choices can depend on their force."""

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        for field in self.fields.values():  # GOV.UK style: say what to do
            verb = "Select" if isinstance(field, forms.ChoiceField) else "Enter"
            field.error_messages["required"] = f"{verb} {str(field.label).lower()}"


def _checklist() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Checks done", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(item, item) for item in settings.WHEREABOUTS_CHECKLIST])


#: The visit outcomes in the officer's words (the stored codes are older than the labels).
VISIT_OUTCOME_LABELS = {
    "seen_at_home": "Seen at the address",
    "seen_elsewhere": "Seen elsewhere",
    "no_reply": "Not at home",
    "access_denied": "Refused entry",
    "no_longer_living_there": "No longer lives here (opens a whereabouts check)",
    "not_known_at_address": "Not known at the address (opens a whereabouts check)",
}
VISIT_CHECK_LABELS = {
    "rooms": "Rooms", "devices": "Devices (phones, computers, storage)", "vehicles": "Vehicles",
    "signs_of_children": "Signs of children living or staying", "documents": "Documents",
}


class VisitForm(StepForm):
    visited_on = DateField(label="Date of the visit")
    visit_kind = forms.ChoiceField(label="Was the visit planned or unannounced?",
                                   widget=forms.RadioSelect,
                                   choices=[(k, k.capitalize()) for k in VISIT_KINDS])
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=[(o, VISIT_OUTCOME_LABELS[o]) for o in VISIT_OUTCOMES])
    present = _text("Who was present", required=False, long=True,
                    help_text="Names or descriptions, and their relationship to the person.")
    children_present = forms.BooleanField(label="A child (under 18) was present",
                                          required=False)
    checked = forms.MultipleChoiceField(
        label="What was checked", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(c, VISIT_CHECK_LABELS[c]) for c in VISIT_CHECKS])
    concerns = _text("Concerns", required=False, long=True,
                     help_text="Anything that raises the risk or needs action.")
    note = _text("Notes", required=False, long=True)


class RiskForm(StepForm):
    assessed_on = DateField(label="Date of the assessment")
    level = forms.ChoiceField(label="Risk of serious harm", widget=forms.RadioSelect,
                              choices=[(r, r.replace("_", " ").capitalize())
                                       for r in RISK_LEVELS])
    note = _text("What the assessment rests on", long=True,
                 help_text="For example: the ARMS assessment of 3 May, and OASys.")


class MappaForm(StepForm):
    decided_on = DateField(label="Date of the decision")
    category = forms.ChoiceField(label="MAPPA category", widget=forms.RadioSelect, choices=[
        (c, label) for c, label in zip(MAPPA_CATEGORIES, (
            "Category 1: registered sexual offender", "Category 2: violent offender, or "
            "sexual offender not subject to notification", "Category 3: other dangerous "
            "offender"), strict=True)])
    level = forms.ChoiceField(label="MAPPA level", widget=forms.RadioSelect, choices=[
        (v, label) for v, label in zip(MAPPA_LEVELS, (
            "Level 1: ordinary agency management", "Level 2: active multi-agency management",
            "Level 3: as level 2, with senior staff committing resources"), strict=True)])
    note = _text("Notes", required=False, long=True,
                 help_text="For example: the meeting that decided it.")


def _whole(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=156,
                              help_text=help_text,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))


class VisitPlanForm(StepForm):
    set_on = DateField(label="Date the plan was set")
    every_months = _whole("Visit every (months)", "Leave empty if given in weeks.")
    every_weeks = _whole("Visit every (weeks)", "Leave empty if given in months.")
    contacts = _whole("Visits in each interval", "Usually 1.")
    reactive = forms.BooleanField(
        label="Reactive management: no routine visits (low risk for at least 3 years)",
        required=False)
    note = _text("Notes", required=False, long=True)


class CheckForm(StepForm):
    opened_on = DateField(label="Date the doubt arose")
    reason = _radios(CHECK_REASONS, "Why there is doubt about where they are")
    note = _text("Notes", required=False, long=True)


class CheckFoundForm(StepForm):
    closed_on = DateField(label="Date they were found")
    explanation = _text("Why the alarm was false", long=True,
                        help_text="For example: seen at the notified address on a revisit.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checks_done"] = _checklist()


class MissingForm(StepForm):
    recorded_on = DateField(label="Date of the decision")
    missing_since = DateField(
        label="Missing since", help_text="The last date they were confirmed at a notified address.")
    basis = _text("Basis for the decision", long=True,
                  help_text="What was found and what was checked.")
    risk = _radios(RISK_LEVELS, "Risk of serious harm")
    believed_abroad = forms.BooleanField(label="Believed to be abroad", required=False)
    country = _text("Country believed to be in", required=False)
    abroad_basis = _text("Why they are believed to be abroad", required=False, long=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checks_done"] = _checklist()


class LocatedForm(StepForm):
    located_on = DateField(label="Date located")
    where = _text("Where they were found")
    by = _text("Found by", help_text="The officer, team or force.")
    how_found = _radios(HOW_FOUND, "How they were found")
    outcome = _radios(LOCATE_OUTCOMES, "Outcome")
    note = _text("Notes", required=False, long=True)


class CirculationForm(StepForm):
    sent_on = DateField(label="Date sent")
    scope = _radios(CIRCULATION_SCOPES, "Scope")
    reference = _text("Reference", help_text="The PNC, NCA or Interpol reference. "
                                             "The same reference records an update.")
    note = _text("Notes", required=False, long=True)


class ActionForm(StepForm):
    done_on = DateField(label="Date")
    action = _radios(tuple(a for a in MISSING_ACTIONS if a != "owner_assigned"), "What was done")
    note = _text("What was done and found", long=True)
    next_action = _text("Next action", required=False)
    next_action_by = DateField(label="Next action by", required=False)


class ReviewForm(StepForm):
    reviewed_on = DateField(label="Date of the review")
    level = _radios(REVIEW_LEVELS, "Review level")
    note = _text("Review", long=True)
    next_action = _text("Next action")
    next_action_by = DateField(label="Next action by")


class OwnerForm(StepForm):
    assigned_on = DateField(label="Date")
    owner = forms.ChoiceField(label="New owner")
    note = _text("Why the owner changes", long=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = policy.caseworkers(self.person.force_id)
        self.fields["owner"].choices = [("", "Choose an officer")] + [
            (u.get_username(), u.get_full_name() or u.get_username()) for u in users]


class WithdrawForm(StepForm):
    reason = _text("Why the episode was recorded by mistake", long=True)


OFFENCE_LABELS = {
    "fail_to_comply": "Failed to comply with the notification requirements (s.91(1)(a))",
    "false_information": "Notified information known to be false (s.91(1)(b))",
}


class BreachForm(StepForm):
    recorded_on = DateField(label="Date the breach was recorded")
    offence = forms.ChoiceField(label="Offence", widget=forms.RadioSelect,
                                choices=[(o, OFFENCE_LABELS[o]) for o in BREACH_OFFENCES
                                         if o in OFFENCE_LABELS])
    crime_reference = _text("Crime reference")
    what = _text("What was breached", help_text="For example: the annual notification due by "
                                                "1 March 2017 was not made.")
    failed_from = DateField(label="First day of the failure", required=False,
                            help_text="If known: the day after the last day to notify.")
    note = _text("Notes", required=False, long=True)


class _OnABreach(StepForm):
    crime_reference = forms.ChoiceField(label="Breach")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["crime_reference"].choices = [
            (b.crime_reference, f"{b.crime_reference}: {b.what} "
                                f"(recorded {b.recorded_on:%d %b %Y})")
            for b in person_breaches(self.person)]
        self.order_fields(["crime_reference"])


class WarrantForm(_OnABreach):
    on = DateField(label="Date")
    status = _radios(WARRANT_STATUSES, "Warrant")
    court = _text("Court", required=False)
    warrant_reference = _text("Warrant reference", required=False,
                              help_text="Required once the warrant is issued.")
    note = _text("Notes", required=False, long=True)


class BreachOutcomeForm(_OnABreach):
    on = DateField(label="Date")
    outcome = _radios(BREACH_OUTCOMES, "Outcome")
    note = _text("Notes", required=False, long=True)


class NotificationForm(StepForm):
    notified_on = DateField(label="Date notified")
    station = _text("Police station", required=False)
    no_fixed_abode = forms.BooleanField(label="No fixed abode", required=False)
    line1 = _text("Home address line 1", required=False,
                  help_text="With no fixed abode: the place where they can regularly be found.")
    line2 = _text("Address line 2", required=False)
    town = _text("Town or city", required=False)
    postcode = _text("Postcode", required=False)
    other_line1 = _text("Other address regularly stayed at, line 1", required=False,
                        help_text="Any other address where they regularly live or stay.")
    other_line2 = _text("Other address, line 2", required=False)
    other_town = _text("Other address, town or city", required=False)
    other_postcode = _text("Other address, postcode", required=False)
    note = _text("Notes", required=False, long=True)


CHANGE_LABELS = {
    "home_address": "A new home address", "name": "A new name",
    "other_address": "Another address regularly stayed at", "release": "Released from "
    "custody or detention", "qualifying_stay": "A stay of 7 days or more at an address not "
    "notified", "other": "Something else",
}


class ChangeNotificationForm(NotificationForm):
    change = forms.ChoiceField(label="What changed", widget=forms.RadioSelect,
                               choices=[(c, CHANGE_LABELS[c]) for c in CHANGE_REASONS])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["notified_on", "change"])


class TravelForm(StepForm):
    notified_on = DateField(label="Date the notice was given")
    departure_date = DateField(label="Date of departure")
    return_date = DateField(label="Date of return", required=False)
    destination = _text("Destination", help_text="Country, and the first place of stay.")
    station = _text("Police station", required=False)
    itinerary = _text("Itinerary", required=False, long=True,
                      help_text="Places and dates of stay, carriers and flight numbers.")
    checks_done = _text("Checks done", required=False, long=True,
                        help_text="For example: booking confirmed with the carrier; PNC.")
    country_informed = forms.ChoiceField(
        label="Was the destination country informed?", required=False,
        widget=forms.RadioSelect, choices=[("yes", "Yes"), ("no", "No")])
    country_informed_on = DateField(label="Date the country was informed", required=False)


class IdentityForm(StepForm):
    family_name = _text("Family name")
    given_names = _text("Given names")
    date_of_birth = DateField(label="Date of birth")
    pnc_id = _text("PNC ID", required=False)
    cro_number = _text("CRO number", required=False)
    ni_number = _text("National Insurance number", required=False)
    passport_number = _text("Passport number", required=False)
    reason = _text("Why the record changes", long=True,
                   help_text="For example: the name was misspelt at registration; the date of "
                             "birth is confirmed by a passport seen on a visit.")


class AliasForm(StepForm):
    family_name = _text("Family name they use or used")
    given_names = _text("Given names they use or used")
    used_from = DateField(label="Used from", required=False)
    used_to = DateField(label="Used until", required=False,
                        help_text="Leave blank if they still use it.")
    note = _text("Where the name came from", required=False, long=True)


def identity_initial(person: Person) -> dict[str, Any]:
    """The identity form starts with the record as it stands."""
    return {name: getattr(person, name) for name in recording.IDENTITY_FIELDS}


class TransferForm(StepForm):
    to_force = forms.ChoiceField(label="Force to transfer to")
    note = _text("Why", long=True, help_text="For example: moved to Tamworth on release; the "
                                             "postcode's area is not in the reference table.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from whereabouts.register.models import Force

        self.fields["to_force"].choices = [("", "Choose a force")] + [
            (f.slug, f.name) for f in Force.objects.exclude(slug=self.person.force_id)
            .order_by("name")]


class MovementForm(StepForm):
    on = DateField(label="Date")
    place = _text("Where")
    note = _text("Notes", required=False, long=True)


def _movement(label: str) -> type[MovementForm]:
    return type(f"{label.title().replace(' ', '')}Form", (MovementForm,), {
        "place": _text(label)})


@dataclass(frozen=True)
class Step:
    """One step of the missing path: its form, the service it calls and who may take it."""

    slug: str
    title: str
    form: type[StepForm]
    service: Callable[..., object]
    roles: tuple[str, ...]
    done: str
    when: str  # "always", "no_check_or_episode", "open_check", "no_episode", "open_episode",
    #            "has_episode", "has_breach", "has_order"
    kind: str = ""  # the ledger entry it writes, for a step that can correct one
    group: str = "missing"  # "record" steps are listed apart from the missing path
    initial: Callable[[Person], dict[str, Any]] | None = None  # the form's starting values


CASEWORK = tuple(policy.CASEWORK_ROLES)
SUPERVISORS = (Role.SUPERVISOR, Role.SENIOR_OFFICER)

STEPS: dict[str, Step] = {s.slug: s for s in (
    Step("notify-initial", "Record an initial notification", NotificationForm,
         partial(recording.record_notification, kind=EventKind.NOTIFICATION_INITIAL), CASEWORK,
         "Initial notification recorded", "always", EventKind.NOTIFICATION_INITIAL, "record"),
    Step("notify-periodic", "Record a periodic notification", NotificationForm,
         partial(recording.record_notification, kind=EventKind.NOTIFICATION_PERIODIC),
         CASEWORK, "Periodic notification recorded", "always",
         EventKind.NOTIFICATION_PERIODIC, "record"),
    Step("notify-change", "Record a change notification", ChangeNotificationForm,
         partial(recording.record_notification, kind=EventKind.NOTIFICATION_CHANGE), CASEWORK,
         "Change notification recorded", "always", EventKind.NOTIFICATION_CHANGE, "record"),
    Step("travel", "Record notice of foreign travel", TravelForm, recording.record_travel,
         CASEWORK, "Travel notice recorded", "always", EventKind.NOTIFICATION_TRAVEL, "record"),
    Step("visit", "Record a home visit", VisitForm, visits.record_visit, CASEWORK,
         "Visit recorded", "always", EventKind.VISIT, "record"),
    Step("identity", "Correct name, date of birth or identifiers", IdentityForm,
         recording.record_identity, CASEWORK, "Identity corrected; the earlier details stay "
         "in the timeline", "always", group="record", initial=identity_initial),
    Step("alias", "Record another name used", AliasForm, recording.record_alias, CASEWORK,
         "Other name recorded", "always", group="record"),
    Step("transfer", "Transfer to another force", TransferForm, transfers.open_transfer,
         SUPERVISORS, "Transfer opened: the receiving force sees the person and accepts",
         "always", group="record"),
    Step("risk", "Record the risk of serious harm", RiskForm, visits.record_risk_level,
         permissions.roles_with("risk.record"), "Risk level recorded", "always", group="record"),
    Step("visit-plan", "Set visits in the risk management plan", VisitPlanForm,
         visits.record_visit_plan, permissions.roles_with("risk.record"), "Visit plan recorded",
         "always", group="record"),
    Step("mappa", "Record the MAPPA category and level", MappaForm, visits.record_mappa,
         permissions.roles_with("mappa.record"), "MAPPA category and level recorded", "always",
         group="record"),
    Step("mappa-meeting", "Record a MAPP meeting", risk_forms._meeting_form_class(),
         risk_forms.record_meeting_from_form, permissions.roles_with("mappa.meeting"),
         "MAPP meeting recorded; its actions are on their owners' lists", "always",
         group="record"),
    Step("arms", "Record an ARMS assessment", risk_forms.arms_form_class(), risk.record_arms,
         permissions.roles_with("risk.record"), "ARMS assessment recorded", "always",
         group="record"),
    Step("order", "Record a SHPO or SRO", risk_forms.order_form_class(), risk.record_order,
         permissions.roles_with("orders.record"), "Order recorded", "always", group="record"),
    Step("order-vary", "Record a variation of an order", risk_forms.vary_form_class(),
         risk.vary_order, permissions.roles_with("orders.record"), "Variation recorded",
         "has_order", group="record"),
    Step("order-discharge", "Record the discharge of an order",
         risk_forms.discharge_form_class(), risk.discharge_order,
         permissions.roles_with("orders.record"), "Discharge recorded", "has_order",
         group="record"),
    Step("order-breach", "Record a breach of an order", risk_forms.order_breach_form_class(),
         risk.record_order_breach, breach_services.ROLES,
         "Breach of the order recorded", "has_order", group="record"),
    Step("check", "Open a whereabouts check", CheckForm, services.open_whereabouts_check,
         CASEWORK, "Whereabouts check opened", "no_check_or_episode"),
    Step("check-found", "Close the check: found", CheckFoundForm, services.close_check_found,
         CASEWORK, "Check closed: found", "open_check"),
    Step("missing", "Record as missing", MissingForm, services.record_missing,
         (Role.SUPERVISOR,), "Recorded as missing and circulated to all forces", "no_episode"),
    Step("located", "Record as located", LocatedForm, services.record_located, CASEWORK,
         "Recorded as located; circulations cancelled", "open_episode"),
    Step("circulate", "Record a circulation", CirculationForm, services.record_circulation,
         (Role.SUPERVISOR,), "Circulation recorded", "open_episode"),
    Step("action", "Log an action, sighting or lead", ActionForm, services.record_action,
         CASEWORK, "Action logged", "open_episode"),
    Step("review", "Review the case", ReviewForm, services.record_review, SUPERVISORS,
         "Review recorded", "open_episode"),
    Step("owner", "Change the owner", OwnerForm, services.assign_owner, SUPERVISORS,
         "Owner changed", "open_episode"),
    Step("withdraw", "Withdraw a mistaken episode", WithdrawForm, services.withdraw_episode,
         (Role.SUPERVISOR,), "Episode withdrawn", "has_episode"),
    Step("breach", "Record a breach (s.91)", BreachForm, breach_services.record_breach,
         breach_services.ROLES, "Breach recorded", "always"),
    Step("warrant", "Record a warrant step", WarrantForm, breach_services.record_warrant,
         breach_services.ROLES, "Warrant recorded", "has_breach"),
    Step("breach-outcome", "Record a breach outcome", BreachOutcomeForm,
         breach_services.record_breach_outcome, breach_services.ROLES,
         "Breach outcome recorded", "has_breach"),
)}


#: Into and out of custody or hospital, and leaving and returning to the UK: one step each.
MOVEMENT_STEPS = (
    ("custody-start", EventKind.CUSTODY_START, "Record going into custody",
     "Prison or police station", "Custody recorded"),
    ("custody-end", EventKind.CUSTODY_END, "Record release from custody", "Released from",
     "Release recorded"),
    ("hospital-start", EventKind.HOSPITAL_START, "Record detention in hospital", "Hospital",
     "Detention in hospital recorded"),
    ("hospital-end", EventKind.HOSPITAL_END, "Record discharge from hospital",
     "Discharged from", "Discharge recorded"),
    ("abroad-start", EventKind.ABROAD_START, "Record leaving the UK", "Country",
     "Departure recorded"),
    ("abroad-end", EventKind.ABROAD_END, "Record return to the UK", "Returned from",
     "Return recorded"),
)
STEPS.update({slug: Step(slug, title, _movement(place),
                         partial(recording.record_movement, kind=kind), CASEWORK, done, "always",
                         kind, "record")
              for slug, kind, title, place, done in MOVEMENT_STEPS})

#: The step that corrects each kind of entry, and the service a correction calls.
CORRECTIONS: dict[str, tuple[Step, Callable[..., object]]] = {
    s.kind: (s, visits.correct_visit if s.kind == EventKind.VISIT else s.service)
    for s in STEPS.values() if s.kind
}


def initial_from(event: Any) -> dict[str, Any]:
    """A correction form's starting values: what the entry says now."""
    step, _ = CORRECTIONS[event.kind]
    values: dict[str, Any] = dict(event.details)
    if event.kind == EventKind.VISIT:
        values["checked"] = [c for c in values.get("checked", "").split("; ") if c]
    for name in ("departure_date", "return_date", "country_informed_on"):
        if values.get(name):
            values[name] = dt.date.fromisoformat(values[name])
    if "place" in step.form.base_fields:
        values["place"] = next((event.details.get(k) for k in ("establishment", "hospital",
                                                                  "country")
                                if event.details.get(k)), "")
    for address in event.addresses.all():
        prefix = "other_" if address.kind == "other" else ""
        values.update({f"{prefix}line1": address.line1, f"{prefix}line2": address.line2,
                       f"{prefix}town": address.town, f"{prefix}postcode": address.postcode})
    date_field = next(n for n, f in step.form.base_fields.items() if isinstance(f, DateField))
    values[date_field] = event.effective_date
    return values


def date_fields(form: forms.Form) -> list[str]:
    return [name for name, field in form.fields.items()
            if isinstance(field, DateField) and field.required]


def steps_available(user: object, *, open_check: bool, open_episode: bool,
                    any_episode: bool, any_breach: bool = False,
                    any_order: bool = False) -> list[Step]:
    """The steps ``user`` may take for a person in this state, in the order of the path."""
    allowed = {
        "always": True,
        "no_check_or_episode": not open_check and not open_episode,
        "open_check": open_check,
        "no_episode": not open_episode,
        "open_episode": open_episode,
        "has_episode": any_episode,
        "has_breach": any_breach,
        "has_order": any_order,
    }
    return [s for s in STEPS.values()
            if allowed[s.when] and policy.has_role(user, *s.roles)]  # type: ignore[arg-type]


def steps_for(user: object, person: Person) -> list[Step]:
    """The steps ``user`` may take for ``person`` now, working out the person's state (what
    the person page passes to :func:`steps_available` from what it shows anyway)."""
    from whereabouts.missing.episodes import open_episode
    from whereabouts.missing.selectors import person_checks, person_episodes
    from whereabouts.register.selectors import live_events
    from whereabouts.risk.selectors import person_orders

    episodes = person_episodes(person)
    return steps_available(user, open_check=services.open_check(person_checks(person))
                           is not None, open_episode=open_episode(episodes) is not None,
                           any_episode=bool(episodes),
                           any_breach=bool(person_breaches(person)),
                           any_order=bool(person_orders(live_events(person))))


def service_kwargs(form: StepForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    for name in ("checks_done", "checked"):
        if name in data:
            data[name] = tuple(data[name])
    for name, value in data.items():
        if value is None and not isinstance(form.fields[name], DateField | forms.BooleanField
                                            | forms.IntegerField):
            data[name] = ""
    return data

