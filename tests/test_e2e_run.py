"""End to end: ``foi-extract run`` on the bundled example replies (rules backend, no key).

Checks the content of every output file, a rerun that skips, a failing input that does not
stop the batch, and the usage-error exit codes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from eval.facts import flatten
from eval.io import load_records
from schemas import Record

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "replies"
GOLD = ROOT / "eval" / "gold"
Ran = tuple[Path, "subprocess.CompletedProcess[str]"]


def foi(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess (stdout and stderr kept apart)."""
    return subprocess.run([sys.executable, "-c", "from extract.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env=env or {**os.environ, "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def run_out(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    out = tmp_path_factory.mktemp("e2e") / "out"
    return out, foi("run", str(EXAMPLES), "--out", str(out), "--workers", "2")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_exit_and_streams(run_out: Ran) -> None:
    out, proc = run_out
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # status goes to stderr only
    assert "[5/5]" in proc.stderr and "5 ok, 0 failed" in proc.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "docs", "errors.jsonl", "facts.csv", "records.jsonl", "review.html", "summary.json"]


def test_records_are_contract_records_with_grounded_evidence(
        run_out: Ran) -> None:
    out, _ = run_out
    lines = _jsonl(out / "records.jsonl")
    assert sorted(r["doc_id"] for r in lines) == sorted(p.stem for p in EXAMPLES.glob("*.txt"))
    n_evidence = 0
    for obj in lines:
        rec = Record.model_validate(obj)
        meta = rec.meta
        assert len(meta["input_hash"]) == 64 and len(meta["config_hash"]) == 64
        assert meta["backend"] == "rules"
        text = (out / meta["text_file"]).read_text(encoding="utf-8")
        items: list[Any] = [*rec.offences, *rec.victims, *rec.suspects, *rec.platforms,
                 *rec.outcomes_by_type, *rec.exemptions]
        spans = [e for i in items for e in i.evidence]
        spans += [e for lst in rec.evidence.values() for e in lst]
        for ev in spans:
            assert text[ev.start:ev.end] == ev.quote
        n_evidence += len(spans)
    assert n_evidence > 100


def test_records_agree_with_gold(run_out: Ran) -> None:
    """Every gold offence count is in the output; overall the rules backend scores high."""
    out, _ = run_out
    gold, pred = load_records(GOLD), load_records(out / "records.jsonl")
    for doc_id, g in gold.items():
        want = Counter((f.key, f.value) for f in flatten(g) if f.kind == "offences")
        got = Counter((f.key, f.value) for f in flatten(pred[doc_id]) if f.kind == "offences")
        assert want <= got, doc_id
    proc = foi("eval", "--gold", str(GOLD), "--pred", str(out / "records.jsonl"), "--json")
    assert json.loads(proc.stdout)["micro"]["f1"] >= 0.9


def test_facts_csv_is_the_flattened_records(
        run_out: Ran) -> None:
    out, _ = run_out
    rows = list(csv.DictReader(io.StringIO((out / "facts.csv").read_text(encoding="utf-8"))))
    records = load_records(out / "records.jsonl")
    assert len(rows) == sum(len(flatten(r)) for r in records.values())
    by_kind = Counter(r["kind"] for r in rows)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dataset"]["facts_by_kind"] == dict(by_kind)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (out / "docs").glob("*.txt")}
    grounded = 0
    for row in rows:
        rec = records[row["doc_id"]]
        assert row["force"] == (rec.force or "") and row["reference"] == (rec.reference or "")
        if row["evidence_start"]:
            s, e = int(row["evidence_start"]), int(row["evidence_end"])
            assert texts[row["doc_id"]][s:e] == row["evidence_quote"].split(" … ")[0]
            grounded += 1
        if row["kind"] in ("offences", "victims", "suspects", "platforms"):
            assert (row["count"] == "") == (row["suppressed"] == "true")
    assert grounded > 0.8 * sum(by_kind[k] for k in ("offences", "victims", "platforms"))
    west_mids = [r for r in rows if r["reference"] == "2572/15" and r["kind"] == "offences"
                 and r["period_start"] == "2013-01-01" and r["code"] == ""]
    assert [r["count"] for r in west_mids if r["period_end"] == "2013-12-31"] == ["12"]


def test_summary_and_errors(run_out: Ran) -> None:
    out, _ = run_out
    summary = json.loads((out / "summary.json").read_text())
    assert summary["replies"] == {"total": 5, "ok": 5, "failed": 0, "skipped": 0}
    assert summary["dataset"]["records"] == 5 and summary["failures"] == []
    assert summary["wall_time_s"] > 0 and summary["usage"] == {}  # no model, no tokens
    assert (out / "errors.jsonl").read_text() == ""


def test_review_page_covers_every_reply(
        run_out: Ran) -> None:
    out, _ = run_out
    from extract.review import read_page_data

    # The page carries every reply as (gzipped) JSON and draws one when opened (issue 16).
    data = read_page_data((out / "review.html").read_text(encoding="utf-8"))
    replies = {r["doc_id"]: r for r in data["replies"]}
    assert set(replies) == {p.stem for p in EXAMPLES.glob("*.txt")}
    spans = [(r["text"], e) for r in replies.values() for f in r["facts"] for e in f["ev"]]
    assert len(spans) > 100 and all(e[1] <= len(text) for text, e in spans)


def test_rerun_skips_and_changes_nothing(
        run_out: Ran, tmp_path: Path) -> None:
    out, _ = run_out
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = (copy / "records.jsonl").read_bytes()
    proc = foi("run", str(EXAMPLES), "--out", str(copy), "--quiet")
    assert proc.returncode == 0 and proc.stderr == ""
    assert (copy / "records.jsonl").read_bytes() == before
    assert json.loads((copy / "summary.json").read_text())["replies"]["skipped"] == 5


def test_a_bad_reply_fails_alone(tmp_path: Path) -> None:
    src = tmp_path / "in"
    shutil.copytree(EXAMPLES, src)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    proc = foi("run", str(src), "--out", str(out), "--quiet")
    assert proc.returncode == 1
    errors = {e["doc_id"]: e for e in _jsonl(out / "errors.jsonl")}
    assert set(errors) == {"broken", "empty"}
    assert all(e["error"] == "LoadError" and "Traceback" not in e["message"]
               for e in errors.values())
    assert len(_jsonl(out / "records.jsonl")) == 5


@pytest.mark.parametrize("args", [
    ["run", "no/such/folder", "--out", "x"],
    ["run", str(EXAMPLES), "--out", "x", "--limit", "nonsense=3"],
    ["run", str(EXAMPLES), "--out", "x", "--workers", "0"],
    ["run", str(EXAMPLES)],
])
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    proc = foi(*[a.replace("x", str(tmp_path / "o")) if a == "x" else a for a in args])
    assert proc.returncode == 2 and proc.stdout == ""


def test_llm_backend_without_endpoint_is_a_usage_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    proc = foi("run", str(EXAMPLES), "--out", str(tmp_path / "o"), "--backend", "llm", env=env)
    assert proc.returncode == 2 and "OPENAI_API_KEY" in proc.stderr
