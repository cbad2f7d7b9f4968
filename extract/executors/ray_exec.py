"""Replies as Ray tasks, on a local Ray or a cluster (``--executor ray [--address ADDRESS]``).

Each task runs the same reply task as the local executor and returns its :class:`Outcome`
(the record as a JSON-ready dict and the normalised text); the driver writes each one as it
arrives, so outputs, resume and Ctrl-C work as with local threads. At most a few tasks per
cluster CPU are in flight, so a run over 10^6 replies does not queue 10^6 tasks at once.

Task inputs are file paths and the LLM cache is a folder: on a cluster of several machines
both must be on storage every node sees at the same path.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from extract.executors.base import GRACE_S, Outcome, Task

_IN_FLIGHT_PER_CPU = 2
_POLL_S = 0.2


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ValueError("--executor ray needs Ray: pip install 'foi-extract[ray]'") from None
    return ray


def _run_one(task: Task, item: Any) -> Outcome:
    """The Ray task body: one reply, one PDF worker per Ray worker (Ray already fills the
    CPUs with tasks; a pool per task process of every CPU would oversubscribe them)."""
    from extract.load import pdf_pool

    pdf_pool.set_default_size(1)
    return task(item)


class RayExecutor:
    """Tasks on Ray; ``workers`` caps the CPUs of a local Ray started here."""

    name = "ray"

    def __init__(self, workers: int, address: str | None = None) -> None:
        ray = _ray()
        self._started_here = not ray.is_initialized()
        if self._started_here:
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                      "configure_logging": False}
            if address:
                kwargs["address"] = address
            else:
                kwargs["num_cpus"] = max(1, workers)
            try:
                ray.init(**kwargs)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ValueError(f"cannot start or join Ray ({exc})") from exc
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.window = max(1, cpus * _IN_FLIGHT_PER_CPU)
        self._remote = ray.remote(num_cpus=1, max_retries=0)(_run_one)

    def results(self, items: Sequence[Any], task: Task, stop: threading.Event,
                abandon: threading.Event) -> Iterator[tuple[int, Outcome]]:
        """See :meth:`extract.executors.base.Executor.results`."""
        ray = _ray()
        task_ref = ray.put(task)
        pending: dict[Any, int] = {}
        nxt, deadline = 0, None
        while nxt < len(items) or pending:
            while not stop.is_set() and nxt < len(items) and len(pending) < self.window:
                pending[self._remote.remote(task_ref, items[nxt])] = nxt
                nxt += 1
            if stop.is_set():
                deadline = deadline or time.monotonic() + GRACE_S
                if abandon.is_set() or time.monotonic() > deadline or not pending:
                    _cancel(ray, pending)
                    return
                nxt = len(items)  # start nothing new
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=_POLL_S)
            for ref in ready:
                i = pending.pop(ref)
                yield i, _get(ray, ref, items[i], stop)

    def close(self) -> None:
        """Shut down a local Ray started by this executor (a cluster is left running)."""
        ray = _ray()
        if self._started_here and ray.is_initialized():
            ray.shutdown()


def _get(ray: Any, ref: Any, item: Any, stop: threading.Event) -> Outcome:
    """A finished task's outcome; a task that died is a failure (interrupted after Ctrl-C)."""
    try:
        out: Outcome = ray.get(ref)
        return out
    except Exception as exc:  # RayTaskError, WorkerCrashedError, TaskCancelledError...
        doc_id = str(getattr(item, "doc_id", "?"))
        if stop.is_set():
            return Outcome(doc_id=doc_id, status="interrupted")
        return Outcome(doc_id=doc_id, status="failed",
                       error=f"InternalError ({type(exc).__name__})",
                       message=f"Ray task failed: {exc}")


def _cancel(ray: Any, pending: dict[Any, int]) -> None:
    for ref in pending:
        with contextlib.suppress(Exception):  # a task that already ended cannot be cancelled
            ray.cancel(ref, force=True)
