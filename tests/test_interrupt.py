"""Ctrl-C during ``foi-extract run`` (issue 13): a real SIGINT to the CLI's whole process group
(as a terminal sends it, so the PDF workers get it too) while PDFs are being parsed."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
SLOW_PDFS = """
import sys
from extract.load import pdf
from tests.fakes import pdf_parsers
pdf.parse_pdf = pdf_parsers.slow  # sent to the PDF workers by reference
from extract.cli import main
main(sys.argv[1:])
"""
LINE = re.compile(r"^interrupted: (\d+) done, (\d+) left; run again to continue$")


def _lines(path: Path) -> list[dict]:
    raw = path.read_bytes() if path.exists() else b""
    assert not raw or raw.endswith(b"\n"), "torn last line"
    return [json.loads(x) for x in raw.decode().splitlines()]


def _group_gone(pgid: int, wait_s: float = 5.0) -> bool:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    print(subprocess.run(["ps", "-o", "pid,stat,args", "-g", str(pgid)], capture_output=True,
                         text=True).stdout)
    return False


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_a_rerun_finishes(tmp_path: Path) -> None:
    generate(16, 5, tmp_path / "c", layouts=["pdf", "pipe"])  # 8 PDFs, 8 text replies
    replies, out = tmp_path / "c" / "replies", tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_PDFS, "run", str(replies), "--out",
                             str(out), "--workers", "2", "-q"], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_lines(out / "records.jsonl")) < 2 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # the whole group, as Ctrl-C in a terminal
    t0 = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    assert time.monotonic() - t0 < 8, "took too long to stop"
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    lines = [x for x in stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and LINE.match(lines[0]), stderr
    done, left = map(int, LINE.match(lines[0]).groups())  # type: ignore[union-attr]
    assert done + left == 16 and left > 0
    records = _lines(out / "records.jsonl")
    assert len(records) == done and len({r["doc_id"] for r in records}) == done, (
        (out / "errors.jsonl").read_text())
    assert _lines(out / "errors.jsonl") == []  # interrupted replies are not failures
    assert _group_gone(proc.pid), "a worker process outlived the run"

    rerun = subprocess.run([sys.executable, "-c", "from extract.cli import main; main()", "run",
                            str(replies), "--out", str(out)], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{left} replies to process, {done} unchanged" in rerun.stderr
    assert len(_lines(out / "records.jsonl")) == 16


def test_a_stopped_run_leaves_no_failures_and_the_next_run_in_process_finishes(
        tmp_path: Path) -> None:
    from extract import pipeline
    from extract.grouping import group_inputs
    from extract.runner import run_batch

    generate(6, 5, tmp_path / "c", layouts=["pdf"])
    replies = group_inputs([tmp_path / "c" / "replies"], None)
    stop = threading.Event()

    def stop_after_first(reply, config):  # type: ignore[no-untyped-def]
        result = pipeline.process_reply(reply, config)
        stop.set()  # as the SIGINT handler does
        return result

    first = run_batch(replies, pipeline.RunConfig(), tmp_path / "o", workers=2,
                      process=stop_after_first, stop=stop)
    assert first.interrupted and first.exit_code == 130 and first.failed == 0
    assert 1 <= first.ok < 6 and first.left == 6 - first.ok
    assert not (tmp_path / "o" / "errors.jsonl").read_text()
    # the PDF pool was shut down by the stop; the next run must get a fresh one
    second = run_batch(replies, pipeline.RunConfig(), tmp_path / "o", workers=2)
    assert (second.ok, second.skipped, second.failed) == (6 - first.ok, first.ok, 0)
    assert not second.interrupted and second.exit_code == 0
