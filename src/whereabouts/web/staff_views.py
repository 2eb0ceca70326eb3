"""Users, for administrators: the list, making a user, resetting a code device, and a
user's API tokens (list, create showing the secret once, revoke).

Anyone else gets "not found", as for every refusal. There is no self-registration.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from whereabouts.access import accounts, policy, signin
from whereabouts.api import tokens
from whereabouts.api.models import ApiToken
from whereabouts.api.scopes import SCOPES, role_allows

from .auth_forms import ApiTokenForm, NewUserForm


def _administrator(request: HttpRequest) -> None:
    if not policy.can_manage_users(request.user):
        raise Http404


def scoped_users(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Users an administrator looks after: all of them, or those of the administrator's force."""
    profile = policy.profile_of(request.user)
    users = get_user_model().objects.all()
    if profile is not None and profile.force_id is not None:
        users = users.filter(staff__force_id=profile.force_id)
    return users


def users(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    listed = (scoped_users(request).select_related("staff", "staff__force")
              .annotate(has_device=Exists(devices)).order_by("username"))
    query = request.GET.get("q", "").strip()[:150]
    if query:
        listed = listed.filter(username__icontains=query)
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    return render(request, "web/users.html", {"page": page, "query": query})


@never_cache
def user_new(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    profile = policy.profile_of(request.user)
    admin_force = profile.force_id if profile is not None else None
    form = NewUserForm(request.POST if request.method == "POST" else None,
                       admin_force_id=admin_force)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user, password = accounts.create_staff_user(
                username=data["username"], first_name=data["first_name"],
                last_name=data["last_name"], role=data["role"], force_id=data["force"] or None,
                by=request.user)  # type: ignore[arg-type]
        except accounts.AccountError as exc:
            form.add_error("username", str(exc))
        else:
            # Shown on this response only: not stored anywhere it could be read again.
            return render(request, "web/user_created.html", {"new_user": user,
                                                             "password": password})
    return render(request, "web/user_new.html", {"form": form})


@require_POST
def user_reset_device(request: HttpRequest, user_id: int) -> HttpResponse:
    _administrator(request)
    user = scoped_users(request).filter(pk=user_id).first()
    if user is None:
        raise Http404
    signin.reset_devices(user, by=request.user)  # type: ignore[arg-type]
    messages.success(request, f"{user.get_username()} will set up their authenticator app again "
                              "at their next sign-in; their sessions have ended.")
    return redirect("users")


def _scoped_user(request: HttpRequest, user_id: int):  # type: ignore[no-untyped-def]
    _administrator(request)
    owner = scoped_users(request).select_related("staff").filter(pk=user_id).first()
    if owner is None:
        raise Http404
    return owner


@never_cache
def user_api_tokens(request: HttpRequest, user_id: int) -> HttpResponse:
    """A user's API tokens, and a form for a new one; its secret is shown on the answer to
    the form only (``api.tokens`` keeps its digest)."""
    owner = _scoped_user(request, user_id)
    allowed = [(key, f"{key}: {words}") for key, (words, _) in SCOPES.items()
               if role_allows(owner, key)]
    form = ApiTokenForm(request.POST if request.method == "POST" else None, scopes=allowed)
    if allowed and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = tokens.create_token(
                username=owner.get_username(), scopes=list(data["scopes"]), days=data["days"],
                by=request.user, name=data["name"])
        except tokens.TokenError as exc:
            form.add_error("days" if "days" in str(exc) else "scopes", str(exc))
        else:
            return render(request, "web/api_token_created.html",
                          {"owner": owner, "token": token, "secret": secret})
    listed = ApiToken.objects.filter(user=owner).select_related("created_by", "revoked_by")
    now = timezone.now()
    rows = [(t, "revoked" if t.revoked_at else "live" if t.live(now) else "expired")
            for t in listed]
    return render(request, "web/api_tokens.html",
                  {"owner": owner, "rows": rows, "form": form, "allowed": bool(allowed)})


@require_POST
def user_api_token_revoke(request: HttpRequest, user_id: int) -> HttpResponse:
    owner = _scoped_user(request, user_id)
    try:
        token_id = int(request.POST.get("token", ""))
    except ValueError:
        raise Http404 from None
    token = ApiToken.objects.filter(user=owner, pk=token_id).first()
    if token is None:
        raise Http404
    tokens.revoke_token(token_id=token.pk, by=request.user)
    messages.success(request, f"API token {token.prefix}… of {owner.get_username()} revoked: "
                              "it stops working at once.")
    return redirect("user-api-tokens", owner.pk)
