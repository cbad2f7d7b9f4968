"""The LLM reader: the model maps tables and reads prose; code reads the cells.

For each request :mod:`extract.llm.requests` builds (normally one per reply), the answer is
validated by :mod:`extract.llm.parse` (re-asked with the errors, then salvaged), and a
completion stopped by ``max_tokens`` is never used: the request is split and sent again.
Prose facts become record items whose evidence is the exact number token (or the quoted
words for non-counts); table mappings are expanded over the grid by code, every count with
its cell as evidence. The mappings also go into ``meta["mappings"]`` for the merge, which
compares them with the rules reader's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openai
from pydantic import BaseModel

from extract.document import Document
from extract.errors import LLMError
from extract.llm.cache import LLMCache
from extract.llm.client import send
from extract.llm.config import LLMConfig
from extract.llm.models import (
    CountedOut,
    Grounded,
    ProseAnswer,
    find_quote,
    number_span,
    suppression_span,
)
from extract.llm.parse import AnswerInvalid, CutOff, Parsed, parse_completion, revalidate, salvage
from extract.llm.requests import (
    MAX_OUTPUT,
    LLMRequest,
    ProseView,
    RequestSpec,
    TableSlice,
    build,
    find_cell,
    plan_specs,
    split,
)
from extract.llm.usage import Usage
from extract.prompting import PromptSet, default_prompts
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
from schemas.mapping import TableMapping
from schemas.vocab import canonical_platforms

READER = "llm"
# Expands one table's mapping over its grid into record items (``extract.readers.expand``);
# passed in so this module does not fix which expansion the pipeline uses.
Expander = Callable[[Document, TableMapping], dict[str, list[Any]]]


class LLMReadError(LLMError):
    """The model failed for a request after retries; carries the usage spent so far."""

    def __init__(self, message: str, usage: Usage) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass
class Leaf:
    """One answered request (after any splitting): its spec and validated answer."""

    spec: RequestSpec
    answer: BaseModel
    dropped: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The cache form: what was asked and the validated answer."""
        s = self.spec
        return {"rid": s.rid, "prose": list(s.prose) if s.prose else None,
                "tables": [t.as_json() for t in s.tables],
                "answer": self.answer.model_dump(mode="json", exclude_defaults=True),
                "dropped": self.dropped}


@dataclass
class Reading:
    """Everything needed to answer a document's requests."""

    doc: Document
    prompts: PromptSet
    config: LLMConfig
    hints: Record | None
    rules_maps: dict[str, TableMapping]
    usage: Usage
    cache: Any = None  # LLMCache, or batch collect's answers-only view
    client: openai.OpenAI | None = None

    def request(self, spec: RequestSpec, max_tokens: int | None = None) -> LLMRequest:
        """The built request for a spec (the same builder Batch mode uses)."""
        return build(self.doc, spec, self.prompts, self.config, self.hints, self.rules_maps,
                     max_tokens=max_tokens)


def _reask_messages(messages: list[dict[str, Any]], exc: AnswerInvalid) -> list[dict[str, Any]]:
    """A fresh list: the request, the model's answer, and the validation errors."""
    return [*messages, {"role": "assistant", "content": exc.text[:4000]},
            {"role": "user", "content": f"That answer failed validation: {str(exc)[:1500]}. "
                                        "Send the whole answer again, corrected."}]


def ask(req: LLMRequest, r: Reading) -> Parsed:
    """One request, re-asked with the errors up to ``max_reasks`` times, then salvaged.

    Raises CutOff when an answer is stopped by the token limit.
    """
    messages: list[dict[str, Any]] = list(req.body["messages"])
    for attempt in range(r.config.max_reasks + 1):
        completion = send(r.config, {**req.body, "messages": messages}, r.usage, r.client)
        try:
            parsed = parse_completion(req.answer_model, req.context, completion)
            parsed.reasks = attempt
            return parsed
        except AnswerInvalid as exc:
            if attempt == r.config.max_reasks:
                kept = salvage(req.answer_model, req.context, exc.raw)
                kept.dropped = [f"after {attempt} re-asks: {d}" for d in kept.dropped] or \
                    [f"after {attempt} re-asks: {str(exc)[:300]}"]
                kept.reasks = attempt
                return kept
            messages = _reask_messages(messages, exc)
    raise AssertionError("unreachable")


