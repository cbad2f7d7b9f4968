"""The LLM reader: one validated request per chunk, values mapped back to evidence offsets.

The model only points: at quotes of the chunk and at table cell ids. Every value it gives is
checked against that evidence (``extract.llm.models``); what fails after re-asks is dropped
and named in a ``Flag`` on the record.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import openai

from extract.document import Document, Table, TableCell
from extract.errors import LLMError
from extract.llm.cache import LLMCache, cache_key
from extract.llm.client import CallResult, call_model
from extract.llm.config import LLMConfig
from extract.llm.models import ChunkFacts, CountedOut, Grounded, find_quote, salvage
from extract.llm.usage import Usage
from extract.prompting import (
    PromptSet,
    build_messages,
    cell_id,
    cell_texts,
    default_prompts,
    hint_lines,
)
from schemas import (
    Cell,
    Evidence,
    Exemption,
    Flag,
    OffenceCount,
    OutcomeRow,
    Period,
    PlatformRow,
    Record,
    YoungestVictim,
)
from schemas.vocab import canonical_platforms

READER = "llm"


class ChunkLike(Protocol):
    """What the reader needs of ``extract.chunking.Chunk``."""

    id: str
    start: int
    end: int
    text: str
    table_ids: list[str]


class LLMReadError(LLMError):
    """The model failed for a chunk after retries; carries the usage spent so far."""

    def __init__(self, message: str, usage: Usage) -> None:
        super().__init__(message)
        self.usage = usage


class ReaderChunk:
    """A chunk with its tables and the cell ids the model may cite."""

    def __init__(self, doc: Document, chunk: ChunkLike) -> None:
        self.doc = doc
        self.chunk = chunk
        wanted = set(chunk.table_ids)
        self.tables: list[Table] = [t for t in doc.tables if t.id in wanted]
        self.cells: dict[str, tuple[Table, TableCell]] = {
            cell_id(t, c): (t, c) for t in self.tables for row in t.rows for c in row}

    def context(self) -> dict[str, Any]:
        return {"text": self.chunk.text, "cells": cell_texts(self.tables)}

    def evidence(self, fact: Grounded) -> list[Evidence]:
        """Offsets in doc.text for a fact's quote and cited cells."""
        out: list[Evidence] = []
        span = find_quote(self.chunk.text, fact.quote) if fact.quote.strip() else None
        if span:
            out.append(self.doc.evidence(self.chunk.start + span[0], self.chunk.start + span[1]))
        for cid in fact.cells:
            if cid in self.cells:
                table, cell = self.cells[cid]
                out += self.doc.cell_evidence(table, cell)
        return out


def _counted(fact: CountedOut, ev: list[Evidence]) -> dict[str, Any]:
    return {"count": fact.count, "suppressed": fact.suppressed, "evidence": ev,
            "readers": [READER]}


def _period(p: Any) -> Period:
    return Period(start=p.start, end=p.end)


def _items(facts: ChunkFacts, ch: ReaderChunk) -> dict[str, list[Any]]:
    """Record items (with evidence) for the list fields of one chunk's facts."""
    ev = ch.evidence
    return {
        "offences": [OffenceCount(period=_period(f.period), code=f.code,
                                  **_counted(f, ev(f))) for f in facts.offences],
        "victims": [Cell(period=_period(f.period), gender=f.gender, age=f.age,
                         **_counted(f, ev(f))) for f in facts.victims],
        "suspects": [Cell(period=_period(f.period), gender=f.gender, age=f.age,
                          **_counted(f, ev(f))) for f in facts.suspects],
        "platforms": [PlatformRow(period=_period(f.period), label=f.label.strip(),
                                  platforms=canonical_platforms(f.label), method=f.method,
                                  **_counted(f, ev(f))) for f in facts.platforms],
        "outcomes_by_type": [OutcomeRow(period=_period(f.period), outcome=f.outcome,
                                        **_counted(f, ev(f))) for f in facts.outcomes_by_type],
        "exemptions": [Exemption(section=f.section, ncnd=f.ncnd, evidence=ev(f),
                                 readers=[READER]) for f in facts.exemptions],
    }


