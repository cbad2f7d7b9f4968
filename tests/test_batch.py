"""Batch mode offline: prepare -> results -> collect, against the live LLM reader.

Answers here are made by :func:`answer_for` from what each request shows (a short quote of
its text as the outcome's evidence, an empty mapping list for tables): valid answers, not a
model's. The live side of the comparison is the ordinary LLM backend talking to the local
FAKE chat server (tests/fakes/fake_openai.py) that replays the same bodies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extract.batch.collect import BATCH_ERRORS, collect, retry_ids
from extract.batch.prepare import prepare_requests
from extract.cli import main
from extract.grouping import ReplyInput
from extract.llm.cache import LLMCache
from extract.llm.config import LLMConfig
from extract.llm.requests import body_hash
from extract.pipeline import RunConfig
from extract.runner import run_batch
from tests.fakes.fake_openai import FakeOpenAI, Step, completion, serve
from tests.llm.helpers import REPLIES

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])

NAMES = ["000_15da7be9d501b9f9", "001_4007aec8355d1f8b", "002_b66e74a5bb652bf0",
         "003_415d4d48f9848486", "004_adb5c984613db103"]
MODEL = "gemma-3-270m"
# No server listens here: prepare and collect must never call the endpoint.
DEAD_URL = "http://127.0.0.1:9/v1"


def answer_for(request: dict[str, Any]) -> dict[str, Any]:
    """A valid chat completion for a batch request line: the outcome quoted from its text."""
    data = json.loads(request["body"]["messages"][-1]["content"])
    answer: dict[str, Any] = {}
    if "tables" in data:
        answer["mappings"] = []
    if data.get("text", "").strip():
        line = next(x for x in data["text"].splitlines() if x.strip()).strip()
        answer["outcome"] = {"value": "partial", "quote": line[:40]}
    return completion(json.dumps(answer), prompt_tokens=900, completion_tokens=30)


def _replies() -> list[ReplyInput]:
    return [ReplyInput(doc_id=n, paths=[REPLIES / f"{n}.txt"]) for n in NAMES]


def _config(url: str = DEAD_URL, cache: LLMCache | None = None,
            model: str = MODEL) -> RunConfig:
    llm = LLMConfig(base_url=url, model=model, timeout_s=5, attempts=1)
    return RunConfig(backend="llm", llm=llm, cache=cache)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]


def output_line(n: int, custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """A Batch API output-file line carrying a response body."""
    return {"id": f"batch_req_{n}", "custom_id": custom_id, "error": None,
            "response": {"status_code": 200, "request_id": f"req_{n}", "body": body}}


def _results(requests: list[dict[str, Any]], path: Path) -> dict[str, dict[str, Any]]:
    """Answer every request with :func:`answer_for`; write them; custom_id -> body."""
    chosen = {r["custom_id"]: answer_for(r) for r in requests}
    path.write_text("".join(json.dumps(output_line(i, cid, body)) + "\n"
                            for i, (cid, body) in enumerate(chosen.items())), encoding="utf-8")
    return chosen


def _records(out: Path) -> dict[str, dict[str, Any]]:
    rows = _lines(out / "records.jsonl")
    return {r["doc_id"]: {k: v for k, v in r.items() if k != "meta"} for r in rows}


class ReplayByBody(FakeOpenAI):
    """The fake chat server answering each request with the body chosen for its request
    (a re-ask is recognised by its original messages and gets the same answer again)."""

    def __init__(self, answers: dict[str, dict[str, Any]]) -> None:
        super().__init__(default=Step(status=500))
        self.answers = answers

    def next_step(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> Step:
        self.requests.append(body)
        messages = body.get("messages", [])
        for k in range(len(messages), 0, -1):
            answer = self.answers.get(body_hash({**body, "messages": messages[:k]}))
            if answer is not None:
                return Step(body=json.dumps(answer))
        return self.default


def test_prepare_then_collect_equals_the_live_reader(tmp_path: Path) -> None:
    """Recorded responses re-packaged as batch output give the live reader's records."""
    report = prepare_requests(_replies(), _config(), tmp_path / "req.jsonl")
    requests = _lines(tmp_path / "req.jsonl")
    assert report.requests == len(requests) == len(NAMES)  # one request per reply
    assert {r["method"] for r in requests} == {"POST"}
    assert {r["url"] for r in requests} == {"/v1/chat/completions"}
    chosen = _results(requests, tmp_path / "results.jsonl")

    cache = LLMCache(tmp_path / "cache")
    got = collect([tmp_path / "results.jsonl"], _replies(), _config(cache=cache),
                  tmp_path / "batch", workers=1)
    cache.close()
    assert got.stored == len(requests) and got.summary and got.summary.ok == len(NAMES)
    assert got.issues == []

    fake = ReplayByBody({body_hash(r["body"]): chosen[r["custom_id"]] for r in requests})
    with serve(fake) as live_url:
        live = run_batch(_replies(), _config(live_url), tmp_path / "live", workers=1)
    assert live.ok == len(NAMES)
    # the live reader sent exactly the prepared bodies (one builder for both)
    assert sorted(map(body_hash, fake.requests)) == sorted(body_hash(r["body"]) for r in requests)
    batch_records, live_records = _records(tmp_path / "batch"), _records(tmp_path / "live")
    assert batch_records == live_records
    # not vacuous: the answers reached the records (the outcome quoted by the model)
    assert all(r["outcome"] == "partial" for r in batch_records.values())


