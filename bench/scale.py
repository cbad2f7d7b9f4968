"""Scale bench (issue 17 item 3): the same mixed replies through the CLI with 1 and 2 workers,
local threads and a local Ray, ratios side by side from one run.

Each of the four runs is a fresh ``foi-extract run ... -q`` process into a fresh folder.
``run_wall_s`` is the time inside the run (summary.json; a local Ray is already up by then),
``process_wall_s`` the whole process (Python start-up, imports, Ray start and stop).
Writes bench/results/scale.json.

    python -m bench.scale [--n 2000] [--seed 17] [--scanned 20]

``--scanned K`` turns K of the corpus's PDF replies into scanned letters (every page replaced
by a 200 dpi picture of it, no text layer), so the runs include OCR.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.corpus import generate, read_manifest
from tests.fixtures.render import image_only_pdf

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "scale.json"
CLI = "from extract.cli import main; main()"


def one_run(replies: Path, out: Path, executor: str, workers: int) -> dict[str, Any]:
    """One CLI run; its figures (raises when the run fails outright)."""
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", CLI, "run", str(replies), "--out", str(out),
                           "-q", "--executor", executor, "--workers", str(workers)],
                          cwd=ROOT, capture_output=True, text=True, timeout=7200)
    wall = time.monotonic() - t0
    if not (out / "summary.json").exists():
        raise RuntimeError(f"{executor}/{workers} failed: {proc.stderr[-800:]}")
    summary = json.loads((out / "summary.json").read_text())
    n = summary["replies"]["ok"]
    return {"executor": executor, "workers": workers, "exit_code": proc.returncode,
            "ok": n, "failed": summary["replies"]["failed"],
            "run_wall_s": summary["wall_time_s"], "process_wall_s": round(wall, 2),
            "replies_per_s": round(n / summary["wall_time_s"], 2)}


def scan_some(replies: Path, k: int) -> int:
    """Replace the first k PDF replies (in name order) by image-only copies; how many."""
    pdfs = sorted(replies.rglob("*.pdf"))[:k]
    for p in pdfs:
        scan = image_only_pdf(p, p.with_suffix(".scan"))
        scan.replace(p)
    return len(pdfs)


def ratios(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Speed-up from 1 to 2 workers per executor, and Ray against local per worker count."""
    by = {(r["executor"], r["workers"]): r["run_wall_s"] for r in runs}
    out = {}
    for ex in ("local", "ray"):
        out[f"{ex}_speedup_2_vs_1_workers"] = round(by[ex, 1] / by[ex, 2], 2)
    for w in (1, 2):
        out[f"ray_vs_local_time_{w}_workers"] = round(by["ray", w] / by["local", w], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, run the four configurations, write and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--scanned", type=int, default=20,
                    help="PDF replies turned into image-only scans (OCR)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory(prefix="foi-scale-") as tmp:
        corpus = Path(tmp) / "c"
        generate(args.n, args.seed, corpus)
        layouts = Counter(row["layout"] for row in read_manifest(corpus))
        layouts["scanned (of pdf)"] = scan_some(corpus / "replies", args.scanned)
        for workers in (1, 2):  # local and Ray side by side, so load drifts hit both alike
            for executor in ("local", "ray"):
                runs.append(one_run(corpus / "replies", Path(tmp) / f"{executor}{workers}",
                                    executor, workers))
                print(json.dumps(runs[-1]), flush=True)
    result = {"replies": args.n, "seed": args.seed, "layouts": dict(sorted(layouts.items())),
              "runs": runs, "ratios": ratios(runs), "cores": os.cpu_count(),
              "load_avg_at_end": round(os.getloadavg()[0], 1),
              "python": platform.python_version()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if all(r["failed"] == 0 and r["exit_code"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
