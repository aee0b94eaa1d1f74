"""Romanizing and tokenising the names of a large list on the second core.

The import validates rows on the main process; as it meets new names it hands them, in batches,
to one worker process, which computes their script, romanization and search tokens meanwhile.
The writer then asks for each name in file order and waits only when the worker is behind.
Threads do not help here (the work is pure Python and holds the interpreter lock).
"""

import os
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context

from analytics.process_guard import end_with_parent
from crossing.registry.name_parts import name_parts

BATCH = 20000


def _parts_of(names: list[str]) -> list[tuple[str, tuple]]:
    # Uncached: every name reaches the worker once, so a cache would only hold memory.
    return [(name, name_parts.__wrapped__(name, "")) for name in names]


class NameWorkers:
    """Collects distinct names, computes their parts in a worker process, answers lookups."""

    def __init__(self):
        # A fresh interpreter (spawn), not a fork: it shares nothing with the importing process,
        # holds no database connection, and costs only the name tables it loads.
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), initializer=end_with_parent,
                                         initargs=(os.getpid(),))
        self._pending: list[Future] = []
        self._batch: list[str] = []
        self._seen: set[str] = set()
        self._done: dict[str, tuple] = {}

    def add(self, names: Iterable[str]) -> None:
        for name in names:
            if name and name not in self._seen:
                self._seen.add(name)
                self._batch.append(name)
        if len(self._batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self._pending.append(self._pool.submit(_parts_of, self._batch))
            self._batch = []

    def get(self, name: str) -> tuple | None:
        """The parts of a name the worker was given, waiting for its batch if needed."""
        while name not in self._done and self._pending:
            self._done.update(self._pending.pop(0).result())
        return self._done.get(name)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