def _prepared(tmp_path: Path) -> list[dict[str, Any]]:
    prepare_requests(_replies(), _config(), tmp_path / "req.jsonl")
    return _lines(tmp_path / "req.jsonl")


def _collect(results: Path, out: Path, cache_dir: Path) -> Any:
    cache = LLMCache(cache_dir)
    try:
        return collect([results], _replies(), _config(cache=cache), out, workers=1)
    finally:
        cache.close()


def _bad_results(requests: list[dict[str, Any]], path: Path) -> dict[str, str]:
    """Results with one line of each kind of problem, all for reply 001; the rest fine."""
    later = [r["custom_id"] for r in requests if not r["custom_id"].startswith(NAMES[0])]
    missing, failed, invalid = later[:3]
    lines = [json.dumps(output_line(i, r["custom_id"], answer_for(r)))
             for i, r in enumerate(requests) if r["custom_id"] not in (missing, failed, invalid)]
    lines.insert(1, '{"custom_id": "cut short')
    lines.append(json.dumps(output_line(90, f"{NAMES[0]}:q9:0123456789abcdef",
                                        answer_for(requests[0]))))
    lines.append(json.dumps({"id": "e", "custom_id": failed, "response": {
        "status_code": 500, "body": {"error": {"message": "server overloaded"}}}, "error": None}))
    lines.append(json.dumps(output_line(91, invalid, {"choices": "not a list"})))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"missing": missing, "failed": failed, "invalid": invalid}


def test_bad_result_lines_are_listed_and_the_rest_is_collected(tmp_path: Path) -> None:
    requests = _prepared(tmp_path)
    ids = _bad_results(requests, tmp_path / "results.jsonl")
    got = _collect(tmp_path / "results.jsonl", tmp_path / "out", tmp_path / "cache")
    issues = {i.kind: i for i in got.issues}
    assert set(issues) == {"malformed_line", "unknown_custom_id", "missing_result",
                           "request_failed", "invalid_answer"}
    assert (issues["malformed_line"].file, issues["malformed_line"].line) == ("results.jsonl", 2)
    assert "changed since prepare" in issues["unknown_custom_id"].message
    assert issues["missing_result"].custom_id == ids["missing"]
    assert issues["request_failed"].custom_id == ids["failed"]
    assert "server overloaded" in issues["request_failed"].message
    assert issues["invalid_answer"].custom_id == ids["invalid"]
    assert issues["missing_result"].doc_id == NAMES[1]
    written = _lines(tmp_path / "out" / BATCH_ERRORS)
    assert [w["kind"] for w in written] == [i.kind for i in got.issues]
    # replies 000 and 004 are collected; 001-003 fail with an error naming the request
    assert set(_records(tmp_path / "out")) == {NAMES[0], NAMES[4]}
    errors = _lines(tmp_path / "out" / "errors.jsonl")
    assert sorted(e["doc_id"] for e in errors) == NAMES[1:4]
    assert all(any(cid in e["message"] for cid in ids.values()) for e in errors)
    for name in ("facts.csv", "summary.json", "review.html", "batch_summary.json"):
        assert (tmp_path / "out" / name).is_file()


