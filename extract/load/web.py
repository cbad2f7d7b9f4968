"""HTML pages: visible text in reading order, real ``<table>`` markup as grids.

Scripts, styles, navigation and the like are dropped. Text inside a table cell (including a
nested table) is flattened into that cell.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from extract.document import Block, Part
from extract.errors import LoadError
from extract.load.base import LoadContext
from extract.load.merged import Merge, carry

DROP = {"script", "style", "nav", "noscript", "template", "svg", "head", "iframe", "object",
        "button", "select", "form"}
BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
         "section", "article", "header", "footer", "main", "aside", "blockquote", "pre",
         "dd", "dt", "dl", "hr", "caption", "figure", "figcaption", "address", "details",
         "summary", "body", "html"}
MAX_SPAN = 1000  # colspan/rowspan above this is hostile or broken
_WS = re.compile(r"[ \t\r\n\f\v]+")


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


class _Walker:
    """Collects text lines and table blocks from an element tree in document order."""

    def __init__(self, max_cells: int = 20_000) -> None:
        self.max_cells = max_cells
        self.warnings: list[str] = []
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.line: list[str] = []

    def newline(self) -> None:
        text = _WS.sub(" ", "".join(self.line)).strip()
        if text:
            self.lines.append(text)
        self.line = []

    def flush(self) -> None:
        self.newline()
        if self.lines:
            self.blocks.append(Block(kind="text", text="\n".join(self.lines)))
        self.lines = []

    def walk(self, el: etree._Element) -> None:
        tag = _tag(el)
        if tag in DROP or not tag:
            if el.tail:
                self.line.append(el.tail)
            return
        if tag == "table":
            self.table(el)
        else:
            if tag in BLOCK:
                self.newline()
            if el.text:
                self.line.append(el.text)
            for child in el:
                self.walk(child)
            if tag in BLOCK:
                self.newline()
        if el.tail:
            self.line.append(el.tail)

    def table(self, el: etree._Element) -> None:
        caption = el.find("caption")
        if caption is not None:
            self.newline()
            self.line.append(cell_text(caption))
        self.flush()
        rows, cut = grid_capped(el, self.max_cells)
        if cut:
            self.warnings.append(f"table over {self.max_cells:,} cells; cut short")
        if rows:
            self.blocks.append(Block(kind="table", rows=rows, source="html"))


def cell_text(el: etree._Element) -> str:
    """The visible text of an element, whitespace collapsed (nested tables flattened)."""
    parts: list[str] = []
    _collect(el, parts)
    return _WS.sub(" ", "".join(parts)).strip()


def _collect(el: etree._Element, parts: list[str]) -> None:
    tag = _tag(el)
    if tag and tag not in DROP:
        if tag in BLOCK or tag in ("td", "th"):
            parts.append(" ")
        parts.append(el.text or "")
        for child in el:
            _collect(child, parts)
            parts.append(child.tail or "")


def _span(el: etree._Element, attr: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int(el.get(attr, "1"))))
    except ValueError:
        return 1


def table_grid(table: etree._Element, max_cells: int = 20_000) -> list[list[str]]:
    """The table's cells on a grid; a spanning label is carried into every slot it covers."""
    return grid_capped(table, max_cells)[0]


def grid_capped(table: etree._Element, max_cells: int) -> tuple[list[list[str]], bool]:
    """The grid cut before the row that would take it over ``max_cells`` slots, and whether
    it was cut: spans can blow a few bytes of markup up into millions of slots."""
    trs = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    taken: dict[tuple[int, int], str] = {}
    merges: list[Merge] = []
    width = 0
    for r, tr in enumerate(trs):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in taken:
                c += 1
            rs, cs = min(_span(td, "rowspan"), len(trs) - r), _span(td, "colspan")
            width = max(width, c + cs)
            if (r + rs) * width > max_cells:
                return carry(_dense(taken, r), merges), True
            for dr in range(rs):
                for dc in range(cs):
                    taken[(r + dr, c + dc)] = ""
            taken[(r, c)] = cell_text(td)
            if rs > 1 or cs > 1:
                merges.append((r, c, rs, cs))
            c += cs
    return carry(_dense(taken, len(trs)), merges), False


def _dense(taken: dict[tuple[int, int], str], n_rows: int) -> list[list[str]]:
    cols = [c for r, c in taken if r < n_rows]
    if not cols:
        return []
    n_cols = max(cols) + 1
    return [[taken.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]


def load_html(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """An HTML page as one part of text blocks and table blocks."""
    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise LoadError(f"unreadable HTML ({exc})") from exc
    walker = _Walker(ctx.limits.max_table_cells)
    walker.walk(root)
    walker.flush()
    warnings = walker.warnings + ([] if walker.blocks else ["no visible text in the page"])
    return [Part(name=name, media="text/html", blocks=walker.blocks, warnings=warnings)]
