"""The API key never lands in an artefact: a whole LLM-backend run with a sentinel key, whose
fake endpoint even echoes the key back in error bodies, is scanned file by file.

Scanned: records.jsonl, facts.csv, errors.jsonl, summary.json, review.html, docs/, the LLM
cache directory (SQLite bytes included), the run's stdout/stderr with openai's debug logging
on, the bodies the endpoint received, the repository's cassettes/, and a cassette freshly
recorded with the project's own VCR settings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pydantic import SecretStr

from tests.fakes.fake_openai import FakeOpenAI, Step, serve

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "replies").glob("*.txt"))
SENTINEL = f"sk-test-SENTINEL{uuid.uuid4().hex}"
ECHO = json.dumps({"error": {"message": f"Incorrect API key provided: {SENTINEL}. You can "
                             f"find your API key at https://example.invalid (key={SENTINEL})",
                             "type": "invalid_request_error", "code": "invalid_api_key"}})
PROBES = (SENTINEL, SENTINEL[8:], SENTINEL.encode().hex())  # whole, without prefix, hex


def _leaks(blob: bytes) -> list[str]:
    return [p for p in PROBES if p.encode() in blob]


def _scan(folder: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and (hits := _leaks(path.read_bytes())):
            found[str(path.relative_to(folder))] = hits
    return found


def _run(inputs: Path, out: Path, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOI_EXTRACT")}
    env.update(OPENAI_API_KEY=SENTINEL, OPENAI_LOG="debug", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", "from extract.cli import main; main()", "run",
                           str(inputs), "--out", str(out), "--backend", "llm", "--base-url",
                           url, "--model", "fake-model", "--workers", "2"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str],
                                                          FakeOpenAI]:
    base = tmp_path_factory.mktemp("secrets")
    inputs = base / "in"
    inputs.mkdir()
    for p in EXAMPLES:
        shutil.copy(p, inputs / p.name)
    fake = FakeOpenAI(default=Step(answer={}))
    # 401 bodies that echo the key (some endpoints do), then a 500 whose body does too
    fake.push(*[Step(status=401, body=ECHO)] * 2, Step(status=500, body=ECHO))
    with serve(fake) as url:
        proc = _run(inputs, base / "out", url)
    return base / "out", proc, fake


def test_the_key_was_really_used(run: tuple[Path, subprocess.CompletedProcess[str],
                                            FakeOpenAI]) -> None:
    out, proc, fake = run
    auth = [{k.lower(): v for k, v in h.items()}.get("authorization", "") for h in fake.headers]
    assert auth and all(a == f"Bearer {SENTINEL}" for a in auth)
    # a reply whose model part failed keeps its rules record, with the reason (scrubbed)
    records = [json.loads(x) for x in (out / "records.jsonl").read_text().splitlines()]
    failed = [r["meta"]["llm_failed"] for r in records if r["meta"].get("llm_failed")]
    assert failed, "the echoing endpoint should have failed some replies"
    assert any("[redacted]" in reason for reason in failed)
    assert (out / "records.jsonl").read_text().strip(), proc.stderr
    assert any((out / "llm-cache").iterdir())


@pytest.mark.parametrize("artefact", ["records.jsonl", "facts.csv", "errors.jsonl",
                                      "summary.json", "review.html"])
def test_no_output_file_holds_the_key(run: tuple[Path, subprocess.CompletedProcess[str],
                                                 FakeOpenAI], artefact: str) -> None:
    out, _, _ = run
    assert (out / artefact).exists()
    assert not _leaks((out / artefact).read_bytes())


def test_no_file_anywhere_in_the_output_holds_the_key(
        run: tuple[Path, subprocess.CompletedProcess[str], FakeOpenAI]) -> None:
    out, _, _ = run
    assert any((out / "docs").iterdir()) and any((out / "llm-cache").iterdir())
    assert _scan(out) == {}


def test_logs_and_requests_do_not_hold_the_key(
        run: tuple[Path, subprocess.CompletedProcess[str], FakeOpenAI]) -> None:
    _, proc, fake = run
    assert proc.stderr, "openai debug logging should have said something"
    assert not _leaks(proc.stdout.encode()) and not _leaks(proc.stderr.encode())
    assert not _leaks(json.dumps(fake.requests).encode())  # only the header carries it


def test_repository_cassettes_hold_no_key() -> None:
    cassettes = ROOT / "cassettes"
    assert _scan(cassettes) == {}
    for path in cassettes.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "sk-" not in text and "Bearer " not in text, path.name


def test_a_freshly_recorded_cassette_holds_no_key(tmp_path: Path) -> None:
    import vcr

    from extract.llm.client import make_openai
    from extract.llm.config import LLMConfig
    from tests.llm.conftest import vcr_config

    config = vcr_config.__wrapped__()  # type: ignore[attr-defined]  # the project's settings
    config.pop("allowed_hosts", None)  # pytest-recording's option, not vcrpy's
    recorder = vcr.VCR(cassette_library_dir=str(tmp_path), record_mode="all", **config)
    fake = FakeOpenAI(default=Step(answer={"caveats": []},
                                   headers={"openai-organization": "org-secret",
                                            "set-cookie": f"k={SENTINEL}"}))
    with serve(fake) as url, recorder.use_cassette("probe.yaml"):
        client = make_openai(LLMConfig(base_url=url, api_key=SecretStr(SENTINEL), timeout_s=5))
        client.chat.completions.create(model="fake-model",
                                       messages=[{"role": "user", "content": "hi"}])
    sent = {k.lower(): v for k, v in fake.headers[0].items()}
    assert sent["authorization"] == f"Bearer {SENTINEL}"
    blob = (tmp_path / "probe.yaml").read_bytes()
    assert b"fake-model" in blob  # it did record the exchange
    assert not _leaks(blob) and b"org-secret" not in blob
