"""A pool of PDF parser processes, started once per run and reused (issue 13).

Why not fork a child per PDF: the runner already has threads, and a child forked from a
threaded process inherits locks other threads held at that instant (the import lock, logging,
malloc arenas); it can then wait on one of them for ever. Here each worker is a fresh
interpreter (``subprocess``: fork + exec at once, safe from a threaded process; unlike
multiprocessing's spawn it does not re-run the caller's ``__main__``). A worker imports pymupdf
once and parses one PDF at a time under an RLIMIT_AS cap. The caller waits
at most ``limits.reply_timeout_s`` for the parse; a worker that overruns, crashes or runs out of
memory is killed, the next request starts a fresh one, and that reply gets a LoadError.

:func:`shutdown` (at exit, or on Ctrl-C) makes every wait end within ~0.1 s with
:class:`Interrupted`; busy workers are killed, so no half-parsed PDF outlives the run.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from extract.errors import Interrupted, LoadError
from extract.limits import Limits

Parser = Callable[[bytes, Limits], Any]

_POLL_S = 0.1  # how often a waiting caller looks at the abort flag
_MAX_TASKS = 200  # PDFs per worker before it is replaced (bounds slow growth inside MuPDF)


# ---------------------------------------------------------------- worker side


def serve(read_fd: int, write_fd: int) -> None:
    """A worker's loop: one (parser, data, limits) task in, one (status, payload) answer out."""
    # The parent decides what happens to a worker; a stray SIGINT must not print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import pymupdf  # noqa: F401 - once per worker, before the first task's clock starts

    tasks, answers = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return  # the parent has gone
        if task is None:
            return
        status, payload = _parse_capped(*task)
        try:
            answers.send((status, payload))
        except OSError:
            return  # the parent has gone (killed, or gave up on this task)
        except Exception as exc:  # an answer that cannot be pickled must still be an answer
            with contextlib.suppress(OSError):
                answers.send(("error", f"PDF parser answer could not be sent "
                                       f"({type(exc).__name__})"))
        if status == "fatal":
            return  # after a MemoryError the heap is suspect: let a fresh worker take over


def _parse_capped(parser: Parser, data: bytes, limits: Limits) -> tuple[str, Any]:
    """Run the parser with RLIMIT_AS capped at what is mapped now plus ``pdf_memory_bytes``."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _vm_size() + limits.pdf_memory_bytes
    capped = hard == resource.RLIM_INFINITY or cap < hard
    try:
        if capped:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        return "ok", parser(data, limits)
    except LoadError as exc:
        return "error", str(exc)
    except MemoryError:
        return "fatal", f"PDF needs more than {limits.pdf_memory_bytes:,} bytes of memory"
    except Exception as exc:  # the worker must always answer; the caller raises LoadError
        return "error", f"PDF parser failed ({type(exc).__name__}: {exc})"
    finally:
        if capped:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _vm_size() -> int:
    """This process's current virtual size in bytes (the cap is on top of what is mapped)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0


# ---------------------------------------------------------------- parent side


# The worker is a fresh interpreter (fork + exec): nothing of this threaded process is
# inherited, not even its __main__ (multiprocessing's spawn and forkserver would re-run it).
_BOOT = ("import sys; sys.path[:0] = {path!r}; "
         "from extract.load.pdf_pool import serve; serve({r}, {w})")


