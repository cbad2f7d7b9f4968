"""Find tables inside normalised text and mark header and total rows/columns on every table.

Layouts read from text: pipe dumps with one cell per line (web pages flattened to text),
markdown pipe tables, tab-separated tables (often with a header spanning year columns), and
"KEYWORD – N" lists. Tables that loaders already placed (HTML, PDF, sheets) are not searched
again; they are only annotated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extract.document import Document, Table, TableCell

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
_TOTAL_RE = re.compile(r"^\s*(grand\s+total|total|totals|sum|overall\s+total|all)\b\s*:?\s*$",
                       re.IGNORECASE)
_NUMERIC_RE = re.compile(
    r"^\s*(\d[\d,]*(\.\d+)?%?|-|–|—|\*+|<\s*\d+|n/?a|nil|x|1\s*-\s*4|"
    r"(?:fewer|less|under)\s+than\s+(?:five|5)|under\s+(?:five|5))\s*$", re.IGNORECASE)


def _lines(text: str, start: int = 0) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) for each line of text, offsets absolute."""
    pos = start
    for line in text[start:].split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _cell(text: str, start: int, end: int, row: int, col: int) -> TableCell:
    """A cell whose span is trimmed to its visible text (empty: a zero-width span)."""
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    stripped = seg.strip()
    s = start + lead
    return TableCell(stripped, s, s + len(stripped), row, col)


def _covered(doc: Document, start: int, end: int) -> bool:
    return any(t.start < end and start < t.end for t in doc.tables)


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
        cells.append(_cell(text, s, bar, r, j))
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
    return [_cell(text, s + a + 1, s + b, r, c) for c, (a, b) in enumerate(pairs)]


def _pipe_tables(doc: Document) -> list[Table]:
    lines = list(_lines(doc.text))
    found = []
    for k, (_, _, line) in enumerate(lines):
        if not _SEP_RE.match(line) or not line.strip().startswith("|"):
            continue
        table = _pipe_dump_at(doc, lines, k) or _markdown_at(doc, lines, k)
        if table and not _covered(doc, table.start, table.end):
            found.append(table)
    return found


# --- tab tables -----------------------------------------------------------------------------


def _tab_blocks(text: str) -> Iterator[list[tuple[int, int, str]]]:
    """Runs of consecutive lines that contain a tab."""
    run: list[tuple[int, int, str]] = []
    for ln in _lines(text):
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
        rows.append([_cell(doc.text, s + a + 1, s + b, r, c)
                     for c, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False))])
    width = max(len(r) for r in rows)
    if width < 2 or not any(_NUMERIC_RE.match(c.text) for row in rows for c in row[1:] if c.text):
        return None
    for row in rows:  # pad short rows with empty cells at the line end
        while len(row) < width:
            end = row[-1].end if row else 0
            row.append(TableCell("", end, end, row[0].row, len(row)))
    return Table("", rows, block[0][0], block[-1][1], "tab")


