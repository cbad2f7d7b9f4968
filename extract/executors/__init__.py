"""How a run's replies are dispatched: threads on this machine, or tasks on a Ray cluster.

The runner hands an executor a picklable ``task`` (one reply in, one :class:`Outcome` out)
and the replies to do; the executor yields each outcome as it arrives and the runner (the
driver) writes it. Nothing here writes files: a record reaches ``records.jsonl`` only through
the driver, one line at a time, so both executors give the same outputs, resume and Ctrl-C
behaviour.
"""

from __future__ import annotations

from extract.executors.base import Executor, Outcome, Task

__all__ = ["EXECUTORS", "Executor", "Outcome", "Task", "make_executor"]

EXECUTORS = ("local", "ray")


def make_executor(name: str, workers: int, address: str | None = None) -> Executor:
    """The executor called ``name`` ("local" or "ray"); ValueError for another name.

    Ray is imported only here, only for ``ray``; without it installed the error says how
    to install it.
    """
    if name == "local":
        from extract.executors.local import LocalExecutor

        return LocalExecutor(workers)
    if name == "ray":
        from extract.executors.ray_exec import RayExecutor

        return RayExecutor(workers, address)
    raise ValueError(f"unknown executor {name!r}; choose from {', '.join(EXECUTORS)}")
