"""Find tables inside normalised text, one detector per shape.

Layouts read from text: pipe dumps with one cell per line (web pages flattened to text),
markdown pipe tables, tab-separated tables (often with a header spanning year columns), and
"KEYWORD – N" lists. Text that a loader's table (HTML, PDF, sheets) or an earlier detector
already covers is not searched again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from extract.document import Document, Table, TableCell
from extract.tables.grid import (
    NUMERIC_RE,
    PAGE_FURNITURE,
    covered,
    is_total_label,
    lines_of,
    looks_like_year,
    make_cell,
)

_SEP_RE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")
_DUMP_CELL_RE = re.compile(r"^[^|\n]*\|[ \t]*$")
_MD_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_KEYWORD_RE = re.compile(
    r"^[ \t*•·-]*(?P<label>[A-Za-z0-9][\w .,&'/+()-]{0,90}?|(?:19|20)\d{2}[*^†]?(?:/\d{2})?)"
    r"(?:[ \t]+[-–—][ \t]+|[ \t]*[–—][ \t]*|[ \t]*[:=][ \t]*|[ \t]*(?:\.{3,}|…+)[ \t]*)"
    r"(?P<value>\d{1,3}(?:,[ ]?\d{3})+|\d{1,6}|nil(?: return)?|none|zero|\*+|<\s*\d+|1\s*-\s*4|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
    r"(?:fewer|less|under) than (?:five|5)|under (?:five|5))"
    r"(?P<tail>[ \t]*(?:offences?|crimes?|cases?|occurrences?|incidents?|times?|reports?)?"
    # a note in brackets after the count (`12 (provisional)`), holding no other number
    r"(?:[ \t]*\([^()\d\n]{1,40}\))?[ \t*.]*)$",
    re.IGNORECASE,
)
# The same list written `WhatsApp (2)` / `Snapchat (7 offences)`: the count in brackets.
_KEYWORD_PAREN_RE = re.compile(
    r"^[ \t*•·-]*(?P<label>[A-Za-z][\w .,&'/+-]{0,60}?)[ \t]*\([ \t]*"
    r"(?P<value>\d{1,6}(?:,\d{3})?|nil|none|zero|\*+|<\s*\d+)"
    r"[ \t]*(?:offences?|crimes?|cases?|occurrences?|incidents?|times?|reports?)?[ \t]*\)"
    r"[ \t*.,;]*$", re.IGNORECASE)
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


def _bar_cell_rows(doc: Document, block: list[tuple[int, int, str]],
                   ncols: int, r0: int) -> list[list[TableCell]]:
    """Bar-ended lines (`7 |`, a lone `|` for a blank cell) cut into rows of ncols cells."""
    rows = []
    for r in range(len(block) // ncols):
        row = []
        for j, (s, _, line) in enumerate(block[r * ncols:(r + 1) * ncols]):
            m = _BAR_END.match(line)
            assert m is not None
            row.append(make_cell(doc.text, s + m.start("t"), s + m.end("t"), r0 + r, j))
        rows.append(row)
    return rows


def _bar_stream_at(doc: Document, lines: list[tuple[int, int, str]],
                   k: int) -> Table | None:
    """A web table dumped one cell per line, each ended by a bar (a lone bar: a blank
    cell), with a separator rule under the header: the rule gives the row width."""
    ncols = lines[k][2].count("|") - 1
    if ncols < 2 or k < ncols or not all(_BAR_END.match(ln[2]) for ln in lines[k - ncols:k]):
        return None
    rows = _bar_cell_rows(doc, lines[k - ncols:k], ncols, 0)
    i = k + 1
    while i + ncols <= len(lines) and all(_BAR_END.match(ln[2]) for ln in lines[i:i + ncols]):
        row = _bar_cell_rows(doc, lines[i:i + ncols], ncols, len(rows))[0]
        if not _body_ok(row):
            break
        rows.append(row)
        i += ncols
    if len(rows) < 2:
        return None
    return Table("", rows, rows[0][0].start, rows[-1][-1].end, "pipe", header_rows=1)


def _pipe_tables(doc: Document) -> list[Table]:
    lines = list(lines_of(doc.text))
    found = []
    for k, (_, _, line) in enumerate(lines):
        if not _SEP_RE.match(line) or not line.strip().startswith("|"):
            continue
        table = _pipe_dump_at(doc, lines, k) or _markdown_at(doc, lines, k) or \
            _bar_stream_at(doc, lines, k)
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
    rows[0] = _split_joined_heads(doc.text, rows[0], width)
    rows = [rows[0]] + _lead_pad(rows[1:], width)
    for row in rows:  # pad short rows with empty cells at the line end
        while len(row) < width:
            end = row[-1].end if row else 0
            row.append(TableCell("", end, end, row[0].row, len(row)))
    return Table("", rows, block[0][0], block[-1][1], "tab")


def _split_joined_heads(text: str, head: list[TableCell], width: int) -> list[TableCell]:
    """A header row short of the body's width whose last names were joined by spaces, not
    tabs (`Method<TAB>22/23 23/24` over `Snapchat<TAB>61<TAB>74`, as PDF text gives it): the
    rightmost cell whose words are exactly the missing names is split at its spaces."""
    missing = width - len(head)
    if missing <= 0:
        return head
    for k in range(len(head) - 1, 0, -1):
        words = list(re.finditer(r"\S+", head[k].text))
        if len(words) == missing + 1:
            s = head[k].start
            parts = [make_cell(text, s + w.start(), s + w.end(), 0, 0) for w in words]
            cells = [*head[:k], *parts, *head[k + 1:]]
            return [TableCell(c.text, c.start, c.end, c.row, j) for j, c in enumerate(cells)]
    return head


def _leading_labels(row: list[TableCell]) -> int:
    n = 0
    while n < len(row) and row[n].text and (not NUMERIC_RE.match(row[n].text) or
                                            looks_like_year(row[n].text)):
        n += 1
    return n


def _lead_pad(rows: list[list[TableCell]], width: int) -> list[list[TableCell]]:
    """Rows of a group whose label is written once (`2021<TAB>Female<TAB>21 ...` then
    `Male<TAB>5 ...`): a short row with fewer leading labels than the full rows lost its
    blank group cell, so blanks go on its left, not its right."""
    full = [_leading_labels(r) for r in rows if len(r) == width]
    if not full:
        return rows
    lead = Counter(full).most_common(1)[0][0]
    out = []
    for row in rows:
        have = _leading_labels(row)
        missing = min(lead - have, width - len(row))
        if len(row) < width and have > 0 and missing > 0 and len(row) > have:
            at = row[0].start
            row = [TableCell("", at, at, row[0].row, 0) for _ in range(missing)] + row
            row = [TableCell(c.text, c.start, c.end, c.row, j) for j, c in enumerate(row)]
        out.append(row)
    return out


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


def _indent_pad(row: list[TableCell], line: tuple[int, int, str],
                width: int) -> list[TableCell]:
    """An indented row of counts with fewer cells than the block (`      6` under `Kik   3`):
    its missing cells are blank labels on its left."""
    missing = width - len(row)
    indented = line[2][:2].isspace()
    if missing <= 0 or not indented or not all(_is_count(c.text) for c in row):
        return row
    at = row[0].start
    cells = [TableCell("", at, at, 0, 0) for _ in range(missing)] + row
    return [TableCell(c.text, c.start, c.end, row[0].row, j) for j, c in enumerate(cells)]


def _space_table(doc: Document, block: list[tuple[int, int, str]]) -> Table | None:
    """Columns split at runs of two or more spaces. Only a block whose rows all have the same
    number of cells (the header may lack its corner cell) is a table: blank cells cannot be
    told apart from column gaps, so a ragged block is left alone."""
    rows = [_space_cells(doc.text, ln, r) for r, ln in enumerate(block)]
    width = Counter(len(r) for r in rows[1:]).most_common(1)[0][0]
    rows = [rows[0]] + [_indent_pad(r, ln, width) for r, ln in zip(rows[1:], block[1:],
                                                                     strict=True)]
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
    tables: list[Table] = []
    run: list[tuple[int, int, str]] = []
    for ln in lines_of(doc.text):
        inside = any(t.start <= ln[0] < t.end for t in [*doc.tables, *taken])
        # an indented lone count inside a run is a row whose label is blank
        lone = bool(run) and ln[2][:4].isspace() and _is_count(ln[2].strip())
        if not inside and "\t" not in ln[2] and (_GAP.search(ln[2].strip()) or lone):
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
    """Runs of `LABEL – N` lines (single blank lines between them allowed); `2013:` headings
    inside a run group the lines below them."""
    tables: list[Table] = []
    run: list[list[TableCell]] = []
    group: TableCell | None = None
    grouped = False
    blanks = 0
    for s, _, line in lines_of(doc.text):
        # one blank line between list lines (a web list copied as text) keeps the run going
        blanks = blanks + 1 if not line.strip() else 0
        if blanks == 1 and run:
            continue
        m = _KEYWORD_RE.match(line) or _KEYWORD_PAREN_RE.match(line)
        g = None if m else _GROUP_RE.match(line)
        if m and not any(t.start <= s < t.end for t in [*doc.tables, *taken]):
            if _next_item(run, m.group("label")):
                # `2. 2008 : 0` starts the answer to the next numbered question
                tables.append(_keyword_table(run, grouped and any(r[0].text for r in run)))
                run, group, grouped = [], None, False
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
    for t in tables:
        t.title = _item_question(doc, t)
    return tables


_ITEM = re.compile(r"^\s*(\d{1,2})[.)]\s+\S")


def _next_item(run: list[list[TableCell]], label: str) -> bool:
    """Whether a numbered line starts a new section of a run numbered by section (`1. 2008`,
    `2009`, ..., `2. 2008`), not the next line of a numbered list (`1. Kik`, `2. Snapchat`)."""
    return len(run) >= 2 and bool(_ITEM.match(label)) and bool(_ITEM.match(run[0][1].text)) \
        and not any(_ITEM.match(r[1].text) for r in run[1:])


def _item_question(doc: Document, t: Table) -> str:
    """For a list whose first line carries an item number (`2. 2008 : 0`), the request item
    of that number above it (`2. Could you also tell me how many ...`): what it answers.
    Empty when the list has no number or no such item is found."""
    first = t.rows[0][-2].text if t.rows and len(t.rows[0]) >= 2 else ""
    m = _ITEM.match(first)
    if not m:
        return ""
    items = list(re.finditer(rf"(?m)^\W{{0,3}}{m.group(1)}[.)]\s+([^\n]{{15,400}})",
                             doc.text[:t.start]))
    return items[-1].group(1).strip() if items else ""


def _looks_like_group(text: str) -> bool:
    """A heading that groups keyword lines: a year, a financial year, a month."""
    return bool(re.match(r"^(?:FY\s*)?(19|20)\d{2}", text.strip()) or
                re.match(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(19|20)\d{2}",
                         text.strip(), re.IGNORECASE))




# --- cell streams: one cell per line, the row width to be found -----------------------------
#
# Web tables copied as text come out one cell per line: each cell ending in " |", or each on
# its own line between blank lines. Nothing marks where a row ends, so the width is found by
# folding the stream: the width whose rows all carry counts after a label, with one header
# row on top and a first column of one kind (all labels or all numbers), covering the most
# cells.

_MAX_WIDTH = 12


def _is_count(text: str) -> bool:
    return bool(NUMERIC_RE.match(text)) and not looks_like_year(text)


def _body_ok(row: list[TableCell], years: bool = True, blank_label: bool = False) -> bool:
    """A body row: something in its first cell (or, with ``blank_label``, maybe nothing: a
    row the reply left unlabelled), counts (or blanks) after it, one count at least. With
    ``years`` false a year is not taken for a count (a folded stream has no other clue where
    a row of years-down starts)."""
    rest = [c.text for c in row[1:]]
    counts = _is_count if not years else NUMERIC_RE.match
    return (blank_label or bool(row[0].text)) and all(not t or counts(t) for t in rest) and \
        any(rest)


def _fold_rows(cells: list[TableCell], width: int) -> list[list[TableCell]]:
    """Rows of ``width`` cells from the start of the stream while they read as a table."""
    header = cells[:width]
    if len(header) < width or all(_is_count(c.text) or not c.text for c in header):
        return []
    rows = [header]
    for i in range(width, len(cells) - width + 1, width):
        row = cells[i:i + width]
        if not _body_ok(row, years=False, blank_label=True):
            break
        rows.append(row)
    # the first column is of one kind (labels, or numbers such as ages); a total row may
    # close the table but does not open it
    labels = [_is_count(r[0].text) for r in rows[1:-1]]
    if len(rows) > 1 and not is_total_label(rows[-1][0].text):
        labels.append(_is_count(rows[-1][0].text))
    if len(rows) < 2 or (labels and any(labels) and not all(labels)):
        return []
    return rows


def fold_stream(cells: list[TableCell], lead: int = 3) -> tuple[int, list[list[TableCell]]]:
    """(cells skipped at the start, rows) of the best fold of a cell stream; rows [] if none.

    Up to ``lead`` cells at the start may be a title rather than a header."""
    best: tuple[int, int, list[list[TableCell]]] = (0, 0, [])
    for skip in range(min(lead, max(0, len(cells) - 4)) + 1):
        for width in range(2, _MAX_WIDTH + 1):
            rows = _fold_rows(cells[skip:], width)
            used = sum(len(r) for r in rows)
            if used > best[0]:
                best = (used, skip, rows)
    return best[1], best[2]


def _stream_table(doc: Document, rows: list[list[TableCell]], source: str) -> Table:
    grid = [[TableCell(c.text, c.start, c.end, r, j) for j, c in enumerate(row)]
            for r, row in enumerate(rows)]
    return Table("", grid, grid[0][0].start, grid[-1][-1].end, source, header_rows=1)


# "Count |": one cell per line, ended by a bar; a lone "|" ends a row (or is a blank cell).
_BAR_END = re.compile(r"^(?P<t>[^|\n]*?)[ \t]*\|[ \t]*$")


def _bar_runs(doc: Document, taken: list[Table]) -> Iterator[list[tuple[int, int, str]]]:
    """Runs of consecutive bar-ended lines outside tables already found."""
    run: list[tuple[int, int, str]] = []
    for ln in lines_of(doc.text):
        inside = any(t.start <= ln[0] < t.end for t in [*doc.tables, *taken])
        if not inside and _BAR_END.match(ln[2]):
            run.append(ln)
            continue
        if len(run) >= 4:
            yield run
        run = []
    if len(run) >= 4:
        yield run


def _bar_cells(doc: Document, run: list[tuple[int, int, str]]) -> list[TableCell]:
    out = []
    for s, _, line in run:
        m = _BAR_END.match(line)
        assert m is not None
        out.append(make_cell(doc.text, s + m.start("t"), s + m.end("t"), 0, 0))
    return out


def _split_at_bars(cells: list[TableCell]) -> list[list[TableCell]] | None:
    """Rows ended (or opened) by lone bars, when every row then has the same width (the
    header may lack a corner cell)."""
    rows: list[list[TableCell]] = []
    current: list[TableCell] = []
    for c in cells:
        if c.blank:
            if current:
                rows.append(current)
            current = []
            continue
        current.append(c)
    if current:
        rows.append(current)
    widths = {len(r) for r in rows[1:]}
    if len(rows) < 2 or len(widths) != 1 or widths == {1}:
        return None
    width = widths.pop()
    if len(rows[0]) == width - 1:
        rows[0] = [TableCell("", rows[0][0].start, rows[0][0].start, 0, 0), *rows[0]]
    if len(rows[0]) != width or not all(_body_ok(r) for r in rows[1:]):
        return None
    return rows


def _bar_end_tables(doc: Document, taken: list[Table]) -> list[Table]:
    """Tables dumped one bar-ended cell per line."""
    tables = []
    for run in _bar_runs(doc, taken):
        cells = _bar_cells(doc, run)
        rows = _split_at_bars(cells) if any(c.blank for c in cells) else None
        if rows is None:
            rows = fold_stream(cells)[1]
        if rows:
            tables.append(_stream_table(doc, rows, "pipe"))
    return tables


# An HTML table copied as text: one short cell per line, a blank line between cells.
_SHORT_CELL = re.compile(r"^[ \t]*[^\s|\t][^|\t]{0,60}$")


def _spaced_runs(doc: Document, taken: list[Table]) -> Iterator[list[TableCell]]:
    """Runs of short lines each followed by exactly one blank line."""
    lines = list(lines_of(doc.text))
    run: list[TableCell] = []
    i = 0
    while i < len(lines):
        s, e, line = lines[i]
        blank_next = i + 1 < len(lines) and not lines[i + 1][2].strip()
        inside = any(t.start <= s < t.end for t in [*doc.tables, *taken])
        if not inside and _SHORT_CELL.match(line) and not line.rstrip().endswith(".") and \
                (blank_next or i + 1 == len(lines)):
            run.append(make_cell(doc.text, s, e, 0, 0))
            i += 2
            continue
        if len(run) >= 6:
            yield run
        run = []
        i += 1
    if len(run) >= 6:
        yield run


def _spaced_tables(doc: Document, taken: list[Table]) -> list[Table]:
    """Tables copied from a web page as one cell per line with blank lines between."""
    tables = []
    for run in _spaced_runs(doc, taken):
        _, rows = fold_stream(run)
        if len(rows) >= 3 or (len(rows) == 2 and len(rows[0]) >= 3):
            tables.append(_stream_table(doc, rows, "spaced"))
    return tables


# --- bar rows: "Age | Male victims |" a row per line, bars between (and maybe after) cells ----


_BAR = re.compile(r"\|")
_SLASH = re.compile(r"(?<=\S)[ \t]+/[ \t]+(?=\S)")  # " / " between cells, not "Text/SMS"


def _bar_row_cells(doc: Document, line: tuple[int, int, str], r: int,
                   sep: re.Pattern[str] = _BAR) -> list[TableCell]:
    s, _, raw = line
    cuts = [(-1, 0)] + [(m.start(), m.end()) for m in sep.finditer(raw)] + \
        [(len(raw), len(raw) + 1)]
    cells = [make_cell(doc.text, s + a[1], s + b[0], r, 0)
             for a, b in zip(cuts, cuts[1:], strict=False)]
    if cells and cells[0].blank and raw.lstrip().startswith("|"):
        cells = cells[1:]
    if cells and cells[-1].blank and raw.rstrip().endswith("|"):
        cells = cells[:-1]
    return [TableCell(c.text, c.start, c.end, r, j) for j, c in enumerate(cells)]


def _pad(row: list[TableCell], width: int) -> list[TableCell]:
    """A short row made full width. A merged label cell is what a short row of counts lacks,
    so blanks go after its first cell (`Sum: | 28 | 22` under four columns); a short row of
    words is padded at its end."""
    missing = width - len(row)
    if missing <= 0:
        return row
    at = 1 if all(NUMERIC_RE.match(c.text) for c in row[1:] if c.text) else len(row)
    pos = row[at - 1].end
    filler = [TableCell("", pos, pos, row[0].row, 0) for _ in range(missing)]
    cells = [*row[:at], *filler, *row[at:]]
    return [TableCell(c.text, c.start, c.end, row[0].row, j) for j, c in enumerate(cells)]


def _bar_row_block(doc: Document, block: list[tuple[int, int, str]],
                   sep: re.Pattern[str] = _BAR, source: str = "bars") -> Table | None:
    rows = [_bar_row_cells(doc, ln, r, sep) for r, ln in enumerate(block)]
    width = max(len(r) for r in rows)
    if width < 2 or sum(len(r) == width for r in rows) * 2 < len(rows):
        return None
    rows = [rows[0]] + [_pad(r, width) for r in rows[1:]]
    if len(rows[0]) == width - 1:
        first = rows[0][0]
        rows[0] = [TableCell("", first.start, first.start, 0, 0)] + [
            TableCell(c.text, c.start, c.end, 0, c.col + 1) for c in rows[0]]
    counted = sum(any(NUMERIC_RE.match(c.text) for c in r[1:] if c.text) for r in rows[1:])
    if len(rows[0]) != width or counted * 2 < len(rows) - 1:
        return None
    return Table("", rows, block[0][0], block[-1][1], source)


def _bar_row_tables(doc: Document, taken: list[Table], sep: re.Pattern[str] = _BAR,
                    source: str = "bars") -> list[Table]:
    """Rows written on one line each with a separator between cells: bars (markdown without
    its rule, a text dump with trailing bars) or spaced slashes (`Kik / 1 / 0`); separator
    rules inside the block are skipped."""
    tables: list[Table] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        if len(run) >= 2 and (table := _bar_row_block(doc, run, sep, source)):
            tables.append(table)
        run.clear()

    for ln in lines_of(doc.text):
        inside = any(t.start <= ln[0] < t.end for t in [*doc.tables, *taken, *tables])
        if not inside and sep is _BAR and _SEP_RE.match(ln[2]):
            continue
        if not inside and len(sep.findall(ln[2].strip().strip("|"))) >= 1:
            run.append(ln)
            continue
        close()
    close()
    return tables


# --- ragged columns: a label, then counts, spaced anyhow ------------------------------------
#
# PDF text and plain e-mails print a table as lines of a label followed by its counts, with
# spacing that does not line up ("Under 13 2 5" under "Age      Female   Male"). Such a line
# is read from the right: the counts are its trailing count-like tokens, the rest is the
# label. A block of two or more lines with the same number of counts, under a header line
# with as many column names, is a table.

_TOKEN = re.compile(r"\S+")
_MAX_LABEL = 60


_VERB = re.compile(r"\b(?:was|were|is|are|has|have|had|will|would)\b", re.IGNORECASE)


def _zero_led(token: str) -> bool:
    """`01622`: a phone or reference number; a count never opens with a zero."""
    return len(token) > 1 and token[0] == "0" and token.isdigit()


# A row label made of numbers and words (`10 - 12`, `Under 10`, `16 and over`, `18+`): its
# numbers are the label's, never counts, however many count columns the block has.
_BAND_LABEL = re.compile(
    r"^\s*(?:(?:(?:under|over|aged?|ages|up\s+to)\s+)?\d{1,3}\s*(?:-|–|—|to)\s*\d{1,3}|"
    r"(?:under|over|aged?|up\s+to|below|above)\s+\d{1,3}|"
    r"\d{1,3}\s*(?:\+|and\s+(?:over|under|above|below|older|younger)|"
    r"or\s+(?:over|under|above|below|older|younger)))"
    r"(?:\s*(?:yrs|years|year\s+olds?))?(?=\s)", re.IGNORECASE)


def _trailing_counts(line: tuple[int, int, str]) -> int:
    """How many count-like tokens end a line that could be a table row (0: not a row)."""
    raw = line[2]
    if not raw.strip() or raw.rstrip().endswith((".", ":", ",", ";")) or "\t" in raw or \
            PAGE_FURNITURE.match(raw.strip()):
        return 0
    tokens = raw.split()
    k = len(tokens)
    while k > 0 and _is_count(tokens[k - 1]) and not _zero_led(tokens[k - 1]):
        k -= 1
    if k > 0 and _zero_led(tokens[k - 1]):
        return 0  # `Tel: 01622 690690`: the number goes on a phone number
    band = _BAND_LABEL.match(raw)
    if band:  # the band's own numbers stay in the label
        k = max(k, len(band.group(0).split()))
        if k >= len(tokens):
            return 0
    label = " ".join(tokens[:k])
    # a sentence, not a row label; but a short label with a verb (`Would have been
    # dismissed 0 6 2 0`) is a row when several counts follow it, as no sentence ends so
    sentence = _VERB.search(label) and (len(tokens) - k < 2 or len(label.split()) > 5)
    if len(label) > _MAX_LABEL or sentence:
        return 0
    if k == 0 and raw[:1] in (" ", "\t"):  # indented counts: a row with no label
        return len(tokens)
    return len(tokens) - max(k, 1) if k == 0 else len(tokens) - k


def _ragged_row(text: str, line: tuple[int, int, str], n: int
                ) -> tuple[TableCell, list[TableCell]]:
    """(label, counts) of a line under n count columns: its last n tokens, or fewer with
    blanks on the left (a blank cell in right-aligned columns)."""
    s, _, raw = line
    tokens = list(_TOKEN.finditer(raw))
    m = min(n, _trailing_counts(line))
    k = len(tokens) - m
    label = make_cell(text, s + tokens[0].start(), s + tokens[k - 1].end(), 0, 0) if k else \
        TableCell("", s + tokens[0].start(), s + tokens[0].start(), 0, 0)
    at = s + tokens[k].start()
    blanks = [TableCell("", at, at, 0, 0) for _ in range(n - m)]
    counts = [make_cell(text, s + t.start(), s + t.end(), 0, 0) for t in tokens[k:]]
    return label, [TableCell(c.text, c.start, c.end, 0, j + 1)
                   for j, c in enumerate([*blanks, *counts])]


def _split_at(text: str, line: tuple[int, int, str], gap: str) -> list[TableCell]:
    s, _, raw = line
    body = raw.rstrip()
    lead = len(body) - len(body.lstrip())
    cuts = [(m.start(), m.end()) for m in re.finditer(gap, body[lead:])]
    bounds = [lead] + [lead + b for _, b in cuts]
    ends = [lead + a for a, _ in cuts] + [len(body)]
    return [make_cell(text, s + a, s + b, 0, j)
            for j, (a, b) in enumerate(zip(bounds, ends, strict=True))]


_PERIOD_NAME = re.compile(
    r"^(?:FY\s*)?(?:19|20)\d{2}(?:\s*[/-]\s*\d{2,4})?[*^†‡]?$|"
    r"^(?:[A-Za-z]{3,9}\.?\s+)?(?:19|20)\d{2}\s*(?:-|–|to)\s*(?:[A-Za-z]{3,9}\.?\s+)?(?:19|20)\d{2}$|"
    r"^[A-Za-z]{3,9}\.?\s+(?:19|20)\d{2}$")
_UNKNOWN_NAME = re.compile(r"^(?:not\s+(?:recorded|known|stated|specified|given)|unknown|"
                           r"no\s+(?:data|gender|age)|un-?recorded)$", re.IGNORECASE)


def _name_score(name: str) -> int:
    """How well a run of header words reads as one column name: an age band, a period or an
    `unknown` label made of several words scores high, so they are not cut apart; any other
    name scores more as a single word (`Female`, `Male`) than as a run."""
    band = _BAND_LABEL.match(name + " ")
    whole_band = band is not None and band.group(0).strip() == name
    if whole_band or _PERIOD_NAME.match(name) or _UNKNOWN_NAME.match(name):
        return 3
    return 1 if " " not in name else 0


def _partition(text: str, words: list[TableCell], groups: int,
               corner: bool) -> list[TableCell] | None:
    """Header words cut into ``groups`` consecutive names (the first the corner, when
    ``corner``: any words, unscored), each name five words at most, so that the most names
    read as whole labels (see ``_name_score``)."""
    w = len(words)
    if groups > w or groups < 1:
        return None
    low = -(10 ** 6)
    best = [[low] * (groups + 1) for _ in range(w + 1)]
    cut = [[0] * (groups + 1) for _ in range(w + 1)]
    best[0][0] = 0
    for i in range(1, w + 1):
        for g in range(1, groups + 1):
            longest = 8 if corner and g == 1 else 5
            for size in range(1, min(longest, i) + 1):
                prev = best[i - size][g - 1]
                if prev == low:
                    continue
                name = " ".join(x.text for x in words[i - size:i])
                score = prev + (0 if corner and g == 1 else _name_score(name))
                if score > best[i][g]:
                    best[i][g], cut[i][g] = score, size
    if best[w][groups] == low:
        return None
    cells: list[TableCell] = []
    i = w
    for g in range(groups, 0, -1):
        a = i - cut[i][g]
        cells.insert(0, make_cell(text, words[a].start, words[i - 1].end, 0, 0))
        i = a
    return [TableCell(c.text, c.start, c.end, 0, j) for j, c in enumerate(cells)]


def _ragged_header(text: str, line: tuple[int, int, str], n: int) -> list[TableCell] | None:
    """The header line over n count columns: names (not counts) split at wide gaps or at
    every space, with a corner cell (`Age  Female  Male`) or without (`Female  Male`)."""
    raw = line[2]
    if not raw.strip() or raw.rstrip().endswith((".", ",", ";")) or \
            len(raw.split()) > 4 * (n + 1) or PAGE_FURNITURE.match(raw.strip()):
        return None
    splits = [_split_at(text, line, gap) for gap in (r" {2,}|\t", r"\s+")]
    words = splits[1]
    if len(words) > n:  # "Home Office Code 2012 2013", "Gender 0-12 Not recorded"
        splits[1:1] = [cut for groups, corner in ((n + 1, True), (n, False))
                       if (cut := _partition(text, words, groups, corner)) is not None]
    for want in (n + 1, n):
        for cells in splits:
            if len(cells) != want or sum(_is_count(c.text) for c in cells) * 2 >= len(cells) \
                    or any(len(c.text.split()) > 6 for c in cells):
                continue
            if want == n:
                corner = TableCell("", cells[0].start, cells[0].start, 0, 0)
                cells = [corner] + [TableCell(c.text, c.start, c.end, 0, j + 1)
                                    for j, c in enumerate(cells)]
            return cells
    return None


def _period_groups(text: str, line: tuple[int, int, str] | None, n: int) -> list[TableCell]:
    """A line of k period names over n columns, k dividing n (`2022   2023` over `Female
    Male Female Male`): a header row naming each group of n/k columns at its first column
    (the rest blank, as merged cells are). Empty when the line is not such."""
    if line is None:
        return []
    words = list(_TOKEN.finditer(line[2]))
    k = len(words)
    if k < 2 or n % k or n == k or not all(_PERIOD_NAME.match(w.group(0)) for w in words):
        return []
    s = line[0]
    at = s + words[0].start()
    row = [TableCell("", at, at, 0, 0)]
    for w in words:
        row.append(make_cell(text, s + w.start(), s + w.end(), 0, len(row)))
        row += [TableCell("", s + w.end(), s + w.end(), 0, len(row) + i)
                for i in range(n // k - 1)]
    return [TableCell(c.text, c.start, c.end, 0, j) for j, c in enumerate(row)]


def _ragged_table(doc: Document, header: tuple[int, int, str],
                  body: list[tuple[int, int, str]], n: int,
                  above: tuple[int, int, str] | None = None) -> Table | None:
    head = _ragged_header(doc.text, header, n)
    if head is None:
        return None
    if len(body) == 1 and not all(_PERIOD_NAME.match(c.text) for c in head[1:]):
        return None  # one row is a table only under a header of periods (`2019 2020 2021`)
    groups = _period_groups(doc.text, above, n)
    heads = [groups, head] if groups else [head]
    rows = [_ragged_row(doc.text, ln, n) for ln in body]
    grid = [[TableCell(c.text, c.start, c.end, r, j) for j, c in enumerate(h)]
            for r, h in enumerate(heads)]
    grid += [[TableCell(c.text, c.start, c.end, r + len(heads), j)
              for j, c in enumerate([label, *counts])]
             for r, (label, counts) in enumerate(rows)]
    start = above[0] if groups and above is not None else header[0]
    return Table("", grid, start, body[-1][1], "ragged", header_rows=len(heads))


def _width(widths: list[int]) -> int:
    """The block's number of count columns: what most lines end with (the larger on a tie);
    a line with more has a number in its label, one with fewer has blank cells."""
    counts = Counter(widths)
    return max(counts, key=lambda w: (counts[w], w))


def _ragged_tables(doc: Document, taken: list[Table]) -> list[Table]:
    """Blocks of label-and-counts lines under a header line, outside tables already found.
    The number of count columns is what most lines end with (see ``_width``)."""
    lines = list(lines_of(doc.text))
    tables: list[Table] = []
    i = 1
    while i < len(lines):
        j = i
        widths: list[int] = []
        while j < len(lines) and (m := _trailing_counts(lines[j])) and \
                not any(t.start <= lines[j][0] < t.end for t in [*doc.tables, *taken]):
            widths.append(m)
            j += 1
        above = lines[i - 2] if i >= 2 else None
        table = _ragged_table(doc, lines[i - 1], lines[i:j], _width(widths), above) \
            if j - i >= 2 or (j - i == 1 and widths[0] >= 2) else None
        if table is not None and not any(t.start <= table.start < t.end
                                         for t in [*doc.tables, *taken]):
            tables.append(table)
        i = max(j, i + 1)
    return tables


# --- inline lists: "... were: 2020 - 114; 2021 - 128; 2022 - 139." ------------------------

_INLINE_ITEM = re.compile(
    r"(?P<label>(?<![\w/])(?:FY\s*)?(?:19|20)\d{2}(?:\s*[/-]\s*\d{2,4})?)"
    # a dash with a space beside it (`2020 - 114`; `2010-11` is a year), or `:` / `=`
    r"(?:[ \t]+[-–—][ \t]*|[ \t]*[-–—][ \t]+|[ \t]*[:=][ \t]*)"
    r"(?P<value>\d{1,3}(?:,\d{3})+|\d{1,6})(?![\w/.,]\d)")
_INLINE_SEP = re.compile(r"^[ \t]*(?:[;,]|[;,]?[ \t]*and)[ \t]*$")


_INLINE_UNIT = re.compile(r"[ \t]*(?:hours?|hrs?|minutes?|mins?|days?|weeks?|months?|years?|"
                          r"%|per\s?cent)\b", re.IGNORECASE)


def _is_count_item(line: str, m: re.Match[str]) -> bool:
    """False for what only looks like `YEAR - N`: a span of years (`2020 - 2021`, `2013 - 14`)
    or a quantity with a unit (`2020 - 18 hours`)."""
    value, label = m.group("value"), m.group("label")
    if re.fullmatch(r"(?:19|20)\d{2}", value):
        return False
    if re.fullmatch(r"(?:19|20)\d{2}", label) and len(value) == 2 and \
            int(value) == (int(label) + 1) % 100:
        return False
    return not _INLINE_UNIT.match(line, m.end())


def _inline_runs(line: str) -> Iterator[list[re.Match[str]]]:
    """Runs of two or more `YEAR - N` items in one line, joined by `;`, `,` or `and`."""
    run: list[re.Match[str]] = []
    for m in _INLINE_ITEM.finditer(line):
        if not _is_count_item(line, m):  # a span or a quantity ends the run
            if len(run) >= 2:
                yield run
            run = []
            continue
        if run and not _INLINE_SEP.match(line[run[-1].end():m.start()]):
            if len(run) >= 2:
                yield run
            run = []
        run.append(m)
    if len(run) >= 2:
        yield run


def _inline_tables(doc: Document, taken: list[Table]) -> list[Table]:
    """Counts by year listed inside a sentence (`2020 - 114; 2021 - 128`) as a keyword
    table; the words before the list on its line are its title."""
    tables = []
    for s, _, line in lines_of(doc.text):
        if any(t.start <= s < t.end for t in [*doc.tables, *taken]):
            continue
        for run in _inline_runs(line):
            rows = [[make_cell(doc.text, s + m.start("label"), s + m.end("label"), r, 0),
                     make_cell(doc.text, s + m.start("value"), s + m.end("value"), r, 1)]
                    for r, m in enumerate(run)]
            t = Table("", rows, rows[0][0].start, rows[-1][-1].end, "keyword")
            t.header_cols = 1
            t.title = line[:run[0].start()].strip()
            tables.append(t)
    return tables


def text_tables(doc: Document) -> list[Table]:
    """Every table the detectors find in the text outside the loaders' tables."""
    found = _pipe_tables(doc)
    found += _bar_end_tables(doc, found)
    found += _bar_row_tables(doc, found)
    found += _bar_row_tables(doc, found, _SLASH, "slashes")
    found += _tab_tables(doc)
    found += _spaced_tables(doc, found)
    found += _space_tables(doc, found)
    found += _keyword_tables(doc, found)
    found += _ragged_tables(doc, found)
    found += _inline_tables(doc, found)
    return found