def _tab_tables(doc: Document) -> list[Table]:
    tables = []
    for block in _tab_blocks(doc.text):
        if _covered(doc, block[0][0], block[-1][1]):
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
    return [_cell(text, s + a[1], s + b, r, c) for c, (a, b) in enumerate(zip(cuts, ends,
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
    if sum(bool(_NUMERIC_RE.match(c.text)) for c in body) * 2 < len(body):
        return None
    return Table("", rows, block[0][0], block[-1][1], "space")


def _space_tables(doc: Document, taken: list[Table]) -> list[Table]:
    tables, run = [], []
    for ln in _lines(doc.text):
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
    for s, _, line in _lines(doc.text):
        m = _KEYWORD_RE.match(line)
        g = None if m else _GROUP_RE.match(line)
        if m and not any(t.start <= s < t.end for t in [*doc.tables, *taken]):
            label = _cell(doc.text, s + m.start("label"), s + m.end("label"), len(run), 1)
            value = _cell(doc.text, s + m.start("value"), s + m.end("value"), len(run), 2)
            head = group or TableCell("", label.start, label.start, len(run), 0)
            run.append([head, label, value])
            continue
        if g and _looks_like_group(g.group("h")):
            group = _cell(doc.text, s + g.start("h"), s + g.end("h"), len(run), 0)
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


# --- annotation -----------------------------------------------------------------------------


def is_numeric(text: str) -> bool:
    """A count-like cell: digits, a dash, a suppression mark, n/a, nil."""
    return bool(_NUMERIC_RE.match(text))


def is_total_label(text: str) -> bool:
    """`Total`, `Grand Total`, `Sum:`, `All`."""
    return bool(_TOTAL_RE.match(text.strip().strip("*^")))


_KEY_HEADER = re.compile(
    r"\b(age|ages|year|years|period|month|gender|sex|platform|app|method|outcome|offence|code|"
    r"programme|band)\b", re.IGNORECASE)


def _header_rows(table: Table) -> int:
    n = 0
    for row in table.rows[:-1]:
        values = [c.text for c in row[1:] if c.text]
        if values and all(_NUMERIC_RE.match(v) and not _looks_like_year(v) for v in values):
            break
        n += 1
    if n == 0 and len(table.rows) > 2 and table.rows[0] and \
            _KEY_HEADER.fullmatch(table.rows[0][0].text.strip().rstrip(":")):
        return 1  # "Gender | 12 | 13 | 14": a header of bare ages under a header word
    return n


def _looks_like_year(text: str) -> bool:
    return bool(re.match(r"^(19|20)\d{2}\b", text.strip()))


def annotate(table: Table) -> Table:
    """Mark header rows/columns and total rows/columns (keeps what a loader set)."""
    if table.source != "keyword":
        table.header_rows = table.header_rows or _header_rows(table)
    first_col = [r[0].text for r in table.rows[table.header_rows:] if r]
    labels = sum(not _NUMERIC_RE.match(t) or _looks_like_year(t) for t in first_col if t)
    corner = table.rows[0][0].text if table.header_rows >= 1 and table.rows[0] else ""
    corner_blank = table.header_rows >= 1 and not corner and \
        all(not c.blank for c in table.rows[0][1:])
    if first_col and (labels >= len(first_col) / 2 or corner_blank or _KEY_HEADER.search(corner)):
        table.header_cols = max(table.header_cols, 1)
    table.total_rows = {i for i, r in enumerate(table.rows)
                        if i >= table.header_rows and r and is_total_label(r[0].text)}
    value_cols = table.n_cols - table.header_cols
    if value_cols >= 2:
        for h in range(table.header_rows):
            for c in table.rows[h]:
                if c.col >= table.header_cols and is_total_label(c.text):
                    table.total_cols.add(c.col)
    return table


def _title(doc: Document, table: Table) -> str:
    """Up to three non-empty lines above the table (captions, question text)."""
    before = doc.text[max(0, table.start - 1500):table.start].rstrip("\n").split("\n")
    lines = [ln.strip() for ln in before if ln.strip()]
    return "\n".join(lines[-3:])


def _blank_row(row: list[TableCell]) -> bool:
    return all(c.blank for c in row)


def _title_row(row: list[TableCell]) -> bool:
    filled = [c for c in row if not c.blank]
    return len(filled) == 1 and filled[0].col == 0 and not _NUMERIC_RE.match(filled[0].text)


def _sub_table(t: Table, rows: list[list[TableCell]], title: str, n: int) -> Table:
    width = max((c.col for r in rows for c in r if not c.blank), default=0) + 1
    base = rows[0][0].col if rows[0] else 0
    kept = [[TableCell(c.text, c.start, c.end, i, c.col - base) for c in r[:width]]
            for i, r in enumerate(rows)]
    return Table(f"{t.id}.{n}" if n else t.id, kept, kept[0][0].start, kept[-1][-1].end,
                 t.source, part=t.part, title=title)


def split_stacked(t: Table) -> list[Table]:
    """Several tables stacked on one sheet or page, split at blank rows; a lone label above a
    block (`TABLE 2`) becomes that block's title."""
    blocks: list[tuple[str, list[list[TableCell]]]] = []
    title: str = ""
    current: list[list[TableCell]] = []
    for row in t.rows:
        if _blank_row(row) or (_title_row(row) and (not current or len(current) > 1)):
            if len(current) >= 2:
                blocks.append((title, current))
            title = " ".join(c.text for c in row if not c.blank) or title
            current = []
            continue
        current.append(row)
    if len(current) >= 2:
        blocks.append((title, current))
    if len(blocks) <= 1 and (not blocks or len(blocks[0][1]) == len(t.rows)):
        return [t]
    return [_sub_table(t, rows, ttl, i + 1) for i, (ttl, rows) in enumerate(blocks)]


def _data_row(row: list[TableCell]) -> bool:
    values = [c.text for c in row[1:] if c.text]
    return bool(values) and all(_NUMERIC_RE.match(v) and not _looks_like_year(v) for v in values)


def _continues(doc: Document, a: Table, b: Table) -> bool:
    """Whether b carries on a (a table cut by a page break): same source and width, b starts
    with a data row where a starts with a header, and little text between them."""
    if a.source != b.source or a.source not in ("pdf", "docx") or a.n_cols != b.n_cols:
        return False
    if not b.rows or not _data_row(b.rows[0]) or _data_row(a.rows[0]):
        return False
    return b.start >= a.end and len(doc.text[a.end:b.start].strip()) <= 200


def join_continued(doc: Document, tables: list[Table]) -> list[Table]:
    """Tables that a page break cut in two become one again."""
    out: list[Table] = []
    for t in sorted(tables, key=lambda t: t.start):
        if out and _continues(doc, out[-1], t):
            prev = out[-1]
            base = len(prev.rows)
            prev.rows += [[TableCell(c.text, c.start, c.end, base + i, c.col) for c in row]
                          for i, row in enumerate(t.rows)]
            prev.end = t.end
            continue
        out.append(t)
    return out


def find_tables(doc: Document) -> list[Table]:
    """All tables of a document: the loaders' ones plus those found in its text, annotated.

    Tables get ids T1, T2, ... in text order (loader-assigned ids are kept).
    """
    doc.tables = join_continued(doc, [sub for t in doc.tables for sub in split_stacked(t)])
    found = _pipe_tables(doc)
    found += _tab_tables(doc)
    found += _space_tables(doc, found)
    found += _keyword_tables(doc, found)
    tables = sorted([*doc.tables, *found], key=lambda t: t.start)
    used = {t.id for t in tables if t.id}
    n = 0
    for t in tables:
        if not t.id:
            n += 1
            while f"T{n}" in used:
                n += 1
            t.id = f"T{n}"
            used.add(t.id)
        t.title = t.title or _title(doc, t)
        annotate(t)
    return tables
