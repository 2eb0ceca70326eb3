"""The API's NinjaAPI and its URLs, mounted at ``/api/v1/`` by the project's URLconf.

Every URL under ``/api/v1/`` answers in JSON, errors as problem details: the ninja views are
wrapped so that a method not allowed (405) and the API's root are problems too, and a last
pattern answers every other path under the API with the problem "not found". The views are
outside the sign-in of the pages (no session: each call brings its token), so they are marked
as needing neither a login nor the second factor; the token check is ninja's ``auth``, and a
session cookie alone opens nothing here (so there is nothing for CSRF to forge).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from ninja import NinjaAPI
from ninja.security import HttpBearer

from . import problems, tokens
from .leads import router as leads_router
from .steps import router as steps_router
from .views import router


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``: the token's user, if the token is live."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return tokens.token_for(token)


class WhereaboutsAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        """The view's name (``read_person``), not its module path."""
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """ninja's description, with every error answer as ``application/problem+json``."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    if int(status) >= 400 and "content" in answer:
                        answer["content"] = {problems.CONTENT_TYPE:
                                             answer["content"]["application/json"]}
        return schema


api = WhereaboutsAPI(
    title="whereabouts API", version="1",
    description="The register, notification duties and missing offenders, through the same "
                "access rules and audit log as the pages. See docs/api.md.",
    urls_namespace="api", auth=BearerToken(), docs_url=None,
)
problems.install(api)
api.add_router("", router)
api.add_router("", steps_router)
api.add_router("", leads_router)


def _edge(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of the API: no page sign-in, no CSRF (no cookies are read), problems only."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return problems.response(404, problems.NOT_FOUND)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return problems.response(405, f"Use {allowed} here.", headers={"Allow": allowed})
        return response

    answer.login_required = False  # type: ignore[attr-defined]
    answer.second_factor_required = False  # type: ignore[attr-defined]  # a session is no key
    answer.csrf_exempt = True  # type: ignore[attr-defined]
    return answer


def _unknown(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise Http404


def _patterns() -> list[Any]:
    patterns = []
    for pattern in api.urls[0]:
        assert isinstance(pattern, URLPattern)
        pattern.callback = _edge(pattern.callback)
        patterns.append(pattern)
    patterns.append(re_path(r"^(?P<rest>.+)$", _edge(_unknown), name="unknown"))
    return patterns


#: For ``include(urls, namespace="api")``: (patterns, app name).
urls = (_patterns(), "ninja")
