"""bench.run: the benchmarks run end to end on a tiny corpus and write their JSON."""

from __future__ import annotations

import json
from pathlib import Path

from bench.corpus import LAYOUTS
from bench.run import run


def test_bench_run_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    results = run([10, 20], accuracy_n=len(LAYOUTS) * 2, seed=5, out=out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["size_ratio"] == 2.0
    assert [r["n"] for r in saved["throughput"]] == [10, 20]
    for r in saved["throughput"]:
        assert r["replies_per_s"] > 0 and r["peak_rss_mb"] > 10
        assert r["failures"] == 0
    by_layout = saved["accuracy"]["by_layout"]
    assert set(by_layout) == {*LAYOUTS, "all"}
    assert by_layout["all"]["replies"] == len(LAYOUTS) * 2
    for layout in LAYOUTS:
        assert 0.0 <= by_layout[layout]["f1"] <= 1.0
    # The scores are real: the rules reader reads a fair share of this corpus.
    assert by_layout["all"]["f1"] > 0.2
    assert results["machine"]["cores"]
