"""The executor interface and what one reply's work comes back as."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

GRACE_S = 3.0  # after Ctrl-C, how long replies in progress get to finish before being abandoned


@dataclass(frozen=True)
class Outcome:
    """One reply's result, plain data so it crosses process and machine boundaries.

    ``status`` is "ok" (``record`` is the record as JSON-ready dict, ``text`` the normalised
    text), "failed" (``error`` and ``message``) or "interrupted" (stopped by Ctrl-C: not a
    failure, nothing is logged, a rerun does it again).
    """

    doc_id: str
    status: str
    elapsed_s: float = 0.0
    record: dict[str, Any] | None = None
    text: str | None = None
    error: str = ""
    message: str = ""


Task = Callable[[Any], Outcome]


class Executor(Protocol):
    """Runs a task over replies and yields ``(index, outcome)`` as each one finishes."""

    name: str

    def results(self, items: Sequence[Any], task: Task, stop: threading.Event,
                abandon: threading.Event) -> Iterator[tuple[int, Outcome]]:
        """Outcomes in finishing order. Once ``stop`` is set, start nothing new; yield what
        finishes within :data:`GRACE_S` (less once ``abandon`` is set), then return: the
        items never yielded are left for a rerun."""
        ...

    def close(self) -> None:
        """Release what the executor holds (threads, a Ray connection)."""
        ...
