"""Fixtures shared by the missing-offender tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return make_user("sup.wm", "supervisor")


@pytest.fixture
def person(make_person: Any) -> Any:
    return make_person()
