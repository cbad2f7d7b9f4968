"""PDF letters through pymupdf, parsed in a worker process with a timeout and a memory cap.

PyMuPDF is not thread-safe and has hung on some files, so every PDF is parsed in a worker
process of :mod:`extract.load.pdf_pool` (started once, never forked from this threaded
process) with RLIMIT_AS set; a worker that overruns the time limit is killed and the file is
reported as an error. Each page's text comes in reading order; tables found by
``Page.find_tables()`` become table blocks and their area is left out of the page text.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from extract.document import Block, Part
from extract.errors import LoadError
from extract.limits import Limits
from extract.load import ocr
from extract.load.base import LoadContext

log = logging.getLogger(__name__)
_NO_OCR = "scanned, no text (tesseract is not installed: no OCR)"

Rect = tuple[float, float, float, float]
_PAD = 2.0  # points of slack around a table's box when dropping its text from the page
# pymupdf >= 1.27's find_tables gates ruled-line detection by a layout model by default:
# ~0.3 s a page against ~0.005 s without it (a 300-page reply would need 90 s). Ruled tables
# are found either way; borderless tables are then left as page text for extract.tables.
USE_LAYOUT = False


_warned_no_ocr = False


class _NoTables:
    tables: list[Any] = []


_NO_TABLES = _NoTables()


def _inside(block: Rect, boxes: list[Rect]) -> bool:
    cx, cy = (block[0] + block[2]) / 2, (block[1] + block[3]) / 2
    return any(b[0] - _PAD <= cx <= b[2] + _PAD and b[1] - _PAD <= cy <= b[3] + _PAD
               for b in boxes)


def _row_texts(cells: list[Any], words: list[Any]) -> list[str]:
    """Each cell's text from the page's words that start inside the cell's box.

    ``Table.extract()`` drops the spaces of some PDFs ("11andunder"), words do not.
    A cell covered by a merged cell has no box and stays blank.
    """
    boxes = [c for c in cells if c]
    if not boxes:
        return ["" for _ in cells]
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    row_words = [w for w in words if top <= (w[1] + w[3]) / 2 <= bottom]
    out = []
    for cell in cells:
        if not cell:
            out.append("")
            continue
        x0, y0, x1, y1 = cell
        # A word belongs to the cell its first letter is in: text that overflows a narrow
        # column to the right still belongs to the column it starts in.
        inside = [w for w in row_words
                  if x0 <= w[0] + 0.5 < x1 and y0 <= (w[1] + w[3]) / 2 <= y1]
        out.append(_join_words(inside))
    return out


def _join_words(words: list[Any]) -> str:
    """Words of one cell: spaces within a line, newlines between lines."""
    lines: dict[tuple[int, int], list[str]] = {}
    for w in words:
        lines.setdefault((w[5], w[6]), []).append(w[4])
    return "\n".join(" ".join(ws) for ws in lines.values())


def _find_tables(page: Any) -> Any:
    if not USE_LAYOUT and not page.get_cdrawings():
        return _NO_TABLES  # ruled-line detection needs lines; skip its costly set-up
    try:
        return page.find_tables(use_layout=USE_LAYOUT)
    except TypeError:  # an older pymupdf without the layout gate
        return page.find_tables()


def _page_blocks(page: Any, locator: str) -> tuple[list[Block], bool]:
    """A page's text and table blocks in reading order, and whether it had any text."""
    tables = [t for t in _find_tables(page).tables if t.row_count and t.col_count]
    boxes: list[Rect] = [tuple(t.bbox) for t in tables]
    items: list[tuple[float, float, Block]] = []
    has_text = False
    words = page.get_text("words", sort=True)
    by_block: dict[int, list[Any]] = {}
    for w in words:
        by_block.setdefault(w[5], []).append(w)
    for x0, y0, x1, y1, text, no, kind in page.get_text("blocks", sort=True):
        if kind != 0 or not text.strip():
            continue
        has_text = True
        if not _inside((x0, y0, x1, y1), boxes):
            laid = _laid_out(by_block.get(no, [])) or text.rstrip("\n")
            items.append((y0, x0, Block(kind="text", text=laid, locator=locator)))
    for t, box in zip(tables, boxes, strict=True):
        rows = [_row_texts(row.cells, words) for row in t.rows]
        items.append((box[1], box[0], Block(kind="table", rows=rows, source="pdf",
                                            locator=locator)))
        has_text = True
    items.sort(key=lambda it: (it[0], it[1]))
    return _merge_text([b for _, _, b in items]), has_text


