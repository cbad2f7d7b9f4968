"""The in-memory shapes that flow between stages: loaded parts, the normalised Document, tables.

Offsets are always Python ``str`` indices into ``Document.text`` (one unit everywhere).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schemas import Evidence

BlockKind = Literal["text", "table"]

# The media type of a part holding earlier messages quoted in an e-mail thread: kept for the
# reader of the review page, never read for figures.
QUOTED_MEDIA = "message/x-quoted"


@dataclass
class Block:
    """A run of text or a table, as a loader read it from one part."""

    kind: BlockKind
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    locator: str | None = None  # "page 2", "sheet Data", ...
    source: str | None = None  # for tables: html, pdf, sheet, docx, csv


@dataclass
class Part:
    """One file of a reply (the letter, an attachment, an e-mail body) as loaded."""

    name: str
    media: str
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class LoadResult:
    """What loading a reply's files gave: parts, plus per-reply warnings and errors."""

    parts: list[Part] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    input_hash: str = ""  # sha256 over the input files' bytes


@dataclass
class TableCell:
    """One cell of a grid, with its span in the normalised text (empty cells: start == end)."""

    text: str
    start: int
    end: int
    row: int
    col: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()


CellRole = Literal["header", "total", "data"]


@dataclass
class Table:
    """A grid found in the reply. Header and total rows/columns are marked, not removed."""

    id: str
    rows: list[list[TableCell]]
    start: int
    end: int
    source: str  # pipe, tab, markdown, keyword, html, pdf, sheet, docx, csv
    part: str | None = None
    header_rows: int = 0
    header_cols: int = 0
    total_rows: set[int] = field(default_factory=set)
    total_cols: set[int] = field(default_factory=set)
    title: str = ""  # the text just above the table (caption, question)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, row: int, col: int) -> TableCell | None:
        """The cell at (row, col), or None when the row is short."""
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


@dataclass
class PartSpan:
    """Where a part's text lies in the normalised text, with page/sheet locators inside it."""

    name: str
    media: str
    start: int
    end: int
    locators: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class Document:
    """One reply, normalised: a single text, its parts, and the tables found in it."""

    doc_id: str
    text: str
    parts: list[PartSpan] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    input_hash: str = ""

    def locate(self, offset: int) -> tuple[str | None, str | None]:
        """The part name and page/sheet locator that hold a character offset."""
        for part in self.parts:
            if part.start <= offset < max(part.end, part.start + 1):
                for start, end, loc in part.locators:
                    if start <= offset < end:
                        return part.name, loc
                return part.name, None
        return None, None

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for the span [start, end) of the normalised text."""
        part, locator = self.locate(start)
        return Evidence(start=start, end=end, quote=self.text[start:end], part=part,
                        locator=locator)

    def cell_evidence(self, table: Table, *cells: TableCell) -> list[Evidence]:
        """Evidence for table cells (the locator names the table and cell)."""
        out = []
        for c in cells:
            # One model built with its final locator (a pydantic model set afterwards costs a
            # second round of attribute handling, and tables make thousands of these).
            part, locator = self.locate(c.start)
            where = f"{table.id} r{c.row + 1}c{c.col + 1}"
            out.append(Evidence(start=c.start, end=c.end, quote=self.text[c.start:c.end],
                                part=part, locator=f"{locator}, {where}" if locator else where))
        return out
