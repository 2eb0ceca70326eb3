"""Fixtures for the API: tokens made through the real service, and a JSON caller."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ..conftest import TODAY


@pytest.fixture(autouse=True)
def _pinned_today(settings: Any) -> None:
    settings.WHEREABOUTS_TODAY = TODAY.isoformat()


@pytest.fixture
def token_for(db: Any) -> Callable[..., str]:
    """A token's secret for ``user``: every scope the role allows unless ``scopes`` are given."""
    from whereabouts.api import scopes as api_scopes
    from whereabouts.api import tokens

    def make(user: Any, scopes: list[str] | None = None, days: int = 30) -> str:
        chosen = scopes if scopes is not None else api_scopes.scopes_for(user)
        return tokens.create_token(username=user.get_username(), scopes=chosen, days=days)[1]

    return make


class Api:
    """Calls to /api/v1/ with a bearer token; answers with their JSON decoded."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.secret = secret

    def call(self, method: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None, **query: Any) -> Any:
        sent = dict(headers or {})
        if self.secret:
            sent["Authorization"] = f"Bearer {self.secret}"
        kwargs: dict[str, Any] = {"headers": sent}
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        elif query:
            kwargs["data"] = query
        answer = getattr(self.client, method)(f"/api/v1{path}", **kwargs)
        answer.body = json.loads(answer.content) if answer.content else None
        return answer

    def get(self, path: str, headers: dict[str, str] | None = None, **query: Any) -> Any:
        return self.call("get", path, headers=headers, **query)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.call("post", path, body, headers)


@pytest.fixture
def api(token_for: Callable[..., str]) -> Callable[..., Api]:
    """``api(user)``: a caller with a token for ``user`` (``api(None)``: no token)."""

    def make(user: Any, scopes: list[str] | None = None) -> Api:
        return Api(token_for(user, scopes) if user is not None else None)

    return make
