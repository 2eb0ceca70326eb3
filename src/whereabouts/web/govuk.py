"""Rendering GOV.UK Frontend components once compiled, not once per call.

``govuk-frontend-django`` renders each component by building a new Jinja environment and
compiling the component's macro every time it is called: about 40 ms a component on the
standard machine, so a page with a dozen tags took half a second. :func:`install` replaces
``GovUKComponent.render`` with one that keeps a single environment and each compiled template,
and otherwise does exactly what the library does (same loader, same autoescaping, same
removal of empty parameters). ``tests/web/test_govuk.py`` checks that both give the same
markup for each component the pages use, so an upgrade that changes the library's rendering
fails the suite rather than the pages.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from govuk_frontend_django.components.base import GovUKComponent
from jinja2 import (
    ChoiceLoader,
    Environment,
    PackageLoader,
    PrefixLoader,
    Template,
    select_autoescape,
)

ORIGINAL_RENDER = GovUKComponent.render

_ENVIRONMENT = Environment(
    loader=ChoiceLoader([PrefixLoader({"govuk_frontend_jinja":
                                       PackageLoader("govuk_frontend_jinja")})]),
    autoescape=select_autoescape(),
    auto_reload=False,
)


@lru_cache(maxsize=256)
def _template(source: str) -> Template:
    return _ENVIRONMENT.from_string(source)


def _without_empty(data: Any) -> Any:
    """Drop every key whose value is None, at every level (as the library does)."""
    if isinstance(data, dict):
        return {k: _without_empty(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_without_empty(item) for item in data]
    return data


def cached_render(self: GovUKComponent, template_name: Any = None, context: Any = None,
                  renderer: Any = None, component_data: dict[str, Any] | None = None
                  ) -> SafeString:
    data = copy.copy(self.__dict__)
    if component_data:
        data.update(component_data)
    return mark_safe(_template(self.build_jinja_template()).render(data=_without_empty(data)))


def install() -> None:
    GovUKComponent.render = cached_render  # type: ignore[method-assign]
    GovUKComponent.__str__ = cached_render  # type: ignore[method-assign]
    GovUKComponent.__html__ = cached_render  # type: ignore[attr-defined]