def test_retry_failed_reprepares_exactly_those_and_recollect_completes(tmp_path: Path) -> None:
    requests = _prepared(tmp_path)
    ids = _bad_results(requests, tmp_path / "results.jsonl")
    out = tmp_path / "out"
    _collect(tmp_path / "results.jsonl", out, out / "llm-cache")
    assert retry_ids(out) == set(ids.values())

    prepare_requests(_replies(), _config(), tmp_path / "retry.jsonl", only=retry_ids(out))
    retry = _lines(tmp_path / "retry.jsonl")
    assert {r["custom_id"] for r in retry} == set(ids.values())
    by_id = {r["custom_id"]: r for r in requests}
    assert all(r == by_id[r["custom_id"]] for r in retry)  # the very same requests

    (tmp_path / "answers.jsonl").write_text("".join(
        json.dumps(output_line(i, r["custom_id"], answer_for(r))) + "\n"
        for i, r in enumerate(retry)))
    again = _collect(tmp_path / "answers.jsonl", out, out / "llm-cache")
    assert again.issues == [] and again.summary and again.summary.ok == len(NAMES)
    assert set(_records(out)) == set(NAMES) and _lines(out / "errors.jsonl") == []
    assert retry_ids(out) == set()


def test_prepare_skips_answered_requests(tmp_path: Path) -> None:
    requests = _prepared(tmp_path)
    (tmp_path / "res.jsonl").write_text("".join(
        json.dumps(output_line(i, r["custom_id"], answer_for(r))) + "\n"
        for i, r in enumerate(requests[1:])))
    _collect(tmp_path / "res.jsonl", tmp_path / "out", tmp_path / "cache")
    cache = LLMCache(tmp_path / "cache")
    report = prepare_requests(_replies(), _config(), tmp_path / "again.jsonl", cache=cache)
    cache.close()
    assert report.cached == len(requests) - 1 and report.requests == 1
    assert _lines(tmp_path / "again.jsonl") == requests[:1]


