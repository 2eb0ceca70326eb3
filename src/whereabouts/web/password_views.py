"""Passwords: every signed-in user changes their own; an administrator resets a user's.

Changing needs the current password and the new one twice, checked against the password
validators; the new one is hashed with Argon2 (``PASSWORD_HASHERS``). A reset gives the user a
generated password, shown once to the administrator, which the user must change at their next
sign-in (``web.middleware`` sends them here first). Both are audited.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from whereabouts.access import accounts, policy, signin

from .middleware import open_before_password_change
from .staff_views import scoped_users


class ChangeForm(PasswordChangeForm):
    """Django's form (current password, new twice, the validators), with GOV.UK labels."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 12 characters; not a common password, not all numbers, not like your "
            "username or name")
        self.fields["new_password2"].label = "New password again"
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)


@never_cache
@sensitive_post_parameters()
@open_before_password_change
def password_change(request: HttpRequest) -> HttpResponse:
    form = ChangeForm(request.user, request.POST if request.method == "POST" else None)
    forced = bool(request.session.get(signin.MUST_CHANGE_PASSWORD))
    if request.method == "POST" and form.is_valid():
        try:
            accounts.change_own_password(user=request.user,  # type: ignore[arg-type]
                                         new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            request.session.pop(signin.MUST_CHANGE_PASSWORD, None)
            messages.success(request, "Your password has been changed. Your other sessions "
                                      "have ended.")
            return redirect("home")
    return render(request, "web/password_change.html", {"form": form, "forced": forced})


class ResetForm(forms.Form):
    reset_device = forms.BooleanField(
        label="Also reset their authenticator app (they set it up again at sign-in)",
        required=False)


@never_cache
def user_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    if not policy.can_manage_users(request.user):
        raise Http404
    user = scoped_users(request).filter(pk=user_id).first()
    if user is None or user.pk == request.user.pk:
        raise Http404  # an administrator changes their own password on the password page
    form = ResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        password = accounts.reset_password(user=user, by=request.user,  # type: ignore[arg-type]
                                           reset_device=form.cleaned_data["reset_device"])
        # Shown on this response only: not stored anywhere it could be read again.
        return render(request, "web/password_reset_done.html", {
            "target": user, "password": password,
            "device": form.cleaned_data["reset_device"]})
    return render(request, "web/password_reset.html", {"form": form, "target": user})
