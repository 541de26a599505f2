"""Fewer garbage collections while MkDocs builds.

A build keeps every page, its Markdown, HTML and table of contents in memory, and
creates many short-lived objects per page; Python's cycle collector then walks the
growing heap again and again, for little garbage. Everything alive before the build is
frozen out of the collector's view, and young objects are collected less often.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG_THRESHOLD = 20_000  # Python's default is 700 allocations


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