def answer_spec(spec: RequestSpec, r: Reading, max_tokens: int | None = None) -> list[Leaf]:
    """Answers for a spec; a cut-off answer is split into smaller requests, recursively.

    A request that cannot be split any further is asked once more with twice the output
    budget; if that is cut off too, nothing of it is used and the loss is named.
    """
    req = r.request(spec, max_tokens)
    try:
        parsed = ask(req, r)
    except CutOff as exc:
        parts = split(r.doc, spec)
        if parts:
            return [leaf for p in parts for leaf in read_spec(p, r)]
        budget = int(req.body["max_tokens"])
        if budget < MAX_OUTPUT:
            return answer_spec(spec, r, min(MAX_OUTPUT, budget * 2))
        return [Leaf(spec, req.answer_model.model_construct(),
                     [f"request {spec.rid}: {exc}; it cannot be split further"])]
    return [Leaf(spec, parsed.answer, parsed.dropped)]


def _leaf_from_json(data: dict[str, Any], r: Reading) -> Leaf:
    spec = RequestSpec(r.doc.doc_id, data["rid"],
                       tuple(data["prose"]) if data.get("prose") else None,  # type: ignore[arg-type]
                       tuple(TableSlice(*t) for t in data.get("tables", [])))
    req = r.request(spec)
    parsed = revalidate(req.answer_model, req.context, data.get("answer") or {})
    return Leaf(spec, parsed.answer, [*data.get("dropped", []), *parsed.dropped])


def cached_leaves(key: str, r: Reading) -> list[Leaf] | None:
    """The answers stored for a request key, validated again; None when not stored."""
    if r.cache is None:
        return None
    row = r.cache.get(key)
    if row is None:
        return None
    return [_leaf_from_json(d, r) for d in json.loads(row)["leaves"]]


def store_leaves(cache: Any, key: str, leaves: list[Leaf]) -> None:
    """Keep a request's answers (all its parts, if it was split) as one JSON cache row."""
    cache.set(key, json.dumps({"leaves": [leaf.as_json() for leaf in leaves]},
                              ensure_ascii=False))


def cut_off_in_cache(cache: Any, key: str) -> bool:
    """True when the cache holds the mark of a batch answer cut off at max_tokens."""
    row = cache.get(key) if cache is not None else None
    return row is not None and bool(json.loads(row).get("cut_off"))


def mark_cut_off(cache: Any, key: str, message: str) -> None:
    """Remember that this request's answer was cut off: its split parts are asked instead."""
    cache.set(key, json.dumps({"cut_off": True, "message": message[:300]}))


def read_spec(spec: RequestSpec, r: Reading) -> list[Leaf]:
    """A planned request's answers: from the cache when asked before, else the model.

    A request whose batch answer was cut off is read as its split parts (each of them from
    the cache or the model).
    """
    key = r.request(spec).key
    if cut_off_in_cache(r.cache, key):
        parts = split(r.doc, spec)
        if not parts:
            return [Leaf(spec, r.request(spec).answer_model.model_construct(),
                         [f"request {spec.rid}: answer cut off and it cannot be split"])]
        return [leaf for p in parts for leaf in read_spec(p, r)]
    hit = cached_leaves(key, r)
    if hit is not None:
        r.usage.cached += 1
        return hit
    leaves = answer_spec(spec, r)
    if r.cache is not None:
        store_leaves(r.cache, key, leaves)
    return leaves


# ---------------------------------------------------------------- answers -> record items


def _evidence(doc: Document, view: ProseView, fact: Grounded) -> list[Evidence]:
    """Evidence in doc.text: the cells the fact cites, then the exact number token for a
    count, else the quoted words."""
    out = _cell_evidence(doc, fact.cells)
    span = find_quote(view.text, fact.quote) if fact.quote.strip() else None
    if span is None:
        return out
    a, b = span
    if isinstance(fact, CountedOut):
        quote = view.text[a:b]
        sub = (suppression_span(quote) if fact.count is None
               else number_span(quote, fact.count))
        if sub is not None:
            a, b = a + sub[0], a + sub[1]
    where = view.to_doc(a, b)
    return [*out, doc.evidence(*where)] if where else out


def _cell_evidence(doc: Document, ids: list[str]) -> list[Evidence]:
    """Evidence for cited cell ids (validated against the request's tables already)."""
    out: list[Evidence] = []
    for cid in ids:
        found = find_cell(doc.tables, cid)
        if found is not None:
            out += doc.cell_evidence(*found)
    return out


