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


def test_a_ray_task_carries_no_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ray's object store can spill to disk: the key stays out of the pickled task and each
    worker takes it from its own environment."""
    import functools
    import pickle

    from pydantic import SecretStr

    from extract.executors import ray_exec
    from extract.llm.config import LLMConfig
    from extract.pipeline import RunConfig

    secret = "-".join(["sk", "ray", "secret", "value", "0123456789abcdef"])
    config = RunConfig(backend="llm", llm=LLMConfig(api_key=SecretStr(secret), model="m"))
    seen: list[str | None] = []

    def task(item: object, config: RunConfig) -> str:
        key = config.llm.api_key
        seen.append(key.get_secret_value() if key else None)
        return "ok"

    shipped = ray_exec.keyless(functools.partial(task, config=config))
    assert secret.encode() not in pickle.dumps(shipped.keywords["config"])
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    assert ray_exec._run_one(shipped, "reply") == "ok" and seen == [secret]
    monkeypatch.delenv("OPENAI_API_KEY")
    ray_exec._run_one(shipped, "reply")
    assert seen[-1] is None
