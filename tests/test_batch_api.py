"""batch submit / status / download against a FAKE Files+Batches server.

OpenAI cannot be reached from here, so these are NOT cassette recordings: the server is
``tests/fakes/fake_batch_api.py``, an in-memory fake on 127.0.0.1 that speaks the
documented request and response shapes. What they prove is what our commands send and how
they handle the answers; they prove nothing about OpenAI's own behaviour.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from extract.cli import main
from tests.fakes.fake_batch_api import FakeBatchAPI, serve
from tests.llm.helpers import REPLIES
from tests.test_batch import answer_for

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])

NAMES = ["000_15da7be9d501b9f9", "001_4007aec8355d1f8b"]
KEY = "test-key-not-real"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("FOI_EXTRACT_LLM_CACHE", raising=False)


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _requests_file(tmp_path: Path, url: str) -> Path:
    out = tmp_path / "req.jsonl"
    res = cli("batch", "prepare", *[str(REPLIES / f"{n}.txt") for n in NAMES], "--out", str(out),
              "--base-url", url)
    assert res.exit_code == 0, res.output
    return out


def _submit(tmp_path: Path, url: str) -> str:
    res = cli("batch", "submit", str(_requests_file(tmp_path, url)), "--base-url", url)
    assert res.exit_code == 0, res.output
    return res.stdout.strip()


def test_submit_uploads_the_file_and_creates_a_24h_batch(tmp_path: Path) -> None:
    fake = FakeBatchAPI()
    with serve(fake) as url:
        batch_id = _submit(tmp_path, url)
    upload, create = fake.requests
    assert (upload["method"], upload["path"]) == ("POST", "/v1/files")
    assert upload["body"]["purpose"] == "batch"
    assert upload["body"]["file"] == (tmp_path / "req.jsonl").read_bytes()
    assert upload["headers"]["authorization"] == f"Bearer {KEY}"
    assert create["path"] == "/v1/batches"
    assert create["body"]["endpoint"] == "/v1/chat/completions"
    assert create["body"]["completion_window"] == "24h"
    assert create["body"]["input_file_id"] in fake.files
    assert batch_id in fake.batches


@pytest.mark.parametrize("content, why", [
    ("not json\n", "not JSON"),
    ('{"custom_id": "a", "url": "/v1/embeddings", "body": {}}\n', "not a batch request line"),
    ('{"custom_id": "a", "url": "/v1/chat/completions", "body": {}}\n' * 2, "appears twice"),
])
def test_submit_refuses_a_bad_file_before_any_upload(tmp_path: Path, content: str,
                                                     why: str) -> None:
    (tmp_path / "bad.jsonl").write_text(content)
    fake = FakeBatchAPI()
    with serve(fake) as url:
        res = cli("batch", "submit", str(tmp_path / "bad.jsonl"), "--base-url", url)
    assert res.exit_code == 2 and why in res.output
    assert fake.requests == []


def test_submit_without_a_key_is_a_usage_error(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    (tmp_path / "r.jsonl").write_text(
        '{"custom_id": "a", "url": "/v1/chat/completions", "body": {}}\n')
    res = cli("batch", "submit", str(tmp_path / "r.jsonl"))
    assert res.exit_code == 2 and "OPENAI_API_KEY" in res.output


def test_status_follows_the_batch(tmp_path: Path) -> None:
    fake = FakeBatchAPI()
    with serve(fake) as url:
        batch_id = _submit(tmp_path, url)
        seen = [cli("batch", "status", batch_id, "--base-url", url).stdout for _ in range(3)]
        as_json = json.loads(cli("batch", "status", batch_id, "--base-url", url,
                                 "--json").stdout)
        missing = cli("batch", "status", "batch-nope", "--base-url", url)
    assert [s.split(":")[1].split()[0] for s in seen] == ["in_progress", "finalizing",
                                                          "completed"]
    assert "2 done, 0 failed of 2" in seen[2] and "output_file_id: file-" in seen[2]
    assert as_json["id"] == batch_id and as_json["status"] == "completed"
    assert missing.exit_code == 1 and "NotFoundError" in missing.output


def test_download_waits_for_the_end_then_saves_both_files(tmp_path: Path) -> None:
    def responder(line: dict[str, Any]) -> Any:
        if line["custom_id"].startswith(NAMES[1]):
            return 500, {"error": {"message": "fake overload"}}
        return answer_for(line)

    fake = FakeBatchAPI(responder=responder)
    with serve(fake) as url:
        batch_id = _submit(tmp_path, url)
        early = cli("batch", "download", batch_id, "--out", str(tmp_path / "dl"),
                    "--base-url", url)
        for _ in range(3):
            cli("batch", "status", batch_id, "--base-url", url)
        res = cli("batch", "download", batch_id, "--out", str(tmp_path / "dl"), "--base-url", url)
    assert early.exit_code == 1 and "not finished" in early.output
    assert res.exit_code == 0, res.output
    batch = fake.batches[batch_id]
    output = tmp_path / "dl" / f"{batch_id}.output.jsonl"
    errors = tmp_path / "dl" / f"{batch_id}.errors.jsonl"
    assert res.stdout.split() == [str(output), str(errors)]
    assert output.read_bytes() == fake.files[batch["output_file_id"]]["data"]
    assert errors.read_bytes() == fake.files[batch["error_file_id"]]["data"]


def test_round_trip_through_the_fake_then_retry(tmp_path: Path) -> None:
    """prepare -> submit -> status -> download -> collect; the failed request is retried."""
    def responder(line: dict[str, Any]) -> Any:
        if line["custom_id"].startswith(NAMES[1]) and not retrying:
            return 500, {"error": {"message": "fake overload"}}
        return answer_for(line)

    retrying = False
    fake = FakeBatchAPI(responder=responder)
    inputs = sum((["--inputs", str(REPLIES / f"{n}.txt")] for n in NAMES), [])
    out = tmp_path / "out"
    with serve(fake) as url:
        def cycle(requests_file: Path, dl: Path) -> Result:
            batch_id = cli("batch", "submit", str(requests_file), "--base-url", url).stdout
            for _ in range(3):
                cli("batch", "status", batch_id.strip(), "--base-url", url)
            files = cli("batch", "download", batch_id.strip(), "--out", str(dl),
                        "--base-url", url).stdout.split()
            return cli("batch", "collect", *files, *inputs, "--out", str(out),
                       "--base-url", url, "--quiet")

        first = cycle(_requests_file(tmp_path, url), tmp_path / "dl1")
        assert first.exit_code == 1
        assert [e["kind"] for e in map(json.loads, (out / "batch_errors.jsonl").open())] == [
            "request_failed"]
        res = cli("batch", "prepare", *[str(REPLIES / f"{n}.txt") for n in NAMES], "--out",
                  str(tmp_path / "retry.jsonl"), "--retry-failed", str(out), "--base-url", url)
        assert res.exit_code == 0, res.output
        retry = [json.loads(x) for x in (tmp_path / "retry.jsonl").open()]
        assert [r["custom_id"].split(":")[0] for r in retry] == [NAMES[1]]
        retrying = True
        second = cycle(tmp_path / "retry.jsonl", tmp_path / "dl2")
    assert second.exit_code == 0, second.output
    records = [json.loads(x) for x in (out / "records.jsonl").open()]
    assert sorted(r["doc_id"] for r in records) == NAMES
    assert (out / "errors.jsonl").read_text() == ""