class _Builder:
    """Collects chunk results into one record (first value of a scalar wins)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.scalars: dict[str, Any] = {}
        self.evidence: dict[str, list[Evidence]] = {}
        self.lists: dict[str, list[Any]] = {}
        self.codes: list[str] = []
        self.caveats: list[str] = []
        self.youngest: YoungestVictim | None = None
        self.flags: list[Flag] = []

    def add(self, facts: ChunkFacts, ch: ReaderChunk) -> None:
        for name in ("force", "reference", "response_date", "outcome", "data_in_attachment"):
            fact = getattr(facts, name)
            if fact is not None and name not in self.scalars:
                self.scalars[name] = fact.value
                self.evidence[name] = ch.evidence(fact)
        for code in facts.offence_codes:
            if code.code not in self.codes:
                self.evidence[f"offence_codes.{len(self.codes)}"] = ch.evidence(code)
                self.codes.append(code.code)
        for kind, items in _items(facts, ch).items():
            bucket = self.lists.setdefault(kind, [])
            bucket += [i for i in items if _dump(i) not in {_dump(b) for b in bucket}]
        yv = facts.youngest_victim
        if yv is not None and self.youngest is None:
            self.youngest = YoungestVictim(age_min=yv.age_min, age_max=yv.age_max,
                                           gender=yv.gender, withheld=yv.withheld,
                                           evidence=ch.evidence(yv), readers=[READER])
        self.caveats += [c for c in facts.caveats if c not in self.caveats]

    def drop(self, chunk_id: str, dropped: list[str]) -> None:
        for reason in dropped:
            self.flags.append(Flag(code="llm_dropped",
                                   message=f"chunk {chunk_id}: model value dropped after "
                                           f"re-asks: {reason}"[:500]))

    def record(self, hints: Record | None, meta: dict[str, Any]) -> Record:
        outcome = self.scalars.pop("outcome", None)
        if outcome is None:
            # Record needs an outcome; without evidence it does not count as the model's.
            outcome = hints.outcome if hints is not None else "no_answer"
        fields: dict[str, Any] = {**self.scalars, **self.lists}
        return Record(doc_id=self.doc.doc_id, outcome=outcome, offence_codes=self.codes,
                      youngest_victim=self.youngest, caveats=self.caveats,
                      evidence=self.evidence, flags=self.flags, meta=meta, **fields)


def _dump(item: Any) -> str:
    return json.dumps(item.model_dump(mode="json", exclude={"evidence", "readers"}),
                      sort_keys=True)


def _from_cache(cache: LLMCache, key: str, context: dict[str, Any]) -> CallResult | None:
    row = cache.get(key)
    if row is None:
        return None
    data = json.loads(row)
    kept, dropped = salvage(data.get("facts"), context)
    return CallResult(facts=kept, dropped=[*data.get("dropped", []), *dropped])


@dataclass(frozen=True)
class ChunkRequest:
    """What the reader asks for one chunk: the messages, the validators' context, the cache key.

    The live reader and batch mode (``extract.batch``) both build it here, so a batch request
    is the request the live reader would make.
    """

    messages: list[dict[str, str]]
    context: dict[str, Any]
    key: str


def chunk_request(ch: ReaderChunk, prompts: PromptSet, hints: Record | None,
                  config: LLMConfig) -> ChunkRequest:
    """The messages, validation context and cache key for one chunk."""
    messages = build_messages(prompts, ch.chunk.text, ch.tables,
                              hint_lines(hints, ch.chunk.start, ch.chunk.end),
                              n_examples=config.n_examples, offset=ch.chunk.start)
    key = cache_key(endpoint=config.base_url, model=config.model,
                    prompt_text=json.dumps(messages[:-1], ensure_ascii=False),
                    prompt_version=f"{prompts.version}:{prompts.hash}",
                    schema=ChunkFacts.model_json_schema(), params=config.cache_params(),
                    chunk_text=messages[-1]["content"])
    return ChunkRequest(messages=messages, context=ch.context(), key=key)


def store_result(cache: LLMCache, key: str, result: CallResult) -> None:
    """Keep a chunk's validated answer (facts and what was dropped) as a JSON cache row."""
    cache.set(key, json.dumps({"facts": result.facts.model_dump(mode="json"),
                               "dropped": result.dropped}, ensure_ascii=False))


def read_chunk(ch: ReaderChunk, prompts: PromptSet, hints: Record | None, config: LLMConfig,
               usage: Usage, cache: LLMCache | None,
               client: openai.OpenAI | None = None) -> CallResult:
    """One chunk: from the cache when the same request was answered before, else the model."""
    req = chunk_request(ch, prompts, hints, config)
    if cache is not None and (hit := _from_cache(cache, req.key, req.context)) is not None:
        usage.cached += 1
        return hit
    result = call_model(config, req.messages, req.context, usage, client=client)
    if cache is not None:
        store_result(cache, req.key, result)
    return result


def read_llm(doc: Document, chunks: Sequence[ChunkLike], hints: Record | None,
             config: LLMConfig, cache: LLMCache | None = None, *,
             prompts: PromptSet | None = None,
             client: openai.OpenAI | None = None) -> tuple[Record, Usage]:
    """Read a document with the model, one request per chunk.

    Raises LLMReadError (an LLMError) when a chunk still fails after retries; the pipeline
    turns that into an error record and the batch goes on.
    """
    prompts = prompts or default_prompts()
    usage = Usage()
    builder = _Builder(doc)
    for chunk in chunks:
        ch = ReaderChunk(doc, chunk)
        try:
            result = read_chunk(ch, prompts, hints, config, usage, cache, client)
        except LLMError as exc:
            raise LLMReadError(f"{doc.doc_id} chunk {chunk.id}: {exc}", usage) from exc
        builder.add(result.facts, ch)
        builder.drop(chunk.id, result.dropped)
    meta = {"reader": READER, "model": config.model, "prompt_hash": prompts.hash,
            "prompt_version": prompts.version, "llm_mode": config.resolved_mode().value,
            "usage": usage.as_dict(), "readers": {k: [READER] for k in builder.scalars}}
    return builder.record(hints, meta), usage
