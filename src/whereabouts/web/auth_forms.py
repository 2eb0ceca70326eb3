"""The forms of signing in and of making users."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from whereabouts.access.models import Role
from whereabouts.register.models import Force


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, strip=True,
                               error_messages={"required": "Enter your username"})
    password = forms.CharField(strip=False, widget=forms.PasswordInput,
                               error_messages={"required": "Enter your password"})


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your authenticator app shows for whereabouts now",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "spellcheck": False}),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"})

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return code


class NewUserForm(forms.Form):
    username = forms.CharField(max_length=150, validators=[UnicodeUsernameValidator()],
                               help_text="Letters, digits and . _ - @ + only, like j.smith",
                               widget=forms.TextInput(attrs={"autocomplete": "off",
                                                             "spellcheck": False}))
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect)
    force = forms.ChoiceField(required=False, label="Force",
                              help_text="Leave as national for a user who works across forces")

    def __init__(self, *args: Any, admin_force_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forces = Force.objects.order_by("name")
        if admin_force_id is not None:
            # An administrator of one force makes users of that force only.
            self.fields["force"].choices = [(f.pk, f.name)
                                            for f in forces.filter(pk=admin_force_id)]
            self.fields["force"].required = True
        else:
            self.fields["force"].choices = [("", "National (no force)")] + [
                (f.pk, f.name) for f in forces]


class ApiTokenForm(forms.Form):
    """A new API token for a user: what it is for, its scopes (those the user's role allows)
    and how long it lasts."""

    name = forms.CharField(max_length=100, required=False, label="What the token is for",
                           help_text="For example, the name of the system that will use it")
    scopes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple,
                                       label="What the token may do")
    days = forms.IntegerField(min_value=1, max_value=366, initial=90,
                              label="Days until it expires", help_text="From 1 to 366")

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scopes
