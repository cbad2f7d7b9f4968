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
from extract.llm.models import ChunkFacts
from extract.prompting import encode_input

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])


def test_fake_answer_passes_the_readers_validators() -> None:
    text = "Kent Police\nOffences recorded 2021/22: 52\nOther line 7\n"
    hints = ["force: Kent Police", "offence 2021-04-01..2022-03-31 code=None count=52",
             "offence 2021-04-01..2022-03-31 code=None count=999"]
    answer = llm_bench.grounded_answer(encode_input(text, [], hints))
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
    assert rerun["same_folder"] == {**rerun["same_folder"], "skipped": len(TEXT_LAYOUTS),
                                    "http_calls": 0}
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


def test_fake_server_stops_with_its_context(tmp_path: Path) -> None:
    with llm_bench.fake_server(0.0) as fake:
        assert fake.stats()["requests"] == 0
        proc = fake.proc
    assert proc.poll() is not None
