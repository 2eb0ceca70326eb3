"""Every error of the API as RFC 9457 problem details (``application/problem+json``).

``{"type": "about:blank", "title": <the status's phrase>, "status": <code>, "detail": <what
went wrong>}``, and for invalid input ``errors``: ``[{"field": ..., "message": ...}]``. The
handlers below cover the API's own refusals, ninja's validation and authentication errors,
the services' ``InvalidInput``, methods not allowed, unknown paths and anything unexpected
(a 500 that says nothing of the cause; the cause goes to the log).
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from whereabouts.register.errors import InvalidInput
from whereabouts.register.models import EventKind

CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger("whereabouts.api")

#: The one answer for a person who does not exist and for one the token may not open.
NOT_FOUND = ("No such resource, or not one this token may see. A person outside your force or "
             "caseload needs the X-Reason-For-Access header.")


class Problem(Exception):
    """Raised by the endpoints: the status, what went wrong and, for input, the fields."""

    def __init__(self, status: int, detail: str,
                 errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors


def not_found() -> Problem:
    return Problem(404, NOT_FOUND)


def response(status: int, detail: str, errors: list[tuple[str, str]] | None = None,
             headers: dict[str, str] | None = None) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase,
                            "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = [{"field": f, "message": m} for f, m in errors]
    answer = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        answer[name] = value
    return answer


#: The kinds of entry, which pydantic puts in an error's location inside a body's union.
_TAGS = frozenset(EventKind.values)


def _field(loc: list[Any] | tuple[Any, ...]) -> str:
    """ninja's error location (``["body", "payload", "entry", "notified_on"]``) as a field
    name (``entry.notified_on``): where it came from (body, query, path, header) is left out
    unless nothing else is known."""
    parts = [str(p) for p in loc if str(p) not in _TAGS]
    if parts and parts[0] == "body" and len(parts) > 2:
        parts = parts[2:]
    elif parts and parts[0] in ("query", "path", "header", "body") and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "request"


def install(api: Any) -> None:
    """Register the handlers on a NinjaAPI."""

    def problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return response(exc.status, exc.detail, exc.errors)

    def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        return response(422, "The request could not be accepted: see errors.",
                        [(exc.field, exc.message)])

    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [(_field(e.get("loc", ())), str(e.get("msg", "is not valid")))
                  for e in exc.errors]
        return response(422, "The request could not be accepted: see errors.", errors)

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return response(401, "Give a valid API token: 'Authorization: Bearer <token>'. A "
                             "token that is unknown, expired or revoked, or whose user is "
                             "disabled or locked out, is refused.",
                        headers={"WWW-Authenticate": 'Bearer realm="whereabouts"'})

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if status == 400:  # ninja: a body that is not JSON
            return response(400, f"The request could not be read: {exc}")
        return response(status, str(exc))

    def not_found_error(request: HttpRequest, exc: Http404) -> HttpResponse:
        return response(404, NOT_FOUND)

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return response(500, "Something went wrong on our side. It has been logged.")

    api.add_exception_handler(Problem, problem)
    api.add_exception_handler(InvalidInput, invalid_input)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found_error)
    api.add_exception_handler(Exception, unexpected)
