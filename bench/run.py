"""Benchmarks measured side by side in one run (issue #9); prints a table, writes JSON.

    python -m bench.run [--sizes 1000,10000] [--accuracy-n 500] [--out bench/results/bench.json]
                        [--llm-economy-n 100] [--llm-concurrency-n 200] [--llm-workers 1,4,16,64]

- rules-backend throughput on generated plain-text replies, each size in a fresh subprocess
  (replies/s on one core, CPU time, peak RSS via ``resource.getrusage``), and the time ratio
  between the largest and smallest size;
- accuracy of the rules backend on a generated corpus of every layout: eval micro-F1 by layout
  and by kind, with sample disagreements;
- LLM reader economy (calls and prompt tokens per reply, cache hits on a rerun) and
  concurrency (1..64 workers against a fake that answers in 500 ms): ``bench/llm_bench.py``,
  against a local fake endpoint in a child process (``--llm-economy-n 0`` skips them).

Measured separately: PDF ingestion against pymupdf / pymupdf4llm (bench/ingest.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.corpus import LAYOUTS, TEXT_LAYOUTS, generate, read_manifest

RESULTS = Path(__file__).parent / "results" / "bench.json"


def _process_all(root: Path, out: Path) -> dict[str, Any]:
    """Read every reply of a corpus with the rules backend, appending records to ``out``."""
    from extract.grouping import ReplyInput
    from extract.pipeline import RunConfig, process_reply

    config = RunConfig(backend="rules")
    failures = 0
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    with open(out, "w", encoding="utf-8") as fh:
        for row in read_manifest(root):
            try:
                record, _ = process_reply(ReplyInput(row["doc_id"], [root / row["file"]]),
                                          config)
            except Exception:  # noqa: BLE001 - a bad reply is counted, never stops the run
                failures += 1
                continue
            fh.write(record.model_dump_json(exclude={"evidence"}) + "\n")
    return {"wall_s": time.perf_counter() - start_wall,
            "cpu_s": time.process_time() - start_cpu, "failures": failures,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def throughput(n: int, seed: int, work: Path) -> dict[str, Any]:
    """Generate n text replies, then time reading them in a fresh single-process worker."""
    root = work / f"text_{n}"
    t0 = time.perf_counter()
    generate(n, seed, root, TEXT_LAYOUTS)
    gen_s = time.perf_counter() - t0
    # The machine may be shared: the load around the run says how far wall time is to be
    # trusted (compare CPU time across runs).
    load_before = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, "-m", "bench.run", "--worker", str(root)],
                          capture_output=True, text=True, check=True)
    res: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    res.update({"n": n, "generate_s": round(gen_s, 2),
                "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "replies_per_s": round(n / res["wall_s"], 1),
                "replies_per_cpu_s": round(n / res["cpu_s"], 1)})
    res["wall_s"], res["cpu_s"] = round(res["wall_s"], 2), round(res["cpu_s"], 2)
    res["peak_rss_mb"] = round(res["peak_rss_mb"], 1)
    return res


def _layout_reports(root: Path, records: Path) -> dict[str, Any]:
    from eval import flatten, score
    from eval.io import load_records

    gold = load_records(root / "gold")
    pred = load_records(records) if records.stat().st_size else {}
    by_layout: dict[str, list[str]] = defaultdict(list)
    for row in read_manifest(root):
        by_layout[row["layout"]].append(row["doc_id"])
    out: dict[str, Any] = {}
    for layout in [*LAYOUTS, "all"]:
        ids = [d for ids in by_layout.values() for d in ids] if layout == "all" \
            else by_layout.get(layout, [])
        if not ids:
            continue
        rep = score({d: flatten(gold[d]) for d in ids},
                    {d: flatten(pred[d]) for d in ids if d in pred})
        out[layout] = _summary(rep, len(ids), sum(d not in pred for d in ids))
    return out


def _summary(rep: Any, n: int, failed: int) -> dict[str, Any]:
    kinds = {k: round(v.f1, 3) for k, v in rep.by_kind().items() if v.tp + v.fp + v.fn}
    misses = Counter(f"{x.kind}: gold={x.gold!s:.40} pred={x.pred!s:.40}"
                     for d in rep.docs for x in d.disagreements)
    return {"replies": n, "failed": failed, **rep.micro().as_dict(), "f1_by_kind": kinds,
            "top_disagreements": misses.most_common(5)}


def accuracy(n: int, seed: int, work: Path) -> dict[str, Any]:
    """Rules-backend eval micro-F1 by layout on an n-reply corpus of every layout."""
    root = work / "accuracy"
    generate(n, seed, root)
    records = root / "records.jsonl"
    timing = _process_all(root, records)
    return {"n": n, "seed": seed, "read_s": round(timing["wall_s"], 2),
            "by_layout": _layout_reports(root, records)}


def machine() -> dict[str, Any]:
    """Where the figures were taken."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform()}


