"""Tables: found in the normalised text (``detect``, one detector per shape) or placed by the
loaders, annotated (``grid``: header and total lines, stacked tables, page breaks), and given
their context (``context``: title, heading, footnotes, whole-table values, nil proofs)."""

from __future__ import annotations

from extract.document import Document, Table
from extract.tables.detect import text_tables
from extract.tables.grid import (
    annotate,
    fold_group_rows,
    is_numeric,
    is_total_label,
    join_continued,
    split_stacked,
)

__all__ = ["annotate", "find_tables", "is_numeric", "is_total_label", "join_continued",
           "split_stacked"]


def _title(doc: Document, table: Table) -> str:
    """Up to three non-empty lines above the table (captions, question text)."""
    before = doc.text[max(0, table.start - 1500):table.start].rstrip("\n").split("\n")
    lines = [ln.strip() for ln in before if ln.strip()]
    return "\n".join(lines[-3:])


def find_tables(doc: Document) -> list[Table]:
    """All tables of a document: the loaders' ones plus those found in its text, annotated.

    Tables get ids T1, T2, ... in text order (loader-assigned ids are kept).
    """
    doc.tables = join_continued(doc, [sub for t in doc.tables
                                      for sub in split_stacked(fold_group_rows(t))])
    found = [fold_group_rows(t) for t in text_tables(doc)]
    tables = join_continued(doc, sorted([*doc.tables, *found], key=lambda t: t.start))
    used = {t.id for t in tables if t.id}
    n = 0
    for t in tables:
        if not t.id:
            n += 1
            while f"T{n}" in used:
                n += 1
            t.id = f"T{n}"
            used.add(t.id)
        t.title = t.title or _title(doc, t)
        annotate(t)
    return tables
