"""Pausing Python's cyclic garbage collector during bulk work.

A large import keeps millions of small objects (parsed rows, tuples, name tokens) alive while it
builds them; every few thousand allocations the collector walks all of them again, for nothing:
they hold no reference cycles. Pausing it made the 300,000-row import about a quarter faster.
Reference counting still frees memory as usual.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
