"""Issue 13 items 2-4: outputs true to the inputs, duplicates read once, an explicit backend
with a rules fallback when the model part fails."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extract import runner
from extract.llm.config import LLMConfig
from extract.pipeline import RunConfig
from extract.rerun import code_fingerprint
from extract.runner import config_hash, run_batch
from tests.test_runner_support import EXAMPLES

SEED = "000_15da7be9d501b9f9"


def _foi(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FOI_EXTRACT_MODEL")}
    return subprocess.run([sys.executable, "-c", "from extract.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=180, env={**base, **(env or {})})


def _records(out: Path) -> dict[str, dict]:
    lines = (out / "records.jsonl").read_text().splitlines()
    return {o["doc_id"]: o for o in map(json.loads, lines)}


def _fact_docs(out: Path) -> list[str]:
    with open(out / "facts.csv", newline="") as fh:
        return [row["doc_id"] for row in csv.DictReader(fh)]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    return folder


# ------------------------------------------------------------ item 2


def test_out_inside_the_input_folder_is_never_read(inputs: Path) -> None:
    out = inputs / "out"
    first = _foi("run", str(inputs), "--out", str(out))
    assert first.returncode == 0, first.stderr
    second = _foi("run", str(inputs), "--out", str(out))
    assert second.returncode == 0, second.stderr
    assert set(_records(out)) == {p.stem for p in EXAMPLES.glob("*.txt")}
    assert "0 ok, 0 failed, 5 unchanged" in second.stderr
    assert "not read as input" in second.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dataset"]["records"] == 5


def test_a_removed_input_loses_its_record_facts_and_text(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _foi("run", str(inputs), "--out", str(out)).returncode == 0
    assert (out / "docs" / f"{SEED}.txt").exists() and SEED in _fact_docs(out)
    (inputs / f"{SEED}.txt").unlink()
    again = _foi("run", str(inputs), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert "removed the outputs of 1 replies" in again.stderr
    assert SEED not in _records(out) and SEED not in _fact_docs(out)
    assert not (out / "docs" / f"{SEED}.txt").exists()
    assert len(_records(out)) == 4


def test_another_input_set_is_refused_without_force(inputs: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(inputs / f"{SEED}.txt", other / "elsewhere.txt")
    out = tmp_path / "out"
    assert _foi("run", str(inputs), "--out", str(out)).returncode == 0
    refused = _foi("run", str(other), "--out", str(out))
    assert refused.returncode == 2
    assert "other inputs" in refused.stderr and "--force" in refused.stderr
    assert len(_records(out)) == 5  # untouched
    forced = _foi("run", str(other), "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert set(_records(out)) == {"elsewhere"}
    assert "removed the outputs of 5 replies" in forced.stderr


def test_skip_key_holds_a_fingerprint_of_code_prompts_and_vocabularies(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from extract.rerun import _package_files

    names = {n for pkg in ("extract", "schemas", "prompts") for n, _ in _package_files(pkg)}
    assert {"extract/runner.py", "extract/readers/rules.py", "prompts/system.md"} <= names
    assert any(n.startswith("schemas/vocab/") and n.endswith(".json") for n in names)
    cfg = RunConfig()
    before = config_hash(cfg)
    monkeypatch.setattr(runner, "code_fingerprint", lambda: "0" * 16)
    assert config_hash(cfg) != before
    assert len(code_fingerprint()) == 16


# ------------------------------------------------------------ item 3


def test_the_same_file_twice_is_read_once_and_counted_once(inputs: Path,
                                                           tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    assert _foi("run", str(inputs), "--out", str(alone)).returncode == 0
    shutil.copy(inputs / f"{SEED}.txt", inputs / "zz_copy.txt")
    out = tmp_path / "out"
    proc = _foi("run", str(inputs), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rec = _records(out)["zz_copy"]
    assert rec["meta"]["duplicate_of"] == SEED and rec["offences"] == []
    assert [f["code"] for f in rec["flags"]] == ["duplicate"]
    assert "zz_copy" not in _fact_docs(out)
    assert sorted(_fact_docs(out)) == sorted(_fact_docs(alone))
    s_alone = json.loads((alone / "summary.json").read_text())["dataset"]["facts_by_kind"]
    s_dup = json.loads((out / "summary.json").read_text())
    assert s_dup["dataset"]["facts_by_kind"] == s_alone
    assert s_dup["duplicates"] == {"zz_copy": SEED}
    assert "zz_copy is the same reply as" in proc.stderr
    # eval does not score the pointer record
    ev = _foi("eval", "--gold", str(Path(__file__).parents[1] / "eval" / "gold"),
              "--pred", str(out), "--json")
    assert "zz_copy" not in set(json.loads(ev.stdout)["by_doc"])


def test_the_same_text_in_other_bytes_is_marked_after_reading(inputs: Path,
                                                              tmp_path: Path) -> None:
    text = (inputs / f"{SEED}.txt").read_text(encoding="utf-8")
    (inputs / "zz_crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    out = tmp_path / "out"
    proc = _foi("run", str(inputs), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rec = _records(out)["zz_crlf"]
    assert rec["meta"]["duplicate_of"] == SEED and rec["meta"]["duplicate_by"].endswith("text")
    assert "zz_crlf" not in _fact_docs(out)
    again = _foi("run", str(inputs), "--out", str(out))
    assert "0 ok, 0 failed, 5 unchanged, 1 duplicates" in again.stderr
    (inputs / f"{SEED}.txt").unlink()  # the original goes: the copy is read for itself
    third = _foi("run", str(inputs), "--out", str(out))
    assert "duplicate_of" not in _records(out)["zz_crlf"]["meta"], third.stderr
    assert "zz_crlf" in _fact_docs(out)


# ------------------------------------------------------------ item 4


def test_an_openai_key_alone_does_not_turn_on_the_model(inputs: Path, tmp_path: Path) -> None:
    proc = _foi("run", str(inputs), "--out", str(tmp_path / "o"),
                env={"OPENAI_API_KEY": "-".join(["sk", "test", "not", "a", "real", "key"])})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("backend: rules") == 1
    assert all(r["meta"]["backend"] == "rules" for r in _records(tmp_path / "o").values())


def test_a_model_named_turns_on_the_llm_and_says_which(inputs: Path, tmp_path: Path) -> None:
    one = inputs / "002_b66e74a5bb652bf0.txt"
    proc = _foi("run", str(one), "--out", str(tmp_path / "o"), "--model", "m-test",
                env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert proc.stderr.count("backend: llm, model m-test, endpoint http://127.0.0.1:9/v1") == 1
    assert "1 replies written from the rules reader only" in proc.stderr
    assert proc.returncode == 1  # the model part failed: run again


def test_a_failing_model_keeps_the_rules_record_flagged_and_retries_it(
        inputs: Path, tmp_path: Path) -> None:
    llm = LLMConfig(base_url="http://127.0.0.1:9/v1", model="m-test", timeout_s=2, attempts=1,
                    backoff_base_s=0, n_examples=0)
    cfg = RunConfig(backend="llm", llm=llm)
    out = tmp_path / "out"
    for extra in ("001_4007aec8355d1f8b", "003_415d4d48f9848486", "004_adb5c984613db103"):
        (inputs / f"{extra}.txt").unlink()
    s = run_batch(_replies(inputs), cfg, out, workers=2)
    assert s.ok == 2 and s.failed == 0 and sorted(s.llm_failed) == sorted(_records(out))
    rec = _records(out)[SEED]
    assert rec["meta"]["llm_failed"] and rec["meta"]["backend"] == "rules"
    assert "llm_failed" in [f["code"] for f in rec["flags"]] and rec["offences"]
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["llm_failed"]) == 2 and SEED in summary["llm_failed"]
    again = run_batch(_replies(inputs), cfg, out, workers=2)
    assert again.skipped == 0 and len(again.llm_failed) == 2  # retried, not "unchanged"
    rules = run_batch(_replies(inputs), RunConfig(), tmp_path / "rules", workers=2)
    assert again.facts_by_kind == rules.facts_by_kind  # nothing of the rules record was lost


def _replies(folder: Path) -> list:
    from extract.grouping import group_inputs

    return group_inputs([folder], None)
