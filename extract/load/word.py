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


def docx_grid(table: DocxTable) -> list[list[str]]:
    """A Word table's grid; a merged cell's text stays in its top-left slot, the rest blank."""
    rows: list[list[str]] = []
    seen: set[Any] = set()  # the cells' XML elements (hashed by identity, kept alive here)
    for row in table.rows:
        out: list[str] = []
        for cell in row.cells:
            out.append("" if cell._tc in seen else cell.text)
            seen.add(cell._tc)
        rows.append(out)
    return rows


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