class _Worker:
    """One parser process and the parent's ends of its two pipes."""

    def __init__(self) -> None:
        task_r, task_w = os.pipe()
        answer_r, answer_w = os.pipe()
        try:
            # process_group=0: a terminal's Ctrl-C reaches the CLI, not its workers; the
            # CLI ends them itself.
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _BOOT.format(path=sys.path, r=task_r, w=answer_w)],
                pass_fds=(task_r, answer_w), stdin=subprocess.DEVNULL, process_group=0)
        except BaseException:
            for fd in (task_r, task_w, answer_r, answer_w):
                os.close(fd)
            raise
        os.close(task_r)
        os.close(answer_w)
        self.tasks_out = Connection(task_w, readable=False)
        self.answers = Connection(answer_r, writable=False)
        self.tasks = 0
        # kill() may be reached from the thread that owns the worker and from close() at
        # once; closing a pipe twice could close an fd another thread has just reused.
        self._kill_lock = threading.Lock()

    def ask(self, task: tuple[Parser, bytes, Limits], timeout_s: float,
            abort: threading.Event) -> tuple[str, Any]:
        """Send one task and wait for its answer; LoadError on timeout or crash."""
        self.tasks += 1
        try:
            self.tasks_out.send(task)
        except (OSError, ValueError) as exc:
            raise LoadError(f"PDF parser crashed ({self._death()})") from exc
        deadline = time.monotonic() + timeout_s
        while not self.answers.poll(max(0.0, min(_POLL_S, deadline - time.monotonic()))):
            if abort.is_set():
                raise Interrupted("PDF parsing abandoned: the run was interrupted")
            if time.monotonic() >= deadline:
                raise LoadError(f"PDF parsing took longer than {timeout_s:g} s; stopped")
        try:
            answer: tuple[str, Any] = self.answers.recv()
        except (EOFError, OSError) as exc:
            if abort.is_set():  # killed by the shutdown, not by the PDF
                raise Interrupted("PDF parsing abandoned: the run was interrupted") from exc
            raise LoadError(f"PDF parser crashed ({self._death()})") from exc
        return answer

    def _death(self) -> str:
        try:
            code = self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "worker stopped answering"
        if code < 0:
            return f"worker killed by signal {-code}"
        return f"worker died, exit code {code}"

    def stop(self, grace_s: float = 1.0) -> None:
        """Ask the worker to exit; kill it if it does not within ``grace_s``."""
        with contextlib.suppress(OSError, ValueError):
            self.tasks_out.send(None)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=grace_s)
        self.kill()

    def terminate(self) -> None:
        """End the process now, leaving the pipes to the thread that uses them: its wait
        ends (EOF or the abort flag) and its release closes them."""
        with contextlib.suppress(OSError):
            if self.proc.poll() is None:
                self.proc.kill()

    def kill(self) -> None:
        """End the process now (a no-op when it has already exited) and close the pipes;
        safe to call more than once, from any thread."""
        with self._kill_lock:
            self.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
            for conn in (self.tasks_out, self.answers):
                if not conn.closed:
                    conn.close()


class PdfPool:
    """Up to ``size`` parser processes, started on demand and reused; thread-safe."""

    def __init__(self, size: int | None = None) -> None:
        self.size = max(1, size or os.cpu_count() or 1)
        self.started = 0  # processes started over the pool's life (a test reads it)
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0  # slots taken by processes being started (outside the lock)
        self._cond = threading.Condition()
        self._abort = threading.Event()
        self._closed = False

    def parse(self, parser: Parser, data: bytes, limits: Limits) -> Any:
        """``parser(data, limits)`` in a worker; its result, or LoadError / Interrupted."""
        worker = self._acquire()
        healthy = False
        try:
            status, payload = worker.ask((parser, data, limits), limits.reply_timeout_s,
                                         self._abort)
            healthy = status != "fatal"
        finally:
            self._release(worker, healthy)
        if status != "ok":
            raise LoadError(payload)
        return payload

    def _acquire(self) -> _Worker:
        with self._cond:
            while True:
                if self._abort.is_set() or self._closed:
                    raise Interrupted("PDF parsing not started: the run was interrupted")
                if self._idle:
                    worker = self._idle.pop()
                    self._busy.add(worker)
                    return worker
                if len(self._busy) + self._starting < self.size:
                    self._starting += 1
                    break
                self._cond.wait(_POLL_S)
        return self._start()  # outside the lock: the first start also starts the forkserver

    def _start(self) -> _Worker:
        try:
            worker = _Worker()
        except OSError as exc:
            raise LoadError(f"cannot start a PDF parser process ({exc})") from exc
        finally:
            with self._cond:
                self._starting -= 1
        with self._cond:
            self.started += 1
            self._busy.add(worker)
        return worker

    def _release(self, worker: _Worker, healthy: bool) -> None:
        with self._cond:
            self._busy.discard(worker)
            keep = healthy and worker.tasks < _MAX_TASKS and not self._closed
            if keep:
                self._idle.append(worker)
            self._cond.notify()
        if not keep:
            worker.kill()  # timed out, crashed, out of memory or worn: a fresh one replaces it

    def abort(self) -> None:
        """End every wait now with Interrupted and refuse new work; busy workers are killed."""
        self._abort.set()
        with self._cond:
            self._cond.notify_all()

    def close(self) -> None:
        """Stop idle workers politely and end busy ones (their callers get Interrupted and
        close the pipes themselves)."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            busy = list(self._busy)
        self._abort.set()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.terminate()


_POOL: PdfPool | None = None
_POOL_LOCK = threading.Lock()
_DEFAULT_SIZE: int | None = None  # None: one worker per CPU


def set_default_size(size: int | None) -> None:
    """The size of pools created from now on (a Ray task process wants 1, not every CPU)."""
    global _DEFAULT_SIZE
    _DEFAULT_SIZE = size


def get_pool() -> PdfPool:
    """The process-wide pool, created on the first PDF (a text-only run starts no process)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = PdfPool(_DEFAULT_SIZE)
        return _POOL


def shutdown() -> None:
    """Close the pool (if any): parses in progress or waiting end with Interrupted (Ctrl-C),
    idle workers exit. The next PDF starts a new pool."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.close()


atexit.register(shutdown)
