"""Stand-ins for ``extract.load.pdf.parse_pdf`` that misbehave, run inside the PDF workers.

They live at module level because the pool sends the parser to its worker processes by
reference (a test's local function cannot be pickled).
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from extract.limits import Limits
from extract.load.pdf import parse_pdf


def hang(data: bytes, limits: Limits) -> Any:
    """Sleep past any sensible limit (the parent kills the worker at the limit)."""
    time.sleep(30)
    return parse_pdf(data, limits)


def greedy(data: bytes, limits: Limits) -> Any:
    """Take 256 MiB, as a hostile PDF could make the parser do."""
    hog = bytearray(256 * 1024 * 1024)
    hog[-1] = 1
    return parse_pdf(data, limits)


def segfault(data: bytes, limits: Limits) -> Any:
    """Die the way a crash in MuPDF's C code would."""
    os.kill(os.getpid(), signal.SIGSEGV)
    return parse_pdf(data, limits)


def pid(data: bytes, limits: Limits) -> int:
    """The worker's process id (to see whether workers are reused or replaced)."""
    return os.getpid()


def slow(data: bytes, limits: Limits) -> Any:
    """The real parser after a 1.5 s pause (so a run is still busy when a test stops it)."""
    time.sleep(1.5)
    return parse_pdf(data, limits)
