"""When this process may fork workers, and how.

The demo build, the sweep and the status periods fork helper processes (the child sees the
parent's memory at the fork). A process that has loaded a library running threads of its
own (DuckDB, and Spark's Python side, for partner data matching) must not fork: the child
inherits that library's objects but not its threads, and can crash when its garbage
collector finalises them (seen: a segmentation fault in a forked demo generator after a
linkage run in the same test process). Such a process does the work itself instead.

Before any fork the heap is collected and frozen, so that a child's collector never visits
what it inherited (as the :mod:`gc` documentation advises for fork without exec).
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: Modules whose presence means threads this process did not start and a child would lack.
THREADED = ("duckdb", "pyspark", "py4j")


def can_fork() -> bool:
    """Whether the platform forks and nothing loaded here makes a fork unsafe."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return not any(name in sys.modules for name in THREADED)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Around starting forked children: garbage collected first, the rest frozen."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
