"""Name features of a large registry on every core.

Romanizing hundreds of thousands of distinct names is pure Python (threads would not help), so
for big runs the distinct names are split between this process and worker processes. Workers
are fresh interpreters (spawn): they import only the name tables, touch no database and end if
this process dies.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import get_context

from analytics.linkage import records
from analytics.process_guard import end_with_parent

PARALLEL_FROM_NAMES = 20_000


def _compute(names: list[str]) -> list:
    return [(name, records._one_name(name)) for name in names]


@contextmanager
def names_precomputed(names: Iterable[str], workers: int | None = None) -> Iterator[int]:
    """Within the block, ``records.name_features`` finds these names already done."""
    distinct = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(distinct) < PARALLEL_FROM_NAMES:
        yield 0
        return
    shares = [distinct[i::workers] for i in range(workers)]
    pool = ProcessPoolExecutor(max_workers=workers - 1, mp_context=get_context("spawn"), initializer=end_with_parent,
                               initargs=(os.getpid(),))
    try:
        futures = [pool.submit(_compute, share) for share in shares[1:]]
        for name in shares[0]:
            records._one_name(name)  # this process takes its share meanwhile
        for future in futures:
            try:
                records.PRECOMPUTED.update(future.result())
            except BrokenProcessPool:
                pass  # a worker that could not start: name_features computes its share in this process
        yield len(distinct)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        records.PRECOMPUTED.clear()
