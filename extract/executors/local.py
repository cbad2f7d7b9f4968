"""Replies on daemon threads of this process (model calls are I/O-bound; PDFs are parsed in
the PDF worker processes, so threads are enough here).

Daemon threads, not ``ThreadPoolExecutor``: its threads are joined at interpreter exit, so
one reply stuck in a slow model call after Ctrl-C would hold the exit for minutes.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from extract.executors.base import GRACE_S, Outcome, Task

_POLL_S = 0.1


class LocalExecutor:
    """Up to ``workers`` replies at a time on threads of this process."""

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def results(self, items: Sequence[Any], task: Task, stop: threading.Event,
                abandon: threading.Event) -> Iterator[tuple[int, Outcome]]:
        """See :meth:`extract.executors.base.Executor.results`."""
        todo: queue.SimpleQueue[int] = queue.SimpleQueue()
        for i in range(len(items)):
            todo.put(i)
        done: queue.SimpleQueue[tuple[int, Outcome]] = queue.SimpleQueue()
        threads = [threading.Thread(target=_loop, args=(items, task, todo, done, stop),
                                    name=f"reply-worker-{n}", daemon=True)
                   for n in range(min(self.workers, len(items)))]
        for t in threads:
            t.start()
        left, deadline = len(items), None
        while left:
            try:
                item = done.get(timeout=_POLL_S)
            except queue.Empty:
                if not any(t.is_alive() for t in threads) and done.empty():
                    return  # every thread has ended (stopped): nothing more will come
                if stop.is_set():
                    deadline = deadline or time.monotonic() + GRACE_S
                    if abandon.is_set() or time.monotonic() > deadline:
                        return  # the rest are abandoned: daemon threads do not hold the exit
                continue
            left -= 1
            yield item

    def close(self) -> None:
        """Nothing held between runs."""


def _loop(items: Sequence[Any], task: Task, todo: queue.SimpleQueue[int],
          done: queue.SimpleQueue[tuple[int, Outcome]], stop: threading.Event) -> None:
    """One worker thread: take the next reply until there are none or the run is stopped."""
    while not stop.is_set():
        try:
            i = todo.get_nowait()
        except queue.Empty:
            return
        done.put((i, task(items[i])))
