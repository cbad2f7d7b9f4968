"""Prompt files, the prompt hash, and the messages sent for one chunk.

The reply's text goes in as data: a JSON-encoded user message, never through a template
engine, so nothing in a reply can change the instructions around it. Tables are rendered
with a cell id before every cell (``T1.r3c2``) so the model points at cells instead of
retyping numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from extract.document import Table, TableCell
from schemas import Record

PROMPTS_ENV = "FOI_EXTRACT_PROMPTS"


@dataclass(frozen=True)
class Example:
    """A few-shot example: an excerpt of a development reply and the answer for it."""

    name: str
    text: str
    tables: tuple[Table, ...]
    answer: dict[str, Any]
    source: str = ""


@dataclass(frozen=True)
class PromptSet:
    """The loaded prompt files and their hash."""

    version: str
    system: str
    guidance: str
    examples: tuple[Example, ...] = field(default_factory=tuple)
    hash: str = ""

    def instructions(self) -> str:
        """The system message: contract rules plus per-kind guidance."""
        return f"{self.system.strip()}\n\n{self.guidance.strip()}\n"


def default_prompt_dir() -> Path:
    """``$FOI_EXTRACT_PROMPTS``, else the installed ``prompts`` package (the repository's
    ``prompts/`` folder, carried as package data by ``pip install .``)."""
    env = os.environ.get(PROMPTS_ENV)
    return Path(env) if env else Path(str(resources.files("prompts")))


def _version(system: str) -> str:
    first = system.lstrip().splitlines()[0] if system.strip() else ""
    if not first.lower().startswith("version:"):
        raise ValueError("prompts/system.md must start with a 'version: N' line")
    return first.split(":", 1)[1].strip()


def _example_table(spec: dict[str, Any]) -> Table:
    rows = [[TableCell(text=str(t), start=0, end=0, row=r, col=c) for c, t in enumerate(row)]
            for r, row in enumerate(spec["rows"])]
    return Table(id=str(spec["id"]), rows=rows, start=0, end=0, source="example",
                 header_rows=int(spec.get("header_rows", 0)),
                 total_rows=set(spec.get("total_rows", [])))


def _load_example(path: Path) -> Example:
    data = json.loads(path.read_text(encoding="utf-8"))
    tables = tuple(_example_table(t) for t in data.get("tables", []))
    return Example(name=path.stem, text=data["text"], tables=tables, answer=data["answer"],
                   source=data.get("source", ""))


def prompt_hash(files: dict[str, str]) -> str:
    """sha256 (first 16 hex) over the prompt files' names and contents."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name].encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def load_prompts(directory: Path | None = None) -> PromptSet:
    """Read system.md, guidance.md and examples/*.json from a prompt directory."""
    root = directory or default_prompt_dir()
    files = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
             for p in [root / "system.md", root / "guidance.md",
                       *sorted((root / "examples").glob("*.json"))]}
    system = files["system.md"]
    examples = tuple(_load_example(root / n) for n in sorted(files) if n.startswith("examples/"))
    return PromptSet(version=_version(system), system=system, guidance=files["guidance.md"],
                     examples=examples, hash=prompt_hash(files))


@cache
def default_prompts() -> PromptSet:
    """The prompt set in the default directory (read once)."""
    return load_prompts()


def cell_id(table: Table, cell: TableCell) -> str:
    """The id the model uses for a cell: ``<table id>.r<row>c<col>``, 1-based."""
    return f"{table.id}.r{cell.row + 1}c{cell.col + 1}"


def render_table(table: Table) -> str:
    """One line per row, every cell prefixed with its id; header/total rows are marked."""
    lines = [f"TABLE {table.id}" + (f" ({table.title.strip()[:120]})" if table.title else "")]
    for r, row in enumerate(table.rows):
        tag = "header" if r < table.header_rows else "total" if r in table.total_rows else "row"
        cells = " | ".join(f"{cell_id(table, c)}: {' '.join(c.text.split())}" for c in row)
        lines.append(f"{tag}: {cells}")
    if table.total_cols:
        lines.append("total columns: " + ", ".join(f"c{c + 1}" for c in sorted(table.total_cols)))
    return "\n".join(lines)


