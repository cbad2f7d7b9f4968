"""The PDF worker pool (issue 13): workers started once and reused, a crashed or overrunning
worker replaced, Ctrl-C ends every wait, and mixed batches with threads running never time out
(the old fork-per-PDF from a threaded process could deadlock in the child)."""

from __future__ import annotations

import importlib
import json
import logging
import threading
import time
from pathlib import Path

import pytest

from bench.corpus import generate
from extract.errors import Interrupted, LoadError
from extract.grouping import group_inputs
from extract.limits import Limits
from extract.load.pdf import parse_pdf
from extract.load.pdf_pool import PdfPool
from extract.pipeline import RunConfig
from extract.runner import run_batch
from tests.fakes import pdf_parsers
from tests.fixtures.render import render_pdf


@pytest.fixture
def pdf_bytes(tmp_path: Path) -> bytes:
    return render_pdf(["A short letter about nothing much."], tmp_path / "a.pdf").read_bytes()


@pytest.fixture
def pool() -> object:
    p = PdfPool(size=1)
    yield p
    p.close()


def test_one_worker_serves_many_pdfs(pool: PdfPool, pdf_bytes: bytes) -> None:
    pids = {pool.parse(pdf_parsers.pid, pdf_bytes, Limits()) for _ in range(5)}
    blocks, warnings = pool.parse(parse_pdf, pdf_bytes, Limits())
    assert len(pids) == 1 and pool.started == 1
    assert "short letter" in blocks[0].text and warnings == []


def test_a_crashed_worker_is_replaced_and_the_reply_gets_an_error(pool: PdfPool,
                                                                  pdf_bytes: bytes) -> None:
    first = pool.parse(pdf_parsers.pid, pdf_bytes, Limits())
    with pytest.raises(LoadError, match="PDF parser crashed .*signal 11"):
        pool.parse(pdf_parsers.segfault, pdf_bytes, Limits())
    assert pool.parse(pdf_parsers.pid, pdf_bytes, Limits()) != first
    assert pool.started == 2


def test_an_overrunning_worker_is_killed_and_replaced(pool: PdfPool, pdf_bytes: bytes) -> None:
    t0 = time.monotonic()
    with pytest.raises(LoadError, match="longer than 0.5 s"):
        pool.parse(pdf_parsers.hang, pdf_bytes, Limits(reply_timeout_s=0.5))
    assert time.monotonic() - t0 < 5
    blocks, _ = pool.parse(parse_pdf, pdf_bytes, Limits())
    assert blocks and pool.started == 2


def test_abort_ends_a_parse_in_progress_and_refuses_new_ones(pool: PdfPool,
                                                             pdf_bytes: bytes) -> None:
    caught: list[BaseException] = []

    def parse() -> None:
        try:
            pool.parse(pdf_parsers.hang, pdf_bytes, Limits())
        except BaseException as exc:  # Interrupted is a BaseException on purpose
            caught.append(exc)

    worker = threading.Thread(target=parse)
    worker.start()
    time.sleep(1.0)  # let the worker start and take the task
    t0 = time.monotonic()
    pool.abort()
    worker.join(5)
    assert not worker.is_alive() and time.monotonic() - t0 < 2
    assert len(caught) == 1 and isinstance(caught[0], Interrupted)
    with pytest.raises(Interrupted):
        pool.parse(parse_pdf, pdf_bytes, Limits())


def test_close_while_parsing_ends_the_parse_and_closes_each_pipe_once(pdf_bytes: bytes) -> None:
    """Ctrl-C closes the pool while threads wait on their workers: every caller gets
    Interrupted and no thread fails on a pipe another thread closed (EBADF in CI once)."""
    for _ in range(3):
        pool = PdfPool(size=2)
        caught: list[BaseException] = []

        def parse(p: PdfPool = pool, out: list[BaseException] = caught) -> None:
            try:
                p.parse(pdf_parsers.hang, pdf_bytes, Limits())
            except BaseException as exc:  # Interrupted is a BaseException on purpose
                out.append(exc)

        threads = [threading.Thread(target=parse) for _ in range(2)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while len(pool._busy) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)  # the tasks are sent
        pool.close()
        for t in threads:
            t.join(5)
        assert [type(e) for e in caught] == [Interrupted, Interrupted]


def test_kill_from_many_threads_at_once_is_safe(pool: PdfPool, pdf_bytes: bytes) -> None:
    from extract.load.pdf_pool import _Worker

    worker = _Worker()
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def kill() -> None:
        start.wait()
        try:
            worker.kill()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=kill) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == [] and worker.tasks_out.closed and worker.answers.closed


def _busy_threads(stop: threading.Event) -> list[threading.Thread]:
    """Threads that keep taking the locks a forked child would inherit held (logging, imports)."""
    log = logging.getLogger("foi-test-noise")
    log.addHandler(logging.NullHandler())

    def churn() -> None:
        while not stop.is_set():
            log.warning("noise")
            importlib.invalidate_caches()
            importlib.import_module("json.decoder")

    threads = [threading.Thread(target=churn, daemon=True) for _ in range(2)]
    for t in threads:
        t.start()
    return threads


@pytest.mark.slow
def test_mixed_batches_with_threads_running_never_time_out(tmp_path: Path) -> None:
    # 24 replies, 8 of them PDFs, through the threaded runner three times while other
    # threads churn locks; the limit is generous, so any timeout is a hang, not slowness.
    generate(24, 5, tmp_path / "c", layouts=["pdf", "pipe", "html", "xlsx_eml", "pdf", "prose"])
    replies = group_inputs([tmp_path / "c" / "replies"], None)
    assert sum(p.suffix == ".pdf" for r in replies for p in r.paths) == 8
    stop = threading.Event()
    threads = _busy_threads(stop)
    try:
        for n in range(3):
            out = tmp_path / f"o{n}"
            summary = run_batch(replies, RunConfig(limits=Limits(reply_timeout_s=60)), out,
                                workers=4)
            errors = (out / "errors.jsonl").read_text() if (out / "errors.jsonl").exists() else ""
            assert (summary.ok, summary.failed) == (24, 0), errors
    finally:
        stop.set()
        for t in threads:
            t.join(5)
    records = [json.loads(x) for x in (tmp_path / "o2" / "records.jsonl").read_text().splitlines()]
    assert len(records) == 24
