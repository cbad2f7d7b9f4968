"""Check that two ``foi-extract run`` output folders hold the same extraction results.

    python -m bench.same_outputs BASELINE_DIR NEW_DIR [BASELINE_DIR NEW_DIR ...]

Used to prove that a performance change alters no output: records, facts, errors, the
normalised texts and the review page must match exactly once the fields that depend on the
run itself are dropped (timings, the finishing time and the config hash, which covers the
code's own hash). Exit 0 when every pair matches, 1 (with the first differences printed)
otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# Fields that change from run to run or with the code itself, not with the extraction.
RUN_FIELDS = ("elapsed_s", "finished_at", "config_hash")


def _records(folder: Path) -> dict[str, Any]:
    """The records of a run keyed by doc_id, without their run-time meta fields."""
    out: dict[str, Any] = {}
    for line in (folder / "records.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for key in RUN_FIELDS:
            rec.get("meta", {}).pop(key, None)
        out[rec["doc_id"]] = rec
    return out


def _errors(folder: Path) -> list[str]:
    """The error lines of a run, sorted, without run-time fields."""
    path = folder / "errors.jsonl"
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for key in RUN_FIELDS:
            row.pop(key, None)
        rows.append(json.dumps(row, sort_keys=True))
    return sorted(rows)


def _docs(folder: Path) -> dict[str, bytes]:
    """The normalised text of every reply, by file name."""
    return {p.name: p.read_bytes() for p in sorted((folder / "docs").glob("*"))}


def compare(base: Path, new: Path) -> list[str]:
    """Differences between two output folders (empty when they hold the same results)."""
    diffs: list[str] = []
    old_recs, new_recs = _records(base), _records(new)
    if old_recs.keys() != new_recs.keys():
        diffs.append(f"doc_ids differ: {sorted(old_recs.keys() ^ new_recs.keys())[:5]}")
    for doc_id in sorted(old_recs.keys() & new_recs.keys()):
        if old_recs[doc_id] != new_recs[doc_id]:
            diffs.append(f"record {doc_id} differs")
    old_facts = sorted((base / "facts.csv").read_text(encoding="utf-8").splitlines())
    if old_facts != sorted((new / "facts.csv").read_text(encoding="utf-8").splitlines()):
        diffs.append("facts.csv differs")
    if _errors(base) != _errors(new):
        diffs.append("errors.jsonl differs")
    if _docs(base) != _docs(new):
        diffs.append("docs/ differ")
    if (base / "review.html").read_bytes() != (new / "review.html").read_bytes():
        diffs.append("review.html differs")
    return diffs


def main(argv: list[str] | None = None) -> int:
    """Compare each BASELINE NEW pair given; print a line per pair."""
    args = [Path(a) for a in (sys.argv[1:] if argv is None else argv)]
    if not args or len(args) % 2:
        print(__doc__)
        return 2
    status = 0
    for base, new in zip(args[::2], args[1::2], strict=True):
        diffs = compare(base, new)
        print(f"{new}: {'same' if not diffs else f'{len(diffs)} differences'}")
        for line in diffs[:10]:
            print("   ", line)
        status |= bool(diffs)
    return status


if __name__ == "__main__":
    sys.exit(main())
