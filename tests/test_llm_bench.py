"""A fast version of the LLM economy and concurrency benchmark (bench/llm_bench.py).

The fake model server runs in a child process on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import llm_bench
from bench.corpus import TEXT_LAYOUTS
from extract.document import Document
from extract.llm.client import shared_openai
from extract.llm.config import LLMConfig
from extract.llm.models import ChunkFacts
from extract.readers.llm import read_llm
from tests.fakes.fake_openai import FakeOpenAI, Step, serve
from tests.llm.helpers import FY

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])


def test_fake_answer_passes_the_readers_validators() -> None:
    text = "Kent Police\nOffences recorded 2021/22: 52\nOther line 7\n"
    hints = ["force: Kent Police", "offences 2021-04-01..2022-03-31: code=None 52; code=None 999"]
    answer = llm_bench.grounded_answer(json.dumps({"task": "prose", "text": text,
                                                   "hints": hints}))
    facts = ChunkFacts.model_validate(answer, context={"text": text, "cells": {}})
    assert [o.count for o in facts.offences] == [52]  # 999 is nowhere in the text: not sent
    assert facts.offences[0].quote == "Offences recorded 2021/22: 52"
    assert facts.force is not None and facts.force.value == "Kent Police"
    assert llm_bench.grounded_answer("not json") == {}


def test_stats_count_fixed_and_chunk_parts_and_reset() -> None:
    stats = llm_bench.FakeStats()
    body = {"messages": [{"role": "system", "content": "abcd"},
                         {"role": "user", "content": "0123456789"}],
            "response_format": {"type": "json_object"}}
    assert stats.arrive(body) == "0123456789"
    stats.arrive(body)
    snap = stats.snapshot(reset=True)
    assert (snap["requests"], snap["fixed_chars"], snap["chunk_chars"]) == (2, 8, 20)
    assert snap["peak_in_flight"] == 2
    stats.leave()
    stats.leave()
    assert stats.snapshot()["requests"] == 0


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    n = len(TEXT_LAYOUTS)  # one reply of each plain-text layout
    out = llm_bench.run_all(economy_n=n, concurrency_n=8, workers=[1, 4], delay_s=0.2,
                            seed=5)
    out["targets"] = llm_bench.targets(out)
    return out


def test_economy_counts_calls_tokens_and_accepted_values(results: dict[str, Any]) -> None:
    e = results["llm_economy"]
    assert e["replies"] == len(TEXT_LAYOUTS) and e["failed"] == 0
    assert e["http_calls"] >= e["replies"]
    assert e["calls_per_reply"] == round(e["http_calls"] / e["replies"], 3)
    # The grounded answers went through validation and into the records.
    assert e["llm_items_accepted"] > 0 and e["llm_values_dropped"] == 0
    assert e["fixed_prompt_tokens_per_call"] > 500  # system prompt + few-shot examples
    assert 0 < e["variable_over_reply_tokens"] < 5
    assert e["usage_input_tokens_reported"] > 0
    json.dumps(results)  # JSON-ready for bench.json


def test_rerun_is_served_by_the_cache_with_zero_http_calls(results: dict[str, Any]) -> None:
    rerun = results["llm_economy"]["rerun"]
    fresh = rerun["fresh_folder"]
    assert fresh["http_calls"] == 0 and fresh["replies"] == len(TEXT_LAYOUTS)
    assert fresh["cache_hits"] == fresh["chunks"] > 0 and fresh["hit_rate"] == 1.0
    same = rerun["same_folder"]
    assert same["skipped"] == len(TEXT_LAYOUTS) and same["http_calls"] == 0
    assert results["targets"]["rerun_http_calls==0"]["met"] is True


def test_workers_overlap_requests(results: dict[str, Any]) -> None:
    one, four = results["concurrency"]["runs"]
    assert (one["workers"], four["workers"]) == (1, 4)
    assert one["failed"] == four["failed"] == 0
    assert one["peak_in_flight"] == 1 and four["peak_in_flight"] >= 2
    assert one["speedup"] == 1.0 and four["speedup"] > 1.5
    assert four["wall_s"] >= four["ideal_wall_s"]


def test_targets_say_measured_and_met() -> None:
    fake = {"llm_economy": {"calls_per_reply": 1.3, "variable_over_reply_tokens": 1.5,
                            "rerun": {"fresh_folder": {"http_calls": 0}}},
            "concurrency": {"runs": [{"workers": 1, "speedup": 1.0},
                                     {"workers": 16, "speedup": 9.5}]}}
    t = llm_bench.targets(fake)
    assert t["calls_per_reply<=1.2"] == {"measured": 1.3, "met": False}
    assert t["variable_prompt<=2x_reply_tokens"]["met"] is True
    assert t["speedup_16_workers>=12"] == {"measured": 9.5, "met": False}


def test_fake_server_stops_with_its_context() -> None:
    with llm_bench.fake_server(0.0) as fake:
        assert fake.stats()["requests"] == 0
        proc = fake.proc
    assert proc.poll() is not None


# Regressions for the fixes this benchmark led to (extract/llm/client.py and models.py).


def _cfg(url: str) -> LLMConfig:
    return LLMConfig(base_url=url, model="fake-model", timeout_s=2, attempts=1, max_reasks=1)


def test_reply_text_is_never_rendered_as_a_template() -> None:
    text = ("Total Count 52. Notes: {% if x %} unbalanced, {{ text }} and {# not a comment\n"
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}")
    doc = Document(doc_id="tpl", text=text)
    fake = FakeOpenAI(default=Step(answer={"offences": [
        {"period": FY, "count": 52, "quote": "Total Count 52"}]}))
    with serve(fake) as url:
        record, _ = read_llm(doc, None, _cfg(url))
    assert [o.count for o in record.offences] == [52]
    sent = fake.requests[0]["messages"][-1]["content"]
    assert json.loads(sent)["text"] == text  # verbatim: no template was rendered


def test_grounding_is_checked_and_reasked() -> None:
    doc = Document(doc_id="g", text="Total Count 52\n")
    bad = {"offences": [{"period": FY, "count": 53, "quote": "Total Count 53"}]}
    fake = FakeOpenAI(default=Step(answer=bad))
    with serve(fake) as url:
        record, _ = read_llm(doc, None, _cfg(url))
    assert len(fake.requests) == 2  # the ungrounded quote was re-asked with its error
    assert "does not occur in the text" in fake.requests[1]["messages"][-1]["content"]
    assert record.offences == [] and [f.code for f in record.flags] == ["llm_dropped"]


def test_one_client_per_endpoint_config() -> None:
    a = shared_openai(LLMConfig(base_url="http://127.0.0.1:9/v1"))
    assert shared_openai(LLMConfig(base_url="http://127.0.0.1:9/v1")) is a
    assert shared_openai(LLMConfig(base_url="http://127.0.0.1:8/v1")) is not a


def test_response_schema_is_made_once_and_handed_out_as_copies() -> None:
    first = ChunkFacts.model_json_schema()
    first["title"] = "changed"
    assert ChunkFacts.model_json_schema()["title"] == "ChunkFacts"


def test_bench_run_puts_llm_figures_in_bench_json(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import run as bench_run

    # Only the LLM part is under test here (tests/test_corpus_bench.py runs the rest).
    monkeypatch.setattr(bench_run, "throughput", lambda n, seed, work: {"n": n})
    monkeypatch.setattr(bench_run, "accuracy", lambda n, seed, work: {"n": n})
    out = tmp_path / "bench.json"
    bench_run.run([3], 3, 1, out, bench_run.LLMBench(2, 2, (1, 2), 0.05))
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["llm_economy"]["replies"] == 2 and len(saved["concurrency"]["runs"]) == 2
    assert saved["llm_targets"]["rerun_http_calls==0"]["met"] is True
    assert "llm_economy" not in saved["not_measured"]
    bench_run.run([3], 3, 1, out)  # without the LLM benches they are listed as not measured
    assert json.loads(out.read_text(encoding="utf-8"))["not_measured"][:2] == [
        "llm_economy", "concurrency"]
