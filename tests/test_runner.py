"""Unit tests of the bulk-run writers: atomic append, torn-line recovery, skip/force logic."""

from __future__ import annotations

import csv
import io
import json
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from eval.facts import flatten
from extract.errors import ExtractError
from extract.outputs import (
    FactRow,
    JsonlStore,
    doc_text_name,
    parse_records,
    read_jsonl,
    truncate_torn_tail,
)
from extract.runner import (
    LogProgress,
    NullProgress,
    config_hash,
    input_hash,
    make_progress,
    run_batch,
    scrub,
)
from tests.test_runner_support import EXAMPLES, FakeReply, fake_process, replies_in


@dataclass
class Cfg:
    backend: str = "rules"
    cache_dir: str = "/tmp/x"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    return folder


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines()]


# ------------------------------------------------------------ file primitives


def test_torn_tail_is_cut(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    p.write_bytes(b'{"doc_id":"a"}\n{"doc_id":"b"}\n{"doc_id":"c","x"')
    assert truncate_torn_tail(p) == len(b'{"doc_id":"c","x"')
    assert p.read_bytes() == b'{"doc_id":"a"}\n{"doc_id":"b"}\n'
    assert truncate_torn_tail(p) == 0


def test_torn_only_line_leaves_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    p.write_bytes(b'{"doc_id":"a"')
    truncate_torn_tail(p)
    assert p.read_bytes() == b""


def test_store_recovers_then_appends_whole_lines(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    p.write_bytes(b'{"doc_id":"a","v":1}\n{"doc_id":"b","v":')
    store = JsonlStore(p).open()
    assert list(store.rows) == ["a"] and "torn" in store.warnings[0]
    store.put({"doc_id": "b", "v": 2, "text": "line\nbreak \u2028"})
    store.close()
    raw = p.read_bytes()
    assert raw.count(b"\n") == 2 and raw.endswith(b"\n")
    assert [o["doc_id"] for o in _lines(p)] == ["a", "b"]
    assert _lines(p)[1]["text"] == "line\nbreak \u2028"


def test_store_replace_rewrites_and_keeps_appending_to_new_file(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    store = JsonlStore(p).open()
    store.put({"doc_id": "a", "v": 1})
    store.put({"doc_id": "b", "v": 1})
    inode = p.stat().st_ino
    store.put({"doc_id": "a", "v": 2})  # replace: temp + os.replace
    assert p.stat().st_ino != inode
    store.put({"doc_id": "c", "v": 1})  # must land in the new file, not the unlinked one
    store.drop(["b", "zzz"])
    store.close()
    assert {o["doc_id"]: o["v"] for o in _lines(p)} == {"a": 2, "c": 1}
    assert not list(tmp_path.glob(".r.jsonl.*"))  # no temp files left behind


def test_store_open_drops_garbage_and_duplicates(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    p.write_text('{"doc_id":"a","v":1}\nnot json\n[1]\n{"doc_id":"a","v":2}\n')
    store = JsonlStore(p).open()
    store.close()
    assert _lines(p) == [{"doc_id": "a", "v": 2}]
    assert len(store.warnings) == 2


def test_concurrent_puts_never_interleave(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    store = JsonlStore(p).open()
    big = "x" * 200_000

    def put(i: int) -> None:
        store.put({"doc_id": f"d{i}", "pad": big})

    threads = [threading.Thread(target=put, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    objs, warnings = read_jsonl(p)
    assert not warnings and sorted(o["doc_id"] for o in objs) == sorted(f"d{i}" for i in range(16))


def test_doc_text_name_is_safe() -> None:
    assert doc_text_name("004_adb5") == "004_adb5.txt"
    name = doc_text_name("../../etc/passwd")
    assert "/" not in name and not name.startswith(".")
    assert doc_text_name("a/b") != doc_text_name("a_b")


# ------------------------------------------------------------ hashes, scrubbing


def test_config_hash_ignores_cache_dir_but_not_backend() -> None:
    assert config_hash(Cfg()) == config_hash(Cfg(cache_dir="/elsewhere"))
    assert config_hash(Cfg()) != config_hash(Cfg(backend="llm"))


def test_input_hash_follows_bytes_not_location(inputs: Path, tmp_path: Path) -> None:
    r = replies_in(inputs)[0]
    moved = tmp_path / "moved"
    shutil.copytree(inputs, moved)
    assert input_hash(r) == input_hash(replies_in(moved)[0])
    r.paths[0].write_text(r.paths[0].read_text() + " ")
    assert input_hash(r) != input_hash(replies_in(moved)[0])


def test_scrub_redacts_keys_and_flattens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_API_KEY", "hunter2hunter2")
    out = scrub("bad key sk-abcdefghijklmnop\nAuthorization: Bearer abc.def.ghi hunter2hunter2 "
                + "y" * 900)
    assert "sk-abc" not in out and "abc.def" not in out and "hunter2" not in out
    assert "\n" not in out and len(out) <= 500


# ------------------------------------------------------------ run_batch


def test_run_writes_every_file(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    s = run_batch(replies_in(inputs), Cfg(), out, workers=2, process=fake_process)
    assert (s.total, s.ok, s.failed, s.skipped, s.exit_code) == (5, 5, 0, 0, 0)
    recs = _lines(out / "records.jsonl")
    assert sorted(r["doc_id"] for r in recs) == sorted(p.stem for p in inputs.glob("*.txt"))
    for r in recs:
        assert r["meta"]["input_hash"] and r["meta"]["config_hash"] == config_hash(Cfg())
        text = (out / r["meta"]["text_file"]).read_text()
        for o in r["offences"]:
            ev = o["evidence"][0]
            assert text[ev["start"]:ev["end"]] == ev["quote"] == str(o["count"])
    assert (out / "errors.jsonl").read_text() == ""
    summary = json.loads((out / "summary.json").read_text())
    assert summary["replies"] == {"total": 5, "ok": 5, "failed": 0, "skipped": 0}
    assert summary["usage"] == {"cache_hits": 5, "cost_usd": 0.005, "input_tokens": 500,
                                "output_tokens": 50}
    assert summary["dataset"]["facts_by_kind"]["offences"] == 5
    assert summary["dataset"]["flags"] == 1


def test_facts_csv_matches_eval_facts(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(replies_in(inputs), Cfg(), out, process=fake_process)
    rows = list(csv.DictReader(io.StringIO((out / "facts.csv").read_text())))
    assert list(rows[0]) == FactRow.columns()
    records, _ = parse_records(_lines(out / "records.jsonl"))
    assert len(rows) == sum(len(flatten(r)) for r in records)
    off = [r for r in rows if r["kind"] == "offences"]
    assert [(r["period_start"], r["count"], r["evidence_quote"], r["flagged"]) for r in off] == [
        ("2013-01-01", "12", "12", "true"), ("2014-01-01", "6", "6", "false"),
        ("2015-01-01", "7", "7", "false"), ("2013-01-01", "6", "6", "false"),
        ("2014-01-01", "1", "1", "false")]  # lines 38-40 and 97-98 of the 004 reply
    assert {r["agreed"] for r in off} == {"false"} and {r["readers"] for r in off} == {"rules"}
    ref = next(r for r in rows if r["kind"] == "reference" and r["doc_id"].startswith("004"))
    assert ref["value"] == "2572/15" and ref["evidence_quote"] == "2572/15"
    text = (out / "docs" / "004_adb5c984613db103.txt").read_text()
    assert text[int(ref["evidence_start"]):int(ref["evidence_end"])] == "2572/15"


def test_rerun_skips_force_redoes_change_redoes(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    calls: list[str] = []

    def counting(reply: FakeReply, cfg: object):  # type: ignore[no-untyped-def]
        calls.append(reply.doc_id)
        return fake_process(reply, cfg)

    run_batch(replies_in(inputs), Cfg(), out, process=counting)
    assert len(calls) == 5
    s = run_batch(replies_in(inputs), Cfg(), out, process=counting)
    assert (s.skipped, s.ok, len(calls)) == (5, 0, 5)
    s = run_batch(replies_in(inputs), Cfg(), out, force=True, process=counting)
    assert (s.skipped, s.ok, len(calls)) == (0, 5, 10)
    assert len(_lines(out / "records.jsonl")) == 5
    target = sorted(inputs.glob("*.txt"))[1]
    target.write_text(target.read_text() + "\nextra line")
    s = run_batch(replies_in(inputs), Cfg(), out, process=counting)
    assert (s.skipped, s.ok, calls[-1]) == (4, 1, target.stem)
    s = run_batch(replies_in(inputs), Cfg(backend="llm"), out, process=counting)
    assert s.ok == 5 and len(_lines(out / "records.jsonl")) == 5


# Built at run time so that no key-shaped literal sits in the repository.
FAKE_KEY = "sk-" + "abcdefghijklmnopqrstu"


def test_failures_are_reported_not_fatal(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    bad = sorted(inputs.glob("*.txt"))[0]
    original = bad.read_text()
    bad.write_text("CORRUPT")

    def boom_or_fake(reply: FakeReply, cfg: object):  # type: ignore[no-untyped-def]
        if reply.doc_id.startswith("001"):
            raise ValueError("bug with key " + FAKE_KEY)
        return fake_process(reply, cfg)

    s = run_batch(replies_in(inputs), Cfg(), out, process=boom_or_fake)
    assert (s.ok, s.failed, s.exit_code) == (3, 2, 1)
    errors = {e["doc_id"]: e for e in _lines(out / "errors.jsonl")}
    assert errors[bad.stem]["error"] == "LoadError"
    assert errors[bad.stem]["message"] == f"{bad.name}: the file is corrupt"
    internal = errors["001_4007aec8355d1f8b"]
    assert internal["error"] == "InternalError (ValueError)"
    assert "sk-abc" not in internal["message"] and "Traceback" not in internal["message"]
    assert len(_lines(out / "records.jsonl")) == 3
    bad.write_text(original)  # fixed input: the rerun does it and clears its error
    s = run_batch(replies_in(inputs), Cfg(), out, process=boom_or_fake)
    assert (s.ok, s.failed, s.skipped) == (1, 1, 3)
    assert [e["doc_id"] for e in _lines(out / "errors.jsonl")] == ["001_4007aec8355d1f8b"]


def test_missing_input_file_is_a_per_reply_error(inputs: Path, tmp_path: Path) -> None:
    replies = replies_in(inputs) + [FakeReply("ghost", [inputs / "ghost.txt"])]
    s = run_batch(replies, Cfg(), tmp_path / "out", process=fake_process)
    assert (s.ok, s.failed) == (5, 1)
    assert _lines(tmp_path / "out" / "errors.jsonl")[0]["doc_id"] == "ghost"


def test_workers_change_order_not_content(inputs: Path, tmp_path: Path) -> None:
    def slow(reply: FakeReply, cfg: object):  # type: ignore[no-untyped-def]
        time.sleep(0.1 * (5 - int(reply.doc_id[:3])))
        return fake_process(reply, cfg)

    def content(out: Path) -> dict[str, dict]:
        recs = {r["doc_id"]: r for r in _lines(out / "records.jsonl")}
        for r in recs.values():
            for k in ("elapsed_s", "finished_at"):
                r["meta"].pop(k)
        return recs

    t0 = time.monotonic()
    run_batch(replies_in(inputs), Cfg(), tmp_path / "a", workers=5, process=slow)
    parallel = time.monotonic() - t0
    run_batch(replies_in(inputs), Cfg(), tmp_path / "b", workers=1, process=slow)
    assert content(tmp_path / "a") == content(tmp_path / "b")
    assert (tmp_path / "a" / "facts.csv").read_text() == (tmp_path / "b" / "facts.csv").read_text()
    assert parallel < 1.1  # 5 workers: ~0.5 s, not the serial 1.5 s


def test_second_run_on_same_folder_is_refused(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    started, release = threading.Event(), threading.Event()

    def waiting(reply: FakeReply, cfg: object):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(5)
        return fake_process(reply, cfg)

    t = threading.Thread(target=run_batch, args=(replies_in(inputs)[:1], Cfg(), out),
                         kwargs={"process": waiting})
    t.start()
    started.wait(5)
    with pytest.raises(ExtractError, match="another run"):
        run_batch(replies_in(inputs), Cfg(), out, process=fake_process)
    release.set()
    t.join()


def test_progress_choice_and_plain_lines() -> None:
    assert isinstance(make_progress(quiet=True), NullProgress)
    buf = io.StringIO()
    p = make_progress(stream=buf)
    assert isinstance(p, LogProgress)
    p.start(2, 1)
    p.done("a", "ok", "3 facts")
    p.done("b", "failed", "LoadError: bad")
    assert buf.getvalue().splitlines() == [
        "foi-extract: 2 replies to process, 1 unchanged (skipped)",
        "[1/2] ok a: 3 facts", "[2/2] failed b: LoadError: bad"]


def test_run_status_goes_to_the_progress_stream(inputs: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.StringIO()
    run_batch(replies_in(inputs), Cfg(), tmp_path / "o", progress=LogProgress(buf),
              process=fake_process)
    assert buf.getvalue().count("] ok ") == 5
    assert capsys.readouterr().out == ""


def test_rich_progress_on_a_terminal(inputs: Path, tmp_path: Path) -> None:
    from rich.console import Console

    from extract.runner import RichProgress

    buf = io.StringIO()
    bar = RichProgress(Console(file=buf, force_terminal=True, width=100))
    s = run_batch(replies_in(inputs), Cfg(), tmp_path / "o", progress=bar, process=fake_process)
    assert s.ok == 5
    shown = buf.getvalue()
    assert "5/5" in shown and "ok 5" in shown and "ETA" in shown
