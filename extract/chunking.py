"""Chunking: split a Document at question/section headings, pack sections up to a token
budget, never split a table. Every chunk keeps exact offsets: ``doc.text[c.start:c.end]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.document import Document

HEADING = re.compile(
    r"^[ \t]*(?:-[ \t]*)?(?:"
    r"(?:question|q)[ \t]*\d+[a-z]?\b"
    r"|\d{1,2}[a-z]?[.)](?:[ \t]|$)"
    r"|table[ \t]+\d+\b"
    r"|\[part: [^\]]*\]"
    r"|(?:request|response|reasons? for (?:the )?decision|decision|background|caveats?"
    r"|attachments?|further information|complaints?|right of appeal|exemptions?)[ \t]*:?[ \t]*$"
    r")",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class Chunk:
    """A run of the normalised text handed to a reader, with the tables it holds."""

    id: str
    start: int
    end: int
    text: str
    table_ids: list[str] = field(default_factory=list)


def tokens(n_chars: int) -> int:
    """Rough token count for a span of ``n_chars`` characters."""
    return (n_chars + 3) // 4


def _inside_table(doc: Document, offset: int) -> bool:
    return any(t.start < offset < t.end for t in doc.tables)


def section_starts(doc: Document) -> list[int]:
    """Offsets where a section begins: 0 and each heading line not inside a table."""
    starts = [0]
    for m in HEADING.finditer(doc.text):
        if m.start() and not _inside_table(doc, m.start()):
            starts.append(m.start())
    return sorted(set(starts))


def _line_units(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) at line ends; each table's lines stay together as one unit."""
    units: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = doc.text.find("\n", pos, end)
        stop = end if nl < 0 else nl + 1
        for t in doc.tables:
            if t.start < stop and t.end > pos:
                stop = max(stop, min(end, t.end + 1 if t.end < end else t.end))
        units.append((pos, stop))
        pos = stop
    return units


def _units(doc: Document, budget: int) -> list[tuple[int, int]]:
    """Sections, with a section over budget broken into lines (tables kept whole)."""
    bounds = [*section_starts(doc), len(doc.text)]
    units: list[tuple[int, int]] = []
    for s, e in zip(bounds, bounds[1:], strict=False):
        if tokens(e - s) <= budget:
            units.append((s, e))
        else:
            units.extend(_line_units(doc, s, e))
    return units


def _pack(units: list[tuple[int, int]], budget: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for s, e in units:
        if spans and tokens(e - spans[-1][0]) <= budget:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def chunk(doc: Document, budget_tokens: int = 1500) -> list[Chunk]:
    """Split ``doc`` into chunks of at most ``budget_tokens`` (bar oversized tables/lines)."""
    if not doc.text:
        return []
    chunks = []
    for i, (s, e) in enumerate(_pack(_units(doc, budget_tokens), budget_tokens)):
        ids = [t.id for t in doc.tables if t.start < e and t.end > s]
        chunks.append(Chunk(id=f"c{i}", start=s, end=e, text=doc.text[s:e], table_ids=ids))
        if tokens(e - s) > budget_tokens:
            _warn_oversize(doc, chunks[-1], budget_tokens)
    return chunks


def _warn_oversize(doc: Document, c: Chunk, budget: int) -> None:
    what = f"table {', '.join(c.table_ids)}" if c.table_ids else "a single line"
    msg = (f"chunk {c.id}: {what} is ~{tokens(c.end - c.start)} tokens, over the budget of "
           f"{budget}; kept whole")
    if msg not in doc.warnings:
        doc.warnings.append(msg)
