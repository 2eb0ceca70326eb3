"""Forking workers only when it is safe: never after a threaded library (DuckDB, Spark)."""

from __future__ import annotations

import os
import sys
import types

import pytest

from whereabouts.demo.load import in_child
from whereabouts.forking import THREADED, can_fork


def pids() -> list[int]:
    return [os.getpid()]


@pytest.fixture
def no_threaded_library(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in THREADED:
        monkeypatch.delitem(sys.modules, name, raising=False)


@pytest.mark.parametrize("name", THREADED)
def test_a_process_that_has_loaded_a_threaded_library_does_not_fork(
        monkeypatch: pytest.MonkeyPatch, no_threaded_library: None, name: str) -> None:
    assert can_fork()
    monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    assert not can_fork()
    # The work is done here instead, with the same result.
    assert list(in_child(lambda: iter(pids()), name="test")) == [os.getpid()]


def test_otherwise_the_work_is_done_in_a_forked_child(no_threaded_library: None) -> None:
    [child] = list(in_child(lambda: iter(pids()), name="test"))
    assert child != os.getpid()
