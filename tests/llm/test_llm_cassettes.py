"""Offline tests replayed from cassettes recorded against a real OpenAI-compatible server.

Recorded from llama-cpp-python's server with Gemma 3 270M (a tiny base model: its answers
are poor, which is what exercises validation and re-asks). Re-record: see README,
"Recording cassettes". Replays run with --record-mode=none and the network blocked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from extract.document import Document
from extract.llm.cache import LLMCache
from extract.llm.config import LLMConfig
from extract.llm.models import ChunkFacts
from extract.readers.llm import read_llm
from schemas import Record
from tests.llm.conftest import CASSETTE_BASE_URL, CASSETTE_MODEL, CASSETTES
from tests.llm.helpers import Chunk, between, reply

PROSE = "000_15da7be9d501b9f9"
LETTER = "001_4007aec8355d1f8b"


def _config(**kw: Any) -> LLMConfig:
    base: dict[str, Any] = {"base_url": CASSETTE_BASE_URL, "model": CASSETTE_MODEL,
                            "timeout_s": 300,
                            "max_tokens": 300, "max_reasks": 1, "n_examples": 0,
                            "attempts": 1}
    base.update(kw)
    return LLMConfig.from_env(**base)


def _doc_chunk(name: str, a: str, b: str) -> tuple[Document, Chunk]:
    text = reply(name)
    start, end = between(text, a, b)
    return Document(doc_id=name, text=text), Chunk("c1", start, end, text[start:end])


def _bodies(vcr: Any) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in vcr.requests]


@pytest.mark.default_cassette("llm_prose_chunk.yaml")
@pytest.mark.vcr
def test_request_carries_schema_and_prompt_and_response_parses(vcr: Any) -> None:
    doc, chunk = _doc_chunk(PROSE, "Question 4", "Total Count 43")
    record, usage = read_llm(doc, [chunk], None, _config())
    body = _bodies(vcr)[0]
    assert body["response_format"] == {"type": "json_object",
                                       "schema": ChunkFacts.model_json_schema()}
    assert body["messages"][0]["content"].startswith("version: 2")
    assert json.loads(body["messages"][-1]["content"])["text"] == chunk.text
    assert body["model"] == CASSETTE_MODEL and body["temperature"] == 0
    assert Record.model_validate(record.model_dump(mode="json")) == record
    assert record.meta["prompt_hash"] and usage.requests == 1 and usage.input_tokens > 0
    for item in record.offences + record.suspects:  # whatever survived is grounded
        assert all(doc.text[e.start:e.end] == e.quote for e in item.evidence)


@pytest.mark.default_cassette("llm_reask.yaml")
@pytest.mark.vcr
def test_validation_failure_leads_to_a_reask(vcr: Any) -> None:
    doc, chunk = _doc_chunk(LETTER, "29th June 2021", "20210999")
    record, usage = read_llm(doc, [chunk], None, _config(n_examples=1))
    first, second = _bodies(vcr)[:2]
    assert len(second["messages"]) == len(first["messages"]) + 2
    assert second["messages"][-2]["role"] == "assistant"
    assert "error" in second["messages"][-1]["content"].lower()
    assert usage.requests == 2
    dropped = [f for f in record.flags if f.code == "llm_dropped"]
    assert dropped and all("Value error" in f.message for f in dropped)
    assert all(doc.text[e.start:e.end] == e.quote
               for item in record.offences for e in item.evidence)


@pytest.mark.default_cassette("llm_prose_chunk.yaml")
@pytest.mark.vcr
def test_second_run_is_served_from_the_cache(vcr: Any, tmp_path: Path) -> None:
    doc, chunk = _doc_chunk(PROSE, "Question 4", "Total Count 43")
    cache = LLMCache(tmp_path / "cache")
    first, u1 = read_llm(doc, [chunk], None, _config(), cache)
    played = vcr.play_count
    second, u2 = read_llm(doc, [chunk], None, _config(), cache)
    assert vcr.play_count == played  # no HTTP on the rerun
    assert (u1.requests, u1.cached, u2.requests, u2.cached) == (1, 0, 0, 1)
    strip = {"meta"}
    assert second.model_dump(exclude=strip) == first.model_dump(exclude=strip)
    cache.close()


def test_no_key_in_any_cassette() -> None:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert files, "no cassettes recorded"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "sk-" not in text, path
        key = os.environ.get("OPENAI_API_KEY")
        assert not key or key not in text, path
        assert "authorization" not in text.lower(), path
        for header in ("openai-organization", "openai-project", "set-cookie"):
            assert header not in text.lower(), path