def cell_texts(tables: list[Table] | tuple[Table, ...]) -> dict[str, str]:
    """Cell id -> cell text for the tables shown to the model (the validators' context)."""
    return {cell_id(t, c): c.text for t in tables for row in t.rows for c in row}


def text_without_tables(text: str, tables: list[Table] | tuple[Table, ...],
                        offset: int = 0) -> str:
    """The chunk text with each table it holds replaced by `[table T1: see tables]`: the
    model reads a table once, with cell ids, instead of twice."""
    spans = sorted((t.start - offset, t.end - offset, t.id) for t in tables if t.end > t.start)
    out, pos = [], 0
    for a, b, tid in spans:
        if a < pos or a < 0 or b > len(text):
            continue
        out += [text[pos:a], f"[table {tid}: see tables]"]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def encode_input(text: str, tables: list[Table] | tuple[Table, ...], hints: list[str],
                 offset: int = 0) -> str:
    """The user message: the chunk as JSON data (never formatted into instructions)."""
    payload = {"text": text_without_tables(text, tables, offset),
               "tables": "\n\n".join(render_table(t) for t in tables), "hints": hints}
    return json.dumps(payload, ensure_ascii=False, indent=1)


def build_messages(prompts: PromptSet, text: str, tables: list[Table], hints: list[str],
                   n_examples: int | None = None, offset: int = 0) -> list[dict[str, str]]:
    """A fresh messages list: system rules, few-shot pairs, then the chunk as data (``offset``:
    where the chunk starts in the document, to place its tables)."""
    messages = [{"role": "system", "content": prompts.instructions()}]
    examples = prompts.examples if n_examples is None else prompts.examples[:n_examples]
    for ex in examples:
        messages.append({"role": "user", "content": encode_input(ex.text, ex.tables, [])})
        messages.append({"role": "assistant",
                         "content": json.dumps(ex.answer, ensure_ascii=False)})
    messages.append({"role": "user", "content": encode_input(text, tables, hints, offset)})
    return messages


def _in_span(evidence: list[Any], start: int, end: int) -> bool:
    return not evidence or any(start <= e.start < end for e in evidence)


def _period(p: Any) -> str:
    return f"{p.start.isoformat()}..{p.end.isoformat()}"


def _count(item: Any) -> str:
    return "suppressed" if item.suppressed else str(item.count)


def _grouped(kind: str, items: list[tuple[Any, str]]) -> list[str]:
    """`kind period: a; b; c` — one line per kind and period, so a period is written once."""
    by_period: dict[str, list[str]] = {}
    for period, text in items:
        by_period.setdefault(_period(period), []).append(text)
    return [f"{kind} {p}: " + "; ".join(texts) for p, texts in by_period.items()]


def hint_lines(record: Record | None, start: int, end: int, limit: int = 60) -> list[str]:
    """The rules reader's facts inside [start, end) as short lines for the model."""
    if record is None:
        return []

    def inside(item: Any) -> bool:
        return _in_span(item.evidence, start, end)

    out = [f"{name}: {getattr(record, name)}" for name in ("force", "reference", "response_date")
           if getattr(record, name) is not None]
    out += _grouped("offences", [(o.period, f"code={o.code} {_count(o)}")
                                 for o in record.offences if inside(o)])
    for kind in ("victims", "suspects"):
        out += _grouped(kind, [(c.period, f"{c.gender} {c.age}={_count(c)}")
                               for c in getattr(record, kind) if inside(c)])
    out += _grouped("platforms", [(p.period, f"{p.label!r}={_count(p)}")
                                  for p in record.platforms if inside(p)])
    out += _grouped("outcomes", [(o.period, f"{o.outcome}={_count(o)}")
                                 for o in record.outcomes_by_type if inside(o)])
    out += [f"exemption {e.section} ncnd={e.ncnd}" for e in record.exemptions if inside(e)]
    return out[:limit]
