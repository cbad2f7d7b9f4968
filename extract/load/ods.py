"""OpenDocument spreadsheets (.ods) through odfpy.

Repeated rows/cells (``number-*-repeated``) are expanded only when real content follows them,
so a sheet padded to a million empty rows stays small. Merged labels are carried into
the covered cells (extract.load.merged).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from extract.document import Block, Part
from extract.errors import LoadError
from extract.load.base import LoadContext
from extract.load.merged import Merge, carry
from extract.load.sheets import sheet_blocks

_MAX_REPEAT = 10_000


def _repeat(el: Any, attr: str) -> int:
    try:
        return max(1, int(el.getAttribute(attr) or 1))
    except (ValueError, TypeError):
        return 1


def _cell_text(cell: Any) -> str:
    from odf import teletype
    from odf.text import P

    return "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))


def _row_values(row: Any, spans: list[tuple[int, int, int]] | None = None) -> list[str]:
    """A row's cell texts; spanning cells are noted in ``spans`` as (col, rows, cols)."""
    out: list[str] = []
    pending = 0
    for cell in row.childNodes:
        if cell.qname[1] not in ("table-cell", "covered-table-cell"):
            continue
        n = _repeat(cell, "numbercolumnsrepeated")
        text = "" if cell.qname[1] == "covered-table-cell" else _cell_text(cell)
        if not text.strip():
            pending += n
            continue
        out.extend([""] * min(pending, _MAX_REPEAT))
        rs, cs = _repeat(cell, "numberrowsspanned"), _repeat(cell, "numbercolumnsspanned")
        if spans is not None and (rs > 1 or cs > 1):
            spans.append((len(out), min(rs, _MAX_REPEAT), min(cs, _MAX_REPEAT)))
        out.extend([text] * min(n, _MAX_REPEAT))
        pending = 0
    return out


def _sheet_rows(table: Any) -> list[list[str]]:
    from odf.table import TableRow

    rows: list[list[str]] = []
    merges: list[Merge] = []
    pending = 0
    for row in table.getElementsByType(TableRow):
        n = _repeat(row, "numberrowsrepeated")
        spans: list[tuple[int, int, int]] = []
        values = _row_values(row, spans)
        if not values:
            pending += n
            continue
        rows.extend([[] for _ in range(min(pending, _MAX_REPEAT))])
        merges += [(len(rows), col, rs, cs) for col, rs, cs in spans]
        rows.extend([list(values) for _ in range(min(n, _MAX_REPEAT))])
        pending = 0
    return carry(rows, merges)


def load_ods(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """An .ods workbook: one table block per sheet."""
    from odf.opendocument import load
    from odf.table import Table

    try:
        doc = load(BytesIO(data))
    except Exception as exc:  # odfpy raises zipfile, KeyError and XML errors alike
        raise LoadError(f"not a readable OpenDocument spreadsheet ({exc})") from exc
    warnings: list[str] = []
    blocks: list[Block] = []
    for table in doc.spreadsheet.getElementsByType(Table):
        title = table.getAttribute("name") or f"{len(blocks) + 1}"
        blocks += sheet_blocks(title, _sheet_rows(table), ctx, warnings)
    return [Part(name=name, media="application/vnd.oasis.opendocument.spreadsheet",
                 blocks=blocks, warnings=warnings)]