def _print(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    t = Table(title="Rules backend throughput (plain-text replies, one process)")
    for col in ("replies", "wall s", "replies/s", "replies/CPU s", "peak RSS MB", "failures"):
        t.add_column(col, justify="right")
    for r in results["throughput"]:
        t.add_row(str(r["n"]), str(r["wall_s"]), str(r["replies_per_s"]),
                  str(r["replies_per_cpu_s"]), str(r["peak_rss_mb"]), str(r["failures"]))
    console.print(t)
    if "time_ratio" in results:
        console.print(f"time ratio largest/smallest: wall {results['time_ratio']}, CPU "
                      f"{results['cpu_time_ratio']} (size ratio {results['size_ratio']})")
    if "llm_economy" in results:
        from bench.llm_bench import print_results

        print_results(results)
    a = Table(title=f"Rules backend accuracy by layout (n={results['accuracy']['n']})")
    for col in ("layout", "replies", "failed", "P", "R", "F1"):
        a.add_column(col, justify="right")
    for layout, r in results["accuracy"]["by_layout"].items():
        a.add_row(layout, str(r["replies"]), str(r["failed"]), f"{r['precision']:.3f}",
                  f"{r['recall']:.3f}", f"{r['f1']:.3f}")
    console.print(a)


@dataclass(frozen=True)
class LLMBench:
    """Sizes of the LLM economy and concurrency benchmarks (economy_n 0: skip both)."""

    economy_n: int = 100
    concurrency_n: int = 200
    workers: tuple[int, ...] = (1, 4, 16, 64)
    delay_s: float = 0.5


def _llm(llm: LLMBench, seed: int) -> dict[str, Any]:
    from bench import llm_bench

    res = llm_bench.run_all(llm.economy_n, llm.concurrency_n, llm.workers, llm.delay_s, seed)
    res["llm_targets"] = llm_bench.targets(res)
    res["llm_seed"] = res.pop("seed")
    return res


def run(sizes: list[int], accuracy_n: int, seed: int, out: Path,
        llm: LLMBench | None = None) -> dict[str, Any]:
    """Run every benchmark and write the JSON results (the LLM ones only when ``llm``)."""
    results: dict[str, Any] = {"machine": machine(), "seed": seed,
                               "when": time.strftime("%Y-%m-%d %H:%M:%S")}
    with tempfile.TemporaryDirectory(prefix="foi-bench-") as tmp:
        work = Path(tmp)
        results["throughput"] = [throughput(n, seed, work) for n in sizes]
        if len(sizes) > 1:
            first, last = results["throughput"][0], results["throughput"][-1]
            results["time_ratio"] = round(last["wall_s"] / first["wall_s"], 2)
            results["cpu_time_ratio"] = round(last["cpu_s"] / first["cpu_s"], 2)
            results["size_ratio"] = round(last["n"] / first["n"], 2)
        results["accuracy"] = accuracy(accuracy_n, seed + 1, work)
    not_measured = ["pdf_ingestion (bench/ingest.py)"]
    if llm is not None and llm.economy_n > 0:
        results.update(_llm(llm, seed + 2))
    else:
        not_measured[:0] = ["llm_economy", "concurrency"]
    results["not_measured"] = not_measured
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--accuracy-n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--llm-economy-n", type=int, default=100, help="0 skips the LLM benches")
    ap.add_argument("--llm-concurrency-n", type=int, default=200)
    ap.add_argument("--llm-workers", default="1,4,16,64")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(_process_all(args.worker, args.worker / "records.jsonl")))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    llm = LLMBench(args.llm_economy_n, args.llm_concurrency_n,
                   tuple(int(w) for w in args.llm_workers.split(",") if w.strip()))
    _print(run(sizes, args.accuracy_n, args.seed, args.out, llm))
    print(f"results written to {args.out}")


if __name__ == "__main__":
    main()