def _counted(fact: CountedOut, ev: list[Evidence]) -> dict[str, Any]:
    return {"count": fact.count, "suppressed": fact.suppressed, "evidence": ev,
            "readers": [READER]}


def _period(p: Any) -> Period:
    return Period(start=p.start, end=p.end)


def prose_items(doc: Document, view: ProseView, facts: ProseAnswer) -> dict[str, list[Any]]:
    """Record items (with evidence) for the list fields of a prose answer."""
    def ev(f: Grounded) -> list[Evidence]:
        return _evidence(doc, view, f)

    return {
        "offences": [OffenceCount(period=_period(f.period), code=f.code, **_counted(f, ev(f)))
                     for f in facts.offences],
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


def _dump(item: Any) -> str:
    return json.dumps(item.model_dump(mode="json", exclude={"evidence", "readers"}),
                      sort_keys=True)


class _Builder:
    """Collects answers into one record (first value of a scalar wins)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.scalars: dict[str, Any] = {}
        self.evidence: dict[str, list[Evidence]] = {}
        self.lists: dict[str, list[Any]] = {}
        self.codes: list[str] = []
        self.caveats: list[str] = []
        self.youngest: YoungestVictim | None = None
        self.flags: list[Flag] = []
        self.mappings: dict[str, TableMapping] = {}
        self.covered: list[list[int]] = []

    def add_items(self, items: dict[str, list[Any]]) -> None:
        """Add list items, skipping exact repeats (same key, value and evidence)."""
        for kind, new in items.items():
            bucket = self.lists.setdefault(kind, [])
            seen = {_dump(b) + json.dumps([e.start for e in b.evidence]) for b in bucket}
            bucket += [i for i in new
                       if _dump(i) + json.dumps([e.start for e in i.evidence]) not in seen]

    def add_prose(self, facts: ProseAnswer, view: ProseView) -> None:
        """Scalars, codes, youngest victim, caveats and list items of a prose answer."""
        ev = lambda f: _evidence(self.doc, view, f)  # noqa: E731
        for name in ("force", "reference", "response_date", "outcome", "data_in_attachment"):
            fact = getattr(facts, name, None)
            if fact is not None and name not in self.scalars and (where := ev(fact)):
                self.scalars[name] = fact.value
                self.evidence[name] = where
        for code in facts.offence_codes:
            if code.code not in self.codes:
                self.evidence[f"offence_codes.{len(self.codes)}"] = ev(code)
                self.codes.append(code.code)
        yv = facts.youngest_victim
        if yv is not None and self.youngest is None:
            self.youngest = YoungestVictim(age_min=yv.age_min, age_max=yv.age_max,
                                           gender=yv.gender, withheld=yv.withheld,
                                           evidence=ev(yv), readers=[READER])
        self.caveats += [c for c in facts.caveats if c not in self.caveats]
        self.add_items(prose_items(self.doc, view, facts))

    def add_mapping(self, m: TableMapping) -> None:
        """Keep a table's mapping; parts of a split table are joined."""
        old = self.mappings.get(m.table)
        self.mappings[m.table] = m if old is None else join_mappings(old, m)

    def drop(self, rid: str, dropped: list[str]) -> None:
        """One flag per value the model gave that failed validation."""
        for reason in dropped:
            self.flags.append(Flag(code="llm_dropped",
                                   message=f"request {rid}: model value dropped: {reason}"[:500]))

    def record(self, hints: Record | None, meta: dict[str, Any]) -> Record:
        """The model's record (outcome falls back to the hint's, marked as not the model's)."""
        outcome = self.scalars.pop("outcome", None)
        if outcome is None:
            outcome = hints.outcome if hints is not None else "no_answer"
        fields: dict[str, Any] = {**self.scalars, **self.lists}
        return Record(doc_id=self.doc.doc_id, outcome=outcome, offence_codes=self.codes,
                      youngest_victim=self.youngest, caveats=self.caveats,
                      evidence=self.evidence, flags=self.flags, meta=meta, **fields)


def join_mappings(a: TableMapping, b: TableMapping) -> TableMapping:
    """One mapping from the answers for two row parts of the same table."""
    cells = {c.cell: c for c in [*a.cells, *b.cells]}
    return a.model_copy(update={
        "cells": list(cells.values()),
        "total_rows": sorted({*a.total_rows, *b.total_rows}),
        "total_cols": sorted({*a.total_cols, *b.total_cols}),
        "suppression_marks": sorted({*a.suppression_marks, *b.suppression_marks})})


def _add_leaf(builder: _Builder, r: Reading, leaf: Leaf) -> None:
    builder.drop(leaf.spec.rid, leaf.dropped)
    for m in getattr(leaf.answer, "mappings", None) or []:
        builder.add_mapping(m)
    if leaf.spec.prose is not None and isinstance(leaf.answer, ProseAnswer):
        view = r.request(leaf.spec).view
        assert view is not None
        builder.add_prose(leaf.answer, view)
        builder.covered.append(list(leaf.spec.prose))


def _table_contexts(doc: Document) -> dict[str, Any]:
    """Each table's GridContext as the rules reader builds it (period scope, footnotes)."""
    from extract.readers import phrases as P
    from extract.readers.rules import _context  # the rules reader's own; one definition

    periods = P.scope(doc)
    return {t.id: _context(doc, t, periods) for t in doc.tables}


def rules_inputs(doc: Document) -> tuple[Record, dict[str, TableMapping]]:
    """What the model is shown of the rules reader: its record (hints) and its mappings.

    The rules mappings also go into the record's ``meta["mappings"]``, where the merge
    compares them with the model's.
    """
    from extract.readers.rules import read_rules
    from extract.readers.table_rules import map_table

    contexts = _table_contexts(doc)
    maps = {t.id: map_table(doc, t, contexts[t.id]) for t in doc.tables}
    record = read_rules(doc)
    record.meta["mappings"] = {tid: m.model_dump(mode="json", exclude_defaults=True)
                               for tid, m in maps.items()}
    return record, maps


def grid_expander(doc: Document) -> Expander:
    """The one expansion of a mapping over its table's grid, the rules reader's own table
    step (``extract.readers.rules.expand_table``: split by column subject, a platform the
    title names applied): every count from its own cell, with the cell as evidence; marked
    as the model's."""
    from extract.readers.rules import expand_alone  # the rules reader's table step

    contexts = _table_contexts(doc)
    tables = {t.id: t for t in doc.tables}

    def run(d: Document, m: TableMapping) -> dict[str, list[Any]]:
        t = tables.get(m.table)
        if t is None:
            return {}
        got = expand_alone(d, t, m, contexts[t.id].footnotes)
        mark = {"readers": [READER]}
        return {"offences": [o.model_copy(update=mark) for o in got.offences],
                "victims": [c.model_copy(update=mark) for c in got.victims],
                "suspects": [c.model_copy(update=mark) for c in got.suspects],
                "platforms": [p.model_copy(update=mark) for p in got.platforms],
                "outcomes_by_type": [o.model_copy(update=mark) for o in got.outcomes],
                "flags": got.flags}

    return run


def read_llm(doc: Document, hints: Record | None, config: LLMConfig,
             cache: LLMCache | Any | None = None, *, prompts: PromptSet | None = None,
             rules_maps: dict[str, TableMapping] | None = None,
             expand: Expander | None = None,  # default: grid_expander(doc)
             specs: list[RequestSpec] | None = None,
             client: openai.OpenAI | None = None) -> tuple[Record, Usage]:
    """Read a document with the model: its requests, answers, mappings expanded by code.

    ``specs``: the requests to make (default: :func:`plan_specs`, normally one per reply).

    Raises LLMReadError (an LLMError) when a request still fails after retries; the
    pipeline turns that into an error record and the batch goes on.
    """
    r = Reading(doc, prompts or default_prompts(), config, hints, rules_maps or {}, Usage(),
                cache, client)
    builder = _Builder(doc)
    for spec in plan_specs(doc) if specs is None else specs:
        try:
            leaves = read_spec(spec, r)
        except LLMError as exc:
            raise LLMReadError(f"{doc.doc_id} request {spec.rid}: {exc}", r.usage) from exc
        for leaf in leaves:
            _add_leaf(builder, r, leaf)
    run = expand or grid_expander(doc)
    for m in builder.mappings.values():
        items = run(doc, m)
        builder.flags += items.pop("flags", [])
        builder.add_items(items)
    meta = {"reader": READER, "model": config.model, "prompt_hash": r.prompts.hash,
            "prompt_version": r.prompts.version, "llm_mode": config.resolved_mode().value,
            "usage": r.usage.as_dict(), "readers": {k: [READER] for k in builder.scalars},
            "mappings": {t: m.model_dump(mode="json", exclude_defaults=True)
                         for t, m in builder.mappings.items()},
            "prose_spans": builder.covered}
    return builder.record(hints, meta), r.usage
