"""Word documents (.docx) through python-docx: paragraphs and tables in body order."""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from extract.document import Block, Part
from extract.errors import LoadError
from extract.load.base import LoadContext
from extract.load.merged import carry


def docx_grid(table: DocxTable) -> list[list[str]]:
    """A Word table's grid; a merged label is carried into every slot it covers (a merged
    count stays in its top-left slot only)."""
    rows: list[list[str]] = []
    first: dict[Any, tuple[int, int]] = {}  # each cell's XML element -> its top-left slot
    bottom_right: dict[Any, tuple[int, int]] = {}
    for r, row in enumerate(table.rows):
        out: list[str] = []
        for c, cell in enumerate(row.cells):
            out.append("" if cell._tc in first else cell.text)
            first.setdefault(cell._tc, (r, c))
            bottom_right[cell._tc] = (r, c)
        rows.append(out)
    merges = [(r0, c0, r1 - r0 + 1, c1 - c0 + 1) for tc, (r0, c0) in first.items()
              for (r1, c1) in [bottom_right[tc]] if (r1, c1) != (r0, c0)]
    return carry(rows, merges)


def _blocks(document: Any) -> list[Block]:
    blocks: list[Block] = []
    lines: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            lines.append(item.text)
        elif isinstance(item, DocxTable):
            if lines:
                blocks.append(Block(kind="text", text="\n".join(lines)))
                lines = []
            blocks.append(Block(kind="table", rows=docx_grid(item), source="docx"))
    if lines:
        blocks.append(Block(kind="text", text="\n".join(lines)))
    return blocks


def load_docx(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """A .docx file as one part of paragraph text and table blocks."""
    try:
        document = docx.Document(BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(f"not a readable Word document ({exc})") from exc
    media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return [Part(name=name, media=media, blocks=_blocks(document))]
