"""What every page needs: the service navigation for the signed-in user's role."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from whereabouts.access import policy
from whereabouts.access.models import Role


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"service_navigation": []}
    items: list[tuple[str, str]] = [("Home", reverse("home"))]
    if policy.has_role(user, *policy.CASEWORK_ROLES):
        items += [("My caseload", reverse("people")), ("Search", reverse("search")),
                  ("Missing", reverse("missing-board"))]
    if policy.has_role(user, *policy.CASEWORK_ROLES, Role.ANALYST):
        items.append(("Time to notice and locate", reverse("missing-times")))
    if policy.can_manage_users(user):
        items.append(("Users", reverse("users")))
    path = request.path
    matches = [href for _, href in items if path == href or (href != "/"
                                                               and path.startswith(href))]
    current = max(matches, key=len, default="")
    return {"service_navigation": [{"text": text, "href": href, "active": href == current}
                                   for text, href in items]}
