"""Scanned PDF pages read by Tesseract: words with boxes and confidences, laid out in lines.

Runs inside the PDF worker process, so it is under the same time and memory limits as the
rest of the parse (the tesseract child inherits RLIMIT_AS and gets the time left as its own
timeout). pymupdf renders the page; Tesseract reads the picture and returns one TSV row per
word with its box and confidence. pymupdf's own ``get_textpage_ocr`` runs the same engine
but keeps no word confidences, and a reviewer needs to know how sure the reading is.

Tables on a scanned page have no vector lines for ``find_tables``: words are grouped into
lines by their vertical centres and a wide horizontal gap between two words becomes a tab,
so a grid comes out as a tab table that the text table detectors read (columns from x
positions), as unruled tables in text PDFs do.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from extract.errors import LoadError

OCR_DPI = 300
OCR_NOTE = "read by OCR, mean word confidence"  # how a page's warning says so
# Tesseract's own threads fight the pipeline's workers for cores; one thread each is faster
# in a batch and keeps the memory cap meaningful.
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}

Word = tuple[float, float, float, float, str]  # x0, y0, x1, y1 in points, text


@dataclass
class OcrPage:
    """What OCR read on one page: its text laid out in lines, and the mean word confidence."""

    text: str
    confidence: float  # 0-100, mean over words
    words: int


def available() -> bool:
    """Whether the tesseract program is installed."""
    return shutil.which("tesseract") is not None


def _tsv_words(tsv: str, scale: float) -> tuple[list[Word], list[float]]:
    """Words (in points) and their confidences from Tesseract's TSV output."""
    words: list[Word] = []
    confs: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
            left, top = float(row["left"]), float(row["top"])
            width, height = float(row["width"]), float(row["height"])
        except (KeyError, TypeError, ValueError):
            continue
        if not text or conf < 0:
            continue
        words.append((left * scale, top * scale, (left + width) * scale,
                      (top + height) * scale, text))
        confs.append(conf)
    return words, confs


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines: a word joins the line whose vertical centre is within half
    a word height of its own."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        mid, half = (w[1] + w[3]) / 2, max((w[3] - w[1]) / 2, 1.0)
        if lines:
            last = lines[-1]
            last_mid = sum((x[1] + x[3]) / 2 for x in last) / len(last)
            if abs(last_mid - mid) <= half:
                last.append(w)
                continue
        lines.append([w])
    return [sorted(line, key=lambda w: w[0]) for line in lines]


_RULE = frozenset({"|", "||", "¦", "[", "]", "{", "}", "!"})  # a cell's ruled edge read as a glyph
Segment = list[Word]


def _segments(line: list[Word]) -> list[Segment]:
    """A line cut into cells: at gaps wider than the words' height, and at ruled edges that
    OCR read as `|` (dropped). A `|` hard against the next word is the pronoun I."""
    height = max(sum(w[3] - w[1] for w in line) / len(line), 1.0)
    segs: list[Segment] = [[]]
    for i, w in enumerate(line):
        nxt = line[i + 1] if i + 1 < len(line) else None
        if w[4] in _RULE:
            if w[4] == "|" and nxt is not None and nxt[0] - w[2] < 0.6 * height and \
                    nxt[4][:1].islower():
                segs[-1].append((*w[:4], "I"))
                continue
            segs.append([])
            continue
        if segs[-1] and w[0] - segs[-1][-1][2] > 1.2 * height:
            segs.append([])
        segs[-1].append(w)
    return [s for s in segs if s]


_DASH_READS = frozenset({".", ",", "_", "~", "·", "—", "–", "-", "--"})


def _text(seg: Segment) -> str:
    return " ".join(w[4] for w in seg)


def _cell_text(seg: Segment) -> str:
    """A table cell's text: a lone dot or stroke is a dash misread; stray quote marks that
    OCR adds at a ruled edge go."""
    text = _text(seg).strip("“”‘’\"'")
    return "-" if text in _DASH_READS else text


def _columns(block: list[list[Segment]]) -> list[float]:
    """Left edges of a table's columns, from its rows with the most cells."""
    most = max(len(r) for r in block)
    anchors = [r for r in block if len(r) == most]
    return [sorted(r[j][0][0] for r in anchors)[len(anchors) // 2] for j in range(most)]


def _aligned(row: list[Segment], lefts: list[float]) -> str:
    """A row's cells put under the columns whose left edge is nearest (blanks kept)."""
    cells = [""] * len(lefts)
    for seg in row:
        j = min(range(len(lefts)), key=lambda k: abs(lefts[k] - seg[0][0]))
        cells[j] = f"{cells[j]} {_cell_text(seg)}".strip()
    return "\t".join(cells)


def _joins(seg_row: list[Segment], lefts: list[float], tol: float) -> bool:
    """A one-cell line inside a table: its cell sits under a column other than the first
    (a row whose label is blank)."""
    return len(seg_row) == 1 and any(abs(seg_row[0][0][0] - x) <= tol for x in lefts[1:])


def _table_end(rows: list[list[Segment]], i: int, tol: float) -> int:
    """End (exclusive) of the table that starts at row i, or i when none starts there: two
    or more lines of two or more cells, with one-cell lines that sit under a later column."""
    if len(rows[i]) < 2:
        return i
    j = i + 1
    while j < len(rows) and (len(rows[j]) >= 2 or _joins(rows[j], _columns(rows[i:j]), tol)):
        j += 1
    while j > i and len(rows[j - 1]) < 2:  # a table ends on a full row
        j -= 1
    return j if sum(len(r) >= 2 for r in rows[i:j]) >= 2 else i


def laid_out(words: list[Word]) -> str:
    """The page's text, line by line; runs of lines with two or more cells are a table whose
    columns come from the x positions of their cells, blank cells kept as empty tabs."""
    rows = [_segments(line) for line in _lines(words)]
    height = sorted(w[3] - w[1] for w in words)[len(words) // 2] if words else 10.0
    out: list[str] = []
    i = 0
    while i < len(rows):
        j = _table_end(rows, i, 1.5 * height)
        if j > i:
            lefts = _columns(rows[i:j])
            out += [_aligned(r, lefts) for r in rows[i:j]]
            i = j
        else:
            out.append("\t".join(_text(s) for s in rows[i]))
            i += 1
    return "\n".join(out)


def ocr_page(page: Any, timeout_s: float, language: str = "eng") -> OcrPage:
    """Read one page's picture with Tesseract. Raise LoadError when it fails or overruns."""
    import pymupdf

    pix = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY)
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", language, "--psm", "3", "tsv"],
            input=pix.tobytes("png"), capture_output=True, timeout=max(timeout_s, 1.0),
            env=_ENV, check=False)
    except subprocess.TimeoutExpired as exc:
        raise LoadError(f"OCR took longer than {timeout_s:g} s") from exc
    except OSError as exc:
        raise LoadError(f"OCR could not start ({exc})") from exc
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise LoadError(f"OCR failed ({err[-1] if err else done.returncode})")
    words, confs = _tsv_words(done.stdout.decode("utf-8", "replace"), 72.0 / OCR_DPI)
    mean = sum(confs) / len(confs) if confs else 0.0
    return OcrPage(text=laid_out(words), confidence=round(mean, 1), words=len(words))
