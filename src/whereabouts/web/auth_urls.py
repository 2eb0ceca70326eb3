"""Signing in and out, and the administrators' pages for users."""

from django.contrib.auth import views as django_auth_views
from django.urls import path

from . import auth_views, password_views, staff_views
from .middleware import second_factor_not_required

urlpatterns = [
    path("login/", auth_views.sign_in, name="login"),
    path("login/code/", auth_views.second_factor, name="second-factor"),
    path("login/set-up/", auth_views.enrol, name="enrol"),
    path("logout/", second_factor_not_required(django_auth_views.LogoutView.as_view()),
         name="logout"),
    path("sign-out-everywhere/", auth_views.sign_out_everywhere, name="sign-out-everywhere"),
    path("users/", staff_views.users, name="users"),
    path("users/new/", staff_views.user_new, name="user-new"),
    path("users/<int:user_id>/reset-device/", staff_views.user_reset_device,
         name="user-reset-device"),
    path("users/<int:user_id>/reset-password/", password_views.user_reset_password,
         name="user-reset-password"),
    path("users/<int:user_id>/api-tokens/", staff_views.user_api_tokens,
         name="user-api-tokens"),
    path("users/<int:user_id>/api-tokens/revoke/", staff_views.user_api_token_revoke,
         name="user-api-token-revoke"),
    path("account/password/", password_views.password_change, name="password-change"),
]