def _laid_out(words: list[Any]) -> str:
    """A block's text rebuilt line by line from its words: words side by side on one baseline
    are one line, and a wide gap between them becomes a tab. A table printed without ruled
    lines thus keeps its columns (`Under 13<TAB>4<TAB>6`) instead of one cell per line."""
    lines: list[list[Any]] = []
    for w in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        mid = (w[1] + w[3]) / 2
        if lines and abs((lines[-1][0][1] + lines[-1][0][3]) / 2 - mid) <= 2.0:
            lines[-1].append(w)
        else:
            lines.append([w])
    return "\n".join(_join_line(sorted(line, key=lambda w: w[0])) for line in lines)


def _join_line(words: list[Any]) -> str:
    out = words[0][4]
    for prev, w in zip(words, words[1:], strict=False):
        height = max(prev[3] - prev[1], 1.0)
        out += ("\t" if w[0] - prev[2] > 0.9 * height else " ") + w[4]
    return out


def _merge_text(blocks: list[Block]) -> list[Block]:
    """Join runs of text blocks of one page into one block (fewer, larger blocks)."""
    out: list[Block] = []
    for b in blocks:
        if out and b.kind == "text" and out[-1].kind == "text":
            out[-1].text += "\n" + b.text
        else:
            out.append(b)
    return out


def parse_pdf(data: bytes, limits: Limits) -> tuple[list[Block], list[str]]:
    """Parse PDF bytes in this process; return blocks and warnings. Raise LoadError."""
    import pymupdf

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # pymupdf raises its own FileDataError and RuntimeError kinds
        raise LoadError(f"not a readable PDF ({exc})") from exc
    with doc:
        if not doc.is_pdf:
            raise LoadError("not a PDF")
        if doc.needs_pass:
            raise LoadError("encrypted PDF (a password is needed)")
        warnings = ["damaged PDF was repaired while opening"] if doc.is_repaired else []
        n = doc.page_count
        if n > limits.max_pages:
            warnings.append(f"{n} pages; only the first {limits.max_pages} were read")
        blocks: list[Block] = []
        deadline = time.monotonic() + limits.reply_timeout_s
        for i in range(min(n, limits.max_pages)):
            page = doc[i]
            page_blocks, has_text = _page_blocks(page, f"page {i + 1}")
            if not has_text and page.get_images():
                page_blocks = _scanned_page(page, i + 1, deadline, warnings)
            blocks.extend(page_blocks)
    if n and not any(b.text.strip() or b.rows for b in blocks):
        warnings.append("no text layer in any page")
    return blocks, warnings


def _scanned_page(page: Any, number: int, deadline: float, warnings: list[str]) -> list[Block]:
    """A page with pictures and no text layer, read by OCR when Tesseract is installed."""
    if not ocr.available():
        warnings.append(f"page {number}: {_NO_OCR}")
        return []
    try:
        read = ocr.ocr_page(page, deadline - time.monotonic())
    except LoadError as exc:
        warnings.append(f"page {number}: scanned, no text ({exc})")
        return []
    if not read.text.strip():
        warnings.append(f"page {number}: scanned, OCR found no text")
        return []
    warnings.append(f"page {number}: {ocr.OCR_NOTE} {read.confidence:.1f} "
                    f"over {read.words} words")
    return [Block(kind="text", text=read.text, locator=f"page {number} (OCR)")]


def parse_pdf_isolated(data: bytes, limits: Limits) -> tuple[list[Block], list[str]]:
    """Parse PDF bytes in a pooled worker process under the time and memory limits.

    Raise LoadError (timeout, crash, over the memory cap, unreadable PDF) or Interrupted.
    ``parse_pdf`` is looked up here, at call time, and sent by reference: the worker runs
    whatever this module's ``parse_pdf`` is (a test may put a module-level stand-in there).
    """
    from extract.load.pdf_pool import get_pool

    blocks, warnings = get_pool().parse(parse_pdf, data, limits)
    return blocks, warnings


def load_pdf(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """A PDF as one part; page numbers kept as block locators."""
    blocks, warnings = parse_pdf_isolated(data, ctx.limits)
    global _warned_no_ocr
    if not _warned_no_ocr and any(_NO_OCR in w for w in warnings):
        _warned_no_ocr = True  # once per run: every scanned page also has its own warning
        log.warning("tesseract is not installed: scanned PDF pages are not read "
                    "(apt-get install tesseract-ocr)")
    return [Part(name=name, media="application/pdf", blocks=blocks, warnings=warnings)]
