"""The local executor: every outcome once, and after a stop a reply stuck in progress (a slow
model call, say) is abandoned after the grace period instead of holding the run."""

from __future__ import annotations

import threading
import time

import pytest

from extract.executors import make_executor
from extract.executors.base import GRACE_S, Outcome
from extract.executors.local import LocalExecutor


def _echo(item: str) -> Outcome:
    return Outcome(doc_id=item, status="ok")


def test_every_item_comes_back_once() -> None:
    items = [f"r{i}" for i in range(25)]
    got = list(LocalExecutor(4).results(items, _echo, threading.Event(), threading.Event()))
    assert sorted(i for i, _ in got) == list(range(25))
    assert all(out.doc_id == items[i] for i, out in got)


def test_a_stop_abandons_a_stuck_reply_after_the_grace_period() -> None:
    stop, abandon, release = threading.Event(), threading.Event(), threading.Event()

    def task(item: str) -> Outcome:
        if item == "stuck":
            release.wait(60)
        return Outcome(doc_id=item, status="ok")

    items = ["quick", "stuck", *[f"later{i}" for i in range(10)]]
    results = LocalExecutor(2).results(items, task, stop, abandon)
    seen = []
    t0 = 0.0
    for i, _ in results:
        seen.append(items[i])
        if not stop.is_set():
            stop.set()  # Ctrl-C after the first outcome
            t0 = time.monotonic()
    waited = time.monotonic() - t0
    release.set()
    assert "stuck" not in seen and len(seen) < len(items)
    assert GRACE_S - 0.5 < waited < GRACE_S + 2


def test_unknown_executor_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown executor"):
        make_executor("spark", 2)
