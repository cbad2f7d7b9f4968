"""Kill and resume: SIGKILL a real ``foi-extract run`` mid-batch, restart, lose nothing.

The first run goes through a small launcher that slows every reply down (so the kill lands
mid-run); the restart is the plain CLI. We also leave a torn half-line behind, as a kill in the
middle of a write would, to prove the restart cuts it away.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schemas import Record

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "replies"
COPIES = 8  # x 5 example replies = 40 replies

SLOW_LAUNCHER = """
import sys, time
from extract import pipeline
real = pipeline.process_reply
def slow(reply, config):
    time.sleep(0.15)
    return real(reply, config)
pipeline.process_reply = slow
from extract.cli import main
main(sys.argv[1:])
"""


def _inputs(folder: Path) -> list[str]:
    folder.mkdir()
    for n in range(COPIES):
        for p in sorted(EXAMPLES.glob("*.txt")):
            # a line of its own per copy: identical files would be read once (duplicates)
            text = p.read_text(encoding="utf-8") + f"\nCopy {n}\n"
            (folder / f"c{n:02d}_{p.name}").write_text(text, encoding="utf-8")
    return sorted(p.stem for p in folder.glob("*.txt"))


def _complete_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _records(path: Path) -> dict[str, dict]:
    raw = path.read_bytes()
    assert raw.endswith(b"\n"), "torn last line"
    out: dict[str, dict] = {}
    for line in raw.decode().splitlines():
        obj = json.loads(line)
        Record.model_validate(obj)
        assert obj["doc_id"] not in out, f"duplicate record {obj['doc_id']}"
        out[obj["doc_id"]] = obj
    return out


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from extract.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.mark.slow
def test_sigkill_then_restart_gives_exactly_one_record_per_reply(tmp_path: Path) -> None:
    ids = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    records = out / "records.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_LAUNCHER, "run", str(tmp_path / "in"),
                             "--out", str(out), "--workers", "4"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _complete_lines(records) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    done_before = _complete_lines(records)
    assert 10 <= done_before < len(ids), "the kill did not land mid-run"
    kept = {d: r["meta"]["input_hash"] for d, r in _records(records).items()}
    with open(records, "ab") as fh:  # what a kill inside write() could leave behind
        fh.write(b'{"schema_version":1,"doc_id":"c99_torn","outcome":"fu')

    again = _cli("run", str(tmp_path / "in"), "--out", str(out), "--workers", "4", "--quiet")
    assert again.returncode == 0, again.stderr
    final = _records(records)
    assert sorted(final) == ids  # exactly one valid record per reply, the torn line gone
    summary = json.loads((out / "summary.json").read_text())
    assert summary["replies"] == {"total": 40, "ok": 40 - done_before, "failed": 0,
                                  "skipped": done_before}
    assert any("torn" in w for w in summary["warnings"])
    assert all(final[d]["meta"]["input_hash"] == h for d, h in kept.items())

    clean = tmp_path / "clean"
    assert _cli("run", str(tmp_path / "in"), "--out", str(clean), "--quiet").returncode == 0
    fresh = _records(clean / "records.jsonl")
    for doc_id, rec in final.items():  # resumed records say what an uninterrupted run says
        a, b = dict(rec), dict(fresh[doc_id])
        for r in (a, b):
            r["meta"] = {k: v for k, v in r["meta"].items()
                         if k not in ("elapsed_s", "finished_at")}
        assert a == b, doc_id
    assert (out / "facts.csv").read_text() == (clean / "facts.csv").read_text()
