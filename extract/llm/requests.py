"""The ONE builder of model requests: table-mapping and prose requests for a document.

The live reader (``extract.readers.llm``) and Batch mode (``extract.batch``) both build
their requests here, so a batch line is byte for byte the request the live reader sends.

A reply becomes as few requests as fit: normally one, holding the reply's prose (tables
replaced by ``[table T1]``) and a *sketch* of every table: its title, the lines above and
below it, its header rows, two or three body rows in full and the row labels of the rest,
each cell with its id. The model answers with a :class:`~schemas.mapping.TableMapping` per
table (what the table counts, the role of each header) and the facts of the prose; code
expands a mapping over the whole grid. So the answer grows with the headers, not the cells.

When an answer is cut by ``max_tokens``, :func:`split` turns the request into smaller ones
(prose and tables apart, fewer tables, a table's row labels in parts).

The messages put the fixed part first (system prompt, few-shot examples) and byte-stable,
so a provider's automatic prompt caching serves it; the reply goes last, as JSON data.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from extract.chunking import chunk, tokens
from extract.document import Document, Table, TableCell
from extract.llm.config import LLMConfig, LLMMode
from extract.llm.models import FullAnswer, ProseAnswer, TablesAnswer
from extract.prompting import PromptSet, hint_lines
from schemas import Record
from schemas.mapping import TableMapping

Kind = Literal["full", "prose", "tables"]
ANSWERS: dict[str, type[BaseModel]] = {"full": FullAnswer, "prose": ProseAnswer,
                                       "tables": TablesAnswer}
# Bump when what a request asks for, or how an answer is read, changes.
REQUEST_VERSION = "3"
PROSE_TOKENS = 2500  # prose per request (tables excluded) before it is split
TABLE_TOKENS = 2500  # table sketches per request before tables go apart
SAMPLE_ROWS = 3  # body rows shown in full after the header rows
LABEL_ROWS = 60  # row labels listed per table slice
CELL_CHARS = 60
MIN_OUTPUT, MAX_OUTPUT = 256, 4096


@dataclass(frozen=True)
class TableSlice:
    """A table in a request, with the range of body rows whose labels are listed (1-based)."""

    table: str
    first: int = 0  # 0: from the first row after the sample
    last: int = 0  # 0: to the last row (capped at LABEL_ROWS rows)

    def as_json(self) -> list[Any]:
        """Compact JSON form (for the cache row)."""
        return [self.table, self.first, self.last]


@dataclass(frozen=True)
class RequestSpec:
    """What one request covers: a span of prose and/or table slices."""

    doc_id: str
    rid: str
    prose: tuple[int, int] | None = None
    tables: tuple[TableSlice, ...] = ()

    @property
    def kind(self) -> Kind:
        """full (prose and tables), prose or tables."""
        if self.prose is not None and self.tables:
            return "full"
        return "prose" if self.prose is not None else "tables"


@dataclass
class ProseView:
    """The prose the model sees: a span of the text with each table replaced by a marker.

    ``segments`` map view offsets back to document offsets: (view start, doc start, length).
    """

    text: str
    segments: list[tuple[int, int, int]] = field(default_factory=list)

    def to_doc(self, start: int, end: int) -> tuple[int, int] | None:
        """Document span of a view span that lies inside one piece of real text."""
        for v, d, n in self.segments:
            if v <= start and end <= v + n:
                return d + start - v, d + end - v
        return None


@dataclass
class LLMRequest:
    """A built request: the HTTP body, what validation needs, its cache key and custom id."""

    spec: RequestSpec
    body: dict[str, Any]
    context: dict[str, Any]
    key: str
    view: ProseView | None = None

    @property
    def custom_id(self) -> str:
        """``<doc id>:<request id>:<body hash>`` for the Batch API."""
        return f"{self.spec.doc_id}:{self.spec.rid}:{body_hash(self.body)}"

    @property
    def answer_model(self) -> type[BaseModel]:
        """The response model this request's answer must fit."""
        return ANSWERS[self.spec.kind]


def body_hash(body: dict[str, Any]) -> str:
    """First 16 hex of the sha256 of a body's canonical JSON."""
    return _sha(body)[:16]


def _sha(obj: Any) -> str:
    canonical = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- what the model sees


def prose_view(doc: Document, start: int, end: int) -> ProseView:
    """The text of [start, end) with every table inside it replaced by ``[table T1]``."""
    view = ProseView(text="")
    pos = start
    for t in sorted(doc.tables, key=lambda t: t.start):
        if t.end <= pos or t.start >= end or t.end <= t.start:
            continue
        _add_text(view, doc.text, pos, max(pos, t.start))
        view.text += f"[table {t.id}]"
        pos = min(end, t.end)
    _add_text(view, doc.text, pos, end)
    return view


