"""Shared bits for the LLM reader tests: whole-document chunks and small documents."""

from __future__ import annotations

from pathlib import Path

from extract.chunking import Chunk
from extract.document import Document, Table, TableCell

REPLIES = Path(__file__).resolve().parents[2] / "examples" / "replies"
FY = {"start": "2024-04-01", "end": "2025-03-31"}


def whole(doc: Document, cid: str = "c1", table_ids: list[str] | None = None) -> Chunk:
    """One chunk covering the whole document."""
    return Chunk(cid, 0, len(doc.text), doc.text, table_ids or [])


def reply(name: str) -> str:
    """The text of a development reply."""
    return (REPLIES / f"{name}.txt").read_text(encoding="utf-8")


def between(text: str, a: str, b: str) -> tuple[int, int]:
    """Span from the first ``a`` to the end of the next ``b``."""
    i = text.index(a)
    return i, text.index(b, i) + len(b)


def table_doc() -> Document:
    """A small document with one tab table whose cells know their spans."""
    rows = [["Year", "Total"], ["2013", "6"], ["2014", "1"], ["2015*", "-"]]
    text, cells, pos = "Charges\n", [], len("Charges\n")
    for r, row in enumerate(rows):
        line_cells = []
        for c, cell in enumerate(row):
            line_cells.append(TableCell(cell, pos, pos + len(cell), r, c))
            text += cell + ("\t" if c < len(row) - 1 else "\n")
            pos = len(text)
        cells.append(line_cells)
    table = Table(id="T1", rows=cells, start=8, end=len(text), source="tab", header_rows=1)
    return Document(doc_id="tdoc", text=text, tables=[table])
