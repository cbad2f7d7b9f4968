"""Tables: found in the normalised text (``detect``, one detector per shape) or placed by the
loaders, annotated (``grid``: header and total lines, stacked tables, page breaks), and given
their context (``context``: title, heading, footnotes, whole-table values, nil proofs)."""

from __future__ import annotations

from extract.document import Document, Table
from extract.tables.context import label_caption, title_lines
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
        if t.title:  # a loader's title ("Table 5", a sheet's name): add what it stands for
            last = t.title.split("\n")[-1]
            t.title = "\n".join([t.title, *label_caption(doc, last, t, tables)])
        else:
            t.title = "\n".join(title_lines(doc, t, tables=tables))
        annotate(t)
    return tables