def test_prepare_splits_files_under_the_limits(tmp_path: Path) -> None:
    whole = _prepared(tmp_path)
    report = prepare_requests(_replies(), _config(), tmp_path / "n.jsonl", max_lines=2)
    assert [p.name for p in report.files] == [f"n-{i:03d}.jsonl"
                                              for i in range(1, (len(whole) + 1) // 2 + 1)]
    parts = [_lines(p) for p in report.files]
    assert all(len(p) <= 2 for p in parts) and sum(parts, []) == whole
    sizes = [len((json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n").encode())
             for r in whole]
    limit = max(sizes) * 2 + 10
    report = prepare_requests(_replies(), _config(), tmp_path / "b.jsonl", max_bytes=limit)
    assert len(report.files) > 1 and all(p.stat().st_size <= limit for p in report.files)
    assert sum((_lines(p) for p in report.files), []) == whole
    manifest = json.loads((tmp_path / "b.manifest.json").read_text())
    assert [f["lines"] for f in manifest["files"]] == [len(_lines(p)) for p in report.files]


def test_a_request_over_the_byte_limit_is_refused_and_leaves_no_files(tmp_path: Path) -> None:
    from extract.errors import ExtractError

    with pytest.raises(ExtractError, match="over the 2,000-byte file limit"):
        prepare_requests(_replies(), _config(), tmp_path / "r.jsonl", max_bytes=2000)
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_reply_is_named_and_the_rest_prepared(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    replies = [*_replies(), ReplyInput(doc_id="empty", paths=[tmp_path / "empty.txt"])]
    report = prepare_requests(replies, _config(), tmp_path / "r.jsonl")
    assert list(report.reply_errors) == ["empty"] and "LoadError" in report.reply_errors["empty"]
    assert report.requests == len(_prepared(tmp_path))


def test_cli_prepare_and_collect(tmp_path: Path) -> None:
    inputs = [str(REPLIES / f"{n}.txt") for n in NAMES]
    common = ["--base-url", DEAD_URL, "--model", MODEL]
    runner = CliRunner()
    res = runner.invoke(main, ["batch", "prepare", *inputs, "--out", str(tmp_path / "r.jsonl"),
                               *common])
    assert res.exit_code == 0, res.output
    requests = _lines(tmp_path / "r.jsonl")
    _results(requests, tmp_path / "results.jsonl")
    args = ["batch", "collect", str(tmp_path / "results.jsonl"), "--out", str(tmp_path / "o"),
            "--quiet", *common]
    for i in inputs:
        args += ["--inputs", i]
    res = runner.invoke(main, args)
    assert res.exit_code == 0, res.output
    assert set(_records(tmp_path / "o")) == set(NAMES)
    assert _lines(tmp_path / "o" / BATCH_ERRORS) == []
    summary = json.loads((tmp_path / "o" / "batch_summary.json").read_text())
    assert summary["answers_stored"] == len(requests) and summary["usage"]["input_tokens"] > 0


def test_cli_retry_says_when_failed_requests_no_longer_match(tmp_path: Path) -> None:
    """Requests prepared with other settings than the CLI's are not re-prepared silently."""
    prepare_requests(_replies(), _config(model="other-model"),
                     tmp_path / "req.jsonl")
    requests = _lines(tmp_path / "req.jsonl")
    _bad_results(requests, tmp_path / "results.jsonl")
    cache = LLMCache(tmp_path / "cache")
    collect([tmp_path / "results.jsonl"], _replies(),
            _config(model="other-model", cache=cache), tmp_path / "out",
            workers=1)
    cache.close()
    res = CliRunner().invoke(main, [
        "batch", "prepare", *[str(REPLIES / f"{n}.txt") for n in NAMES],
        "--out", str(tmp_path / "retry.jsonl"), "--retry-failed", str(tmp_path / "out"),
        "--base-url", DEAD_URL, "--model", MODEL])
    assert res.exit_code == 0, res.output
    assert "3 of the 3 failed requests no longer match the inputs" in res.output
    assert not (tmp_path / "retry.jsonl").exists()


def test_collected_cache_serves_a_later_live_run(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """After collect, `run --backend llm` with the same settings makes no model call (its
    endpoint is dead) and writes the same records."""
    inputs = [str(REPLIES / f"{n}.txt") for n in NAMES]
    common = ["--base-url", DEAD_URL, "--model", MODEL]
    runner = CliRunner()
    assert runner.invoke(main, ["batch", "prepare", *inputs, "--out", str(tmp_path / "r.jsonl"),
                                *common]).exit_code == 0
    _results(_lines(tmp_path / "r.jsonl"), tmp_path / "results.jsonl")
    args = ["batch", "collect", str(tmp_path / "results.jsonl"), "--out", str(tmp_path / "o"),
            "--quiet", *common, *sum((["--inputs", i] for i in inputs), [])]
    runner.invoke(main, args)
    monkeypatch.setenv("FOI_EXTRACT_LLM_CACHE", str(tmp_path / "o" / "llm-cache"))
    res = runner.invoke(main, ["run", *inputs, "--out", str(tmp_path / "live"), "--backend",
                               "llm", "--quiet", "--workers", "1", *common])
    assert res.exit_code == 0, res.output
    assert _records(tmp_path / "live") == _records(tmp_path / "o")


def test_a_cut_off_batch_answer_is_not_used_and_its_parts_are_re_prepared(
        tmp_path: Path) -> None:
    requests = _prepared(tmp_path)
    full = next(r for r in requests if r["custom_id"].startswith(NAMES[4]))
    cut = completion('{"mappings": [{"table": "T1"', finish_reason="length")
    lines = [output_line(i, r["custom_id"], cut if r is full else answer_for(r))
             for i, r in enumerate(requests)]
    (tmp_path / "res.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    out = tmp_path / "out"
    got = _collect(tmp_path / "res.jsonl", out, out / "llm-cache")
    assert [(i.kind, i.custom_id) for i in got.issues] == [("cut_off", full["custom_id"])]
    assert NAMES[4] not in _records(out)  # its parts have no answers yet: not written

    cache = LLMCache(out / "llm-cache")
    prepare_requests(_replies(), _config(), tmp_path / "retry.jsonl", cache=cache,
                     only=retry_ids(out))
    cache.close()
    parts = _lines(tmp_path / "retry.jsonl")
    tasks = [json.loads(p["body"]["messages"][-1]["content"])["task"] for p in parts]
    assert tasks == ["prose", "tables"]  # the cut request, split
    assert all(p["custom_id"].startswith(f"{NAMES[4]}:q1") for p in parts)
    (tmp_path / "parts.jsonl").write_text("".join(
        json.dumps(output_line(i, p["custom_id"], answer_for(p))) + "\n"
        for i, p in enumerate(parts)))
    again = _collect(tmp_path / "parts.jsonl", out, out / "llm-cache")
    assert again.issues == [] and set(_records(out)) == set(NAMES)
