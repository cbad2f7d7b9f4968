"""PDF throughput through the CLI's isolated path against in-process pymupdf, in one run
(issue 13: the CLI path within 1.5x).

Same PDFs (``bench.corpus`` PDF replies), measured side by side, repetitions interleaved so
that machine load hits both sides alike:

- ``cli``: ``foi-extract run DIR --out X -q`` in a fresh process (default workers; PDFs are
  parsed in the pool of worker processes).
- ``cli_inprocess``: the same command with PDF parsing done in the CLI's own process
  (``parse_pdf`` called directly, one reply at a time since pymupdf is not thread-safe):
  the same pipeline without isolation.
- ``load_pool`` / ``load_inprocess``: in a fresh process each, the PDFs' parse alone
  (pymupdf open + text + find_tables) through the pool, or directly; start-up included.

Writes bench/results/pdf_cli.json. ``python -m bench.pdf_cli [--n 100] [--reps 3]``
"""

from __future__ import annotations

import argparse
import json
import os
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
RESULTS = ROOT / "bench" / "results" / "pdf_cli.json"

CLI = "from extract.cli import main; main()"
# The CLI with PDFs parsed in its own process: the baseline without isolation.
CLI_INPROCESS = """
from extract.load import pdf
pdf.parse_pdf_isolated = pdf.parse_pdf
from extract.cli import main
main()
"""
LOAD = """
import sys, time
from pathlib import Path
t0 = time.monotonic()
from extract.limits import Limits
from extract.load import pdf
paths = sorted(Path(sys.argv[1]).glob("*.pdf"))
parse = pdf.parse_pdf if sys.argv[2] == "inprocess" else pdf.parse_pdf_isolated
if sys.argv[2] == "pool":
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(4) as ex:
        blocks = list(ex.map(lambda p: parse(p.read_bytes(), Limits()), paths))
else:
    blocks = [parse(p.read_bytes(), Limits()) for p in paths]
assert all(b for b, _ in blocks)
"""


def timed(args: list[str]) -> float:
    """Wall seconds of one fresh Python process; raises when it fails."""
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0][:40]!r} failed: {proc.stderr[-800:]}")
    return time.monotonic() - t0


def variants(pdfs: Path, tmp: Path) -> dict[str, Any]:
    """name -> a function giving one timed run of that variant."""
    def cli(script: str, tag: str) -> Any:
        def go(rep: int) -> float:
            return timed([script, "run", str(pdfs), "--out", str(tmp / f"{tag}{rep}"), "-q",
                          *(["--workers", "1"] if tag == "inproc" else [])])
        return go

    return {"cli": cli(CLI, "cli"), "cli_inprocess": cli(CLI_INPROCESS, "inproc"),
            "load_pool": lambda rep: timed([LOAD, str(pdfs), "pool"]),
            "load_inprocess": lambda rep: timed([LOAD, str(pdfs), "inprocess"])}


def main(argv: list[str] | None = None) -> int:
    """Generate the PDFs, time each variant ``--reps`` times interleaved, write the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100, help="PDF replies")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="foi-pdfbench-") as tmp:
        generate(args.n, 5, Path(tmp) / "c", layouts=["pdf"])
        pdfs = Path(tmp) / "c" / "replies"
        runs = variants(pdfs, Path(tmp))
        for rep in range(args.reps):
            for name, go in runs.items():
                times.setdefault(name, []).append(round(go(rep), 2))
                print(f"rep {rep + 1} {name}: {times[name][-1]} s", flush=True)
        records = (Path(tmp) / "cli0" / "records.jsonl").read_text().count("\n")
    med = {k: statistics.median(v) for k, v in times.items()}
    result = {"pdfs": args.n, "reps": args.reps, "seconds": times, "median_s": med,
              "cli_replies_per_s": round(args.n / med["cli"], 1),
              "ratio_cli_vs_cli_inprocess": round(med["cli"] / med["cli_inprocess"], 2),
              "ratio_load_pool_vs_inprocess": round(med["load_pool"] / med["load_inprocess"], 2),
              "target": "cli within 1.5x of in-process", "records_written": records,
              "cores": os.cpu_count(), "load_avg_at_end": os.getloadavg()[0],
              "python": platform.python_version()}
    result["target_met"] = result["ratio_cli_vs_cli_inprocess"] <= 1.5
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
