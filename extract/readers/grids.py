"""Former home of the table reader, kept so older imports work.

The mapping heuristics live in ``table_rules`` and the expansion over the grid in ``expand``.
"""

from __future__ import annotations

from extract.document import Document, Table
from extract.readers.expand import GridResult, Value, expand, read_value
from extract.readers.table_rules import GridContext, map_table, method_from

__all__ = ["GridContext", "GridResult", "Value", "method_from", "read_grid", "read_value"]


def read_grid(doc: Document, t: Table, ctx: GridContext) -> GridResult:
    """All record values a table gives: the rules mapping expanded over the grid."""
    return expand(doc, t, map_table(doc, t, ctx), ctx.footnotes)