def _add_text(view: ProseView, text: str, a: int, b: int) -> None:
    if b > a:
        view.segments.append((len(view.text), a, b - a))
        view.text += text[a:b]


def _clip(text: str, n: int = CELL_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def _lines_near(text: str, start: int, end: int, above: bool, n: int = 3) -> list[str]:
    """Up to ``n`` non-blank lines just above ``start`` or just below ``end``."""
    if above:
        lines = [ln for ln in text[max(0, start - 600):start].splitlines() if ln.strip()]
        return [_clip(ln, 200) for ln in lines[-n:]]
    lines = [ln for ln in text[end:end + 600].splitlines() if ln.strip()]
    return [_clip(ln, 200) for ln in lines[:n]]


def _row_line(table: Table, r: int, cols: int | None = None) -> str:
    cells = table.rows[r][:cols] if cols else table.rows[r]
    return " | ".join(f"r{r + 1}c{c.col + 1} {_clip(c.text)!s}".rstrip() for c in cells)


def _full_rows(table: Table) -> list[int]:
    """Rows shown in full: the header rows, the sample rows after them, and total rows."""
    head = max(table.header_rows, 1)
    shown = set(range(min(len(table.rows), head + SAMPLE_ROWS)))
    return sorted(shown | {r for r in table.total_rows if r < len(table.rows)})


def label_range(table: Table, sl: TableSlice) -> tuple[int, int]:
    """0-based [first, last) of the rows whose labels a slice lists."""
    full = _full_rows(table)
    first = sl.first - 1 if sl.first else (max(full) + 1 if full else 0)
    last = sl.last if sl.last else min(len(table.rows), first + LABEL_ROWS)
    return first, last


def sketch(doc: Document, table: Table, sl: TableSlice,
           rules_mapping: TableMapping | None) -> dict[str, Any]:
    """What the model sees of one table (never the whole body of a long table)."""
    full = _full_rows(table)
    first, last = label_range(table, sl)
    label_cols = max(table.header_cols, 1)
    out: dict[str, Any] = {
        "id": table.id, "rows": len(table.rows), "cols": table.n_cols,
        "title": _clip(table.title, 200),
        "above": _lines_near(doc.text, table.start, table.end, above=True),
        # a later part of a split table shows its header rows only, not the sample again
        "cells": [_row_line(table, r) for r in full
                  if not sl.first or r < max(table.header_rows, 1)],
        "row_labels": [_row_line(table, r, label_cols) for r in range(first, last)
                       if r not in full],
        "below": _lines_near(doc.text, table.start, table.end, above=False),
    }
    if last < len(table.rows) and not sl.last:
        out["not_shown"] = f"rows {last + 1}-{len(table.rows)}"
    if rules_mapping is not None:
        out["rules_mapping"] = rules_mapping.model_dump(mode="json", exclude_defaults=True)
    return out


# ---------------------------------------------------------------- the body


def fixed_messages(prompts: PromptSet) -> list[dict[str, str]]:
    """The byte-stable head of every request: system prompt, then the few-shot pairs."""
    messages = [{"role": "system", "content": prompts.instructions()}]
    for ex in prompts.examples:
        messages.append({"role": "user", "content": json.dumps(ex.input, ensure_ascii=False,
                                                               indent=1)})
        messages.append({"role": "assistant",
                         "content": json.dumps(ex.answer, ensure_ascii=False)})
    return messages


# A mapping's core fields are required in the schema sent, although the type gives them
# defaults: a grammar-constrained model (llama.cpp) may otherwise stop before the roles.
_MAPPING_CORE = ["table", "counts", "header_rows", "header_cols", "col_roles", "row_roles"]


def answer_schema(kind: Kind, n_tables: int | None = None) -> dict[str, Any]:
    """The JSON schema of a kind's answer (mapping core fields marked required).

    ``n_tables``: bound the mappings list to that many items. Sent to local servers only,
    which enforce the schema as a grammar (a small model there repeated mappings for tables
    that do not exist until the token limit); OpenAI gets one schema per kind, byte-stable
    for its prompt cache.
    """
    schema = ANSWERS[kind].model_json_schema()
    mapping = schema.get("$defs", {}).get("TableMapping")
    if mapping is not None:
        mapping["required"] = _MAPPING_CORE
    if n_tables is not None and "mappings" in schema.get("properties", {}):
        schema["properties"]["mappings"]["maxItems"] = n_tables
    return schema


def _schema_params(config: LLMConfig, spec: RequestSpec) -> dict[str, Any]:
    """How the schema is sent, per mode (llama.cpp rejects OpenAI's json_schema shape)."""
    kind = spec.kind
    bound = None if config.is_openai() else len(spec.tables)
    schema, name = answer_schema(kind, bound), ANSWERS[kind].__name__
    mode = config.resolved_mode()
    if mode is LLMMode.tools:
        return {"tools": [{"type": "function", "function": {
                    "name": name, "description": "Record the answer.", "parameters": schema}}],
                "tool_choice": {"type": "function", "function": {"name": name}}}
    if mode is LLMMode.json_schema:
        return {"response_format": {"type": "json_schema",
                                    "json_schema": {"name": name, "schema": schema}}}
    if mode is LLMMode.json_object_schema:
        return {"response_format": {"type": "json_object", "schema": schema}}
    return {"response_format": {"type": "json_object"}}


def output_budget(doc: Document, spec: RequestSpec) -> int:
    """``max_tokens`` for a request, from what it can produce.

    A mapping costs about 60 tokens per header cell shown plus a fixed part per table; prose
    facts about a quarter of the prose's tokens (quotes are short) plus the judgement fields.
    Row labels are not counted: a label the shared parsers read needs no entry.
    """
    est = 60
    if spec.prose is not None:
        est += 250 + tokens(len(prose_view(doc, *spec.prose).text)) // 4
    by_id = {t.id: t for t in doc.tables}
    for sl in spec.tables:
        t = by_id[sl.table]
        header_cells = max(t.header_rows, 1) * t.n_cols + max(t.header_cols, 1) * SAMPLE_ROWS
        est += 120 + 25 * header_cells
    return max(MIN_OUTPUT, min(MAX_OUTPUT, est))


_CELL_LOCATOR = re.compile(r"\b[A-Za-z0-9_-]+ r\d+c\d+\b")
_LIST_KINDS = ("offences", "victims", "suspects", "platforms", "outcomes_by_type")


def cell_id(table: Table, cell: TableCell) -> str:
    """A cell's id as requests show it and answers cite it: ``T1.r3c2`` (1-based)."""
    return f"{table.id}.r{cell.row + 1}c{cell.col + 1}"


def find_cell(tables: list[Table], cid: str) -> tuple[Table, TableCell] | None:
    """The table and cell an id names (see :func:`cell_id`), else None."""
    tid, _, rc = cid.rpartition(".")
    m = re.fullmatch(r"r(\d+)c(\d+)", rc)
    table = next((t for t in tables if t.id == tid), None)
    if m is None or table is None:
        return None
    cell = table.cell(int(m.group(1)) - 1, int(m.group(2)) - 1)
    return (table, cell) if cell is not None else None


def _without_cells(hints: Record | None) -> Record | None:
    """The rules facts minus those read from table cells: a table's reading is shown as its
    ``rules_mapping`` in the sketch, not as prose hints the model could not quote."""
    if hints is None:
        return None

    def prose(item: Any) -> bool:
        return not any(_CELL_LOCATOR.search(e.locator or "") for e in item.evidence)

    return hints.model_copy(update={k: [i for i in getattr(hints, k) if prose(i)]
                                    for k in _LIST_KINDS})


def data_message(doc: Document, spec: RequestSpec, view: ProseView | None,
                 hints: Record | None, rules_maps: dict[str, TableMapping]) -> str:
    """The user message: the reply's parts as JSON data (never formatted into instructions)."""
    by_id = {t.id: t for t in doc.tables}
    payload: dict[str, Any] = {"task": spec.kind}
    if view is not None and spec.prose is not None:
        payload["text"] = view.text
        payload["hints"] = hint_lines(_without_cells(hints), *spec.prose)
    if spec.tables:
        payload["tables"] = [sketch(doc, by_id[sl.table], sl, rules_maps.get(sl.table))
                             for sl in spec.tables]
    return json.dumps(payload, ensure_ascii=False, indent=1)


def build(doc: Document, spec: RequestSpec, prompts: PromptSet, config: LLMConfig,
          hints: Record | None = None, rules_maps: dict[str, TableMapping] | None = None,
          max_tokens: int | None = None) -> LLMRequest:
    """The request for one spec: body, validation context and cache key."""
    view = prose_view(doc, *spec.prose) if spec.prose is not None else None
    messages = [*fixed_messages(prompts),
                {"role": "user", "content": data_message(doc, spec, view, hints,
                                                         rules_maps or {})}]
    body: dict[str, Any] = {"model": config.model, "messages": messages,
                            "temperature": config.temperature,
                            "max_tokens": max_tokens or output_budget(doc, spec),
                            **_schema_params(config, spec)}
    by_id = {t.id: t for t in doc.tables}
    # Facts may cite any cell of the tables in this request ("T1.r3c2"); a cited count must
    # be the number written in that cell (extract.llm.models), so an id guessed for a row
    # not shown cannot carry a value the cell does not hold.
    cells = {cell_id(by_id[sl.table], c): c.text for sl in spec.tables
             for row in by_id[sl.table].rows for c in row}
    context = {"text": view.text if view is not None else "", "cells": cells,
               "tables": {sl.table: {"rows": len(by_id[sl.table].rows),
                                     "cols": by_id[sl.table].n_cols} for sl in spec.tables}}
    key = _sha({"endpoint": config.base_url, "body": body, "version": REQUEST_VERSION,
                "prompts": f"{prompts.version}:{prompts.hash}",
                "params": {"max_reasks": config.max_reasks}})
    return LLMRequest(spec=spec, body=body, context=context, key=key, view=view)


# ---------------------------------------------------------------- planning and splitting


def _prose_spans(doc: Document) -> list[tuple[int, int]]:
    """The document in spans of at most PROSE_TOKENS of prose (tables do not count)."""
    if tokens(len(prose_view(doc, 0, len(doc.text)).text)) <= PROSE_TOKENS:
        return [(0, len(doc.text))]
    return [(c.start, c.end) for c in chunk(doc, PROSE_TOKENS)]


def _table_cost(doc: Document, table: Table) -> int:
    return tokens(len(json.dumps(sketch(doc, table, TableSlice(table.id), None))))


def _table_groups(doc: Document) -> list[list[Table]]:
    """Tables packed into groups whose sketches stay under TABLE_TOKENS together."""
    groups: list[list[Table]] = []
    size = 0
    for t in doc.tables:
        cost = _table_cost(doc, t)
        if groups and size + cost <= TABLE_TOKENS:
            groups[-1].append(t)
            size += cost
        else:
            groups.append([t])
            size = cost
    return groups


def plan_specs(doc: Document) -> list[RequestSpec]:
    """The requests for a document: normally one (all prose and every table's sketch)."""
    spans = _prose_spans(doc)
    groups = _table_groups(doc)
    specs: list[RequestSpec] = []
    for i in range(max(len(spans), len(groups))):
        prose = spans[i] if i < len(spans) else None
        tables = tuple(TableSlice(t.id) for t in groups[i]) if i < len(groups) else ()
        specs.append(RequestSpec(doc.doc_id, f"q{i + 1}", prose, tables))
    return specs


def split(doc: Document, spec: RequestSpec) -> list[RequestSpec]:
    """Smaller requests covering what ``spec`` covers (empty when it cannot be split)."""
    if spec.prose is not None and spec.tables:
        return [RequestSpec(spec.doc_id, f"{spec.rid}p", spec.prose),
                RequestSpec(spec.doc_id, f"{spec.rid}t", None, spec.tables)]
    if len(spec.tables) > 1:
        half = len(spec.tables) // 2
        return [RequestSpec(spec.doc_id, f"{spec.rid}a", None, spec.tables[:half]),
                RequestSpec(spec.doc_id, f"{spec.rid}b", None, spec.tables[half:])]
    if spec.tables:
        return _split_rows(doc, spec)
    if spec.prose is not None:
        return _split_prose(doc, spec)
    return []


def _split_rows(doc: Document, spec: RequestSpec) -> list[RequestSpec]:
    """A table's row labels in two parts (the second part without the full rows)."""
    sl = spec.tables[0]
    table = next(t for t in doc.tables if t.id == sl.table)
    first, last = label_range(table, sl)
    if last - first < 2:
        return []
    mid = (first + last) // 2
    return [RequestSpec(spec.doc_id, f"{spec.rid}a", None,
                        (TableSlice(sl.table, sl.first, mid),)),
            RequestSpec(spec.doc_id, f"{spec.rid}b", None,
                        (TableSlice(sl.table, mid + 1, last),))]


def _split_prose(doc: Document, spec: RequestSpec) -> list[RequestSpec]:
    """The prose in two halves, cut at the line end nearest the middle."""
    assert spec.prose is not None
    a, b = spec.prose
    mid = doc.text.rfind("\n", a, (a + b) // 2) + 1
    if mid <= a:
        mid = doc.text.find("\n", (a + b) // 2, b) + 1
    if not a < mid < b:
        return []
    return [RequestSpec(spec.doc_id, f"{spec.rid}a", (a, mid)),
            RequestSpec(spec.doc_id, f"{spec.rid}b", (mid, b))]


def build_all(doc: Document, prompts: PromptSet, config: LLMConfig, hints: Record | None,
              rules_maps: dict[str, TableMapping] | None = None,
              specs: Sequence[RequestSpec] | None = None) -> list[LLMRequest]:
    """Every request for a document (live and batch share this)."""
    return [build(doc, s, prompts, config, hints, rules_maps)
            for s in (specs if specs is not None else plan_specs(doc))]
