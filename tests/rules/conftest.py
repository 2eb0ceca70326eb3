"""Fixtures for the legislation engine's tests, which need neither Django nor a database.

The project's ``tests/conftest.py`` has two autouse fixtures that use pytest-django
(``django_db_setup``, ``settings``). The rules are pure Python, so their tests are also run
without pytest-django (``-p no:django``); these no-op fixtures of the same names take the
place of those two for the tests in this folder only, under either runner.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _postgres_really_used() -> None:
    """The rules touch no database: nothing to check."""


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """The rules hash no passwords: nothing to speed up."""
