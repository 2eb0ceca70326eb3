"""What every page needs: the service navigation for the signed-in user's role."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from whereabouts.access import policy


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"service_navigation": []}
    items: list[tuple[str, str]] = [("Home", reverse("home"))]
    if policy.may(user, "people.caseload"):
        items.append(("My caseload", reverse("people")))
    if policy.may(user, "people.search") or policy.may(user, "people.search_all_forces"):
        items.append(("Search", reverse("search")))
    if policy.may(user, "missing.board"):
        items.append(("Missing", reverse("missing-board")))
    if policy.may(user, "visits.backlog"):
        items.append(("Overdue visits", reverse("overdue-visits")))
    if policy.may(user, "transfers.view"):
        items += [("Inbox", reverse("inbox")), ("Transfers", reverse("transfers"))]
    if policy.may(user, "leads.work"):
        items.append(("Leads", reverse("leads")))
    if policy.may(user, "duplicates.decide"):
        items.append(("Duplicates", reverse("duplicates")))
    if policy.may(user, "shared.open"):
        items.append(("Shared with us", reverse("shared")))
    if policy.may(user, "figures.view"):
        items += [("Figures", reverse("figures")),
                  ("Time to notice and locate", reverse("missing-times"))]
    if policy.may(user, "retention.review"):
        items.append(("Reviews", reverse("review-queue")))
    if policy.may(user, "audit.view"):
        items += [("Who looked at a person", reverse("audit-person")),
                  ("What a user looked at", reverse("audit-user"))]
    if policy.may(user, "subject_access.export"):
        items.append(("Subject access", reverse("subject-access")))
    if policy.can_manage_users(user):
        items.append(("Users", reverse("users")))
    path = request.path
    matches = [href for _, href in items if path == href or (href != "/"
                                                               and path.startswith(href))]
    current = max(matches, key=len, default="")
    return {"service_navigation": [{"text": text, "href": href, "active": href == current}
                                   for text, href in items]}
