"""Find tables inside normalised text, one detector per shape.

Layouts read from text: pipe dumps with one cell per line (web pages flattened to text),
markdown pipe tables, tab-separated tables (often with a header spanning year columns), and
"KEYWORD – N" lists. Text that a loader's table (HTML, PDF, sheets) or an earlier detector
already covers is not searched again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extract.document import Document, Table, TableCell
from extract.tables.grid import NUMERIC_RE, covered, lines_of, make_cell

_SEP_RE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")
_DUMP_CELL_RE = re.compile(r"^[^|\n]*\|[ \t]*$")
_MD_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_KEYWORD_RE = re.compile(
    r"^[ \t*•·-]*(?P<label>[A-Za-z0-9][\w .,&'/+()-]{0,90}?|(?:19|20)\d{2}[*^†]?(?:/\d{2})?)"
    r"(?:[ \t]+[-–—][ \t]+|[ \t]*[–—][ \t]*|[ \t]*[:=][ \t]*)"
    r"(?P<value>\d{1,6}(?:,\d{3})?|nil(?: return)?|none|zero|\*+|<\s*\d+|1\s*-\s*4|"
    r"(?:fewer|less|under) than (?:five|5)|under (?:five|5))"
    r"(?P<tail>[ \t]*(?:offences?|crimes?|cases?|occurrences?|incidents?|times?|reports?)?"
    r"[ \t*.]*)$",
    re.IGNORECASE,
)
# --- pipe dumps: "|" opens a row, then one "text |" line per cell --------------------------


def _dump_row(text: str, lines: list[tuple[int, int, str]], i: int, ncols: int,
              r: int) -> list[TableCell] | None:
    """Read one dumped row starting at line i (an opening "|" then ncols cell lines)."""
    if i + ncols >= len(lines) or lines[i][2].strip() != "|":
        return None
    cells = []
    for j in range(ncols):
        s, e, line = lines[i + 1 + j]
        if not _DUMP_CELL_RE.match(line) or _SEP_RE.match(line):
            return None
        bar = s + line.rindex("|")
        cells.append(make_cell(text, s, bar, r, j))
    return cells


def _pipe_dump_at(doc: Document, lines: list[tuple[int, int, str]], k: int) -> Table | None:
    """A pipe-dump table whose separator line is lines[k]."""
    ncols = lines[k][2].count("|") - 1
    if ncols < 1 or k < ncols + 1:
        return None
    header = _dump_row(doc.text, lines, k - ncols - 1, ncols, 0)
    if header is None:
        return None
    rows = [header]
    i = k + 1
    while (row := _dump_row(doc.text, lines, i, ncols, len(rows))) is not None:
        rows.append(row)
        i += ncols + 1
    if len(rows) < 2:
        return None
    return Table("", rows, lines[k - ncols - 1][0], lines[i - 1][1], "pipe", header_rows=1)


def _markdown_at(doc: Document, lines: list[tuple[int, int, str]], k: int) -> Table | None:
    """A markdown table (| a | b |) whose separator line is lines[k]."""
    if k < 1 or not _MD_ROW_RE.match(lines[k - 1][2]):
        return None
    i = k + 1
    body = []
    while i < len(lines) and _MD_ROW_RE.match(lines[i][2]) and not _SEP_RE.match(lines[i][2]):
        body.append(lines[i])
        i += 1
    if not body:
        return None
    rows = [_md_cells(doc.text, ln, r) for r, ln in enumerate([lines[k - 1], *body])]
    return Table("", rows, lines[k - 1][0], body[-1][1], "markdown", header_rows=1)


def _md_cells(text: str, line: tuple[int, int, str], r: int) -> list[TableCell]:
    s, _, raw = line
    bars = [m.start() for m in re.finditer(r"\|", raw)]
    pairs = zip(bars, bars[1:], strict=False)
    return [make_cell(text, s + a + 1, s + b, r, c) for c, (a, b) in enumerate(pairs)]


def _pipe_tables(doc: Document) -> list[Table]:
    lines = list(lines_of(doc.text))
    found = []
    for k, (_, _, line) in enumerate(lines):
        if not _SEP_RE.match(line) or not line.strip().startswith("|"):
            continue
        table = _pipe_dump_at(doc, lines, k) or _markdown_at(doc, lines, k)
        if table and not covered(doc, table.start, table.end):
            found.append(table)
    return found


# --- tab tables -----------------------------------------------------------------------------


def _tab_blocks(text: str) -> Iterator[list[tuple[int, int, str]]]:
    """Runs of consecutive lines that contain a tab."""
    run: list[tuple[int, int, str]] = []
    for ln in lines_of(text):
        if "\t" in ln[2] and ln[2].strip():
            run.append(ln)
            continue
        if len(run) >= 2:
            yield run
        run = []
    if len(run) >= 2:
        yield run


def _tab_table(doc: Document, block: list[tuple[int, int, str]]) -> Table | None:
    rows = []
    for r, (s, _, line) in enumerate(block):
        cuts = [-1] + [m.start() for m in re.finditer("\t", line)] + [len(line)]
        rows.append([make_cell(doc.text, s + a + 1, s + b, r, c)
                     for c, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False))])
    width = max(len(r) for r in rows)
    if width < 2 or not any(NUMERIC_RE.match(c.text) for row in rows for c in row[1:] if c.text):
        return None
    for row in rows:  # pad short rows with empty cells at the line end
        while len(row) < width:
            end = row[-1].end if row else 0
            row.append(TableCell("", end, end, row[0].row, len(row)))
    return Table("", rows, block[0][0], block[-1][1], "tab")


def _tab_tables(doc: Document) -> list[Table]:
    tables = []
    for block in _tab_blocks(doc.text):
        if covered(doc, block[0][0], block[-1][1]):
            continue
        table = _tab_table(doc, block)
        if table:
            tables.append(table)
    return tables


# --- space-aligned tables (plain-text e-mails) ----------------------------------------------

_GAP = re.compile(r" {2,}")


def _space_cells(text: str, line: tuple[int, int, str], r: int) -> list[TableCell]:
    s, _, raw = line
    body = raw.rstrip()
    lead = len(body) - len(body.lstrip())
    cuts = [(lead, lead)] + [(m.start(), m.end()) for m in _GAP.finditer(body, lead)]
    ends = [m.start() for m in _GAP.finditer(body, lead)] + [len(body)]
    return [make_cell(text, s + a[1], s + b, r, c) for c, (a, b) in enumerate(zip(cuts, ends,
                                                                              strict=True))]


def _space_table(doc: Document, block: list[tuple[int, int, str]]) -> Table | None:
    """Columns split at runs of two or more spaces. Only a block whose rows all have the same
    number of cells (the header may lack its corner cell) is a table: blank cells cannot be
    told apart from column gaps, so a ragged block is left alone."""
    rows = [_space_cells(doc.text, ln, r) for r, ln in enumerate(block)]
    width = len(rows[-1])
    if width < 2 or any(len(r) != width for r in rows[1:]):
        return None
    if len(rows[0]) == width - 1:
        first = rows[0][0]
        rows[0] = [TableCell("", first.start, first.start, 0, 0)] + [
            TableCell(c.text, c.start, c.end, 0, c.col + 1) for c in rows[0]]
    elif len(rows[0]) != width:
        return None
    body = [c for row in rows[1:] for c in row[1:]]
    if sum(bool(NUMERIC_RE.match(c.text)) for c in body) * 2 < len(body):
        return None
    return Table("", rows, block[0][0], block[-1][1], "space")


def _space_tables(doc: Document, taken: list[Table]) -> list[Table]:
    tables, run = [], []
    for ln in lines_of(doc.text):
        inside = any(t.start <= ln[0] < t.end for t in [*doc.tables, *taken])
        if not inside and "\t" not in ln[2] and _GAP.search(ln[2].strip()):
            run.append(ln)
            continue
        if len(run) >= 3 and (table := _space_table(doc, run)):
            tables.append(table)
        run = []
    if len(run) >= 3 and (table := _space_table(doc, run)):
        tables.append(table)
    return tables


# --- keyword lists: "SNAPCHAT – 7 Offence" -------------------------------------------------


_GROUP_RE = re.compile(
    r"^[ \t*]*(?P<h>(?:19|20)\d{2}[^:\n]{0,30}?|[A-Za-z][^:\n]{0,40}?)[ \t]*:[ \t]*$")


def _keyword_table(run: list[list[TableCell]], grouped: bool) -> Table:
    """A keyword run as a grid: [group heading,] label, value."""
    rows = run if grouped else [r[1:] for r in run]
    rows = [[TableCell(c.text, c.start, c.end, i, j) for j, c in enumerate(r)]
            for i, r in enumerate(rows)]
    table = Table("", rows, rows[0][0].start if not grouped else run[0][1].start,
                  rows[-1][-1].end, "keyword")
    table.header_cols = 2 if grouped else 1
    return table


def _keyword_tables(doc: Document, taken: list[Table]) -> list[Table]:
    """Runs of `LABEL – N` lines; `2013:` headings inside a run group the lines below them."""
    tables: list[Table] = []
    run: list[list[TableCell]] = []
    group: TableCell | None = None
    grouped = False
    for s, _, line in lines_of(doc.text):
        m = _KEYWORD_RE.match(line)
        g = None if m else _GROUP_RE.match(line)
        if m and not any(t.start <= s < t.end for t in [*doc.tables, *taken]):
            label = make_cell(doc.text, s + m.start("label"), s + m.end("label"), len(run), 1)
            value = make_cell(doc.text, s + m.start("value"), s + m.end("value"), len(run), 2)
            head = group or TableCell("", label.start, label.start, len(run), 0)
            run.append([head, label, value])
            continue
        if g and _looks_like_group(g.group("h")):
            group = make_cell(doc.text, s + g.start("h"), s + g.end("h"), len(run), 0)
            grouped = grouped or bool(run) or True
            continue
        if len(run) >= 2:
            tables.append(_keyword_table(run, grouped and any(r[0].text for r in run)))
        run, group, grouped = [], None, False
    if len(run) >= 2:
        tables.append(_keyword_table(run, grouped and any(r[0].text for r in run)))
    return tables


def _looks_like_group(text: str) -> bool:
    """A heading that groups keyword lines: a year, a financial year, a month."""
    return bool(re.match(r"^(?:FY\s*)?(19|20)\d{2}", text.strip()) or
                re.match(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(19|20)\d{2}",
                         text.strip(), re.IGNORECASE))




def text_tables(doc: Document) -> list[Table]:
    """Every table the detectors find in the text outside the loaders' tables."""
    found = _pipe_tables(doc)
    found += _tab_tables(doc)
    found += _space_tables(doc, found)
    found += _keyword_tables(doc, found)
    return found
