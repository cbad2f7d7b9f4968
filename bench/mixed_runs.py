"""Reliability of bulk runs on a mixed folder (issue 13, "Must show"): the CLI with default
workers, N runs in a row on the 200-reply corpus ``python -m bench.corpus --n 200 --seed 5``
(140 text, 20 HTML, 20 e-mail, 20 PDF), each into a fresh output folder.

Counts, per run: exit code, replies ok / failed, timeouts (``ReplyTimeout`` or a PDF parse
that ran over ``reply_timeout_s``), the run's own wall time and the process's wall time (the
gap is start-up and shut-down; a hang at exit shows there). Writes
bench/results/mixed_runs.json. Exits 1 when any run had a timeout or a failure.

    python -m bench.mixed_runs [--runs 20] [--n 200] [--seed 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.corpus import generate

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "mixed_runs.json"
SHOWN = ("exit_code", "ok", "failed", "timeouts", "run_wall_s", "process_wall_s")


def is_timeout(err: dict[str, Any]) -> bool:
    """An errors.jsonl line that reports a time limit being hit."""
    return err.get("error") == "ReplyTimeout" or "longer than" in str(err.get("message", ""))


def one_run(replies: Path, out: Path) -> dict[str, Any]:
    """``foi-extract run replies --out out -q`` in a fresh process; its figures."""
    t0 = time.monotonic()
    cmd = [sys.executable, "-c", "from extract.cli import main; main()", "run", str(replies),
           "--out", str(out), "-q"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=1800)
    wall = time.monotonic() - t0
    summary = json.loads((out / "summary.json").read_text()) if (
        out / "summary.json").exists() else {}
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()
              if line.strip()] if (out / "errors.jsonl").exists() else []
    counts = summary.get("replies", {})
    return {"exit_code": proc.returncode, "ok": counts.get("ok", 0),
            "failed": counts.get("failed", len(errors)),
            "timeouts": sum(is_timeout(e) for e in errors),
            "run_wall_s": summary.get("wall_time_s"), "process_wall_s": round(wall, 2),
            "errors": errors[:5], "stderr_tail": proc.stderr[-500:] if proc.returncode else ""}


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, run the CLI ``--runs`` times, write and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="foi-mixed-") as tmp:
        corpus = Path(tmp) / "corpus"
        generate(args.n, args.seed, corpus)
        runs = []
        for i in range(args.runs):
            runs.append(one_run(corpus / "replies", Path(tmp) / f"out{i:02d}"))
            shown = {k: runs[-1][k] for k in SHOWN}
            print(f"run {i + 1}/{args.runs}: {json.dumps(shown)}", flush=True)
    walls = [r["process_wall_s"] for r in runs]
    result = {"replies": args.n, "seed": args.seed, "runs": len(runs),
              "formats": "bench.corpus mix: 140 text, 20 HTML, 20 e-mail, 20 PDF at n=200",
              "workers": "default", "timeouts": sum(r["timeouts"] for r in runs),
              "failures": sum(r["failed"] for r in runs),
              "nonzero_exits": sum(r["exit_code"] != 0 for r in runs),
              "process_wall_s": {"min": min(walls), "median": round(statistics.median(walls), 2),
                                 "max": max(walls)},
              "python": platform.python_version(), "per_run": runs}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "per_run"}, indent=2))
    return 1 if result["timeouts"] or result["failures"] or result["nonzero_exits"] else 0


if __name__ == "__main__":
    sys.exit(main())
